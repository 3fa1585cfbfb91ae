import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CircuitBreaker, createBreakerState, type BreakerEvent } from '../../../src/routing/circuit-breaker.js';
import type { HammerInput, HammerOutput } from './breaker-hammer.js';

const OPTIONS = { ejectAfterErrors: 5, cooldownMs: 1000 };

function breakers(endpointCount: number, instances = 1, options = OPTIONS): CircuitBreaker[] {
  const shared = createBreakerState(endpointCount);
  return Array.from({ length: instances }, () => new CircuitBreaker(shared, endpointCount, options));
}

function eject(breaker: CircuitBreaker, endpoint: number, atMs: number): void {
  for (let i = 0; i < OPTIONS.ejectAfterErrors; i++) breaker.onFailure(endpoint, atMs);
  assert.equal(breaker.state(endpoint), 'open');
}

test('ejects exactly at the threshold of consecutive failures, with one eject event', () => {
  const [breaker] = breakers(2);
  const events: (BreakerEvent | null)[] = [];
  for (let i = 0; i < 4; i++) events.push(breaker.onFailure(1, 100 + i));
  assert.deepEqual(events, [null, null, null, null]);
  assert.equal(breaker.state(1), 'closed');
  assert.equal(breaker.isAvailable(1, 104), true);
  assert.deepEqual(breaker.onFailure(1, 105), { kind: 'eject', endpoint: 1, atMs: 105 });
  assert.equal(breaker.state(1), 'open');
  assert.equal(breaker.onFailure(1, 106), null);
  assert.equal(breaker.isAvailable(1, 106), false);
  assert.equal(breaker.isAvailable(1, 105 + 999), false);
  assert.equal(breaker.state(0), 'closed', 'other endpoints are not affected');
  assert.equal(breaker.isAvailable(0, 106), true);
});

test('a success resets the count: failures must be consecutive', () => {
  const [breaker] = breakers(1);
  for (let i = 0; i < 4; i++) breaker.onFailure(0, 1);
  assert.equal(breaker.onSuccess(0, 2), null);
  for (let i = 0; i < 4; i++) assert.equal(breaker.onFailure(0, 3), null);
  assert.equal(breaker.state(0), 'closed');
  assert.equal(breaker.onFailure(0, 4)?.kind, 'eject');
});

test('two instances on one SharedArrayBuffer count failures together and report one eject', () => {
  const [a, b] = breakers(1, 2);
  const events: (BreakerEvent | null)[] = [];
  for (let i = 0; i < 8; i++) events.push((i % 2 === 0 ? a : b).onFailure(0, 10));
  assert.deepEqual(events.filter((e) => e !== null), [{ kind: 'eject', endpoint: 0, atMs: 10 }]);
  assert.equal(events[4]?.kind, 'eject', 'the fifth failure overall ejects');
  assert.equal(b.state(0), 'open');
  assert.equal(a.isAvailable(0, 11), false);
});

test('half-open lets exactly one trial through, from whichever instance asks first', () => {
  const [a, b] = breakers(1, 2);
  eject(a, 0, 0);
  assert.equal(a.isAvailable(0, 999), false);
  const answers = [a, b, a, b, b].map((breaker) => breaker.isAvailable(0, 1000));
  assert.deepEqual(answers, [true, false, false, false, false]);
  assert.equal(b.state(0), 'half_open');
  assert.equal(b.isAvailable(0, 1999), false, 'no second trial while the first may still report');
});

test('trial success readmits with one readmit event', () => {
  const [a, b] = breakers(1, 2);
  eject(a, 0, 0);
  assert.equal(b.isAvailable(0, 1000), true);
  assert.deepEqual(b.onSuccess(0, 1010, 1000), { kind: 'readmit', endpoint: 0, atMs: 1010 });
  assert.equal(a.onSuccess(0, 1011), null);
  assert.equal(a.state(0), 'closed');
  assert.equal(a.isAvailable(0, 1011), true);
  // The failure count starts again from zero.
  for (let i = 0; i < 4; i++) assert.equal(a.onFailure(0, 1020), null);
  assert.equal(a.onFailure(0, 1021)?.kind, 'eject');
});

