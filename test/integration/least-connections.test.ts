// least_connections against one real gateway reached three ways: directly, through a plain proxy, and
// through a proxy that delays every response by 50 ms. The slow endpoint keeps its connections busy
// longer, so it gets far fewer operations; round_robin, on the same set-up, would give it a third.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { startDelayProxy } from '../helpers/delay-proxy.js';
import { phaseOf, readResults } from '../helpers/results.js';
import { ensureRgw, rgwEnv, uniqueBucketName, type RgwTarget } from '../helpers/rgw.js';

let rgw: RgwTarget;
const proxies: Awaited<ReturnType<typeof startDelayProxy>>[] = [];

before(async () => {
  rgw = await ensureRgw();
  const port = Number(new URL(rgw.endpoint).port);
  proxies.push(await startDelayProxy(port, 0), await startDelayProxy(port, 50));
});
after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
});

async function shares(strategy: string): Promise<number[]> {
  const [plain, slow] = proxies;
  const out = tempDir('out');
  const file = writeWorkload(`
target: s3://${uniqueBucketName('lc')}/
duration: 3s
concurrency: 12
threads: 1
prepare: { objects: 100, size: 4KiB }
multi_endpoint:
  strategy: ${strategy}
  endpoints: [${rgw.endpoint}, ${plain!.url}, ${slow!.url}]
workload:
  - { op: get, weight: 1 }
`);
  const result = await runCli(['run', file, '--out', out], rgwEnv(rgw));
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const measure = phaseOf(readResults(out), 'measure');
  assert.equal(measure.totals.errors, 0);
  return (measure as unknown as { endpoints: { share: number }[] }).endpoints.map((e) => e.share);
}

test('least_connections sends fewer operations to the slow endpoint', async () => {
  const [direct, plain, slow] = await shares('least_connections');
  assert.ok(slow! < Math.min(direct!, plain!) / 2, `shares: direct ${direct}, plain ${plain}, slow ${slow}`);
});

test('round_robin, for contrast, gives the slow endpoint its third', async () => {
  const [, , slow] = await shares('round_robin');
  assert.ok(Math.abs(slow! - 1 / 3) < 0.01, `slow share ${slow}`);
});
