// Numbers a person reads, computed from merged totals: rates over the phase's measured time and
// percentiles from the merged histogram.

import { OUTCOMES } from '../backends/outcome.js';
import { errorCount, type CellTotal } from './cell-totals.js';

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
    p50Us: hasLatency ? h.getValueAtPercentile(50) : 0,
    p90Us: hasLatency ? h.getValueAtPercentile(90) : 0,
    p99Us: hasLatency ? h.getValueAtPercentile(99) : 0,
    p999Us: hasLatency ? h.getValueAtPercentile(99.9) : 0,
    maxUs: hasLatency ? h.maxValue : 0,
  };
}
