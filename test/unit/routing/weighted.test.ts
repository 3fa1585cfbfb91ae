import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { FakeView, strategyOptions, tally } from './fake-view.js';

const weightLists = fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 });

test('weighted: shares follow integer weights within 1% over 10k picks', () => {
  fc.assert(
    fc.property(weightLists, (weights) => {
      const strategy = createStrategy('weighted', strategyOptions(weights.length, { weights }));
      const view = new FakeView(weights.length, weights);
      const picks = Array.from({ length: 10_000 }, () => strategy.pick(0, view, NO_EXCLUSIONS));
      const counts = tally(picks, weights.length);
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, e) => {
        assert.ok(Math.abs(counts[e] / 10_000 - w / total) < 0.01, `weights ${weights}: endpoint ${e} got ${counts[e]}`);
      });
    }),
  );
});

test('weighted: over whole cycles of Σweights picks, each endpoint gets exactly its weight', () => {
  fc.assert(
    fc.property(weightLists, fc.integer({ min: 1, max: 5 }), (weights, cycles) => {
      const strategy = createStrategy('weighted', strategyOptions(weights.length, { weights }));
      const view = new FakeView(weights.length, weights);
      const total = weights.reduce((a, b) => a + b, 0);
      const picks = Array.from({ length: total * cycles }, () => strategy.pick(0, view, NO_EXCLUSIONS));
      assert.deepEqual(tally(picks, weights.length), [...weights.map((w) => w * cycles), 0]);
    }),
  );
});

test('weighted: 5,1,1 gives nginx smooth sequence a a b a c a a', () => {
  const strategy = createStrategy('weighted', strategyOptions(3, { weights: [5, 1, 1] }));
  const view = new FakeView(3, [5, 1, 1]);
  const picks = Array.from({ length: 14 }, () => 'abc'[strategy.pick(0, view, NO_EXCLUSIONS)]).join(' ');
  assert.equal(picks, 'a a b a c a a a a b a c a a');
});

test('weighted: an unavailable endpoint gets nothing and the others keep their relative weights', () => {
  const weights = [3, 2, 1, 4];
  const strategy = createStrategy('weighted', strategyOptions(4, { weights }));
  const view = new FakeView(4, weights).setDown(3);
  const counts = tally(Array.from({ length: 6000 }, () => strategy.pick(0, view, NO_EXCLUSIONS)), 4);
  assert.equal(counts[3], 0);
  // Exact up to the start-up transient (the down endpoint climbs to the top of `current` once).
  assert.ok(Math.abs(counts[0] - 3000) <= 4 && Math.abs(counts[1] - 2000) <= 4 && Math.abs(counts[2] - 1000) <= 4, `${counts}`);
});

test('weighted: follows weights changed at run time in the view', () => {
  const strategy = createStrategy('weighted', strategyOptions(2));
  const view = new FakeView(2, [1, 1]);
  for (let i = 0; i < 10; i++) strategy.pick(0, view, NO_EXCLUSIONS);
  view.weights.set([1, 3]);
  const counts = tally(Array.from({ length: 4000 }, () => strategy.pick(0, view, NO_EXCLUSIONS)), 2);
  assert.ok(Math.abs(counts[1] - 3000) <= 4, `${counts}`);
});

test('weighted: excluded endpoints are skipped; -1 when none is left', () => {
  const strategy = createStrategy('weighted', strategyOptions(3, { weights: [5, 1, 1] }));
  const view = new FakeView(3, [5, 1, 1]);
  const tried = new ExclusionSet(3);
  tried.begin();
  tried.add(0);
  for (let i = 0; i < 6; i++) assert.notEqual(strategy.pick(0, view, tried), 0);
  tried.add(1);
  tried.add(2);
  assert.equal(strategy.pick(0, view, tried), -1);
});

/** nginx's smooth weighted round-robin written plainly: the reference for the strategy's faster paths. */
class ReferenceWeighted {
  private readonly current: number[];
  constructor(count: number) {
    this.current = new Array<number>(count).fill(0);
  }
  pick(weights: readonly number[], up: readonly boolean[], excluded: readonly boolean[]): number {
    const ruledOut = new Set<number>();
    for (;;) {
      const eligible = weights.map((_, e) => e).filter((e) => !excluded[e] && !ruledOut.has(e));
      if (eligible.length === 0) return -1;
      let best = eligible[0]!;
      let total = 0;
      for (const e of eligible) {
        this.current[e]! += weights[e]!;
        total += weights[e]!;
        if (this.current[e]! > this.current[best]!) best = e;
      }
      if (up[best]) {
        this.current[best]! -= total;
        return best;
      }
      for (const e of eligible) this.current[e]! -= weights[e]!;
      ruledOut.add(best);
    }
  }
}

test('weighted: the precomputed healthy cycle gives exactly the full algorithm, through ejections and retries', () => {
  const step = fc.record({
    // Mostly healthy stretches (picks from the cycle), with ejections and retries in between.
    down: fc.oneof(fc.constant(-1), fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 7 })),
    excluded: fc.oneof(fc.constant(-1), fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 7 })),
    picks: fc.integer({ min: 1, max: 40 }),
  });
  fc.assert(
    fc.property(weightLists, fc.array(step, { minLength: 1, maxLength: 20 }), (weights, steps) => {
      const count = weights.length;
      const strategy = createStrategy('weighted', strategyOptions(count, { weights }));
      const view = new FakeView(count, weights);
      const reference = new ReferenceWeighted(count);
      const tried = new ExclusionSet(count);
      for (const { down, excluded, picks } of steps) {
        view.up.fill(1);
        if (down >= 0 && down < count) view.up[down] = 0;
        tried.begin();
        if (excluded >= 0 && excluded < count) tried.add(excluded);
        const up = [...view.up].map((u) => u === 1);
        const isExcluded = Array.from({ length: count }, (_, e) => tried.has(e));
        for (let i = 0; i < picks; i++) {
          assert.equal(strategy.pick(0, view, tried), reference.pick(weights, up, isExcluded), `weights ${weights}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('weighted: weights changed at run time take effect within one cycle of Σweights picks', () => {
  const strategy = createStrategy('weighted', strategyOptions(3, { weights: [2, 1, 1] }));
  const view = new FakeView(3, [2, 1, 1]);
  for (let i = 0; i < 5; i++) strategy.pick(0, view, NO_EXCLUSIONS); // mid-cycle
  view.weights.set([1, 1, 6]);
  for (let i = 0; i < 3; i++) strategy.pick(0, view, NO_EXCLUSIONS); // the rest of the old cycle
  // From the cycle start on, exactly the new weights: over each cycle of 8 picks, 1, 1 and 6.
  const counts = tally(Array.from({ length: 8 * 10 }, () => strategy.pick(0, view, NO_EXCLUSIONS)), 3);
  assert.deepEqual(counts, [10, 10, 60, 0]);
});
