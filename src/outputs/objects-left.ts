// What a run that ends without a complete cleanup leaves behind, in words: how many objects it created
// are still on the target, and where, so the user can delete them (a rerun's cleanup would not reliably:
// with skip_existing it keeps objects that existed before it). Writes that failed are counted too, since
// they may have landed (a timeout after the server stored the object).

import type { RunPlan } from '../plan/run-plan.js';
import { keyNamePattern } from '../workload/key-layout.js';
import { countOf } from './format.js';
import type { PhaseReport } from './phase-report.js';

export function objectsLeftText(plan: RunPlan, report: Pick<PhaseReport, 'createdObjectsLeft' | 'allWorkersReported'>): string {
  if (report.createdObjectsLeft === 0 && report.allWorkersReported) return `nothing the run created is left on ${plan.targetUri}`;
  const where = plan.routing?.namespace === 'independent' ? `spread over the ${plan.routing.poolEndpoints.length} endpoints of ${plan.targetUri}` : `on ${plan.targetUri}`;
  const names = `named ${keyNamePattern(plan.layout)}`;
  // A worker that did not report took its count with it: what the others report is the least left.
  if (report.createdObjectsLeft === 0) return `an unknown number of objects the run created may be left ${where} (${names}; a worker thread did not report in time)`;
  const count = `${report.allWorkersReported ? '' : 'at least '}${countOf(report.createdObjectsLeft, 'object')}`;
  return `${count} the run created ${report.createdObjectsLeft === 1 && report.allWorkersReported ? 'is' : 'are'} left ${where} (${names})`;
}
