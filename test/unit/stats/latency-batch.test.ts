// Batched latency recording must leave exactly what recording every value directly would: the same
// counts, total, min and max, whether a batch folds because it is full, because it is read, or both, and
// whatever mix of tallied (small integer) and direct (large or fractional) values it holds. A value lost
// or counted twice at a fold, a read or a window take changes the encoding or the total.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BATCH_CAPACITY, FoldScratch, LatencyBatch, TALLY_LIMIT } from '../../../src/stats/latency-batch.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, type LatencyHistogram } from '../../../src/stats/latency-histogram.js';
import { Recorder } from '../../../src/stats/recorder.js';

/** Latencies as the engine records them (integer µs ≥ 1), with the edges of the tallied range. */
const latencyUs = fc.oneof(
  fc.integer({ min: 1, max: 40 }),
  fc.integer({ min: 1, max: TALLY_LIMIT + 10 }),
  fc.constantFrom(1, TALLY_LIMIT - 1, TALLY_LIMIT, TALLY_LIMIT + 1),
  fc.integer({ min: 1, max: 60_000_000 }),
);

function assertSameHistogram(actual: LatencyHistogram, expected: LatencyHistogram, context: string): void {
  assert.equal(actual.totalCount, expected.totalCount, `${context}: total`);
  assert.equal(actual.minNonZeroValue, expected.minNonZeroValue, `${context}: min`);
  assert.equal(actual.maxValue, expected.maxValue, `${context}: max`);
  assert.equal(encodeHistogram(actual), encodeHistogram(expected), `${context}: counts`);
}

/** hdr-histogram-js has it, its typings do not. */
function countAt(histogram: LatencyHistogram, valueUs: number): number {
  return (histogram as unknown as { getCountAtValue(value: number): number }).getCountAtValue(valueUs);
}

/** A part's histogram; one that never got a value reads as empty. */
function read(batch: LatencyBatch, part = 0): LatencyHistogram {
  return batch.histogram(part) ?? createLatencyHistogram();
}

function direct(values: readonly number[]): LatencyHistogram {
  const histogram = createLatencyHistogram();
  for (const value of values) histogram.recordValue(value);
  return histogram;
}

test('a batch read at any points holds exactly what direct recording holds', () => {
  fc.assert(
    fc.property(
      // Long enough to fold several times on a full batch between reads.
      fc.array(latencyUs, { minLength: 0, maxLength: 4 * BATCH_CAPACITY }),
      fc.array(fc.integer({ min: 0, max: 4 * BATCH_CAPACITY }), { maxLength: 6 }),
      (values, readPoints) => {
        const batch = new LatencyBatch(new FoldScratch());
        const reads = new Set(readPoints);
        for (let i = 0; i < values.length; i++) {
          if (reads.has(i)) assertSameHistogram(read(batch), direct(values.slice(0, i)), `read before value ${i}`);
          batch.add(values[i]!);
        }
        assertSameHistogram(read(batch), direct(values), 'final read');
        // Reading folds nothing twice.
        assertSameHistogram(read(batch), direct(values), 'second read');
      },
    ),
    { numRuns: 200 },
  );
});

test('full batches: exactly BATCH_CAPACITY, one more, and several, of one repeated value', () => {
  for (const count of [BATCH_CAPACITY - 1, BATCH_CAPACITY, BATCH_CAPACITY + 1, 3 * BATCH_CAPACITY, 3 * BATCH_CAPACITY + 7]) {
    const batch = new LatencyBatch(new FoldScratch());
    for (let i = 0; i < count; i++) batch.add(3);
    const histogram = read(batch);
    assert.equal(histogram.totalCount, count, `${count} values`);
    assert.equal(countAt(histogram, 3), count, `${count} values`);
  }
});

test('batches sharing one fold scratch do not leak counts into each other', () => {
  const scratch = new FoldScratch();
  const a = new LatencyBatch(scratch);
  const b = new LatencyBatch(scratch);
  for (let i = 0; i < 2 * BATCH_CAPACITY + 5; i++) {
    a.add(7);
    b.add(i % 2 === 0 ? 7 : 9);
  }
  assert.equal(countAt(read(a), 7), 2 * BATCH_CAPACITY + 5);
  assert.equal(countAt(read(a), 9), 0);
  assert.equal(countAt(read(b), 7), BATCH_CAPACITY + 3);
  assert.equal(countAt(read(b), 9), BATCH_CAPACITY + 2);
});

test('recorder windows: every latency lands in the window it was recorded in, across full batches', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ cell: fc.integer({ min: 0, max: 2 }), latencyUs }), { minLength: 1, maxLength: 3 * BATCH_CAPACITY }),
      fc.array(fc.integer({ min: 1, max: 3 * BATCH_CAPACITY }), { maxLength: 5 }),
      (ops, boundaries) => {
        // One label, cells told apart by endpoint; a window is taken before each boundary index.
        const recorder = new Recorder(1, 3);
        const takes = [...new Set(boundaries)].filter((b) => b < ops.length).sort((x, y) => x - y);
        let start = 0;
        let windowCount = 0;
        for (const end of [...takes, ops.length]) {
          for (let i = start; i < end; i++) recorder.record(0, 0, ops[i]!.cell, 0, 0, ops[i]!.latencyUs);
          const window = recorder.takeWindow('measure', windowCount++);
          for (let endpoint = 0; endpoint < 3; endpoint++) {
            const expected = ops.slice(start, end).filter((op) => op.cell === endpoint).map((op) => op.latencyUs);
            const cell = window.cells.find((c) => c.endpoint === endpoint);
            if (expected.length === 0) {
              assert.equal(cell, undefined);
              continue;
            }
            const context = `window ${windowCount - 1}, endpoint ${endpoint}`;
            assert.equal(cell!.ops, expected.length, context);
            // The window's histogram is a reused one (reset in place), so compare contents, not encodings.
            const histogram = decodeHistogram(cell!.latencyUs!);
            const reference = direct(expected);
            assert.equal(histogram.totalCount, expected.length, context);
            for (const value of new Set(expected)) assert.equal(countAt(histogram, value), countAt(reference, value), `${context}: ${value} µs`);
          }
          start = end;
        }
      },
    ),
    { numRuns: 100 },
  );
});

test('parts of one batch: each histogram holds exactly its own values, whatever the interleaving', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((parts) =>
        fc.record({
          parts: fc.constant(parts),
          values: fc.array(fc.record({ part: fc.integer({ min: 0, max: parts - 1 }), latencyUs }), { maxLength: 3 * BATCH_CAPACITY }),
          readPoints: fc.array(fc.integer({ min: 0, max: 3 * BATCH_CAPACITY }), { maxLength: 4 }),
        }),
      ),
      ({ parts, values, readPoints }) => {
        const batch = new LatencyBatch(new FoldScratch(), parts);
        const reads = new Set(readPoints);
        const check = (upTo: number, context: string): void => {
          for (let part = 0; part < parts; part++) {
            const own = values.slice(0, upTo).filter((v) => v.part === part).map((v) => v.latencyUs);
            const histogram = batch.histogram(part);
            if (histogram === undefined) assert.equal(own.length, 0, `${context}, part ${part}: values but no histogram`);
            else assertSameHistogram(histogram, direct(own), `${context}, part ${part}`);
          }
        };
        for (let i = 0; i < values.length; i++) {
          if (reads.has(i)) check(i, `read before value ${i}`);
          batch.add(values[i]!.latencyUs, values[i]!.part);
        }
        check(values.length, 'final read');
      },
    ),
    { numRuns: 200 },
  );
});
