// Integration tests of the S3 backend against a real Ceph RGW (test/helpers/rgw.ts).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IoSlot, type DeleteRequest, type ObjectStore } from '../../src/backends/object-store.js';
import { OUTCOME, OUTCOMES } from '../../src/backends/outcome.js';
import { resolveS3Credentials } from '../../src/backends/s3/credentials.js';
import { createS3Store } from '../../src/backends/s3/s3-store.js';
import type { S3StoreOptions } from '../../src/backends/s3/s3-store.js';
import { SigV4Signer, UNSIGNED_PAYLOAD, canonicalQueryString } from '../../src/backends/s3/sigv4.js';
import { isIofleetError } from '../../src/errors.js';
import { DataPattern } from '../../src/workload/data-pattern.js';
import { ensureRgw, uniqueBucketName } from '../helpers/rgw.js';
import type { RgwTarget } from '../helpers/rgw.js';

const MiB = 1024 * 1024;
const pattern = new DataPattern(0x10f1ee7);

let target: RgwTarget;

function storeOptions(bucket: string, overrides: Partial<S3StoreOptions> = {}): S3StoreOptions {
  return {
    endpoint: target.endpoint,
    bucket,
    prefix: '',
    region: target.region,
    pathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    connections: 8,
    timeoutMs: 30_000,
    multipartThresholdBytes: 64 * MiB,
    multipartPartBytes: 8 * MiB,
    ...overrides,
  };
}

function outcomeName(slot: IoSlot): string {
  return OUTCOMES[slot.outcome] ?? `#${slot.outcome}`;
}

/** A slot set up the way the engine does it for `key`. */
function slotFor(key: string, lengthBytes = 0): IoSlot {
  const slot = new IoSlot(pattern);
  slot.key = key;
  slot.lengthBytes = lengthBytes;
  slot.patternStart = pattern.startFor(key);
  return slot;
}

async function putObject(store: ObjectStore, key: string, lengthBytes: number): Promise<void> {
  const slot = slotFor(key, lengthBytes);
  await store.put(slot);
  assert.equal(outcomeName(slot), 'ok', `put ${key}: status ${slot.status}`);
}

async function getVerified(store: ObjectStore, key: string, expectedBytes: number): Promise<IoSlot> {
  const slot = slotFor(key);
  slot.verify = true;
  slot.expectedBytes = expectedBytes;
  await store.get(slot);
  return slot;
}

