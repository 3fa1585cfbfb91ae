// The keep_open LRU on its own, with fake fds (numbers) and a recording close: which fd it closes, when,
// and that it never holds more than its capacity nor closes an fd a GET still uses.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FdCache } from '../../../src/backends/file/fd-cache.js';

function recordingCache(capacity: number): { cache: FdCache; closed: number[] } {
  const closed: number[] = [];
  return { cache: new FdCache(capacity, (fd) => closed.push(fd)), closed };
}

// Key indices (IoSlot.keyIndex) with names for reading.
const [A, B, C, D, K, OTHER] = [1, 2, 3, 4, 7, 8];

/** A GET as the stores do it: the kept fd, or `fd` newly opened and kept if there is room; then release. */
function read(cache: FdCache, root: number, key: number, fd: number): number {
  let entry = cache.acquire(root, key);
  if (entry < 0) entry = cache.add(root, key, fd);
  const used = cache.fdOf(entry);
  cache.release(entry);
  return used;
}

test('a full cache closes the least recently read fd, and only that one', () => {
  const { cache, closed } = recordingCache(3);
  const root = cache.addRoot();
  read(cache, root, A, 10);
  read(cache, root, B, 11);
  read(cache, root, C, 12);
  assert.equal(read(cache, root, A, 99), 10, 'a hit reuses the kept fd');
  read(cache, root, D, 13); // b is now the least recently read
  assert.deepEqual(closed, [11]);
  assert.equal(cache.evictions, 1);
  assert.equal(cache.size, 3);
  assert.equal(cache.acquire(root, B), -1, 'b is gone');
  for (const [key, fd] of [[A, 10], [C, 12], [D, 13]] as const) assert.equal(read(cache, root, key, 99), fd);
});

test('an fd in use is never closed to make room: a new one is not kept instead', () => {
  const { cache, closed } = recordingCache(2);
  const root = cache.addRoot();
  const a = cache.add(root, A, 10);
  const b = cache.add(root, B, 11);
  assert.equal(cache.add(root, C, 12), -1, 'no idle entry to evict: c is not kept');
  assert.deepEqual(closed, []);
  cache.release(a);
  const c = cache.add(root, C, 12);
  assert.ok(c >= 0);
  assert.deepEqual(closed, [10], 'a, idle again, made room for c');
  assert.equal(cache.fdOf(b), 11, 'b, still in use, kept its fd');
  cache.release(b);
  cache.release(c);
  assert.equal(cache.size, 2);
});

test('two GETs of one key share its fd; a second fd opened meanwhile is not kept', () => {
  const { cache } = recordingCache(4);
  const root = cache.addRoot();
  const first = cache.add(root, K, 10);
  assert.equal(cache.add(root, K, 11), -1, 'a concurrent miss keeps its own fd out (its caller closes it)');
  const second = cache.acquire(root, K);
  assert.equal(second, first);
  cache.release(first);
  cache.release(second);
  assert.equal(cache.size, 1);
});

test('dropKey closes the key under every root (a PUT or DELETE through one endpoint), and no other', () => {
  const { cache, closed } = recordingCache(8);
  const mountA = cache.addRoot();
  const mountB = cache.addRoot();
  read(cache, mountA, K, 10);
  read(cache, mountB, K, 11);
  read(cache, mountB, OTHER, 12);
  cache.dropKey(K);
  assert.deepEqual(closed.sort(), [10, 11]);
  assert.equal(cache.acquire(mountA, K), -1);
  assert.equal(cache.acquire(mountB, K), -1);
  assert.equal(read(cache, mountB, OTHER, 99), 12);
  assert.equal(cache.size, 1);
});

test('an fd dropped or discarded while in use is closed when its last GET releases it, and never handed out again', () => {
  const { cache, closed } = recordingCache(4);
  const root = cache.addRoot();
  const first = cache.add(root, K, 10);
  const second = cache.acquire(root, K);
  cache.discard(second); // that GET's read failed
  assert.deepEqual(closed, [], 'the other GET still reads it');
  assert.equal(cache.acquire(root, K), -1, 'no new GET gets the failed fd');
  cache.dropKey(K); // already out of the map: nothing more to do
  cache.release(first);
  assert.deepEqual(closed, [10]);
  assert.equal(cache.size, 0);
  assert.equal(read(cache, root, K, 20), 20, 'the key opens afresh');
});

test('a key set by name (index -1) is never kept, and a write by name drops every kept fd', () => {
  const { cache, closed } = recordingCache(4);
  const mountA = cache.addRoot();
  const mountB = cache.addRoot();
  assert.equal(cache.add(mountA, -1, 10), -1, 'its caller closes it');
  assert.equal(cache.acquire(mountA, -1), -1);
  read(cache, mountA, A, 11);
  read(cache, mountB, B, 12);
  const inUse = cache.add(mountB, C, 13);
  cache.dropKey(-1);
  assert.deepEqual(closed.sort(), [11, 12], 'which kept fd is the same file cannot be told: all idle ones close');
  assert.equal(cache.acquire(mountB, C), -1, 'the one in use is out of the map');
  cache.release(inUse);
  assert.deepEqual(closed.sort(), [11, 12, 13], 'and closes when its GET is done');
  assert.equal(cache.size, 0);
});

