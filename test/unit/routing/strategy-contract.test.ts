// What every strategy promises the pool, checked on random health, exclusions, in-flight counts and
// weights: the endpoint returned is available and not excluded; -1 only when nothing is; an excluded
// endpoint is never asked about; and health answers true at most once per pick, for the endpoint returned
// (CircuitBreaker.isAvailable hands out a half-open trial slot with a true answer: a strategy that asked
// several endpoints and then picked another would waste the trial and keep an endpoint out for another
// cooldown).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ExclusionSet } from '../../../src/routing/exclusions.js';
import { hashKey } from '../../../src/routing/hash.js';
import { STRATEGIES, createStrategy, type EndpointView } from '../../../src/routing/strategy.js';
import { strategyOptions } from './fake-view.js';

class AuditedView implements EndpointView {
  readonly count: number;
  readonly inFlight: Int32Array;
  readonly weights: Float64Array;
  up: boolean[] = [];
  excluded: ExclusionSet;
  trueAnswers: number[] = [];

  constructor(count: number, weights: number[]) {
    this.count = count;
    this.inFlight = new Int32Array(count);
    this.weights = Float64Array.from(weights);
    this.excluded = new ExclusionSet(count);
  }

  isAvailable(endpoint: number): boolean {
    assert.ok(endpoint >= 0 && endpoint < this.count, `asked about endpoint ${endpoint}`);
    assert.ok(!this.excluded.has(endpoint), `asked about excluded endpoint ${endpoint}`);
    if (this.up[endpoint]) this.trueAnswers.push(endpoint);
    return this.up[endpoint];
  }
}

const scenario = fc.integer({ min: 1, max: 8 }).chain((count) =>
  fc.record({
    count: fc.constant(count),
    weights: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: count, maxLength: count }),
    rounds: fc.array(
      fc.record({
        up: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
        excluded: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
        inFlight: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: count, maxLength: count }),
        key: fc.string(),
      }),
      { minLength: 1, maxLength: 30 },
    ),
  }),
);

for (const name of STRATEGIES) {
  test(`${name} keeps the strategy contract`, () => {
    fc.assert(
      fc.property(scenario, ({ count, weights, rounds }) => {
        const strategy = createStrategy(name, strategyOptions(count, { weights }));
        const view = new AuditedView(count, weights);
        for (const round of rounds) {
          view.up = round.up;
          view.inFlight.set(round.inFlight);
          view.excluded.begin();
          round.excluded.forEach((isExcluded, e) => isExcluded && view.excluded.add(e));
          view.trueAnswers = [];
          const picked = strategy.pick(hashKey(round.key), view, view.excluded);
          const candidates = round.up.filter((up, e) => up && !round.excluded[e]).length;
          if (picked === -1) {
            assert.equal(candidates, 0, 'returned -1 with a candidate left');
            assert.deepEqual(view.trueAnswers, []);
          } else {
            assert.ok(round.up[picked] && !round.excluded[picked], `picked ${picked}`);
            assert.deepEqual(view.trueAnswers, [picked], 'health said yes to another endpoint than the one returned');
          }
        }
      }),
    );
  });
}

test('createStrategy rejects options that do not describe the endpoints', () => {
  assert.throws(() => createStrategy('round_robin', strategyOptions(0)), RangeError);
  assert.throws(() => createStrategy('weighted', strategyOptions(2, { weights: [1] })), RangeError);
  assert.throws(() => createStrategy('weighted', strategyOptions(2, { weights: [1, 0] })), RangeError);
  assert.throws(() => createStrategy('consistent_hash', strategyOptions(2, { endpointIds: ['a', 'a'] })), RangeError);
  assert.throws(() => createStrategy('consistent_hash', strategyOptions(2, { vnodes: 0 })), RangeError);
  assert.throws(() => createStrategy('nope' as 'first', strategyOptions(2)), RangeError);
});
