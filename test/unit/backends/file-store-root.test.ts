// The file store never creates its root directory: open() refuses a missing one (unless asked to create
// the last level), and a PUT creates the directories below the root that a tree layout needs, but a
// root that is gone (removed, unmounted) fails the PUT instead of being made again on the disk beneath.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { directoriesBelowRoot } from '../../../src/backends/file/file-ops-common.js';
import { createFileStore } from '../../../src/backends/file/file-store.js';
import { IoSlot, type ObjectStore } from '../../../src/backends/object-store.js';
import { OUTCOMES } from '../../../src/backends/outcome.js';
import { isIofleetError } from '../../../src/errors.js';
import { DataPattern } from '../../../src/workload/data-pattern.js';

const pattern = new DataPattern(5);

async function putByName(store: ObjectStore, key: string): Promise<string> {
  const slot = new IoSlot(pattern);
  slot.key = key;
  slot.patternStart = pattern.startFor(key);
  slot.lengthBytes = 100;
  await store.put(slot);
  return OUTCOMES[slot.outcome]!;
}

test('directoriesBelowRoot: each level between the root and the file, never the root', () => {
  assert.deepEqual(directoriesBelowRoot('/r/', 'd0/d3/f17'), ['/r/d0', '/r/d0/d3']);
  assert.deepEqual(directoriesBelowRoot('/r/', 'obj-1'), []);
});

for (const io of ['sync', 'async'] as const) {
  test(`${io}: a PUT creates the tree's directories below the root`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'iofleet-root-'));
    const store = createFileStore({ root, io });
    assert.equal(await putByName(store, 'd1/d2/f3'), 'ok');
    assert.equal(readFileSync(join(root, 'd1', 'd2', 'f3')).length, 100);
    assert.equal(await putByName(store, 'd1/d4/f0'), 'ok', 'a sibling under an existing directory');
  });

  test(`${io}: a PUT into a root that is gone fails and does not create the root again`, async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'iofleet-root-')), 'mount');
    const store = createFileStore({ root, io });
    assert.equal(await putByName(store, 'obj-1'), 'not_found');
    assert.equal(await putByName(store, 'd0/d1/f2'), 'not_found');
    assert.ok(!existsSync(root), 'the root was not created');
  });
}

test('open(): a missing root is refused and not created; create makes the last level only', async () => {
  const base = mkdtempSync(join(tmpdir(), 'iofleet-root-'));
  const missing = join(base, 'a', 'b');
  await assert.rejects(createFileStore({ root: missing, io: 'sync' }).open({ createNamespace: false }), (error: unknown) => {
    assert.ok(isIofleetError(error));
    assert.equal(error.code, 'TARGET_UNREACHABLE');
    assert.equal(error.message, `file://${missing}/: no such directory; create it (mkdir -p ${missing}/) or fix the target`);
    return true;
  });
  await assert.rejects(createFileStore({ root: missing, io: 'sync' }).open({ createNamespace: true }), /makes the last level only/);
  assert.ok(!existsSync(join(base, 'a')));

  const oneLevel = join(base, 'a');
  await createFileStore({ root: oneLevel, io: 'sync' }).open({ createNamespace: true });
  assert.ok(existsSync(oneLevel));
  rmSync(base, { recursive: true });
});
