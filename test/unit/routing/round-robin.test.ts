import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { FakeView, strategyOptions, tally } from './fake-view.js';

test('round_robin gives each of N endpoints exactly 1/N of the picks over any multiple of N', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 50 }), (count, cycles) => {
      const strategy = createStrategy('round_robin', strategyOptions(count));
      const view = new FakeView(count);
      const picks: number[] = [];
      for (let i = 0; i < count * cycles; i++) picks.push(strategy.pick(0, view, NO_EXCLUSIONS));
      assert.deepEqual(tally(picks, count), [...new Array<number>(count).fill(cycles), 0]);
    }),
  );
});

test('round_robin skips an unavailable endpoint, and the next one does not get its share', () => {
  const strategy = createStrategy('round_robin', strategyOptions(3));
  const view = new FakeView(3).setDown(1);
  const picks = Array.from({ length: 8 }, () => strategy.pick(0, view, NO_EXCLUSIONS));
  assert.deepEqual(picks, [0, 2, 0, 2, 0, 2, 0, 2]);
  view.up[1] = 1;
  assert.deepEqual(
    Array.from({ length: 3 }, () => strategy.pick(0, view, NO_EXCLUSIONS)),
    [0, 1, 2],
  );
});

test('round_robin skips excluded endpoints and returns -1 when all are excluded or unavailable', () => {
  const strategy = createStrategy('round_robin', strategyOptions(4));
  const view = new FakeView(4);
  const tried = new ExclusionSet(4);
  tried.begin();
  tried.add(0);
  tried.add(1);
  assert.equal(strategy.pick(0, view, tried), 2);
  assert.equal(strategy.pick(0, view, tried), 3);
  assert.equal(strategy.pick(0, view, tried), 2);
  tried.add(2);
  tried.add(3);
  assert.equal(strategy.pick(0, view, tried), -1);
  assert.equal(strategy.pick(0, new FakeView(4).setDown(0, 1, 2, 3), NO_EXCLUSIONS), -1);
});

test('round_robin asks health once per pick when every endpoint is healthy', () => {
  const strategy = createStrategy('round_robin', strategyOptions(5));
  const view = new FakeView(5);
  view.recordCalls = true;
  for (let i = 0; i < 10; i++) strategy.pick(0, view, NO_EXCLUSIONS);
  assert.deepEqual(view.calls, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
});
