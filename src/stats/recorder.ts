// The hot-path recorder of one worker thread: integer-indexed typed-array counters and, per op label × size
// bucket × endpoint, a latency batch in front of an HDR histogram (latency-batch.ts: `record` stores the
// latency into a typed array; the histogram takes the batch when it is full or read). `record` allocates
// nothing (a cell's batch and histogram are created the first time the cell is used). Once a second the
// worker takes a window: the counters and encoded histograms since the last window, after which everything
// is reset in place. Every latency recorded before `takeWindow` is in that window's histogram, none after.

import { OUTCOME_COUNT } from '../backends/outcome.js';
import { SIZE_BUCKET_COUNT } from '../workload/size-buckets.js';
import { FoldScratch, LatencyBatch } from './latency-batch.js';
import { encodeHistogram } from './latency-histogram.js';
import type { CellWindow, FailedAttemptsWindow, PhaseName, StatsWindow } from './stats-window.js';

export class Recorder {
  private readonly cellCount: number;
  private readonly endpointCount: number;
  private readonly ops: Float64Array;
  private readonly bytes: Float64Array;
  private readonly outcomes: Float64Array;
  private readonly latencies: (LatencyBatch | undefined)[];
  /** Shared by every cell's batch: folds run one at a time. */
  private readonly foldScratch = new FoldScratch();
  private readonly failedAttempts: Float64Array;
  private readonly retriedAttempts: Float64Array;
  private readonly redirects: Float64Array;
  private lateOps = 0;
  private maxSlipUs = 0;

  constructor(labelCount: number, endpointCount = 1) {
    this.endpointCount = endpointCount;
    this.cellCount = labelCount * endpointCount * SIZE_BUCKET_COUNT;
    this.ops = new Float64Array(this.cellCount);
    this.bytes = new Float64Array(this.cellCount);
    this.outcomes = new Float64Array(this.cellCount * OUTCOME_COUNT);
    this.latencies = new Array<LatencyBatch | undefined>(this.cellCount).fill(undefined);
    this.failedAttempts = new Float64Array(endpointCount * OUTCOME_COUNT);
    this.retriedAttempts = new Float64Array(endpointCount);
    this.redirects = new Float64Array(endpointCount);
  }

  /** S3: an operation on `endpoint` followed `count` redirects. */
  recordRedirects(endpoint: number, count: number): void {
    this.redirects[endpoint]! += count;
  }

  /** Endpoint pool: one attempt of an op failed on `endpoint` with this outcome. */
  recordFailedAttempt(endpoint: number, outcome: number): void {
    this.failedAttempts[endpoint * OUTCOME_COUNT + outcome]!++;
  }

  /** Endpoint pool: after a failed attempt on `endpoint`, the op was retried on another (a failover). */
  recordRetryAway(endpoint: number): void {
    this.retriedAttempts[endpoint]!++;
  }

  /** One finished operation. outcome 0 (ok) records bytes and latency; any other only counts. */
  record(label: number, bucket: number, endpoint: number, outcome: number, bytes: number, latencyUs: number): void {
    const cell = (label * this.endpointCount + endpoint) * SIZE_BUCKET_COUNT + bucket;
    this.ops[cell]!++;
    this.outcomes[cell * OUTCOME_COUNT + outcome]!++;
    if (outcome !== 0) return;
    this.bytes[cell]! += bytes;
    let latencies = this.latencies[cell];
    if (latencies === undefined) latencies = this.latencies[cell] = new LatencyBatch(this.foldScratch);
    latencies.add(latencyUs < 1 ? 1 : latencyUs);
  }

  /** Open loop: an operation started slipUs after its scheduled time. */
  recordSlip(slipUs: number, isLate: boolean): void {
    if (isLate) this.lateOps++;
    if (slipUs > this.maxSlipUs) this.maxSlipUs = slipUs;
  }

  /** The window since the last call; resets all counters. */
  takeWindow(phase: PhaseName, seq: number): StatsWindow {
    const cells: CellWindow[] = [];
    for (let cell = 0; cell < this.cellCount; cell++) {
      if (this.ops[cell] === 0) continue;
      const histogram = this.latencies[cell]?.histogram();
      const hasLatency = histogram !== undefined && histogram.totalCount > 0;
      const labelEndpoint = Math.floor(cell / SIZE_BUCKET_COUNT);
      cells.push({
        label: Math.floor(labelEndpoint / this.endpointCount),
        bucket: cell % SIZE_BUCKET_COUNT,
        endpoint: labelEndpoint % this.endpointCount,
        ops: this.ops[cell]!,
        bytes: this.bytes[cell]!,
        outcomes: Array.from(this.outcomes.subarray(cell * OUTCOME_COUNT, (cell + 1) * OUTCOME_COUNT)),
        latencyUs: hasLatency ? encodeHistogram(histogram) : null,
      });
      if (hasLatency) histogram.reset();
    }
    const failedAttempts: FailedAttemptsWindow[] = [];
    for (let endpoint = 0; endpoint < this.endpointCount; endpoint++) {
      const byOutcome = this.failedAttempts.subarray(endpoint * OUTCOME_COUNT, (endpoint + 1) * OUTCOME_COUNT);
      if (byOutcome.some((count) => count > 0)) {
        failedAttempts.push({ endpoint, byOutcome: Array.from(byOutcome), retried: this.retriedAttempts[endpoint]! });
      }
    }
    this.ops.fill(0);
    this.bytes.fill(0);
    this.outcomes.fill(0);
    const redirects: StatsWindow['redirects'] = [];
    this.redirects.forEach((count, endpoint) => count > 0 && redirects.push({ endpoint, count }));
    this.failedAttempts.fill(0);
    this.retriedAttempts.fill(0);
    this.redirects.fill(0);
    const window: StatsWindow = { phase, seq, durationMs: 1000, cells, failedAttempts, redirects, lateOps: this.lateOps, maxSlipUs: this.maxSlipUs };
    this.lateOps = 0;
    this.maxSlipUs = 0;
    return window;
  }
}