test('trial failure re-opens without an event, for another full cooldown', () => {
  const [breaker] = breakers(1);
  eject(breaker, 0, 0);
  assert.equal(breaker.isAvailable(0, 1000), true);
  assert.equal(breaker.onFailure(0, 1200, 1000), null);
  assert.equal(breaker.state(0), 'open');
  assert.equal(breaker.isAvailable(0, 2199), false);
  assert.equal(breaker.isAvailable(0, 2200), true);
});

test('a trial that never reports is replaced after another cooldown, by exactly one new trial', () => {
  const [a, b] = breakers(1, 2);
  eject(a, 0, 0);
  assert.equal(a.isAvailable(0, 1000), true);
  assert.equal(b.isAvailable(0, 1999), false);
  assert.deepEqual([b.isAvailable(0, 2000), a.isAvailable(0, 2000), b.isAvailable(0, 2001)], [true, false, false]);
});

test('results of operations started before the trial are not its verdict', () => {
  const [breaker] = breakers(1);
  eject(breaker, 0, 0);
  assert.equal(breaker.isAvailable(0, 1000), true);
  // Requests in flight since before the ejection time out now: the trial is still pending.
  assert.equal(breaker.onFailure(0, 1100, 0), null);
  assert.equal(breaker.onSuccess(0, 1100, 999), null);
  assert.equal(breaker.state(0), 'half_open');
  assert.deepEqual(breaker.onSuccess(0, 1150, 1000), { kind: 'readmit', endpoint: 0, atMs: 1150 });
  // And a straggler failure from before the readmit does not count towards the next ejection.
  for (let i = 0; i < 10; i++) assert.equal(breaker.onFailure(0, 1200, 500), null);
  assert.equal(breaker.state(0), 'closed');
});

test('a probe success readmits at once; a probe failure on an ejected endpoint changes nothing', () => {
  const [breaker] = breakers(1);
  assert.equal(breaker.onProbeSuccess(0, 5), null, 'nothing to readmit');
  eject(breaker, 0, 10);
  assert.equal(breaker.onProbeFailure(0, 20), null);
  assert.equal(breaker.state(0), 'open');
  assert.equal(breaker.isAvailable(0, 1010), true, 'the cooldown still counts from the ejection');
  assert.deepEqual(breaker.onProbeSuccess(0, 1020), { kind: 'readmit', endpoint: 0, atMs: 1020 });
  assert.equal(breaker.state(0), 'closed');
  assert.equal(breaker.onSuccess(0, 1030, 1000), null, 'the trial reporting afterwards is not a second readmit');
});

test('probe failures on a closed endpoint count towards ejection', () => {
  const [breaker] = breakers(1);
  for (let i = 0; i < 4; i++) assert.equal(breaker.onProbeFailure(0, 1), null);
  assert.equal(breaker.onProbeFailure(0, 2)?.kind, 'eject');
});

test('allDown: true only while every endpoint is ejected and none is due a trial', () => {
  const [breaker] = breakers(3);
  assert.equal(breaker.allDown(0), false);
  eject(breaker, 0, 0);
  eject(breaker, 1, 0);
  assert.equal(breaker.allDown(10), false);
  assert.equal(breaker.ejectedCount(), 2);
  eject(breaker, 2, 10);
  assert.equal(breaker.allDown(10), true);
  assert.equal(breaker.ejectedCount(), 3);
  assert.equal(breaker.allDown(1000), false, 'endpoint 0 is due a trial');
  assert.equal(breaker.isAvailable(0, 1000), true);
  assert.equal(breaker.isAvailable(1, 1000), true);
  assert.equal(breaker.allDown(1001), true, 'both trials are taken, endpoint 2 still cools down');
});

test('times are compared modulo 2^30, so the breaker works across the wrap', () => {
  const [breaker] = breakers(1, 1, { ejectAfterErrors: 1, cooldownMs: 100 });
  const start = 2 ** 30 - 10;
  breaker.onFailure(0, start);
  assert.equal(breaker.isAvailable(0, start + 50), false);
  assert.equal(breaker.isAvailable(0, start + 99), false);
  assert.equal(breaker.isAvailable(0, start + 100), true);
  assert.equal(breaker.onSuccess(0, start + 120, start + 100)?.kind, 'readmit');
});

