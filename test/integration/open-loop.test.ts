// Open loop against a target of known capacity (null://?latency=10ms with 4 in flight: 400 ops/s).
// Below capacity, latency is the service time. Above it, latency measured from the *scheduled* start
// grows with the backlog; measured from issue it would stay at 10 ms (coordinated omission).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { phaseOf, readResults } from '../helpers/results.js';

const SERVICE_US = 10_000;

async function runAtRate(opsPerSec: number, options: { latencyMs?: number; concurrency?: number; duration?: string } = {}): Promise<ReturnType<typeof phaseOf>> {
  const out = tempDir('out');
  const file = writeWorkload(`
target: null://?latency=${options.latencyMs ?? SERVICE_US / 1000}ms
duration: ${options.duration ?? '3s'}
concurrency: ${options.concurrency ?? 4}
threads: 1
workload:
  - { op: put, weight: 1, size: 1KiB }
rate: { ops_per_sec: ${opsPerSec}, arrival: uniform }
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  // results.json names the rate as the workload file does.
  assert.deepEqual(results.plan.rate, { ops_per_sec: opsPerSec, arrival: 'uniform' });
  return phaseOf(results, 'measure');
}

test('below capacity: latency stays near the service time and the schedule does not slip', async () => {
  const measure = await runAtRate(100);
  assert.ok(Math.abs(measure.totals.ops - 300) <= 10, `ops ${measure.totals.ops}`);
  // The target never answers faster than its latency, and an op's latency never starts before it was sent.
  assert.ok(measure.totals.latency_us.p50 >= SERVICE_US && measure.totals.latency_us.p50 < 3 * SERVICE_US, `p50 ${measure.totals.latency_us.p50}`);
  // Timers on a loaded machine start some ops a few ms late; what must not happen below capacity is a
  // slip that accumulates (above capacity it grows to seconds, next test).
  assert.ok(measure.open_loop.max_slip_us < 250_000, `largest slip ${measure.open_loop.max_slip_us} µs`);
});

test('a timer that wakes the loop early does not shorten latencies: short service times at a high rate', async () => {
  // 1 ms of service, 8 in flight, 2000 ops/s (a quarter of capacity): ops are due every 0.5 ms, so the
  // loops sleep sub-millisecond waits, and timers firing early used to start the clock at the schedule
  // rather than at the send (p50 ~800 µs for a 1 ms target).
  const measure = await runAtRate(2000, { latencyMs: 1, concurrency: 8, duration: '2s' });
  assert.ok(measure.totals.ops > 2000, `ops ${measure.totals.ops}`);
  assert.ok(measure.totals.latency_us.p50 >= 1000, `p50 ${measure.totals.latency_us.p50} µs under the 1 ms service time`);
  assert.ok(measure.totals.latency_us.mean >= 1000, `mean ${measure.totals.latency_us.mean} µs under the 1 ms service time`);
});

test('above capacity: latency from the scheduled start grows with the backlog', async () => {
  const measure = await runAtRate(1000); // 2.5× capacity
  const capacityOps = 3 * 400;
  assert.ok(measure.totals.ops <= capacityOps * 1.1, `served ${measure.totals.ops}, capacity ${capacityOps}`);
  // After 3 s at 1000/s the backlog is ~1800 ops: the last ones waited seconds, not 10 ms.
  assert.ok(measure.totals.latency_us.max > 1_000_000, `max ${measure.totals.latency_us.max} µs`);
  assert.ok(measure.totals.latency_us.p50 > 10 * SERVICE_US, `p50 ${measure.totals.latency_us.p50} µs`);
  assert.ok(measure.open_loop.late_ops > measure.totals.ops / 2, `late ${measure.open_loop.late_ops} of ${measure.totals.ops}`);
  assert.ok(measure.open_loop.max_slip_us > 1_000_000);
});
