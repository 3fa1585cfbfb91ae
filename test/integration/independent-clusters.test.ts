// Two independent RGW clusters (own buckets, own credentials) as one pool: namespace independent with
// consistent_hash. Each endpoint gets its credentials from its own profile; the bucket is created on
// both; every object lives on the cluster that owns its key and every GET finds it.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NO_EXCLUSIONS } from '../../src/routing/exclusions.js';
import { hashKey } from '../../src/routing/hash.js';
import { createStrategy } from '../../src/routing/strategy.js';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { okOps, phaseOf, readResults } from '../helpers/results.js';
import { startOwnRgw, uniqueBucketName, type RgwTarget } from '../helpers/rgw.js';

type Cluster = Awaited<ReturnType<typeof startOwnRgw>>;
let a: Cluster;
let b: Cluster;

before(async () => {
  a = await startOwnRgw({ dir: '/tmp/iofleet-rgw-indep-a', port: 7610, monPort: 3393, accessKey: 'CLUSTERAACCESSKEY000', secretKey: 'clusterasecret000000000000000000000000000' });
  b = await startOwnRgw({ dir: '/tmp/iofleet-rgw-indep-b', port: 7620, monPort: 3394, accessKey: 'CLUSTERBACCESSKEY000', secretKey: 'clusterbsecret000000000000000000000000000' });
});
after(async () => {
  await a?.stop();
  await b?.stop();
});

async function keysIn(target: RgwTarget, bucket: string): Promise<string[]> {
  const client = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  client.destroy();
  return keys;
}

test('independent namespaces with their own credentials: objects on their owners, every GET finds its object', async () => {
  const home = tempDir('aws');
  const credentialsFile = join(home, 'credentials');
  writeFileSync(
    credentialsFile,
    `[cluster-a]\naws_access_key_id = ${a.accessKeyId}\naws_secret_access_key = ${a.secretAccessKey}\n\n` +
      `[cluster-b]\naws_access_key_id = ${b.accessKeyId}\naws_secret_access_key = ${b.secretAccessKey}\n`,
  );
  const bucket = uniqueBucketName('indep');
  const out = tempDir('out');
  const file = writeWorkload(`
target: s3://${bucket}/
duration: 3s
concurrency: 8
threads: 2
prepare: { objects: 300, size: 4KiB }
multi_endpoint:
  strategy: consistent_hash
  namespace: independent
  endpoints:
    - { url: ${a.endpoint}, profile: cluster-a }
    - { url: ${b.endpoint}, profile: cluster-b }
workload:
  - { op: get, weight: 8 }
  - { op: put, weight: 2, size: 4KiB }
verify: { seed: 21 }
`);
  const env = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: join(home, 'config'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_ENDPOINT_URL: a.endpoint };
  const result = await runCli(['run', file, '--out', out], env);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const measure = phaseOf(readResults(out), 'measure');
  assert.equal(measure.totals.errors, 0, JSON.stringify(measure.totals.errors_by_class));
  assert.ok(okOps(measure, 'get') > 100);

  const ring = createStrategy('consistent_hash', { count: 2, weights: [1, 1], vnodes: 160, endpointIds: [a.endpoint, b.endpoint], random: Math.random });
  const view = { count: 2, isAvailable: () => true, inFlight: new Int32Array(2), weights: new Float64Array([1, 1]) };
  const [keysA, keysB] = [await keysIn(a, bucket), await keysIn(b, bucket)];
  assert.ok(keysA.length > 50 && keysB.length > 50, `objects: ${keysA.length} on a, ${keysB.length} on b`);
  for (const key of keysA) assert.equal(ring.pick(hashKey(key), view, NO_EXCLUSIONS), 0, `${key} on cluster a`);
  for (const key of keysB) assert.equal(ring.pick(hashKey(key), view, NO_EXCLUSIONS), 1, `${key} on cluster b`);
  assert.equal(keysA.length + keysB.length, 300 + okOps(measure, 'put'));
});
