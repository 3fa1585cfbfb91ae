// pick() runs once per operation attempt in every worker: it must allocate nothing. Garbage would show
// as scavenges (young-generation GCs): 3M picks that allocated even one 16-byte object each would make
// 48 MB of garbage, several scavenges with V8's 16 MB semi-spaces. We count GCs during the loop.

import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CircuitBreaker, createBreakerState } from '../../../src/routing/circuit-breaker.js';
import { ExclusionSet } from '../../../src/routing/exclusions.js';
import { hashKey } from '../../../src/routing/hash.js';
import { STRATEGIES, createStrategy, type EndpointView } from '../../../src/routing/strategy.js';
import { strategyOptions } from './fake-view.js';

const COUNT = 8;
const PICKS = 3_000_000;
const KEYS = Int32Array.from({ length: 4096 }, (_, i) => hashKey(`obj-${i}`));

/** The shape the pool will have: health from the shared breaker, time set once per operation. */
class BreakerView implements EndpointView {
  readonly count = COUNT;
  readonly inFlight = new Int32Array(COUNT);
  readonly weights = Float64Array.from([1, 2, 3, 4, 1, 2, 3, 4]);
  nowMs = 0;
  constructor(private readonly breaker: CircuitBreaker) {}
  isAvailable(endpoint: number): boolean {
    return this.breaker.isAvailable(endpoint, this.nowMs);
  }
}

async function gcsDuring(run: () => void): Promise<number> {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  run();
  await sleep(50); // entries are delivered asynchronously
  observer.disconnect();
  return gcs;
}

for (const name of STRATEGIES) {
  test(`${name}.pick allocates nothing (healthy, one endpoint ejected, with exclusions)`, async () => {
    const breaker = new CircuitBreaker(createBreakerState(COUNT), COUNT, { ejectAfterErrors: 1, cooldownMs: 1_000_000 });
    breaker.onFailure(5, 0); // one endpoint ejected for the whole test: the skip paths run too
    const view = new BreakerView(breaker);
    const strategy = createStrategy(name, strategyOptions(COUNT, { weights: [...view.weights] }));
    const tried = new ExclusionSet(COUNT);
    const counts = new Int32Array(COUNT + 1);
    const loop = (picks: number): void => {
      for (let i = 0; i < picks; i++) {
        view.nowMs = i >>> 10;
        tried.begin();
        if ((i & 7) === 0) tried.add(i & 3);
        const e = strategy.pick(KEYS[i & 4095], view, tried);
        counts[e === -1 ? COUNT : e]++;
        if (e !== -1) view.inFlight[e] = (view.inFlight[e] + 1) & 3;
      }
    };
    loop(200_000); // warm up: let the optimizing compiler settle first
    const gcs = await gcsDuring(() => loop(PICKS));
    assert.equal(counts[5], 0, 'the ejected endpoint got picks');
    assert.equal(counts[COUNT], 0);
    assert.ok(gcs <= 1, `${gcs} garbage collections during ${PICKS} picks`);
  });
}
