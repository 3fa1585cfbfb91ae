// iofleet through its CLI against a real Ceph RGW, checked against the server's own view (listed with
// an independent client, the AWS SDK).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runCli, startCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { killGateway } from '../helpers/gateways.js';
import { okOps, phaseOf, readResults, waitForMeasureSecond } from '../helpers/results.js';
import { ensureRgw, rgwEnv, startOwnRgw, uniqueBucketName, type RgwTarget } from '../helpers/rgw.js';

let rgw: RgwTarget;
before(async () => {
  rgw = await ensureRgw();
});

function sdk(target: RgwTarget): S3Client {
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function listBucket(target: RgwTarget, bucket: string, prefix: string): Promise<{ count: number; bytes: number }> {
  const client = sdk(target);
  let count = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      count++;
      bytes += object.Size ?? 0;
    }
    token = page.NextContinuationToken;
  } while (token);
  client.destroy();
  return { count, bytes };
}

test('prepare + mixed run: the bucket holds exactly what iofleet reports', async () => {
  const bucket = uniqueBucketName('mixed');
  const out = tempDir('out');
  const file = writeWorkload(`
target: s3://${bucket}/run1/
duration: 4s
warmup: 1s
concurrency: 16
threads: 2
prepare: { objects: 400, size: { dist: uniform, min: 1KiB, max: 32KiB } }
workload:
  - { op: get, weight: 40 }
  - { op: get, weight: 10, range: 1KiB }
  - { op: put, weight: 25, size: 8KiB }
  - { op: list, weight: 5, max_keys: 100 }
  - { op: stat, weight: 10 }
  - { op: delete, weight: 10 }
verify: { seed: 11 }
`);
  const result = await runCli(['run', file, '--out', out], rgwEnv(rgw));
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  const prepare = phaseOf(results, 'prepare');
  const warmup = phaseOf(results, 'warmup');
  const measure = phaseOf(results, 'measure');
  assert.equal(prepare.objects, 400);
  assert.equal(measure.totals.errors, 0, JSON.stringify(measure.totals.errors_by_class));
  assert.equal(warmup.totals.errors, 0, JSON.stringify(warmup.totals.errors_by_class));
  const expected = 400 + okOps(warmup, 'put') + okOps(measure, 'put') - okOps(warmup, 'delete') - okOps(measure, 'delete');
  const listed = await listBucket(rgw, bucket, 'run1/');
  assert.equal(listed.count, expected);
  assert.ok(okOps(measure, 'get') > 100, 'the run did real work');
});

test('prepare bytes and cleanup, seen by the server', async () => {
  const bucket = uniqueBucketName('cleanup');
  const out = tempDir('out');
  const yaml = (cleanup: boolean) => `
target: s3://${bucket}/${cleanup ? 'second/' : ''}
ops: 200
concurrency: 8
prepare: { objects: 150, size: [{ size: 3KiB, weight: 1 }, { size: 70KiB, weight: 1 }] }
workload:
  - { op: put, weight: 1, size: 5KiB }
  - { op: stat, weight: 1 }
cleanup: ${cleanup}
`;
  let result = await runCli(['run', writeWorkload(yaml(false)), '--out', out], rgwEnv(rgw));
  // First run, at the bucket root, no cleanup: everything it wrote stays.
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  const puts = okOps(phaseOf(results, 'measure'), 'put');
  const listed = await listBucket(rgw, bucket, '');
  assert.equal(listed.count, 150 + puts);
  assert.equal(listed.bytes, phaseOf(results, 'prepare').bytes_written + puts * 5 * 1024);

  const out2 = tempDir('out');
  result = await runCli(['run', writeWorkload(yaml(true)), '--out', out2], rgwEnv(rgw));
  assert.equal(result.code, 0, result.stderr + result.stdout);
  // Second run, under second/, with cleanup: it deletes all it created, and nothing else.
  const second = readResults(out2);
  const cleanup = phaseOf(second, 'cleanup');
  assert.equal(cleanup.failed_objects, 0);
  assert.equal(cleanup.objects, 150 + okOps(phaseOf(second, 'measure'), 'put'));
  // Its ops are DeleteObjects requests, one per worker thread here (each holds fewer than 1000 keys).
  const threads = second.plan.threads;
  assert.deepEqual(
    cleanup.ops.map((op) => [op.op, op.totals.ops, op.totals.errors, op.size_buckets.map((b) => b.size_bucket)]),
    [['cleanup', threads, 0, ['0']]],
  );
  assert.equal((await listBucket(rgw, bucket, 'second/')).count, 0);
  assert.equal((await listBucket(rgw, bucket, '')).count, 150 + puts, 'the first run’s objects are untouched');
});