test('dropRoot closes every fd of that root (its store closes) and leaves the others', () => {
  const { cache, closed } = recordingCache(8);
  const rootA = cache.addRoot();
  const rootB = cache.addRoot();
  for (let i = 0; i < 3; i++) read(cache, rootA, 10 + i, 10 + i);
  read(cache, rootB, B, 20);
  cache.dropRoot(rootA);
  assert.deepEqual(closed.sort(), [10, 11, 12]);
  assert.equal(cache.size, 1);
  cache.dropRoot(rootB);
  assert.equal(cache.size, 0);
});

test('any sequence of GETs in flight, releases, drops and discards: at most capacity fds, each closed once, LRU order, none closed in use', () => {
  type Command =
    | { kind: 'get'; root: number; key: number }
    | { kind: 'release'; pick: number }
    | { kind: 'discard'; pick: number }
    | { kind: 'drop'; key: number };
  const command: fc.Arbitrary<Command> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('get' as const), root: fc.integer({ min: 0, max: 1 }), key: fc.integer({ min: 0, max: 9 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('discard' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), key: fc.integer({ min: 0, max: 9 }) }) },
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.array(command, { maxLength: 200 }), (capacity, commands) => {
      const closed: number[] = [];
      const cache = new FdCache(capacity, (fd) => closed.push(fd));
      const roots = [cache.addRoot(), cache.addRoot()];
      // The model: the fd kept for each "root/key", the idle ones in LRU order (oldest first), and the GETs
      // in flight (a GET whose fd was not kept closes it itself: the cache never sees it again).
      const kept = new Map<string, number>();
      let idle: string[] = [];
      const inFlight: { entry: number; fd: number; name: string }[] = [];
      const held = (): Set<number> => new Set([...kept.values(), ...inFlight.filter((use) => use.entry >= 0).map((use) => use.fd)]);
      const everKept = new Set<number>();
      let nextFd = 100;
      for (const c of commands) {
        if (c.kind === 'get') {
          const name = `${c.root}/${c.key}`;
          let entry = cache.acquire(roots[c.root]!, c.key);
          if (entry >= 0) {
            assert.equal(cache.fdOf(entry), kept.get(name), 'a hit returns the fd kept for that key');
            idle = idle.filter((other) => other !== name);
            inFlight.push({ entry, fd: cache.fdOf(entry), name });
            continue;
          }
          assert.ok(!kept.has(name), `a miss for ${name}, which is kept`);
          const fd = nextFd++;
          const closedBefore = closed.length;
          const room = held().size < capacity;
          entry = cache.add(roots[c.root]!, c.key, fd);
          if (room) {
            assert.ok(entry >= 0, 'kept: there was room');
            assert.equal(closed.length, closedBefore);
          } else if (idle.length > 0) {
            assert.ok(entry >= 0, 'kept: an idle fd made room');
            const victim = idle.shift()!;
            assert.deepEqual(closed.slice(closedBefore), [kept.get(victim)], `the least recently used idle fd (${victim}) is closed`);
            kept.delete(victim);
          } else {
            assert.equal(entry, -1, 'every kept fd is in use: the new one is not kept');
          }
          if (entry >= 0) {
            kept.set(name, fd);
            everKept.add(fd);
          }
          inFlight.push({ entry, fd, name });
        } else if (c.kind === 'release' || c.kind === 'discard') {
          if (inFlight.length === 0) continue;
          const use = inFlight.splice(c.pick % inFlight.length, 1)[0]!;
          if (use.entry < 0) continue;
          if (c.kind === 'discard') {
            cache.discard(use.entry);
            if (kept.get(use.name) === use.fd) kept.delete(use.name);
          } else {
            cache.release(use.entry);
          }
          const isLastUse = !inFlight.some((other) => other.entry >= 0 && other.fd === use.fd);
          if (isLastUse && kept.get(use.name) === use.fd) idle.push(use.name);
        } else {
          cache.dropKey(c.key);
          for (const root of [0, 1]) {
            kept.delete(`${root}/${c.key}`);
            idle = idle.filter((other) => other !== `${root}/${c.key}`);
          }
        }
        assert.equal(cache.size, held().size, 'the cache holds the kept fds and the dropped ones still in use');
        assert.ok(cache.size <= capacity);
        for (const use of inFlight) if (use.entry >= 0) assert.ok(!closed.includes(use.fd), `fd ${use.fd} closed while a GET uses it`);
        for (const fd of held()) assert.ok(!closed.includes(fd), `fd ${fd} closed while kept`);
      }
      for (const use of inFlight) if (use.entry >= 0) cache.release(use.entry);
      cache.dropRoot(roots[0]!);
      cache.dropRoot(roots[1]!);
      assert.equal(cache.size, 0);
      assert.equal(new Set(closed).size, closed.length, 'no fd closed twice');
      assert.deepEqual([...closed].sort(), [...everKept].sort(), 'every kept fd, and only those, closed in the end');
    }),
  );
});
