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
