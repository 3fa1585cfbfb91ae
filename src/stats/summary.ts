// Numbers a person reads, computed from merged totals: rates over the phase's measured time and
// percentiles from the merged histogram.

import { OUTCOMES } from '../backends/outcome.js';
import { errorCount, type CellTotal } from './cell-totals.js';
import type { LatencyHistogram } from './latency-histogram.js';

export interface CellSummary {
  ops: number;
  okOps: number;
  errors: number;
  errorsByClass: Record<string, number>;
  bytes: number;
  opsPerSec: number;
  bytesPerSec: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

export function summarizeCell(cell: CellTotal, elapsedMs: number): CellSummary {
  const seconds = elapsedMs > 0 ? elapsedMs / 1000 : Number.NaN;
  const h = cell.latencyUs;
  const hasLatency = h.totalCount > 0;
  // Windows carry the exact max; a cell assembled without it falls back to the histogram's.
  const maxUs = cell.maxLatencyUs > 0 ? cell.maxLatencyUs : h.maxValue;
  const errorsByClass: Record<string, number> = {};
  for (let i = 1; i < OUTCOMES.length; i++) if (cell.outcomes[i]! > 0) errorsByClass[OUTCOMES[i]!] = cell.outcomes[i]!;
  return {
    ops: cell.ops,
    okOps: cell.outcomes[0]!,
    errors: errorCount(cell),
    errorsByClass,
    bytes: cell.bytes,
    opsPerSec: cell.ops / seconds,
    bytesPerSec: cell.bytes / seconds,
    meanUs: hasLatency ? h.mean : 0,
    p50Us: hasLatency ? percentileUs(h, 50, maxUs) : 0,
    p90Us: hasLatency ? percentileUs(h, 90, maxUs) : 0,
    p99Us: hasLatency ? percentileUs(h, 99, maxUs) : 0,
    p999Us: hasLatency ? percentileUs(h, 99.9, maxUs) : 0,
    maxUs: hasLatency ? maxUs : 0,
  };
}

/**
 * A percentile of recorded latencies. The histogram answers with the highest value its bucket stands
 * for (6292 µs is recorded in a bucket 4 µs wide and read back as 6295 at 3 significant digits), which
 * can exceed the largest value recorded, and a p99.9 above the max is a number nobody can trust. No
 * recorded value lies above the exact max, so it is the upper bound.
 */
export function percentileUs(h: LatencyHistogram, percentile: number, maxUs: number): number {
  return Math.min(h.getValueAtPercentile(percentile), maxUs);
}
