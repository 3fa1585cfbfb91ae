import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { FakeView, strategyOptions, tally } from './fake-view.js';

const PICKS = 100_000;

// Binomial standard deviation of a share p over 100k picks is at most 0.16%; 1% is > 6 sigma.
function assertShares(counts: number[], expected: number[]): void {
  for (let e = 0; e < expected.length; e++) {
    assert.ok(Math.abs(counts[e] / PICKS - expected[e]) < 0.01, `endpoint ${e}: ${counts[e] / PICKS} vs ${expected[e]}`);
  }
}

test('random is uniform over the endpoints', () => {
  const strategy = createStrategy('random', strategyOptions(5));
  const view = new FakeView(5);
  const counts = tally(Array.from({ length: PICKS }, () => strategy.pick(0, view, NO_EXCLUSIONS)), 5);
  assertShares(counts, [0.2, 0.2, 0.2, 0.2, 0.2]);
});

test('random stays uniform over the available ones (the endpoint after a dead one gets no extra share)', () => {
  const strategy = createStrategy('random', strategyOptions(5));
  const view = new FakeView(5).setDown(1, 2);
  const counts = tally(Array.from({ length: PICKS }, () => strategy.pick(0, view, NO_EXCLUSIONS)), 5);
  assertShares(counts, [1 / 3, 0, 0, 1 / 3, 1 / 3]);
  assert.equal(counts[5], 0);
});

test('random returns -1 when nothing is left, and never an excluded endpoint', () => {
  const strategy = createStrategy('random', strategyOptions(3));
  const tried = new ExclusionSet(3);
  tried.begin();
  tried.add(0);
  tried.add(2);
  for (let i = 0; i < 100; i++) assert.equal(strategy.pick(0, new FakeView(3), tried), 1);
  tried.add(1);
  assert.equal(strategy.pick(0, new FakeView(3), tried), -1);
  assert.equal(strategy.pick(0, new FakeView(3).setDown(0, 1, 2), NO_EXCLUSIONS), -1);
});
