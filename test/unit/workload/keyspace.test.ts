import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Keyspace } from '../../../src/workload/keyspace.js';
import { KeyChooser } from '../../../src/workload/key-chooser.js';
import { allDirectories, keyName, leafDirectoryCount, leafDirectoryName } from '../../../src/workload/key-layout.js';
import { Rng } from '../../../src/workload/rng.js';

const UNIFORM = new KeyChooser({ kind: 'uniform' });

function filled(count: number): Keyspace {
  const keys = new Keyspace(0, 1, 4);
  for (let i = 0; i < count; i++) keys.commitWrite(keys.allocate(), true, 100 + i);
  return keys;
}

test('workers own disjoint keys that together cover every index', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 500 }), (workers, total) => {
      const seen = new Set<number>();
      let owned = 0;
      for (let w = 0; w < workers; w++) {
        const keys = new Keyspace(w, workers, 1);
        const count = Keyspace.ownedCount(w, workers, total);
        owned += count;
        for (let i = 0; i < count; i++) {
          const index = keys.globalIndex(keys.allocate());
          assert.ok(!seen.has(index));
          seen.add(index);
        }
      }
      assert.equal(owned, total);
      assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i));
    }),
  );
});

test('a key being read is never picked for delete; a deleted key is never read', () => {
  const keys = filled(3);
  const rng = new Rng(1);
  const readers = [keys.pickForRead(UNIFORM, rng), keys.pickForRead(UNIFORM, rng), keys.pickForRead(UNIFORM, rng)];
  for (let i = 0; i < 50; i++) {
    const victim = keys.pickForWrite(UNIFORM, rng);
    assert.ok(victim === -1 || !readers.includes(victim), 'delete picked a key with a reader');
    if (victim !== -1) {
      keys.beginDelete(victim);
      keys.commitDelete(victim, true);
      for (let j = 0; j < 50; j++) assert.notEqual(keys.pickForRead(UNIFORM, rng), victim);
    }
  }
});

test('a new key is readable only after its write succeeded', () => {
  const keys = filled(0);
  const rng = new Rng(2);
  const local = keys.allocate();
  assert.equal(keys.pickForRead(UNIFORM, rng), -1);
  keys.commitWrite(local, false, 10);
  assert.equal(keys.pickForRead(UNIFORM, rng), -1, 'a failed write is not readable');
  assert.deepEqual(keys.localsToCleanUp(), [local], 'but it is kept for cleanup');
  const other = keys.allocate();
  keys.commitWrite(other, true, 10);
  assert.equal(keys.pickForRead(UNIFORM, rng), other);
  assert.equal(keys.sizeOf(other), 10);
});

test('the keyspace grows past its initial capacity and keeps sizes', () => {
  const keys = filled(1000);
  assert.equal(keys.liveCount, 1000);
  assert.equal(keys.sizeOf(999), 1099);
});

test('cleanup leaves keys that existed before the run, even overwritten; deletes the ones the run wrote', () => {
  const keys = new Keyspace(0, 1, 4);
  const rng = new Rng(4);
  const existing = [keys.allocate(), keys.allocate(), keys.allocate()];
  for (const local of existing) keys.commitPreexisting(local, 100);
  const written = keys.allocate();
  keys.commitWrite(written, true, 100);
  // The workload overwrites every key it can: an overwritten preexisting key is still not the run's.
  for (let i = 0; i < 50; i++) {
    const local = keys.pickForWrite(UNIFORM, rng);
    if (local !== -1) keys.commitWrite(local, true, 200);
  }
  assert.equal(keys.liveCount, 4, 'preexisting keys are readable');
  assert.deepEqual(keys.localsToCleanUp(), [written]);
  assert.equal(keys.createdPresentCount, 1);
  assert.equal(keys.preexistingPresentCount, 3);
  // A DELETE of a preexisting key removes it: it is neither kept nor left for cleanup.
  keys.beginDelete(existing[1]!);
  keys.commitDelete(existing[1]!, true);
  assert.equal(keys.preexistingPresentCount, 2);
  keys.markAbsent(written);
  assert.equal(keys.createdPresentCount, 0);
  assert.deepEqual(keys.localsToCleanUp(), []);
});

test('the preexisting mark survives the keyspace growing', () => {
  const keys = new Keyspace(0, 1, 4);
  for (let i = 0; i < 1000; i++) {
    const local = keys.allocate();
    if (i % 3 === 0) keys.commitPreexisting(local, 1);
    else keys.commitWrite(local, true, 1);
  }
  const cleaned = keys.localsToCleanUp();
  assert.equal(cleaned.length, 666);
  assert.ok(cleaned.every((local) => local % 3 !== 0));
  assert.equal(keys.preexistingPresentCount, 334);
});

test('zipf picks hot ranks far more often than uniform, and stays in range', () => {
  const rng = new Rng(3);
  const zipf = new KeyChooser({ kind: 'zipf', theta: 0.99 });
  const n = 10_000;
  let hot = 0;
  for (let i = 0; i < 100_000; i++) {
    const rank = zipf.rank(n, rng.next());
    assert.ok(rank >= 0 && rank < n);
    if (rank < 10) hot++;
  }
  // Uniform would give 0.1% to the 10 hottest keys; Zipf(0.99) gives them roughly a quarter.
  assert.ok(hot > 15_000 && hot < 40_000, `hot share ${hot / 1000}%`);
});

test('tree key names spread over leaf directories', () => {
  const layout = { kind: 'tree', width: 10, depth: 2, filesPerDir: 5 } as const;
  assert.equal(keyName(layout, 42), 'd4/d2/f0');
  assert.equal(keyName(layout, 142), 'd4/d2/f1');
  assert.equal(keyName({ kind: 'flat' }, 42), 'obj-42');
});

test('the leaf directories of a tree are exactly its deepest directories, one per leaf index', () => {
  const layout = { kind: 'tree', width: 3, depth: 3, filesPerDir: 1 } as const;
  assert.equal(leafDirectoryName(layout, 5), 'd0/d1/d2/', '5 = 0·9 + 1·3 + 2');
  const leaves = Array.from({ length: leafDirectoryCount(layout) }, (_, leaf) => leafDirectoryName(layout, leaf));
  const deepest = allDirectories(layout).filter((dir) => dir.split('/').length === layout.depth + 1);
  assert.deepEqual([...leaves].sort(), deepest.sort());
  assert.equal(new Set(leaves).size, 27);
});

test('a write refused before its data could land is neither readable nor left for cleanup', () => {
  const keys = filled(0);
  const rng = new Rng(3);
  const refused = keys.allocate();
  keys.commitWrite(refused, false, 10, false);
  assert.equal(keys.pickForRead(UNIFORM, rng), -1);
  assert.deepEqual(keys.localsToCleanUp(), [], 'nothing was created');
  assert.equal(keys.createdPresentCount, 0);
  const uncertain = keys.allocate();
  keys.commitWrite(uncertain, false, 10, true);
  assert.deepEqual(keys.localsToCleanUp(), [uncertain], 'a write that may have landed is cleaned up');
});
