// Merging windows from many workers equals recording everything into one histogram: counts, bytes,
// outcomes and every percentile are identical (exact, not approximately equal).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OUTCOME_COUNT } from '../../../src/backends/outcome.js';
import { CellTotals } from '../../../src/stats/cell-totals.js';
import { createLatencyHistogram } from '../../../src/stats/latency-histogram.js';
import { Recorder } from '../../../src/stats/recorder.js';
import { summarizeCell } from '../../../src/stats/summary.js';

const PERCENTILES = [0, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

interface Op {
  worker: number;
  window: number;
  label: number;
  bucket: number;
  endpoint: number;
  outcome: number;
  bytes: number;
  latencyUs: number;
}

const opArbitrary = fc.record({
  worker: fc.integer({ min: 0, max: 3 }),
  window: fc.integer({ min: 0, max: 4 }),
  label: fc.integer({ min: 0, max: 2 }),
  bucket: fc.integer({ min: 0, max: 8 }),
  endpoint: fc.integer({ min: 0, max: 2 }),
  outcome: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: OUTCOME_COUNT - 1 })),
  bytes: fc.integer({ min: 0, max: 1 << 20 }),
  latencyUs: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 60_000_000 })),
});

test('windows from N workers merge exactly into what one histogram records', () => {
  fc.assert(
    fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 400 }), (ops) => {
      // Each worker records its ops window by window, as the engine does.
      const merged = new CellTotals();
      for (let worker = 0; worker < 4; worker++) {
        const recorder = new Recorder(3, 3);
        for (let window = 0; window < 5; window++) {
          for (const op of ops) {
            if (op.worker === worker && op.window === window) recorder.record(op.label, op.bucket, op.endpoint, op.outcome, op.bytes, op.latencyUs);
          }
          merged.addWindowCells(recorder.takeWindow('measure', window).cells);
        }
      }
      // The reference: everything into one histogram per cell, directly.
      for (const cell of merged.cells.values()) {
        const cellOps = ops.filter((op) => op.label === cell.label && op.bucket === cell.bucket && op.endpoint === cell.endpoint);
        const reference = createLatencyHistogram();
        for (const op of cellOps) if (op.outcome === 0) reference.recordValue(op.latencyUs);
        assert.equal(cell.ops, cellOps.length);
        assert.equal(cell.bytes, cellOps.filter((op) => op.outcome === 0).reduce((sum, op) => sum + op.bytes, 0));
        for (let outcome = 0; outcome < OUTCOME_COUNT; outcome++) {
          assert.equal(cell.outcomes[outcome], cellOps.filter((op) => op.outcome === outcome).length);
        }
        assert.equal(cell.latencyUs.totalCount, reference.totalCount);
        for (const p of PERCENTILES) assert.equal(cell.latencyUs.getValueAtPercentile(p), reference.getValueAtPercentile(p), `p${p}`);
        // After encoding, max is known to its bucket: the highest value equivalent to the true max.
        const highestEquivalent = (reference as unknown as { highestEquivalentValue(v: number): number }).highestEquivalentValue(reference.maxValue);
        assert.equal(cell.latencyUs.maxValue, highestEquivalent);
      }
      assert.equal([...merged.cells.values()].reduce((sum, cell) => sum + cell.ops, 0), ops.length);
    }),
    { numRuns: 150 },
  );
});

test('printed percentiles are exact to the histogram precision (3 significant digits), ordered, and never above the max', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 2000 }), (values) => {
      const recorder = new Recorder(1);
      for (const value of values) recorder.record(0, 0, 0, 0, 0, value);
      const totals = new CellTotals();
      totals.addWindowCells(recorder.takeWindow('measure', 0).cells);
      const sorted = [...values].sort((a, b) => a - b);
      const summary = summarizeCell(totals.combined(() => true), 1000);
      const reported: [number, number][] = [[50, summary.p50Us], [90, summary.p90Us], [99, summary.p99Us], [99.9, summary.p999Us]];
      for (const [p, value] of reported) {
        const exact = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
        assert.ok(Math.abs(value - exact) <= exact * 0.001 + 1, `p${p}: ${value} vs exact ${exact}`);
      }
      assert.equal(summary.maxUs, sorted[sorted.length - 1], 'the max is exact, not the upper edge of its bucket');
      const ordered = [...reported.map(([, value]) => value), summary.maxUs];
      for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i - 1]! <= ordered[i]!, `percentiles out of order: ${ordered.join(' > ')}`);
    }),
    { numRuns: 100 },
  );
});

test('a percentile whose histogram bucket reaches past the largest recorded value reads as that value', () => {
  // Through the real pipeline: a worker's window, encoded, decoded and merged on the main thread. 6292 µs
  // sits in a bucket 4 µs wide (3 significant digits): the merged histogram alone answers 6295 for both
  // the max and the top percentiles.
  const recorder = new Recorder(1);
  recorder.record(0, 0, 0, 0, 0, 100);
  recorder.record(0, 0, 0, 0, 0, 6292);
  const totals = new CellTotals();
  totals.addWindowCells(recorder.takeWindow('measure', 0).cells);
  const cell = totals.combined(() => true);
  assert.equal(cell.latencyUs.maxValue, 6295, 'the decoded histogram knows only the bucket');
  const summary = summarizeCell(cell, 1000);
  assert.equal(summary.maxUs, 6292);
  assert.equal(summary.p999Us, 6292);
  assert.equal(summary.p50Us, 100);
});

test('takeWindow resets: the next window holds only what came after', () => {
  const recorder = new Recorder(1);
  recorder.record(0, 1, 0, 0, 100, 50);
  const first = recorder.takeWindow('measure', 0);
  recorder.record(0, 1, 0, 0, 7, 900);
  const second = recorder.takeWindow('measure', 1);
  assert.equal(first.cells[0]!.ops, 1);
  assert.equal(second.cells.length, 1);
  assert.equal(second.cells[0]!.bytes, 7);
  assert.deepEqual(recorder.takeWindow('measure', 2).cells, []);
});
