import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { FakeView, strategyOptions, tally } from './fake-view.js';

test('least_connections prefers the endpoint with the fewest operations in flight', () => {
  const strategy = createStrategy('least_connections', strategyOptions(4));
  const view = new FakeView(4);
  view.inFlight.set([5, 2, 7, 3]);
  for (let i = 0; i < 5; i++) assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 1);
  view.inFlight.set([5, 2, 7, 1]);
  assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 3);
});

test('least_connections shares picks equally between endpoints with equal counts', () => {
  const strategy = createStrategy('least_connections', strategyOptions(4));
  const view = new FakeView(4);
  const picks = Array.from({ length: 4000 }, () => strategy.pick(0, view, NO_EXCLUSIONS));
  assert.deepEqual(tally(picks, 4), [1000, 1000, 1000, 1000, 0]);
  // Ties among a subset rotate within it.
  view.inFlight.set([3, 1, 3, 1]);
  const tied = Array.from({ length: 6 }, () => strategy.pick(0, view, NO_EXCLUSIONS));
  assert.deepEqual(tally(tied, 4), [0, 3, 0, 3, 0]);
});

test('least_connections sends fewer operations to a slow endpoint (simulated, 16 in flight)', () => {
  const count = 4;
  const strategy = createStrategy('least_connections', strategyOptions(count));
  const view = new FakeView(count);
  const serviceTicks = [1, 1, 10, 1]; // endpoint 2 is ten times slower
  const finishes: { endpoint: number; at: number }[] = [];
  const picks = new Array<number>(count).fill(0);
  for (let tick = 0; tick < 2000; tick++) {
    for (let i = finishes.length - 1; i >= 0; i--) {
      if (finishes[i].at <= tick) {
        view.inFlight[finishes[i].endpoint]--;
        finishes.splice(i, 1);
      }
    }
    while (finishes.length < 16) {
      const e = strategy.pick(0, view, NO_EXCLUSIONS);
      view.inFlight[e]++;
      picks[e]++;
      finishes.push({ endpoint: e, at: tick + serviceTicks[e] });
    }
  }
  const fastAverage = (picks[0] + picks[1] + picks[3]) / 3;
  assert.ok(picks[2] < fastAverage / 5, `slow endpoint got ${picks[2]} ops, fast ones ${fastAverage} on average`);
});

test('least_connections skips unavailable and excluded endpoints, asking health only of the one it returns', () => {
  const strategy = createStrategy('least_connections', strategyOptions(4));
  const view = new FakeView(4).setDown(1);
  view.inFlight.set([5, 0, 7, 2]);
  view.recordCalls = true;
  assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 3);
  assert.deepEqual(view.calls, [1, 3]);
  const tried = new ExclusionSet(4);
  tried.begin();
  tried.add(3);
  assert.equal(strategy.pick(0, view, tried), 0);
  tried.add(0);
  tried.add(2);
  assert.equal(strategy.pick(0, view, tried), -1);
});

test('least_connections: the first endpoint from the rotating start among those with the fewest in flight (idle ones end the scan early)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }).chain((count) =>
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: count, maxLength: count }), { minLength: 1, maxLength: 40 }),
      ),
      (rounds) => {
        const count = rounds[0]!.length;
        const strategy = createStrategy('least_connections', strategyOptions(count));
        const view = new FakeView(count);
        let start = 0;
        for (const inFlight of rounds) {
          view.inFlight.set(inFlight);
          // Reference: scan every endpoint from `start`, keep the first with the fewest.
          let expected = start;
          for (let k = 1; k < count; k++) {
            const e = (start + k) % count;
            if (inFlight[e]! < inFlight[expected]!) expected = e;
          }
          assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), expected, `in flight ${inFlight}, start ${start}`);
          start = (expected + 1) % count;
        }
      },
    ),
  );
});