/** A request signed with our signer but sent outside the store: "another client" for the store. */
async function rawS3(
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE',
  path: string,
  query: readonly (readonly [string, string])[] = [],
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const url = new URL(target.endpoint);
  const signer = new SigV4Signer({
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    region: target.region,
    service: 's3',
    host: url.host,
  });
  const canonicalQuery = canonicalQueryString(query);
  const authorization = signer.signUnsignedPayload(method, path, canonicalQuery, Date.now());
  const response = await fetch(`${url.origin}${path}${canonicalQuery ? '?' + canonicalQuery : ''}`, {
    method,
    headers: { 'x-amz-date': signer.amzDate, 'x-amz-content-sha256': UNSIGNED_PAYLOAD, authorization },
    body: body === undefined ? null : new Uint8Array(body),
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
}

/** The <Key> values of a ListObjectsV2 page, unescaped, in listing order. */
function listedKeys(xml: string): string[] {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!.replace(/&(\w+);/g, (_, name: string) => entities[name] ?? '?'));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

async function listAll(store: ObjectStore, prefix: string): Promise<{ keys: number; truncated: number; outcome: string }> {
  const slot = slotFor(prefix);
  slot.maxKeys = 1000;
  await store.list(slot);
  assert.equal(slot.bytes, 0, 'a LIST moves no payload bytes');
  return { keys: slot.entries, truncated: slot.resultSize, outcome: outcomeName(slot) };
}

describe('S3 store against RGW', () => {
  const bucket = uniqueBucketName('s3-store');
  let store: ObjectStore;
  const written: string[] = [];

  before(async () => {
    target = await ensureRgw();
    store = createS3Store(storeOptions(bucket));
    await store.open({ createNamespace: true });
  });

  after(async () => {
    await store.deleteMany(written);
    await rawS3('DELETE', '/' + bucket);
    await store.close();
  });

  async function put(key: string, lengthBytes: number): Promise<void> {
    written.push(key);
    await putObject(store, key, lengthBytes);
  }

  it('describes itself with bucket, prefix and endpoint', () => {
    assert.equal(store.description, `s3://${bucket}/ @ ${new URL(target.endpoint).origin}`);
  });

  it('open() is idempotent on an existing bucket, and exists() tells objects apart', async () => {
    await store.open({ createNamespace: true });
    await store.open({ createNamespace: false });
    await put('exists/yes', 10);
    assert.equal(await store.exists('exists/yes'), true);
    assert.equal(await store.exists('exists/no'), false);
  });

  it('PUT then verified GET round-trips, small and above one pattern block', async () => {
    for (const lengthBytes of [4096 + 17, 3 * MiB + 5, 0]) {
      const key = `roundtrip/${lengthBytes}`;
      const putSlot = slotFor(key, lengthBytes);
      written.push(key);
      await store.put(putSlot);
      assert.equal(outcomeName(putSlot), 'ok');
      assert.equal(putSlot.status, 200);
      assert.equal(putSlot.bytes, lengthBytes);

      const slot = await getVerified(store, key, lengthBytes);
      assert.equal(outcomeName(slot), 'ok', `get ${key}`);
      assert.equal(slot.status, 200);
      assert.equal(slot.bytes, lengthBytes);
    }
  });

  it('GET verification compares content: another object start does not match', async () => {
    await put('verify/content', 8192);
    const slot = await getVerified(store, 'verify/content', 8192);
    assert.equal(outcomeName(slot), 'ok');
    slot.patternStart = (slot.patternStart + 1) % (1 << 20);
    await store.get(slot);
    assert.equal(outcomeName(slot), 'verify_mismatch');
    assert.equal(slot.bytes, 8192);
  });

  it('ranged GET returns exactly the range and verifies it at its offset', async () => {
    await put('range/obj', 100_000);
    const slot = slotFor('range/obj');
    slot.offsetBytes = 1000;
    slot.lengthBytes = 500;
    slot.verify = true;
    slot.expectedBytes = 100_000; // ignored for ranged reads
    await store.get(slot);
    assert.equal(outcomeName(slot), 'ok');
    assert.equal(slot.status, 206);
    assert.equal(slot.bytes, 500);

    // The bytes at offset 1000 matched the pattern at position 1000: shifting the object's start must not.
    slot.patternStart = pattern.startFor('range/obj') + 1;
    await store.get(slot);
    assert.equal(outcomeName(slot), 'verify_mismatch');

    // An open-ended range (length 0) reads to the end.
    slot.patternStart = pattern.startFor('range/obj');
    slot.offsetBytes = 99_000;
    slot.lengthBytes = 0;
    await store.get(slot);
    assert.equal(outcomeName(slot), 'ok');
    assert.equal(slot.bytes, 1000);
  });

  it('detects an object overwritten by another client: different bytes, then a shorter length', async () => {
    const key = 'overwrite/obj';
    await put(key, 4096);
    assert.equal(outcomeName(await getVerified(store, key, 4096)), 'ok');

    const other = Buffer.from(pattern.view(pattern.startFor(key), 0, 4096));
    other[4000] = other[4000]! ^ 0xff;
    assert.equal((await rawS3('PUT', `/${bucket}/${key}`, [], other)).status, 200);
    const changed = await getVerified(store, key, 4096);
    assert.equal(outcomeName(changed), 'verify_mismatch');
    assert.equal(changed.status, 200);

    // Right bytes, wrong length: only the length check can see it.
    const shorter = Buffer.from(pattern.view(pattern.startFor(key), 0, 4000));
    assert.equal((await rawS3('PUT', `/${bucket}/${key}`, [], shorter)).status, 200);
    const truncated = await getVerified(store, key, 4096);
    assert.equal(outcomeName(truncated), 'verify_mismatch');
    assert.equal(truncated.bytes, 4000);
    const unknownLength = await getVerified(store, key, -1);
    assert.equal(outcomeName(unknownLength), 'ok');
  });

  it('LIST reports keys returned and the truncated flag, within the prefix only', async () => {
    for (let i = 0; i < 5; i++) await put(`list/k${i}`, 1);
    await put('listing-not-included', 1);
    const page = slotFor('list/');
    page.maxKeys = 2;
    await store.list(page);
    assert.equal(outcomeName(page), 'ok');
    assert.equal(page.status, 200);
    assert.equal(page.entries, 2);
    assert.equal(page.bytes, 0, 'a LIST moves no payload bytes');
    assert.equal(page.resultSize, 1);

    page.maxKeys = 5;
    await store.list(page);
    assert.equal(page.entries, 5);
    assert.equal(page.resultSize, 0);

    page.maxKeys = 1000;
    await store.list(page);
    assert.equal(page.entries, 5);
    assert.equal(page.resultSize, 0);

    assert.deepEqual(await listAll(store, 'nothing-here/'), { keys: 0, truncated: 0, outcome: 'ok' });
  });

  it('STAT reports the size; a missing key is not_found', async () => {
    await put('stat/obj', 12_345);
    const slot = slotFor('stat/obj');
    await store.stat(slot);
    assert.equal(outcomeName(slot), 'ok');
    assert.equal(slot.status, 200);
    assert.equal(slot.resultSize, 12_345);
    assert.equal(slot.bytes, 0);

    const missing = slotFor('stat/missing');
    await store.stat(missing);
    assert.equal(outcomeName(missing), 'not_found');
    assert.equal(missing.status, 404);
  });

  it('DELETE removes the object: a GET afterwards is not_found', async () => {
    await put('delete/obj', 100);
    const slot = slotFor('delete/obj');
    await store.delete(slot);
    assert.equal(outcomeName(slot), 'ok');
    assert.equal(slot.status, 204);
    const after = await getVerified(store, 'delete/obj', 100);
    assert.equal(outcomeName(after), 'not_found');
    assert.equal(after.status, 404);
    assert.equal(after.bytes, 0);
  });

  it('keys that need URI encoding round-trip and are stored under their literal names', async () => {
    const keys = ["odd/sp ace+plus!*'(x)~$&=.bin", 'odd/ключ/é', 'odd/a%20b'];
    for (const key of keys) {
      await put(key, 300);
      assert.equal(outcomeName(await getVerified(store, key, 300)), 'ok', key);
    }
    const listing = await rawS3('GET', '/' + bucket, [
      ['list-type', '2'],
      ['prefix', 'odd/'],
    ]);
    assert.deepEqual(listedKeys(listing.text), [...keys].sort());
  });

  it('a prefix namespaces every key', async () => {
    const prefixed = createS3Store(storeOptions(bucket, { prefix: 'run1/' }));
    try {
      await putObject(prefixed, 'inner', 64);
      written.push('run1/inner');
      assert.equal(prefixed.description, `s3://${bucket}/run1/ @ ${new URL(target.endpoint).origin}`);
      const head = await rawS3('HEAD', `/${bucket}/run1/inner`);
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], '64');
      assert.deepEqual(await listAll(prefixed, ''), { keys: 1, truncated: 0, outcome: 'ok' });
      assert.equal(await prefixed.exists('inner'), true);
      assert.equal(await store.exists('inner'), false);
    } finally {
      await prefixed.close();
    }
  });

  it('PUTs at or above the threshold go multipart and read back verified', async () => {
    const multipart = createS3Store(
      storeOptions(bucket, { multipartThresholdBytes: 6 * MiB, multipartPartBytes: 5 * MiB }), // 5 MiB: S3's minimum part
    );
    try {
      const lengthBytes = 11 * MiB + 3; // parts of 5, 5 and 1 MiB + 3
      const key = 'multipart/obj';
      written.push(key);
      const slot = slotFor(key, lengthBytes);
      await multipart.put(slot);
      assert.equal(outcomeName(slot), 'ok');
      assert.equal(slot.status, 200);
      assert.equal(slot.bytes, lengthBytes);

      // A multipart object's ETag is "<md5 of part md5s>-<part count>".
      const head = await rawS3('HEAD', `/${bucket}/${key}`);
      assert.equal(head.headers['content-length'], String(lengthBytes));
      assert.match(String(head.headers['etag']), /-3"$/);

      const read = await getVerified(multipart, key, lengthBytes);
      assert.equal(outcomeName(read), 'ok');
      assert.equal(read.bytes, lengthBytes);

      // Below the threshold: a single PUT, whose ETag has no part count.
      await putObject(multipart, 'multipart/small', 6 * MiB - 1);
      written.push('multipart/small');
      const small = await rawS3('HEAD', `/${bucket}/multipart/small`);
      assert.doesNotMatch(String(small.headers['etag']), /-\d+"$/);

      // No upload is left behind.
      const uploads = await rawS3('GET', '/' + bucket, [['uploads', '']]);
      assert.equal(uploads.status, 200);
      assert.doesNotMatch(uploads.text, /<Upload>/);
    } finally {
      await multipart.close();
    }
  });

  it('a failed multipart upload reports its outcome and is aborted', async () => {
    // Parts below S3's 5 MiB minimum make CompleteMultipartUpload fail (EntityTooSmall).
    const multipart = createS3Store(storeOptions(bucket, { multipartThresholdBytes: 1, multipartPartBytes: MiB }));
    try {
      const slot = slotFor('multipart/too-small-parts', 2 * MiB + 1);
      await multipart.put(slot);
      assert.equal(outcomeName(slot), 'http_4xx');
      assert.equal(slot.status, 400);
      assert.equal(slot.bytes, 0);
      const uploads = await rawS3('GET', '/' + bucket, [['uploads', '']]);
      assert.doesNotMatch(uploads.text, /<Upload>/);
      assert.equal(await multipart.exists('multipart/too-small-parts'), false);
    } finally {
      await multipart.close();
    }
  });

  it('virtual-host style: the bucket travels in the Host header', async (t) => {
    // RGW maps {bucket}.{rgw dns name} to the bucket; rgw.sh sets rgw dns name = localhost.
    const endpoint = new URL(target.endpoint);
    if (endpoint.hostname !== '127.0.0.1' && endpoint.hostname !== 'localhost') {
      t.skip('needs the local RGW (rgw dns name = localhost)');
      return;
    }
    const vhostBucket = uniqueBucketName('vhost');
    const vhost = createS3Store(storeOptions(vhostBucket, { endpoint: `http://localhost:${endpoint.port}`, pathStyle: false, prefix: 'p/' }));
    try {
      await vhost.open({ createNamespace: true });
      await putObject(vhost, 'k', 5000);
      assert.equal(outcomeName(await getVerified(vhost, 'k', 5000)), 'ok');
      assert.deepEqual(await listAll(vhost, ''), { keys: 1, truncated: 0, outcome: 'ok' });
      // Seen through path style: the object is in the new bucket, under the prefix.
      assert.equal((await rawS3('HEAD', `/${vhostBucket}/p/k`)).status, 200);
      assert.deepEqual(await vhost.deleteMany(['k']), { deleted: 1, failed: 0 });
      assert.equal((await rawS3('HEAD', `/${vhostBucket}/p/k`)).status, 404);
    } finally {
      await rawS3('DELETE', '/' + vhostBucket);
      await vhost.close();
    }
  });

  it('GET of a missing bucket is not_found and never throws', async () => {
    const elsewhere = createS3Store(storeOptions(uniqueBucketName('missing')));
    try {
      const slot = slotFor('k');
      await elsewhere.get(slot);
      assert.equal(outcomeName(slot), 'not_found');
      await assert.rejects(elsewhere.open({ createNamespace: false }), (error: unknown) => {
        assert.ok(isIofleetError(error));
        assert.equal(error.code, 'TARGET_SETUP');
        assert.match(error.message, /does not exist/);
        return true;
      });
    } finally {
      await elsewhere.close();
    }
  });
});

describe('S3 store deleteMany', () => {
  it('deletes more than one batch of 1000 keys and leaves the bucket empty', async () => {
    target = await ensureRgw();
    const bucket = uniqueBucketName('delete-many');
    const store = createS3Store(storeOptions(bucket, { connections: 16 }));
    try {
      await store.open({ createNamespace: true });
      const keys = Array.from({ length: 1005 }, (_, i) => `d${i % 7}/obj-${i}`);
      const slots = Array.from({ length: 16 }, () => slotFor(''));
      let next = 0;
      await Promise.all(
        slots.map(async (slot) => {
          while (next < keys.length) {
            const key = keys[next++]!;
            slot.key = key;
            slot.lengthBytes = 16;
            slot.patternStart = pattern.startFor(key);
            await store.put(slot);
            assert.equal(outcomeName(slot), 'ok');
          }
        }),
      );
      const before = slotFor('');
      before.maxKeys = 1000;
      await store.list(before);
      assert.equal(before.entries, 1000);
      assert.equal(before.resultSize, 1);

      const requests: DeleteRequest[] = [];
      assert.deepEqual(await store.deleteMany(keys, (request) => requests.push({ ...request })), { deleted: 1005, failed: 0 });
      // Two DeleteObjects requests (1000 keys, then 5), each timed.
      assert.deepEqual(
        requests.map(({ first, count, failed, outcome }) => ({ first, count, failed, outcome: OUTCOMES[outcome] })).sort((a, b) => a.first - b.first),
        [
          { first: 0, count: 1000, failed: 0, outcome: 'ok' },
          { first: 1000, count: 5, failed: 0, outcome: 'ok' },
        ],
      );
      assert.ok(requests.every((request) => request.latencyUs > 0));
      assert.deepEqual(await listAll(store, ''), { keys: 0, truncated: 0, outcome: 'ok' });
      assert.deepEqual(await store.deleteMany([]), { deleted: 0, failed: 0 });
    } finally {
      await rawS3('DELETE', '/' + bucket);
      await store.close();
    }
  });

  it('reports a refused DeleteObjects request with its outcome and every key in it failed', async () => {
    target = await ensureRgw();
    const store = createS3Store(storeOptions(uniqueBucketName('no-such-bucket'), { connections: 1 }));
    try {
      const requests: DeleteRequest[] = [];
      assert.deepEqual(await store.deleteMany(['a', 'b', 'c'], (request) => requests.push({ ...request })), { deleted: 0, failed: 3 });
      assert.deepEqual(
        requests.map(({ first, count, failed, outcome }) => ({ first, count, failed, outcome: OUTCOMES[outcome] })),
        [{ first: 0, count: 3, failed: 3, outcome: 'not_found' }], // 404 NoSuchBucket
      );
    } finally {
      await store.close();
    }
  });
});

describe('S3 store set-up failures', () => {
  before(async () => {
    target = await ensureRgw();
  });

  it('a wrong secret key: open() throws CREDENTIALS naming the key id, never the secret', async () => {
    const secret = 'WRONGsecretWRONGsecretWRONGsecret1234567';
    const store = createS3Store(
      storeOptions(uniqueBucketName('creds'), { credentials: { accessKeyId: target.accessKeyId, secretAccessKey: secret } }),
    );
    try {
      await assert.rejects(store.open({ createNamespace: true }), (error: unknown) => {
        assert.ok(isIofleetError(error));
        assert.equal(error.code, 'CREDENTIALS');
        assert.match(error.message, /SignatureDoesNotMatch/);
        assert.ok(error.message.includes(target.accessKeyId));
        assert.ok(!error.message.includes(secret) && !(error.hint ?? '').includes(secret));
        return true;
      });
      const slot = slotFor('k');
      await store.get(slot);
      assert.equal(outcomeName(slot), 'auth');
      assert.equal(slot.status, 403);
    } finally {
      await store.close();
    }
  });

  it('an unknown access key id: open() throws CREDENTIALS', async () => {
    const store = createS3Store(
      storeOptions(uniqueBucketName('creds'), { credentials: { accessKeyId: 'NOSUCHKEY0000000000', secretAccessKey: 'x' } }),
    );
    try {
      await assert.rejects(store.open({ createNamespace: false }), (error: unknown) => {
        assert.ok(isIofleetError(error));
        assert.equal(error.code, 'CREDENTIALS');
        assert.match(error.message, /InvalidAccessKeyId/);
        assert.match(error.message, /NOSUCHKEY0000000000/);
        return true;
      });
    } finally {
      await store.close();
    }
  });

  it('nothing listening: open() throws TARGET_UNREACHABLE, hot-path ops report connect_refused', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const store = createS3Store({ ...storeOptions('b'), endpoint, timeoutMs: 2000 });
    try {
      await assert.rejects(store.open({ createNamespace: true }), (error: unknown) => {
        assert.ok(isIofleetError(error));
        assert.equal(error.code, 'TARGET_UNREACHABLE');
        assert.ok(error.message.includes(endpoint));
        assert.match(error.message, /ECONNREFUSED/);
        assert.match(error.hint ?? '', /AWS_ENDPOINT_URL/);
        return true;
      });
      for (const op of ['get', 'put', 'list', 'stat', 'delete'] as const) {
        const slot = slotFor('k', 10);
        await store[op](slot);
        assert.equal(slot.outcome, OUTCOME.connect_refused, op);
        assert.equal(slot.status, 0);
      }
      await assert.rejects(store.exists('k'), (error: unknown) => isIofleetError(error) && error.code === 'TARGET_UNREACHABLE');
    } finally {
      await store.close();
    }
  });

  it('rejects an endpoint with a path and a prefix without a trailing slash', () => {
    assert.throws(() => createS3Store({ ...storeOptions('b'), endpoint: 'http://127.0.0.1:1/x' }), /without a path/);
    assert.throws(() => createS3Store({ ...storeOptions('b'), prefix: 'run1' }), /end with "\/"/);
  });

  it('after close(), hot-path ops report an outcome instead of throwing', async () => {
    const store = createS3Store(storeOptions('b'));
    await store.close();
    const slot = slotFor('k');
    await store.get(slot);
    assert.notEqual(slot.outcome, OUTCOME.ok);
  });
});

describe('S3 store outcomes from a scripted server', () => {
  // A stand-in S3 on 127.0.0.1:0 whose answer depends on the key: error statuses with and without S3
  // error documents, a server that never answers, one that drops the connection.
  let server: HttpServer;
  let endpoint: string;

  before(async () => {
    server = createHttpServer((req, res) => {
      // "/bucket/KEY" for object requests, "/NAME" for bucket requests: either way the last name decides.
      const key = (req.url ?? '').split('?')[0]!.replace(/^\/(bucket\/)?/, '');
      const xml = (status: number, code: string): void => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message></Error>`);
      };
      if (key === 'slow-down') xml(503, 'SlowDown');
      else if (key === 'unavailable') xml(503, 'ServiceUnavailable');
      else if (key === 'internal') xml(500, 'InternalError');
      else if (key === 'bare-503') res.writeHead(503).end();
      else if (key === 'bad-request') xml(400, 'InvalidArgument');
      else if (key === 'too-many') res.writeHead(429).end();
      else if (key === 'denied') xml(403, 'AccessDenied');
      else if (key === 'split-slow-down') {
        // The error document in two reads: the connection reads into one reused buffer, so a body kept
        // across reads without a copy would have its first part overwritten by the second (no code found).
        res.writeHead(400, { 'content-type': 'application/xml' });
        res.write('<?xml version="1.0" encoding="UTF-8"?><Error><Code>Slow');
        setTimeout(() => res.end(`Down</Code><Message>${'m'.repeat(200)}</Message></Error>`), 30);
      } else if (key === 'hang') return; // never answers
      else if (key === 'drop') req.socket.destroy();
      else if (key === 'partial') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write(Buffer.alloc(10));
        setTimeout(() => req.socket.destroy(), 20);
      } else xml(404, 'NoSuchKey');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('maps statuses and S3 error codes to outcome classes', async () => {
    const store = createS3Store({ ...storeOptions('bucket'), endpoint, timeoutMs: 500 });
    try {
      const expected: Record<string, [string, number]> = {
        'slow-down': ['slow_down', 503],
        unavailable: ['http_5xx', 503],
        internal: ['http_5xx', 500],
        'bare-503': ['slow_down', 503],
        'bad-request': ['http_4xx', 400],
        'split-slow-down': ['slow_down', 400],
        'too-many': ['slow_down', 429],
        denied: ['auth', 403],
        missing: ['not_found', 404],
        hang: ['timeout', 0],
        drop: ['connect_reset', 0],
        partial: ['connect_reset', 200],
      };
      for (const [key, [outcome, status]] of Object.entries(expected)) {
        const slot = slotFor(key);
        slot.verify = true;
        await store.get(slot);
        assert.equal(outcomeName(slot), outcome, key);
        assert.equal(slot.status, status, key);
      }
      const put = slotFor('slow-down', 100);
      await store.put(put);
      assert.equal(outcomeName(put), 'slow_down');
      assert.equal(put.bytes, 0);
    } finally {
      await store.close();
    }
  });

  it('a server that never answers: open() throws TARGET_UNREACHABLE after the timeout', async () => {
    const store = createS3Store({ ...storeOptions('hang'), endpoint, timeoutMs: 300 });
    try {
      // HEAD /hang is the bucket check: the scripted server treats the bucket name as the key.
      await assert.rejects(store.open({ createNamespace: false }), (error: unknown) => {
        assert.ok(isIofleetError(error));
        assert.equal(error.code, 'TARGET_UNREACHABLE');
        assert.match(error.message, /IOFLEET_RESPONSE_TIMEOUT/);
        return true;
      });
    } finally {
      await store.close();
    }
  });
});

describe('resolveS3Credentials', () => {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  const dir = mkdtempSync(join(tmpdir(), 'iofleet-creds-'));
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(
    credentialsFile,
    '[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = defaultsecret\n\n' +
      '[bench]\naws_access_key_id = BENCHKEY\naws_secret_access_key = benchsecret\naws_session_token = benchtoken\n',
  );

  function setEnv(values: Record<string, string | undefined>): void {
    for (const name of names) delete process.env[name];
    process.env['AWS_CONFIG_FILE'] = join(dir, 'no-config');
    for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
  }

  after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the environment first', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'ENVKEY', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_SESSION_TOKEN: 'envtoken', AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
    assert.deepEqual(await resolveS3Credentials({}), { accessKeyId: 'ENVKEY', secretAccessKey: 'envsecret', sessionToken: 'envtoken' });
  });

  it('then the profile from AWS_PROFILE, or default', async () => {
    setEnv({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_PROFILE: 'bench' });
    assert.deepEqual(await resolveS3Credentials({}), { accessKeyId: 'BENCHKEY', secretAccessKey: 'benchsecret', sessionToken: 'benchtoken' });
    setEnv({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
    assert.deepEqual(await resolveS3Credentials({}), { accessKeyId: 'DEFAULTKEY', secretAccessKey: 'defaultsecret' });
  });

  it('an explicit profile wins over the environment', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'ENVKEY', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
    assert.equal((await resolveS3Credentials({ profile: 'bench' })).accessKeyId, 'BENCHKEY');
  });

  it('nothing found: CREDENTIALS naming the sources tried, without secrets', async () => {
    setEnv({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_SECRET_ACCESS_KEY: 'lonelysecret' });
    await assert.rejects(resolveS3Credentials({ profile: 'nosuchprofile' }), (error: unknown) => {
      assert.ok(isIofleetError(error));
      assert.equal(error.code, 'CREDENTIALS');
      assert.match(error.message, /nosuchprofile/);
      assert.match(error.hint ?? '', /AWS_ACCESS_KEY_ID/);
      return true;
    });
    setEnv({ AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_SECRET_ACCESS_KEY: 'lonelysecret' });
    await assert.rejects(resolveS3Credentials({}), (error: unknown) => {
      assert.ok(isIofleetError(error));
      assert.equal(error.code, 'CREDENTIALS');
      assert.match(error.message, /environment/);
      assert.match(error.message, /profile "default"/);
      assert.ok(!error.message.includes('lonelysecret') && !error.message.includes('defaultsecret'));
      return true;
    });
  });
});