test('rejects a buffer that is too small and nonsensical options', () => {
  assert.throws(() => new CircuitBreaker(createBreakerState(1), 2, OPTIONS), RangeError);
  assert.throws(() => new CircuitBreaker(createBreakerState(1), 1, { ejectAfterErrors: 0, cooldownMs: 1 }), RangeError);
  assert.throws(() => new CircuitBreaker(createBreakerState(1), 1, { ejectAfterErrors: 1, cooldownMs: 0 }), RangeError);
});

type HammerOptions = Omit<HammerInput, 'mode' | 'shared' | 'control'>;

/** Runs two worker threads on `shared`, released at the same instant; their reports. */
async function hammer(mode: HammerInput['mode'], options: HammerOptions, shared: SharedArrayBuffer): Promise<HammerOutput[]> {
  const control = new SharedArrayBuffer(4);
  const workerData: HammerInput = { mode, shared, control, ...options };
  const ready: Promise<void>[] = [];
  const reports = [0, 1].map((index) => {
    const worker = new Worker(new URL('./breaker-hammer.js', import.meta.url), { workerData });
    let signalReady = (): void => {};
    ready.push(new Promise<void>((resolve) => (signalReady = resolve)));
    return new Promise<HammerOutput>((resolve, reject) => {
      worker.on('message', (message: 'ready' | HammerOutput) => (message === 'ready' ? signalReady() : resolve(message)));
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`worker ${index} exited with ${code} before reporting`)));
    });
  });
  // A worker that dies before 'ready' rejects its report: don't wait for its 'ready' forever.
  await Promise.race([Promise.all(ready), Promise.all(reports)]);
  const flag = new Int32Array(control);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  return Promise.all(reports);
}

test('two worker threads hammering failures produce exactly one eject event', async () => {
  for (let round = 0; round < 5; round++) {
    const options = { endpointCount: 1, ejectAfterErrors: 1000, cooldownMs: 1000, iterations: 200_000 };
    const shared = createBreakerState(1);
    const outputs = await hammer('failures', options, shared);
    assert.equal(outputs[0].ejects + outputs[1].ejects, 1, `round ${round}: ${JSON.stringify(outputs)}`);
    assert.equal(new CircuitBreaker(shared, 1, options).state(0), 'open');
  }
});

test('two worker threads racing ejects and readmits: events alternate, none lost or doubled', async () => {
  const options = { endpointCount: 3, ejectAfterErrors: 3, cooldownMs: 1000, iterations: 300_000 };
  const shared = createBreakerState(3);
  const outputs = await hammer('cycles', options, shared);
  const breaker = new CircuitBreaker(shared, 3, options);
  const ejects = outputs[0].ejects + outputs[1].ejects;
  const readmits = outputs[0].readmits + outputs[1].readmits;
  assert.ok(readmits > 100, `only ${readmits} readmits: the test did not exercise the transitions`);
  // Per endpoint the events alternate eject, readmit, ...: so in total ejects − readmits = endpoints still out.
  assert.equal(ejects - readmits, breaker.ejectedCount(), JSON.stringify(outputs));
});

test('two worker threads asking for trials: one trial per cooldown, never two at once', async () => {
  const options = { endpointCount: 1, ejectAfterErrors: 1, cooldownMs: 20, iterations: 100_000 };
  const shared = createBreakerState(1);
  new CircuitBreaker(shared, 1, options).onFailure(0, 0);
  const outputs = await hammer('trials', options, shared);
  const wins = [...outputs[0].trialsWonAtMs, ...outputs[1].trialsWonAtMs].sort((x, y) => x - y);
  assert.ok(wins.length >= 10, `${wins.length} trials`);
  for (let i = 1; i < wins.length; i++) {
    assert.ok(wins[i] - wins[i - 1] >= options.cooldownMs, `trials at ${wins[i - 1]} and ${wins[i]} ms`);
  }
});
