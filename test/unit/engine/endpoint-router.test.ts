// White-box tests of the router's hot-path shortcuts (issue 4): each one skips work only when the skipped
// work would change nothing. A success skips the breaker only when no failure is counted; in-flight counts
// are kept whenever a strategy or a max_in_flight limit reads them; consistent_hash's per-key owner cache
// routes exactly as the ring does, including around an ejected owner.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { IoSlot } from '../../../src/backends/object-store.js';
import { OUTCOME } from '../../../src/backends/outcome.js';
import { parseWorkloadText } from '../../../src/config/load.js';
import { createStore } from '../../../src/engine/create-store.js';
import { EndpointRouter, KIND_GET, PoolOp, createPoolStrategy } from '../../../src/engine/endpoint-router.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';
import { CircuitBreaker, createBreakerState, type BreakerEvent } from '../../../src/routing/circuit-breaker.js';
import type { ConsistentHashStrategy } from '../../../src/routing/consistent-hash.js';
import { hashKey } from '../../../src/routing/hash.js';
import { Recorder } from '../../../src/stats/recorder.js';
import { DataPattern } from '../../../src/workload/data-pattern.js';
import { Rng } from '../../../src/workload/rng.js';

const ENDPOINTS = ['null://a', 'null://b', 'null://c', 'null://d'];

async function createRouter(multiEndpoint: Record<string, unknown>) {
  const config = parseWorkloadText(
    stringify({ target: 'null://', threads: 1, concurrency: 4, ops: 1, prepare: { objects: 10 }, multi_endpoint: { endpoints: ENDPOINTS, ...multiEndpoint }, workload: [{ op: 'get', weight: 1 }] }),
    'router.yaml',
  );
  const plan = compilePlan(config, { env: {}, cores: 1 });
  const stores = await Promise.all(plan.endpoints.map((_, index) => createStore(plan, index, undefined, 4)));
  const breakerState = createBreakerState(plan.endpoints.length);
  const events: BreakerEvent[] = [];
  const router = new EndpointRouter({
    plan,
    stores,
    recorder: new Recorder(plan.opLabels.length, plan.endpoints.length),
    rng: new Rng(1),
    breakerState,
    epochMs: performance.timeOrigin,
    workerCount: 1,
    onEvent: (event) => events.push(event),
  });
  const breaker = new CircuitBreaker(breakerState, plan.endpoints.length, { ejectAfterErrors: 1, cooldownMs: 60_000 });
  const endpointIndex = (url: string): number => plan.endpoints.findIndex((e) => e.id === url || e.id.startsWith(url));
  return { plan, router, breaker, events, endpointIndex };
}

/** Built once: a pattern fills a block of pseudo-random bytes. */
const PATTERN = new DataPattern(1);

function newSlot(key = 'obj-1') {
  const slot = new IoSlot(PATTERN);
  slot.key = key;
  return slot;
}

/** One attempt, start to end, with `outcome`; the endpoint it went to (or -1 when none was picked). */
function attempt(router: EndpointRouter, outcome: number, key = 'obj-1', keyId = -1): number {
  const op = new PoolOp(router.count);
  const slot = newSlot(key);
  const endpoint = router.beginOp(op, KIND_GET, slot, performance.now(), keyId);
  if (endpoint < 0) return -1;
  slot.outcome = outcome;
  router.afterAttempt(op, slot, performance.now());
  return endpoint;
}

test('a success between failures resets the consecutive count: the breaker is skipped only when nothing is counted', async () => {
  const { router, breaker, events } = await createRouter({ strategy: 'first', failover: false, health: { eject_after_errors: 3 } });
  const first = attempt(router, OUTCOME.http_5xx);
  attempt(router, OUTCOME.http_5xx);
  attempt(router, OUTCOME.ok); // must reach the breaker: two failures are counted
  attempt(router, OUTCOME.http_5xx);
  attempt(router, OUTCOME.http_5xx);
  assert.equal(breaker.state(first), 'closed', 'a success in between must have reset the count');
  assert.equal(events.length, 0);
  attempt(router, OUTCOME.http_5xx);
  assert.equal(breaker.state(first), 'open');
  assert.deepEqual(events.map((e) => [e.kind, e.endpoint]), [['eject', first]]);
});

test('in-flight counts: kept for least_connections and for max_in_flight, skipped for round_robin', async () => {
  const begin = (router: EndpointRouter): number => router.beginOp(new PoolOp(router.count), KIND_GET, newSlot(), performance.now(), -1);
  const sum = (counts: Int32Array): number => counts.reduce((a, b) => a + b, 0);

  const leastConnections = (await createRouter({ strategy: 'least_connections' })).router;
  for (let i = 0; i < 6; i++) begin(leastConnections);
  assert.deepEqual([...leastConnections.inFlight], [2, 2, 1, 1]);

  const roundRobin = (await createRouter({ strategy: 'round_robin' })).router;
  for (let i = 0; i < 6; i++) assert.notEqual(begin(roundRobin), -1);
  assert.equal(sum(roundRobin.inFlight), 0, 'nothing reads them');

  // One operation per endpoint at a time: the fifth has nowhere to go.
  const limited = (await createRouter({ strategy: 'round_robin', endpoints: ENDPOINTS.map((url) => ({ url, max_in_flight: 1 })) })).router;
  for (let i = 0; i < 4; i++) assert.notEqual(begin(limited), -1);
  assert.equal(sum(limited.inFlight), 4);
  const slot = newSlot();
  assert.equal(limited.beginOp(new PoolOp(limited.count), KIND_GET, slot, performance.now(), -1), -1);
  assert.equal(slot.outcome, OUTCOME.no_endpoint_available);
});

test('consistent_hash: the cached owner is the ring owner; an ejected owner is walked around (shared) or fails the op (independent)', async () => {
  for (const namespace of ['shared', 'independent'] as const) {
    const { plan, router, breaker } = await createRouter({ strategy: 'consistent_hash', namespace });
    const ring = createPoolStrategy(plan, new Rng(1)) as ConsistentHashStrategy;
    const pool = plan.routing!.poolEndpoints;
    const ownerOf = (key: string): number => pool[ring.owner(hashKey(key))]!;
    for (let id = 0; id < 200; id++) {
      // Twice: the second lookup comes from the cache.
      assert.equal(attempt(router, OUTCOME.ok, `obj-${id}`, id), ownerOf(`obj-${id}`), `${namespace} obj-${id}`);
      assert.equal(attempt(router, OUTCOME.ok, `obj-${id}`, id), ownerOf(`obj-${id}`), `${namespace} obj-${id} again`);
    }
    const ejected = ownerOf('obj-7');
    breaker.onFailure(ejected, Math.floor(performance.now())); // now, on the router's clock: no trial due for its cooldown
    const op = new PoolOp(router.count);
    const slot = newSlot('obj-7');
    const endpoint = router.beginOp(op, KIND_GET, slot, performance.now(), 7);
    if (namespace === 'independent') {
      assert.equal(endpoint, -1);
      assert.equal(slot.outcome, OUTCOME.owner_down);
      assert.equal(op.endpoint, ejected, 'counted on the owner');
    } else {
      assert.notEqual(endpoint, ejected);
      assert.equal(endpoint, pool[ring.pick(hashKey('obj-7'), { count: pool.length, inFlight: new Int32Array(pool.length), weights: new Float64Array(pool.length).fill(1), isAvailable: (e) => pool[e] !== ejected }, { has: () => false, size: 0 })]);
    }
  }
});
