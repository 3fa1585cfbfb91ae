// Cleanup through the file store: every key is one unlink, reported as one timed request with its
// outcome; a key already gone counts as deleted (that is what cleanup wants), any other failure does not.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileStore } from '../../../src/backends/file/file-store.js';
import type { DeleteRequest } from '../../../src/backends/object-store.js';
import { OUTCOMES } from '../../../src/backends/outcome.js';

test('deleteMany: one request per key, already-gone counts as deleted, a failed unlink reports its class', async () => {
  const root = mkdtempSync(join(tmpdir(), 'iofleet-delete-many-'));
  writeFileSync(join(root, 'a'), 'x');
  writeFileSync(join(root, 'c'), 'y');
  mkdirSync(join(root, 'dir')); // unlink of a directory fails (EISDIR)
  writeFileSync(join(root, 'dir', 'keep'), 'z');
  const store = createFileStore({ root, io: 'sync' });
  const requests: DeleteRequest[] = [];
  const startMs = performance.now();
  const result = await store.deleteMany(['a', 'missing', 'dir', 'c'], (request) => requests.push({ ...request }));
  const wallUs = (performance.now() - startMs) * 1000;
  assert.deepEqual(result, { deleted: 3, failed: 1 });
  // Each unlink is timed on its own, in µs: together no longer than the whole call.
  const timedUs = requests.reduce((sum, request) => sum + request.latencyUs, 0);
  assert.ok(requests.every((request) => Number.isInteger(request.latencyUs) && request.latencyUs >= 0) && timedUs <= wallUs + requests.length, `${timedUs} µs timed in a ${wallUs} µs call`);
  assert.deepEqual(
    requests.map(({ first, count, isBatch, failed, outcome }) => ({ first, count, isBatch, failed, outcome: OUTCOMES[outcome] })),
    [
      { first: 0, count: 1, isBatch: false, failed: 0, outcome: 'ok' },
      { first: 1, count: 1, isBatch: false, failed: 0, outcome: 'ok' },
      { first: 2, count: 1, isBatch: false, failed: 1, outcome: 'io_error' },
      { first: 3, count: 1, isBatch: false, failed: 0, outcome: 'ok' },
    ],
  );
  assert.deepEqual(readdirSync(root), ['dir'], 'the two files went; the directory that could not be unlinked stays');
});
