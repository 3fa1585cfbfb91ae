// The file store with keep_open, in both I/O modes, on a real temporary directory: which fds the process
// holds (/proc/self/fd) after GETs, PUTs, DELETEs, a failed fd and close.

import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, readdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFdCache, type FdCache } from '../../../src/backends/file/fd-cache.js';
import { createFileStore } from '../../../src/backends/file/file-store.js';
import { createIoSlot, type IoSlot, type ObjectStore } from '../../../src/backends/object-store.js';
import { OUTCOME, OUTCOMES } from '../../../src/backends/outcome.js';
import { DataPattern } from '../../../src/workload/data-pattern.js';

const IO_MODES = ['sync', 'async'] as const;
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

function slotFor(key: string): IoSlot {
  const slot = createIoSlot(pattern);
  slot.key = key;
  slot.patternStart = pattern.startFor(key);
  return slot;
}

async function put(store: ObjectStore, key: string, sizeBytes: number): Promise<void> {
  const slot = slotFor(key);
  slot.lengthBytes = sizeBytes;
  await store.put(slot);
  assert.equal(OUTCOMES[slot.outcome], 'ok');
}

/** A verified GET: the whole object (expected size) or a range. Returns the outcome's name. */
async function get(store: ObjectStore, key: string, expectedBytes: number, range?: { offsetBytes: number; lengthBytes: number }): Promise<string> {
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
    await put(store, 'k', 3 * 4096);
    for (let i = 0; i < 5; i++) {
      assert.equal(await get(store, 'k', 3 * 4096), 'ok');
      assert.equal(await get(store, 'k', 3 * 4096, { offsetBytes: 4096 * (i % 3), lengthBytes: 4096 }), 'ok');
    }
    assert.deepEqual(openFilesUnder(dir), [join(dir, 'k')], 'one fd, kept between GETs');
    assert.equal(cache.size, 1);
    await store.close();
    await settled();
    assert.deepEqual(openFilesUnder(dir), [], 'close() closes every kept fd');
  });

  test(`${io}: more keys than the bound: the process holds at most the bound, and every GET still verifies`, async () => {
    const { dir, cache, store } = setUp(io, 4);
    for (let i = 0; i < 12; i++) await put(store, `k${i}`, 1024 + i);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 12; i++) assert.equal(await get(store, `k${i}`, 1024 + i), 'ok');
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
    await put(store, 'k', 8192);
    assert.equal(await get(store, 'k', 8192), 'ok');
    assert.equal(await get(otherMount, 'k', 8192), 'ok');
    assert.equal(cache.size, 2);
    unlinkSync(join(dir, 'k'));
    await put(store, 'k', 5000);
    assert.equal(cache.size, 0);
    assert.equal(await get(otherMount, 'k', 5000), 'ok');
    assert.equal(await get(store, 'k', 5000), 'ok');
    await settled();
    assert.ok(!openFilesUnder(dir).some((path) => path.endsWith('(deleted)')), 'no fd of the replaced file is left');
    await otherMount.close();
    await store.close();
    unlinkSync(link);
  });

  test(`${io}: a DELETE closes the key's kept fd (the deleted file's space is not held)`, async () => {
    const { dir, store } = setUp(io);
    await put(store, 'gone', 4096);
    await put(store, 'stays', 4096);
    assert.equal(await get(store, 'gone', 4096), 'ok');
    assert.equal(await get(store, 'stays', 4096), 'ok');
    const slot = slotFor('gone');
    await store.delete(slot);
    assert.equal(OUTCOMES[slot.outcome], 'ok');
    await settled();
    assert.deepEqual(openFilesUnder(dir), [join(dir, 'stays')]);
    assert.deepEqual(await store.deleteMany(['stays']), { deleted: 1, failed: 0 });
    await settled();
    assert.deepEqual(openFilesUnder(dir), [], 'deleteMany (cleanup) closes kept fds too');
    await store.close();
  });

  test(`${io}: a kept fd that fails is counted as a failed GET, closed, and the next GET opens the file again`, async () => {
    const { dir, cache, store } = setUp(io);
    await put(store, 'k', 4096);
    assert.equal(await get(store, 'k', 4096), 'ok');
    // Close it behind the cache's back: its next pread fails with EBADF, as a stale fd would fail.
    const entry = cache.acquire(0, 'k');
    closeSync(cache.fdOf(entry));
    cache.release(entry);
    assert.equal(await get(store, 'k', 4096), 'internal', 'EBADF is counted (an fd iofleet lost is a bug), not thrown');
    assert.equal(cache.size, 0, 'the failed fd is dropped');
    assert.equal(await get(store, 'k', 4096), 'ok');
    assert.deepEqual(openFilesUnder(dir), [join(dir, 'k')]);
    await store.close();
  });
}

test('a missing key is not_found and keeps nothing', async () => {
  const { dir, cache, store } = setUp('async');
  assert.equal(await get(store, 'nothing-here', 10), 'not_found');
  assert.equal(cache.size, 0);
  assert.deepEqual(openFilesUnder(dir), []);
  await store.close();
});
