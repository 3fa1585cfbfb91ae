// Whether a run writes to its target. A file target must then be writable before the run starts; a
// read-only one (a pre-populated, read-only export read with prepare.skip_existing) need not be.

import type { RunPlan } from './run-plan.js';

/**
 * True when prepare creates objects, the workload puts or deletes, or cleanup deletes prepared objects.
 * Prepare with skip_existing writes
 * only the objects that are missing: it is not counted, so a complete read-only data set can be read; a
 * missing object then fails its write, and a prepare that creates none fails the run (TARGET_SETUP).
 */
export function writesToTarget(plan: RunPlan): boolean {
  const prepareWrites = plan.prepare.count > 0 && !plan.prepare.skipExisting;
  // With skip_existing, cleanup deletes only what prepare wrote, and that write already counts above.
  const cleanupDeletes = plan.cleanup && plan.prepare.count > 0 && !plan.prepare.skipExisting;
  return prepareWrites || cleanupDeletes || plan.ops.some((op) => op.kind === 'put' || op.kind === 'delete');
}
