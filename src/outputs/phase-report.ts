// The numbers of a finished phase, computed once from its merged totals and shared by every output
// (console table, results.json, results.tsv), so the same number reads the same everywhere.

import type { PhaseResult } from '../engine/run-engine.js';
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

export interface PhaseReport {
  phase: PhaseResult['phase'];
  startEpochMs: number;
  elapsedMs: number;
  clientCpuUs: number;
  reason: PhaseResult['reason'];
  objects: number;
  failedObjects: number;
  bytes: number;
  total: CellSummary;
  ops: OpReport[];
  lateOps: number;
  maxSlipUs: number;
}

export function buildPhaseReport(result: PhaseResult, opLabels: readonly string[]): PhaseReport {
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
    total: summarizeCell(totals.combined(() => true), elapsedMs),
    ops,
    lateOps: totals.lateOps,
    maxSlipUs: totals.maxSlipUs,
  };
}

function bucketReport(bucket: number, cell: CellTotal, elapsedMs: number): BucketReport {
  return {
    bucket: SIZE_BUCKET_NAMES[bucket]!,
    ...summarizeCell(cell, elapsedMs),
    latencyHistogram: cell.latencyUs.totalCount > 0 ? encodeHistogram(cell.latencyUs) : null,
  };
}
