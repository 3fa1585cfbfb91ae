// Exact merging of windows: counters are added, histograms are added (never percentiles averaged). The
// same code merges windows of many workers into one second, seconds into phase totals, and (later)
// agents into cluster totals, so every number printed anywhere has one source.

import { OUTCOME_COUNT } from '../backends/outcome.js';
import { SIZE_BUCKET_COUNT } from '../workload/size-buckets.js';
import { createLatencyHistogram, decodeHistogram, type LatencyHistogram } from './latency-histogram.js';
import type { CellWindow, FailedAttemptsWindow } from './stats-window.js';

export interface CellTotal {
  label: number;
  bucket: number;
  endpoint: number;
  ops: number;
  bytes: number;
  outcomes: Float64Array;
  latencyUs: LatencyHistogram;
  /** The exact largest latency recorded (the histogram's own max is its top bucket's upper edge). */
  maxLatencyUs: number;
}

/** Cells keyed by label × bucket × endpoint, with everything added up. */
export class CellTotals {
  readonly cells = new Map<number, CellTotal>();
  /** Endpoint pool: failed attempts per endpoint by outcome, and how many of them were retried elsewhere. */
  readonly failedAttempts = new Map<number, { byOutcome: Float64Array; retried: number }>();
  /** S3 redirects followed, per endpoint. */
  readonly redirects = new Map<number, number>();
  lateOps = 0;
  maxSlipUs = 0;

  addWindowCells(cells: readonly CellWindow[]): void {
    for (const cell of cells) {
      const total = this.cellFor(cell.label, cell.bucket, cell.endpoint);
      total.ops += cell.ops;
      total.bytes += cell.bytes;
      for (let i = 0; i < OUTCOME_COUNT; i++) total.outcomes[i]! += cell.outcomes[i] ?? 0;
      if (cell.latencyUs !== null) total.latencyUs.add(decodeHistogram(cell.latencyUs));
      total.maxLatencyUs = Math.max(total.maxLatencyUs, cell.maxLatencyUs);
    }
  }

  addFailedAttempts(windows: readonly FailedAttemptsWindow[]): void {
    for (const window of windows) {
      const total = this.failedAttemptsOf(window.endpoint);
      for (let i = 0; i < OUTCOME_COUNT; i++) total.byOutcome[i]! += window.byOutcome[i] ?? 0;
      total.retried += window.retried;
    }
  }

  addRedirects(windows: readonly { endpoint: number; count: number }[]): void {
    for (const { endpoint, count } of windows) this.redirects.set(endpoint, (this.redirects.get(endpoint) ?? 0) + count);
  }

  failedAttemptsOf(endpoint: number): { byOutcome: Float64Array; retried: number } {
    let total = this.failedAttempts.get(endpoint);
    if (total === undefined) this.failedAttempts.set(endpoint, (total = { byOutcome: new Float64Array(OUTCOME_COUNT), retried: 0 }));
    return total;
  }

  addTotals(other: CellTotals): void {
    this.addRedirects([...other.redirects].map(([endpoint, count]) => ({ endpoint, count })));
    for (const [endpoint, attempts] of other.failedAttempts) {
      const total = this.failedAttemptsOf(endpoint);
      for (let i = 0; i < OUTCOME_COUNT; i++) total.byOutcome[i]! += attempts.byOutcome[i]!;
      total.retried += attempts.retried;
    }
    for (const cell of other.cells.values()) {
      const total = this.cellFor(cell.label, cell.bucket, cell.endpoint);
      total.ops += cell.ops;
      total.bytes += cell.bytes;
      for (let i = 0; i < OUTCOME_COUNT; i++) total.outcomes[i]! += cell.outcomes[i]!;
      total.latencyUs.add(cell.latencyUs);
      total.maxLatencyUs = Math.max(total.maxLatencyUs, cell.maxLatencyUs);
    }
    this.lateOps += other.lateOps;
    this.maxSlipUs = Math.max(this.maxSlipUs, other.maxSlipUs);
  }

  /** Cells sorted by label, then bucket, then endpoint. */
  sorted(): CellTotal[] {
    return [...this.cells.values()].sort((a, b) => a.label - b.label || a.bucket - b.bucket || a.endpoint - b.endpoint);
  }

  /**
   * The sum of the cells that pass `filter` (e.g. one label over all buckets and endpoints). The result's
   * label, bucket and endpoint are -1: it stands for a group, not a cell.
   */
  combined(filter: (cell: CellTotal) => boolean): CellTotal {
    const sum = emptyCell(-1, -1, -1);
    for (const cell of this.cells.values()) {
      if (!filter(cell)) continue;
      sum.ops += cell.ops;
      sum.bytes += cell.bytes;
      for (let i = 0; i < OUTCOME_COUNT; i++) sum.outcomes[i]! += cell.outcomes[i]!;
      sum.latencyUs.add(cell.latencyUs);
      sum.maxLatencyUs = Math.max(sum.maxLatencyUs, cell.maxLatencyUs);
    }
    return sum;
  }

  private cellFor(label: number, bucket: number, endpoint: number): CellTotal {
    // Up to 2^16 endpoints and labels: plenty, and the key stays a small integer (no string keys).
    const key = (label * 65536 + endpoint) * SIZE_BUCKET_COUNT + bucket;
    let total = this.cells.get(key);
    if (total === undefined) {
      total = emptyCell(label, bucket, endpoint);
      this.cells.set(key, total);
    }
    return total;
  }
}

function emptyCell(label: number, bucket: number, endpoint: number): CellTotal {
  return { label, bucket, endpoint, ops: 0, bytes: 0, outcomes: new Float64Array(OUTCOME_COUNT), latencyUs: createLatencyHistogram(), maxLatencyUs: 0 };
}

export function errorCount(cell: CellTotal): number {
  return cell.ops - cell.outcomes[0]!;
}