test('verify: an object overwritten behind iofleet’s back is a verify_mismatch', async () => {
  const bucket = uniqueBucketName('verify');
  const yaml = `
target: s3://${bucket}/
ops: 1500
concurrency: 4
threads: 1
prepare: { objects: 10, size: 4KiB, skip_existing: true }
workload:
  - { op: get, weight: 1 }
verify: { seed: 5 }
`;
  const first = tempDir('out');
  assert.equal((await runCli(['run', writeWorkload(yaml), '--out', first], rgwEnv(rgw))).code, 0);
  assert.equal(phaseOf(readResults(first), 'measure').totals.errors, 0);

  const client = sdk(rgw);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj-3', Body: Buffer.alloc(4096, 0x5a) }));
  client.destroy();
  const second = tempDir('out');
  const result = await runCli(['run', writeWorkload(yaml), '--out', second], rgwEnv(rgw));
  assert.equal(result.code, 0, result.stderr);
  const measure = phaseOf(readResults(second), 'measure');
  assert.deepEqual(Object.keys(measure.totals.errors_by_class), ['verify_mismatch']);
  assert.ok(measure.totals.errors_by_class.verify_mismatch! > 50 && measure.totals.errors_by_class.verify_mismatch! < 400);
});

test('wrong credentials: exit 1, a clear message, no secret, no stack trace', async () => {
  const secret = 'this-is-the-wrong-secret-0123456789abcdef';
  const file = writeWorkload(`
target: s3://${uniqueBucketName('creds')}/
ops: 10
workload:
  - { op: put, weight: 1 }
`);
  const result = await runCli(['run', file, '--out', tempDir('out')], { ...rgwEnv(rgw), AWS_SECRET_ACCESS_KEY: secret });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /credential|signature|access key/i);
  assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret));
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('the gateway dies mid-run: errors are counted by class, the run completes and writes results', async () => {
  const own = await startOwnRgw({ dir: '/tmp/iofleet-rgw-kill', port: 7590, monPort: 3390 });
  try {
    const out = tempDir('out');
    const file = writeWorkload(`
target: s3://${uniqueBucketName('kill')}/
duration: 5s
concurrency: 8
timeout: 2s
prepare: { objects: 100, size: 4KiB }
workload:
  - { op: get, weight: 1 }
  - { op: put, weight: 1, size: 4KiB }
`);
    const { done } = startCli(['run', file, '--out', out], rgwEnv(own));
    // Once the measure phase is under way, kill the gateway.
    await waitForMeasureSecond(out, 1);
    killGateway(own.dir, 0);
    const result = await done;
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const results = readResults(out);
    assert.equal(results.run.status, 'completed');
    const measure = phaseOf(results, 'measure');
    const classes = Object.keys(measure.totals.errors_by_class);
    assert.ok(measure.totals.errors > 0, 'failures after the kill are counted');
    assert.ok(classes.every((name) => ['connect_refused', 'connect_reset', 'timeout'].includes(name)), classes.join());
    assert.ok(measure.totals.ok_ops > 0, 'operations before the kill succeeded');
  } finally {
    await own.stop();
  }
});
