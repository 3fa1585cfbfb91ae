// With prepare.skip_existing the user says the target holds objects to keep, and cleanup keeps those
// prepare finds. A PUT of a new object takes the next key index without asking the target (a STAT per
// PUT would cost a round trip), so an object already there under such a name (an earlier run's PUT that
// was never cleaned up, or a file of the user's named like iofleet's) would be overwritten, then deleted
// by cleanup as the run's own. Before the run, each worker thread's first new key is looked up; finding
// one fails the run before any write.

import type { S3Credentials } from '../backends/s3/credentials.js';
import { IofleetError, isIofleetError } from '../errors.js';
import type { RunPlan } from '../plan/run-plan.js';
import { keyName, keyNamePattern } from '../workload/key-layout.js';
import { Keyspace } from '../workload/keyspace.js';
import { createStore } from './create-store.js';

/** True when the run both promises to keep existing objects and creates new ones. */
export function needsNewKeysCheck(plan: RunPlan): boolean {
  return plan.prepare.skipExisting && plan.ops.some((op) => op.kind === 'put' && !op.overwrite && op.weight > 0);
}

/** Throws TARGET_SETUP naming the first new key found on an endpoint the run uses. */
export async function checkNewKeysAreFree(plan: RunPlan, credentials: readonly (S3Credentials | undefined)[]): Promise<void> {
  // Keys are interleaved between threads: thread w's first new key is the first index it owns past the
  // prepared ones.
  const firstNewKeys = Array.from({ length: plan.threads }, (_, w) =>
    keyName(plan.layout, w + plan.threads * Keyspace.ownedCount(w, plan.threads, plan.prepare.count)),
  ).sort();
  const endpoints = plan.routing?.poolEndpoints ?? [plan.targetEndpoint];
  for (const endpoint of endpoints) {
    const store = await createStore(plan, endpoint, credentials[endpoint], 1);
    try {
      for (const key of firstNewKeys) {
        if (await store.exists(key)) {
          const id = plan.endpoints[endpoint]!.id;
          throw new IofleetError(
            'TARGET_SETUP',
            `${id} already holds "${key}", a key this run's PUTs would create: with prepare.skip_existing the ` +
              'objects already there are kept, but this one would be overwritten and then deleted by cleanup as the run\'s own',
            `remove the objects an earlier run's PUTs left (named ${keyNamePattern(plan.layout)}, from index ${plan.prepare.count} on), or point the target at an empty directory or prefix`,
          );
        }
      }
    } catch (error) {
      // An endpoint that does not answer was reported by the reachability check; the others decide.
      if (!isIofleetError(error) || error.code !== 'TARGET_UNREACHABLE') throw error;
    } finally {
      await store.close();
    }
  }
}
