// max_in_flight caps what one endpoint gets at once: with 5 ms per op and at most 2 in flight, an
// endpoint cannot serve more than 400 ops/s, however many operations the run has in flight; the pool's
// other endpoints take the rest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { phaseOf, readResults } from '../helpers/results.js';

test('an endpoint never has more than max_in_flight operations at once', async () => {
  const out = tempDir('out');
  const file = writeWorkload(`
target: null://
duration: 2s
concurrency: 16
threads: 1
prepare: { objects: 100, size: 4KiB }
multi_endpoint:
  strategy: round_robin
  endpoints: [{ url: "null://capped?latency=5ms", max_in_flight: 2 }, "null://free?latency=5ms"]
workload:
  - { op: get, weight: 1 }
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const measure = phaseOf(readResults(out), 'measure');
  assert.equal(measure.totals.errors, 0, JSON.stringify(measure.totals.errors_by_class));
  const endpoints = (measure as unknown as { endpoints: { endpoint: string; totals: { ops_per_sec: number } }[] }).endpoints;
  const capped = endpoints.find((e) => e.endpoint.startsWith('null://capped'))!;
  const free = endpoints.find((e) => e.endpoint.startsWith('null://free'))!;
  // 2 in flight × 1000/5 ms = 400 ops/s at most (timers only make it slower).
  assert.ok(capped.totals.ops_per_sec <= 400, `capped endpoint served ${capped.totals.ops_per_sec} ops/s`);
  assert.ok(free.totals.ops_per_sec > 3 * capped.totals.ops_per_sec, `free ${free.totals.ops_per_sec} vs capped ${capped.totals.ops_per_sec} ops/s`);
});
