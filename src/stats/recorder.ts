// The hot-path recorder of one worker thread: integer-indexed typed-array counters and, per op label × size
// bucket × endpoint, a latency batch in front of an HDR histogram (latency-batch.ts: `record` stores the
// latency into a typed array; the histogram takes the batch when it is full or read). `record` allocates
// nothing (a label × bucket's batch and histograms are created the first time it is used). Once a second
// the worker takes a window: the counters and encoded histograms since the last window, after which
// everything is reset in place. Every latency recorded before `takeWindow` is in that window's histogram,
// none after.
//
// Layout: the endpoint is the innermost index of every array (an endpoint pool spreads consecutive ops
// over its endpoints, so their counters share cache lines):
//   ops, bytes:  [(label × SIZE_BUCKET_COUNT + bucket) × endpoints + endpoint]
//   outcomes:    [((label × SIZE_BUCKET_COUNT + bucket) × OUTCOME_COUNT + outcome) × endpoints + endpoint]

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
  /** Per op label × size bucket: the latencies of its endpoints' cells. */
  private readonly latencies: (LatencyBatch | undefined)[];
  /** Shared by every batch: folds run one at a time. */
  private readonly foldScratch: FoldScratch;
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
    this.latencies = new Array<LatencyBatch | undefined>(labelCount * SIZE_BUCKET_COUNT).fill(undefined);
    this.foldScratch = new FoldScratch();
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
    const group = label * SIZE_BUCKET_COUNT + bucket;
    const endpointCount = this.endpointCount;
    const cell = group * endpointCount + endpoint;
    this.ops[cell]!++;
    this.outcomes[(group * OUTCOME_COUNT + outcome) * endpointCount + endpoint]!++;
    if (outcome !== 0) return;
    this.bytes[cell]! += bytes;
    let latencies = this.latencies[group];
    if (latencies === undefined) latencies = this.latencies[group] = new LatencyBatch(this.foldScratch, endpointCount);
    latencies.add(latencyUs < 1 ? 1 : latencyUs, endpoint);
  }

  /** Open loop: an operation started slipUs after its scheduled time. */
  recordSlip(slipUs: number, isLate: boolean): void {
    if (isLate) this.lateOps++;
    if (slipUs > this.maxSlipUs) this.maxSlipUs = slipUs;
  }

  /** The window since the last call; resets all counters. */
  takeWindow(phase: PhaseName, seq: number): StatsWindow {
    const cells: CellWindow[] = [];
    const endpointCount = this.endpointCount;
    const labelCount = this.cellCount / (SIZE_BUCKET_COUNT * endpointCount);
    // Cells in label, endpoint, bucket order (how windows always listed them).
    for (let label = 0; label < labelCount; label++) {
      for (let endpoint = 0; endpoint < endpointCount; endpoint++) {
        for (let bucket = 0; bucket < SIZE_BUCKET_COUNT; bucket++) {
          const group = label * SIZE_BUCKET_COUNT + bucket;
          const cell = group * endpointCount + endpoint;
          if (this.ops[cell] === 0) continue;
          const histogram = this.latencies[group]?.histogram(endpoint);
          const hasLatency = histogram !== undefined && histogram.totalCount > 0;
          const outcomes = new Array<number>(OUTCOME_COUNT);
          for (let outcome = 0; outcome < OUTCOME_COUNT; outcome++) outcomes[outcome] = this.outcomes[(group * OUTCOME_COUNT + outcome) * endpointCount + endpoint]!;
          cells.push({
            label,
            bucket,
            endpoint,
            ops: this.ops[cell]!,
            bytes: this.bytes[cell]!,
            outcomes,
            latencyUs: hasLatency ? encodeHistogram(histogram) : null,
            maxLatencyUs: hasLatency ? histogram.maxValue : 0,
          });
          if (hasLatency) histogram.reset();
        }
      }
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
