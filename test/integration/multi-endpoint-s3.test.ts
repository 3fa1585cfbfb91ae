// The endpoint pool against three real RGW gateways of one cluster (a shared namespace).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { runCli, startCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { gatewayRequests, killGateway, restartGateway } from '../helpers/gateways.js';
import { phaseOf, readResults, readTsv, waitForMeasureSecond } from '../helpers/results.js';
import { rgwEnv, startOwnRgw, uniqueBucketName } from '../helpers/rgw.js';

type Cluster = Awaited<ReturnType<typeof startOwnRgw>>;
let cluster: Cluster;

before(async () => {
  cluster = await startOwnRgw({ dir: '/tmp/iofleet-rgw-pool', port: 7600, monPort: 3392, gateways: 3 });
});
after(async () => {
  await cluster.stop();
});

interface EndpointJson {
  endpoint: string;
  share: number;
  totals: { ops: number; errors: number; errors_by_class: Record<string, number> };
  failed_attempts_by_class: Record<string, number>;
  retried_away: number;
  ejects: number;
  readmits: number;
}

function endpointsOf(out: string, phase: string): EndpointJson[] {
  return (phaseOf(readResults(out), phase) as unknown as { endpoints: EndpointJson[] }).endpoints;
}

function poolYaml(bucket: string, extra: string): string {
  return `
target: s3://${bucket}/
concurrency: 12
threads: 2
prepare: { objects: 200, size: 4KiB }
multi_endpoint:
  endpoints: [${cluster.gatewayUrls.join(', ')}]
${extra}
workload:
  - { op: get, weight: 4 }
  - { op: put, weight: 1, size: 4KiB }
`;
}

test('round_robin: each gateway serves a third of the ops, and the gateways count the same', async () => {
  const before = [0, 1, 2].map((g) => gatewayRequests(cluster.dir, g));
  const out = tempDir('out');
  const result = await runCli(['run', writeWorkload(poolYaml(uniqueBucketName('rr'), '  strategy: round_robin') + 'ops: 3000\n'), '--out', out], rgwEnv(cluster));
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /Endpoints: 3 \(round_robin, shared namespace\)/);
  const served = [0, 1, 2].map((g) => gatewayRequests(cluster.dir, g) - before[g]!);
  const reported = new Map<string, number>();
  for (const phase of ['prepare', 'measure']) {
    for (const e of endpointsOf(out, phase)) reported.set(e.endpoint, (reported.get(e.endpoint) ?? 0) + e.totals.ops);
  }
  for (const e of endpointsOf(out, 'measure')) assert.ok(Math.abs(e.share - 1 / 3) <= 0.01, `${e.endpoint} share ${e.share}`);
  cluster.gatewayUrls.forEach((url, g) => {
    // Before the run iofleet checks each endpoint (HEAD and, once, PUT bucket): a handful of requests more.
    const diff = served[g]! - reported.get(url)!;
    assert.ok(diff >= 0 && diff <= 4, `gateway ${g}: served ${served[g]}, iofleet reports ${reported.get(url)}`);
  });
});

test('weighted: shares follow the weights within 2%', async () => {
  const out = tempDir('out');
  const [a, b, c] = cluster.gatewayUrls;
  const yaml = poolYaml(uniqueBucketName('weighted'), '  strategy: weighted').replace(
    `endpoints: [${cluster.gatewayUrls.join(', ')}]`,
    `endpoints: [{ url: ${a}, weight: 1 }, { url: ${b}, weight: 2 }, { url: ${c}, weight: 3 }]`,
  );
  const result = await runCli(['run', writeWorkload(yaml + 'ops: 3000\n'), '--out', out], rgwEnv(cluster));
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const shares = endpointsOf(out, 'measure').map((e) => e.share);
  [1 / 6, 2 / 6, 3 / 6].forEach((expected, i) => assert.ok(Math.abs(shares[i]! - expected) <= 0.02, `endpoint ${i}: ${shares[i]} vs ${expected}`));
});

// One bucket for both kill tests, created by the first before any gateway dies: after a SIGKILL, RGW
// metadata writes such as bucket creation wait for the dead gateway's watch to time out (~30 s), while
// object I/O goes on.
const killBucket = uniqueBucketName('kill');

async function runWithGatewayKilled(extra: string): Promise<{ out: string; killedAtMs: number }> {
  const out = tempDir('out');
  const yaml = poolYaml(killBucket, `  strategy: round_robin\n${extra}`) + 'duration: 7s\ntimeout: 3s\n';
  const { done } = startCli(['run', writeWorkload(yaml), '--out', out], rgwEnv(cluster));
  await waitForMeasureSecond(out, 1);
  const killedAtMs = Date.now();
  killGateway(cluster.dir, 1);
  await sleep(2500);
  await restartGateway(cluster.dir, 1, cluster.gatewayUrls[1]!);
  const result = await done;
  assert.equal(result.code, 0, result.stderr + result.stdout);
  return { out, killedAtMs };
}

