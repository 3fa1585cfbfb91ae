// The file store with keep_open, in both I/O modes, on a real temporary directory: which fds the process
// holds (/proc/self/fd) after GETs, PUTs, DELETEs, a failed fd and close.

import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, readdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFdCache, type FdCache } from '../../../src/backends/file/fd-cache.js';
import { createFileStore } from '../../../src/backends/file/file-store.js';
import { IoSlot, type ObjectStore } from '../../../src/backends/object-store.js';
import { OUTCOME, OUTCOMES } from '../../../src/backends/outcome.js';
import { DataPattern } from '../../../src/workload/data-pattern.js';
import { FLAT_LAYOUT, keyName } from '../../../src/workload/key-layout.js';

const IO_MODES = ['sync', 'async'] as const;
const [K, GONE, STAYS] = [7, 8, 9];
const pattern = new DataPattern(11);

/** Links of this process's open fds that point into `dir` (" (deleted)" appended for unlinked files). */
function openFilesUnder(dir: string): string[] {
  const links: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      if (link.startsWith(dir)) links.push(link);
    } catch {
      // closed between the listing and the readlink (the listing's own fd)
    }
  }
  return links.sort();
}

/** Keys as the engine sets them: by index (the fd cache's key); their files are named obj-<index>. */
function slotFor(key: number): IoSlot {
  const slot = new IoSlot(pattern, FLAT_LAYOUT);
  slot.setKeyIndex(key);
  slot.patternStart = pattern.startFor(slot.key);
  return slot;
}

const fileOf = (dir: string, key: number): string => join(dir, keyName(FLAT_LAYOUT, key));

async function put(store: ObjectStore, key: number, sizeBytes: number): Promise<void> {
  const slot = slotFor(key);
  slot.lengthBytes = sizeBytes;
  await store.put(slot);
  assert.equal(OUTCOMES[slot.outcome], 'ok');
}

/** A verified GET: the whole object (expected size) or a range. Returns the outcome's name. */
async function get(store: ObjectStore, key: number, expectedBytes: number, range?: { offsetBytes: number; lengthBytes: number }): Promise<string> {
  const slot = slotFor(key);
  slot.verify = true;
  slot.expectedBytes = expectedBytes;
  if (range) {
    slot.offsetBytes = range.offsetBytes;
    slot.lengthBytes = range.lengthBytes;
  }
  await store.get(slot);
  if (range && slot.outcome === OUTCOME.ok) assert.equal(slot.bytes, range.lengthBytes);
  return OUTCOMES[slot.outcome]!;
}

function setUp(io: 'sync' | 'async', capacity = 16): { dir: string; cache: FdCache; store: ObjectStore } {
  const dir = mkdtempSync(join(tmpdir(), 'iofleet-keep-open-'));
  const cache = createFdCache(capacity, io);
  return { dir, cache, store: createFileStore({ root: dir, io, fdCache: cache }) };
}

/** Async closes of evicted or dropped fds go through libuv's pool: give them a moment. */
async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

