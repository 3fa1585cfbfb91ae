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

/**
 * The latencies of `partCount` histograms (the endpoints of one op label × size bucket), each part with
 * its own batch region in one shared array, and one array of counts:
 *
 *   counts: [ n0 | n1 | ... ]        values: [ part 0: BATCH_CAPACITY | part 1: BATCH_CAPACITY | ... ]
 *
 * An endpoint pool spreads consecutive operations over its endpoints; with a batch object per endpoint
 * every operation read another object, another typed array and another count (a round_robin pool whose
 * ops were all recorded on one endpoint ran 15 ns per op cheaper; Recorder.record between random reads
 * of 256 KiB: 8 endpoints cost 3-6 ns more than one with a batch per endpoint, 0-1.5 ns like this). Each
 * part still folds BATCH_CAPACITY of its own values at a time: the tally only saves work when a fold sees
 * the same value many times.
 */
export class LatencyBatch {
  private readonly values: Float64Array;
  private readonly counts: Int32Array;
  private readonly targets: (LatencyHistogram | undefined)[];
  private readonly scratch: FoldScratch;

  constructor(scratch: FoldScratch, partCount = 1) {
    this.scratch = scratch;
    this.values = new Float64Array(partCount * BATCH_CAPACITY);
    this.counts = new Int32Array(partCount);
    this.targets = new Array<LatencyHistogram | undefined>(partCount).fill(undefined);
  }

  /** Hot path: one typed-array store (and a fold every BATCH_CAPACITY values of a part). latencyUs ≥ 1. */
  add(latencyUs: number, part = 0): void {
    const count = this.counts[part]!;
    this.values[part * BATCH_CAPACITY + count] = latencyUs;
    if (count + 1 === BATCH_CAPACITY) this.fold(part, BATCH_CAPACITY);
    else this.counts[part] = count + 1;
  }

  /** The histogram of `part` with every value added to it so far; undefined when none ever was. */
  histogram(part = 0): LatencyHistogram | undefined {
    const count = this.counts[part]!;
    if (count > 0) this.fold(part, count);
    return this.targets[part];
  }

  private fold(part: number, count: number): void {
    this.counts[part] = 0;
    const { tally, touched } = this.scratch;
    const values = this.values;
    let target = this.targets[part];
    if (target === undefined) target = this.targets[part] = createLatencyHistogram();
    let distinct = 0;
    const start = part * BATCH_CAPACITY;
    for (let i = start; i < start + count; i++) {
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
