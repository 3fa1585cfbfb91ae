// The numbers of a finished phase, computed once from its merged totals and shared by every output
// (console table, results.json, results.tsv), so the same number reads the same everywhere.

import { OUTCOMES } from '../backends/outcome.js';
import type { EndpointEvent, PhaseResult } from '../engine/run-engine.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { CellTotal } from '../stats/cell-totals.js';
import { encodeHistogram } from '../stats/latency-histogram.js';
import { summarizeCell, type CellSummary } from '../stats/summary.js';
import { SIZE_BUCKET_NAMES } from '../workload/size-buckets.js';

export interface BucketReport extends CellSummary {
  bucket: string;
  /** Compressed HDR histogram of latency in µs (successful operations), for exact merging later. */
  latencyHistogram: string | null;
}

export interface OpReport extends CellSummary {
  op: string;
  buckets: BucketReport[];
}

export interface EndpointReport extends CellSummary {
  endpoint: string;
  /** Share of the phase's operations served by this endpoint (0..1). */
  share: number;
  /** Failed attempts on this endpoint by class (each retried or final). */
  failedAttempts: Record<string, number>;
  /** Failed attempts after which the op went to another endpoint (failovers away from it). */
  retriedAway: number;
  ejects: number;
  readmits: number;
  /** Time this endpoint spent ejected during the phase. */
  ejectedMs: number;
  /** S3 redirects followed from this endpoint. */
  redirects: number;
  byOp: { op: string; summary: CellSummary }[];
}

export interface PhaseReport {
  phase: PhaseResult['phase'];
  startEpochMs: number;
  elapsedMs: number;
  clientCpuUs: number;
  reason: PhaseResult['reason'];
  objects: number;
  failedObjects: number;
  bytes: number;
  /** prepare: objects found already there and not written (skip_existing); cleanup: those left in place. */
  preexistingObjects: number;
  /** prepare (skip_existing): of the objects already there, those with another size than this prepare gives their key (kept, read as they are). */
  otherSizeObjects: number;
  /** Objects the run created that may still be on the target at the phase's end. */
  createdObjectsLeft: number;
  /** False when some worker did not report (lost, or ended after the stop grace): createdObjectsLeft is a lower bound. */
  allWorkersReported: boolean;
  total: CellSummary;
  ops: OpReport[];
  lateOps: number;
  maxSlipUs: number;
  /** S3 redirects followed, all endpoints. */
  redirects: number;
  /** Per endpoint (only when the plan has an endpoint pool). */
  endpoints: EndpointReport[];
}

export function buildPhaseReport(result: PhaseResult, plan: RunPlan, events: readonly EndpointEvent[]): PhaseReport {
  const opLabels = plan.opLabels;
  const { totals, elapsedMs } = result;
  const ops: OpReport[] = [];
  for (let label = 0; label < opLabels.length; label++) {
    const buckets = [...new Set(totals.sorted().filter((cell) => cell.label === label).map((cell) => cell.bucket))];
    if (buckets.length === 0) continue;
    ops.push({
      op: opLabels[label]!,
      ...summarizeCell(totals.combined((cell) => cell.label === label), elapsedMs),
      buckets: buckets.map((bucket) => bucketReport(bucket, totals.combined((cell) => cell.label === label && cell.bucket === bucket), elapsedMs)),
    });
  }
  return {
    phase: result.phase,
    startEpochMs: result.startEpochMs,
    elapsedMs,
    clientCpuUs: result.clientCpuUs,
    reason: result.reason,
    objects: result.objects,
    failedObjects: result.failedObjects,
    bytes: result.bytes,
    preexistingObjects: result.preexistingObjects,
    otherSizeObjects: result.otherSizeObjects,
    createdObjectsLeft: result.createdObjectsLeft,
    allWorkersReported: result.workersReported >= plan.threads,
    total: summarizeCell(totals.combined(() => true), elapsedMs),
    ops,
    lateOps: totals.lateOps,
    maxSlipUs: totals.maxSlipUs,
    redirects: [...totals.redirects.values()].reduce((sum, count) => sum + count, 0),
    endpoints: plan.routing ? plan.endpoints.map((_, index) => endpointReport(result, plan, index, events)) : [],
  };
}

function endpointReport(result: PhaseResult, plan: RunPlan, endpoint: number, events: readonly EndpointEvent[]): EndpointReport {
  const { totals, elapsedMs } = result;
  const served = summarizeCell(totals.combined((cell) => cell.endpoint === endpoint), elapsedMs);
  const allOps = totals.combined(() => true).ops;
  const attempts = totals.failedAttempts.get(endpoint);
  const failedAttempts: Record<string, number> = {};
  if (attempts) attempts.byOutcome.forEach((count, outcome) => count > 0 && (failedAttempts[OUTCOMES[outcome]!] = count));
  const phaseEndMs = result.startEpochMs + elapsedMs;
  const mine = events.filter((event) => event.endpoint === endpoint);
  const inPhase = mine.filter((event) => event.atEpochMs >= result.startEpochMs && event.atEpochMs <= phaseEndMs);
  return {
    endpoint: plan.endpoints[endpoint]!.id,
    ...served,
    share: allOps > 0 ? served.ops / allOps : 0,
    failedAttempts,
    retriedAway: attempts?.retried ?? 0,
    ejects: inPhase.filter((event) => event.kind === 'eject').length,
    readmits: inPhase.filter((event) => event.kind === 'readmit').length,
    ejectedMs: ejectedTimeMs(mine, result.startEpochMs, phaseEndMs),
    redirects: totals.redirects.get(endpoint) ?? 0,
    byOp: plan.opLabels.flatMap((op, label) => {
      const cell = totals.combined((c) => c.endpoint === endpoint && c.label === label);
      return cell.ops > 0 ? [{ op, summary: summarizeCell(cell, elapsedMs) }] : [];
    }),
  };
}

/** Time within [fromMs, toMs] that one endpoint's events (eject … readmit) kept it ejected. */
export function ejectedTimeMs(events: readonly EndpointEvent[], fromMs: number, toMs: number): number {
  let total = 0;
  let ejectedSince: number | undefined;
  for (const event of [...events].sort((a, b) => a.atEpochMs - b.atEpochMs)) {
    if (event.kind === 'eject' && ejectedSince === undefined) ejectedSince = event.atEpochMs;
    else if (event.kind === 'readmit' && ejectedSince !== undefined) {
      total += Math.max(0, Math.min(event.atEpochMs, toMs) - Math.max(ejectedSince, fromMs));
      ejectedSince = undefined;
    }
  }
  if (ejectedSince !== undefined) total += Math.max(0, toMs - Math.max(ejectedSince, fromMs));
  return total;
}

function bucketReport(bucket: number, cell: CellTotal, elapsedMs: number): BucketReport {
  return {
    bucket: SIZE_BUCKET_NAMES[bucket]!,
    ...summarizeCell(cell, elapsedMs),
    latencyHistogram: cell.latencyUs.totalCount > 0 ? encodeHistogram(cell.latencyUs) : null,
  };
}