for (const io of IO_MODES) {
  test(`${io}: GETs, whole and ranged, of a kept key read one fd that stays open`, async () => {
    const { dir, cache, store } = setUp(io);
    await put(store, K, 3 * 4096);
    for (let i = 0; i < 5; i++) {
      assert.equal(await get(store, K, 3 * 4096), 'ok');
      assert.equal(await get(store, K, 3 * 4096, { offsetBytes: 4096 * (i % 3), lengthBytes: 4096 }), 'ok');
    }
    assert.deepEqual(openFilesUnder(dir), [fileOf(dir, K)], 'one fd, kept between GETs');
    assert.equal(cache.size, 1);
    await store.close();
    await settled();
    assert.deepEqual(openFilesUnder(dir), [], 'close() closes every kept fd');
  });

  test(`${io}: more keys than the bound: the process holds at most the bound, and every GET still verifies`, async () => {
    const { dir, cache, store } = setUp(io, 4);
    for (let i = 0; i < 12; i++) await put(store, i, 1024 + i);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 12; i++) assert.equal(await get(store, i, 1024 + i), 'ok');
    await settled();
    assert.equal(openFilesUnder(dir).length, 4);
    assert.ok(cache.evictions >= 12 * 3 - 4, `${cache.evictions} evictions`);
    await store.close();
  });

  test(`${io}: a PUT closes the key's kept fds first, through every store of the thread (the next GET reads what it wrote)`, async () => {
    // Another client replaced the file (a new inode) after it was kept open; a kept fd would go on
    // reading the old one. A second store reaches the same directory through a symlink, as a second
    // mount of one export would.
    const { dir, cache, store } = setUp(io);
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    const otherMount = createFileStore({ root: link, io, fdCache: cache });
    await put(store, K, 8192);
    assert.equal(await get(store, K, 8192), 'ok');
    assert.equal(await get(otherMount, K, 8192), 'ok');
    assert.equal(cache.size, 2);
    unlinkSync(fileOf(dir, K));
    await put(store, K, 5000);
    assert.equal(cache.size, 0);
    assert.equal(await get(otherMount, K, 5000), 'ok');
    assert.equal(await get(store, K, 5000), 'ok');
    await settled();
    assert.ok(!openFilesUnder(dir).some((path) => path.endsWith('(deleted)')), 'no fd of the replaced file is left');
    await otherMount.close();
    await store.close();
    unlinkSync(link);
  });

  test(`${io}: a DELETE closes the key's kept fd (the deleted file's space is not held)`, async () => {
    const { dir, store } = setUp(io);
    await put(store, GONE, 4096);
    await put(store, STAYS, 4096);
    assert.equal(await get(store, GONE, 4096), 'ok');
    assert.equal(await get(store, STAYS, 4096), 'ok');
    const slot = slotFor(GONE);
    await store.delete(slot);
    assert.equal(OUTCOMES[slot.outcome], 'ok');
    await settled();
    assert.deepEqual(openFilesUnder(dir), [fileOf(dir, STAYS)]);
    assert.deepEqual(await store.deleteMany([keyName(FLAT_LAYOUT, STAYS)]), { deleted: 1, failed: 0 });
    await settled();
    assert.deepEqual(openFilesUnder(dir), [], 'deleteMany (cleanup) closes kept fds too');
    await store.close();
  });

  test(`${io}: a kept fd that fails is counted as a failed GET, closed, and the next GET opens the file again`, async () => {
    const { dir, cache, store } = setUp(io);
    await put(store, K, 4096);
    assert.equal(await get(store, K, 4096), 'ok');
    // Close it behind the cache's back: its next pread fails with EBADF, as a stale fd would fail.
    const entry = cache.acquire(0, K);
    closeSync(cache.fdOf(entry));
    cache.release(entry);
    assert.equal(await get(store, K, 4096), 'internal', 'EBADF is counted (an fd iofleet lost is a bug), not thrown');
    assert.equal(cache.size, 0, 'the failed fd is dropped');
    assert.equal(await get(store, K, 4096), 'ok');
    assert.deepEqual(openFilesUnder(dir), [fileOf(dir, K)]);
    await store.close();
  });
}

test('a GET of a key set by name is not kept, and a PUT by name closes every kept fd', async () => {
  const { dir, cache, store } = setUp('sync');
  await put(store, K, 4096);
  assert.equal(await get(store, K, 4096), 'ok');
  const byName = new IoSlot(pattern);
  byName.key = keyName(FLAT_LAYOUT, GONE);
  byName.lengthBytes = 100;
  await store.put(byName);
  assert.equal(OUTCOMES[byName.outcome], 'ok');
  assert.equal(cache.size, 0, 'which kept fd is the same file cannot be told by name: all go');
  await store.get(byName);
  assert.equal(OUTCOMES[byName.outcome], 'ok');
  assert.equal(byName.bytes, 100);
  assert.equal(cache.size, 0);
  assert.deepEqual(openFilesUnder(dir), []);
  await store.close();
});

test('a missing key is not_found and keeps nothing', async () => {
  const { dir, cache, store } = setUp('async');
  assert.equal(await get(store, 404, 10), 'not_found');
  assert.equal(cache.size, 0);
  assert.deepEqual(openFilesUnder(dir), []);
  await store.close();
});
