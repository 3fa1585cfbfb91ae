// Batched latency recording: the hot path stores a latency into a small typed-array batch; the batch is
// folded into its HDR histogram when it is full and whenever the histogram is read (every window take).
//
//   add(v):  values[count++] = v ──(count = CAPACITY)──► fold()
//   fold():  v < TALLY_LIMIT  → tally[v]++            then, per distinct v: recordValueWithCount(v, tally[v])
//            v ≥ TALLY_LIMIT  → recordValue(v)
//
// Why: hdr-histogram-js finds a value's bucket with floating-point log2/pow/floor, ~85 ns per recordValue
// on these machines (CPU profile of a null:// run, 2.1M ops/s on one worker: 17% of the worker's time in
// computeCountsArrayIndex). Latencies of fast operations repeat (a null:// or page-cache run records a few
// dozen distinct µs values), so a fold pays that cost once per distinct value instead of once per op:
// the null:// engine ceiling went from 0.43 to 0.34 µs of CPU per op (2.35M → 2.94M ops/s, same-run
// interleaved). Slow operations (≥ TALLY_LIMIT µs) are recorded one by one, as before: their own time
// dwarfs it.
//
// Exact: recordValueWithCount(v, n) leaves the histogram exactly as n × recordValue(v) would (same
// counts, total, min and max), and a histogram is only read through `histogram()`, which folds first.
// test/unit/stats/latency-batch.test.ts checks this across full batches and window takes.

import { createLatencyHistogram, type LatencyHistogram } from './latency-histogram.js';

/** Values a batch holds before it folds (2 KiB per cell; 64 measured the same on a null:// pool). */
export const BATCH_CAPACITY = 256;
/** Integer latencies below this (µs) are tallied before recording; larger ones are recorded one by one. */
export const TALLY_LIMIT = 4096;

/**
 * Scratch for folds, shared by all batches of a thread (a fold runs to completion, so one is enough):
 * a count per small value, and the list of values whose count is non-zero.
 */
export class FoldScratch {
  readonly tally = new Uint32Array(TALLY_LIMIT);
  readonly touched = new Uint16Array(BATCH_CAPACITY);
}

export class LatencyBatch {
  private readonly values = new Float64Array(BATCH_CAPACITY);
  private count = 0;
  private readonly target: LatencyHistogram = createLatencyHistogram();
  private readonly scratch: FoldScratch;

  constructor(scratch: FoldScratch) {
    this.scratch = scratch;
  }

  /** Hot path: one typed-array store (and a fold every BATCH_CAPACITY values). latencyUs ≥ 1. */
  add(latencyUs: number): void {
    const count = this.count;
    this.values[count] = latencyUs;
    if (count + 1 === BATCH_CAPACITY) this.fold(BATCH_CAPACITY);
    else this.count = count + 1;
  }

  /** The histogram with every value added so far. */
  histogram(): LatencyHistogram {
    if (this.count > 0) this.fold(this.count);
    return this.target;
  }

  private fold(count: number): void {
    this.count = 0;
    const { tally, touched } = this.scratch;
    const values = this.values;
    const target = this.target;
    let distinct = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i]!;
      const small = value | 0;
      if (small === value && small >= 0 && small < TALLY_LIMIT) {
        if (tally[small]++ === 0) touched[distinct++] = small;
      } else {
        target.recordValue(value);
      }
    }
    for (let i = 0; i < distinct; i++) {
      const value = touched[i]!;
      target.recordValueWithCount(value, tally[value]!);
      tally[value] = 0;
    }
  }
}