test('a gateway dies mid-run: failover loses no op, it is ejected within a second, restarted and readmitted', async () => {
  const { out, killedAtMs } = await runWithGatewayKilled('  health: { eject_after_errors: 3, cooldown: 1s, probe_interval: 300ms }');
  const measure = phaseOf(readResults(out), 'measure');
  assert.equal(measure.totals.errors, 0, `failed ops: ${JSON.stringify(measure.totals.errors_by_class)}`);
  const killed = endpointsOf(out, 'measure').find((e) => e.endpoint === cluster.gatewayUrls[1])!;
  assert.ok(killed.retried_away > 0, 'failed attempts on the dead gateway were retried elsewhere');
  assert.ok(Object.keys(killed.failed_attempts_by_class).every((name) => ['connect_refused', 'connect_reset', 'timeout'].includes(name)));
  assert.equal(killed.ejects, 1);
  assert.equal(killed.readmits, 1);

  const events = readTsv(join(out, 'events.tsv'));
  const eject = events.find((e) => e.event === 'eject' && e.endpoint === cluster.gatewayUrls[1])!;
  const readmit = events.find((e) => e.event === 'readmit' && e.endpoint === cluster.gatewayUrls[1])!;
  const ejectDelayMs = Date.parse(eject.time_utc!) - killedAtMs;
  assert.ok(ejectDelayMs < 1500, `ejected ${ejectDelayMs} ms after the kill`);
  assert.ok(Date.parse(readmit.time_utc!) > Date.parse(eject.time_utc!));
  const marks = readTsv(join(out, 'perf_log.tsv')).map((row) => row.events).join(',');
  assert.ok(marks.includes(`eject:${cluster.gatewayUrls[1]}`) && marks.includes(`readmit:${cluster.gatewayUrls[1]}`), 'events marked in perf_log.tsv');
  assert.match(readFileSync(join(out, 'console.log'), 'utf8'), /endpoint EJECTED: http:\/\/127\.0\.0\.1:7601/);
});

test('the same with failover off: the errors are counted on that gateway and the run completes', async () => {
  const { out } = await runWithGatewayKilled('  failover: false\n  health: { eject_after_errors: 3, cooldown: 1s, probe_interval: 300ms }');
  const endpoints = endpointsOf(out, 'measure');
  const killed = endpoints.find((e) => e.endpoint === cluster.gatewayUrls[1])!;
  assert.ok(killed.totals.errors > 0, 'ops on the dead gateway failed');
  assert.ok(Object.keys(killed.totals.errors_by_class).every((name) => ['connect_refused', 'connect_reset', 'timeout'].includes(name)));
  for (const e of endpoints.filter((x) => x !== killed)) assert.equal(e.totals.errors, 0, `${e.endpoint} had errors`);
  assert.equal(killed.retried_away, 0);
  assert.equal(readResults(out).run.status, 'completed');
});

test('every gateway dies: said loudly, and with stop_when_all_down the run stops with exit 1 and valid results', async () => {
  const out = tempDir('out');
  const yaml = poolYaml(killBucket, '  health: { eject_after_errors: 3, cooldown: 1s, probe_interval: 300ms, stop_when_all_down: true }') + 'duration: 30s\ntimeout: 2s\n';
  const { done } = startCli(['run', writeWorkload(yaml), '--out', out], rgwEnv(cluster));
  await waitForMeasureSecond(out, 1);
  for (const gateway of [0, 1, 2]) killGateway(cluster.dir, gateway);
  const result = await done;
  try {
    assert.equal(result.code, 1, result.stderr + result.stdout);
    assert.match(result.stdout, /!!! ALL 3 ENDPOINTS ARE DOWN at \+[\d.]+s; stopping/);
    assert.match(result.stdout + result.stderr, /all 3 endpoints were ejected; stopped \(health\.stop_when_all_down\)/);
    const results = readResults(out);
    assert.equal(results.run.status, 'failed');
    assert.equal(results.run.error?.code, 'ALL_ENDPOINTS_DOWN');
    const events = readTsv(join(out, 'events.tsv'));
    assert.equal(events.filter((e) => e.event === 'eject').length, 3);
    assert.equal(events.filter((e) => e.event === 'all_down').length, 1);
    assert.equal(phaseOf(results, 'measure').end_reason, 'stopped');
  } finally {
    for (const gateway of [0, 1, 2]) await restartGateway(cluster.dir, gateway, cluster.gatewayUrls[gateway]!);
  }
});
