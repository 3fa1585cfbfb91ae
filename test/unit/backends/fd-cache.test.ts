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
const [A, B, C, D, E, K, OTHER] = [1, 2, 3, 4, 5, 7, 8];

/** A GET as the stores do it: the kept fd, or `fd` newly opened and kept if there is room; then release. */
function read(cache: FdCache, root: number, key: number, fd: number): number {
  let entry = cache.acquire(root, key);
  if (entry < 0) entry = cache.add(root, key, fd);
  const used = cache.fdOf(entry);
  cache.release(entry);
  return used;
}

test('a full cache closes an fd not read since the sweep last passed it (CLOCK), and only that one', () => {
  const { cache, closed } = recordingCache(3);
  const root = cache.addRoot();
  read(cache, root, A, 10);
  read(cache, root, B, 11);
  read(cache, root, C, 12);
  assert.equal(read(cache, root, A, 99), 10, 'a hit reuses the kept fd');
  // Every fd was read since it was kept: the sweep takes a full turn clearing them, then closes the first.
  read(cache, root, D, 13);
  assert.deepEqual(closed, [10]);
  // The hand now points past a's entry, at b's. b is read again; c is not.
  assert.equal(read(cache, root, B, 99), 11);
  read(cache, root, E, 14);
  assert.deepEqual(closed, [10, 12], 'b, read since the sweep passed, had a second chance; c had none');
  assert.equal(cache.evictions, 2);
  assert.equal(cache.size, 3);
  assert.equal(cache.acquire(root, C), -1, 'c is gone');
  for (const [key, fd] of [[B, 11], [D, 13], [E, 14]] as const) assert.equal(read(cache, root, key, 99), fd);
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

test('any sequence of GETs in flight, releases, drops and discards: at most capacity fds, each closed once, CLOCK order, none closed in use', () => {
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
      // The model: the fd kept for each "root/key", and the GETs in flight (a GET whose fd was not kept
      // closes it itself: the cache never sees it again); per entry, its fd, its key (null once dropped)
      // and CLOCK's reference bit, and the sweep's hand.
      const kept = new Map<string, number>();
      const inFlight: { entry: number; fd: number; name: string }[] = [];
      const entryFd = new Map<number, number>();
      const entryName = new Map<number, string | null>();
      const referenced = new Map<number, boolean>();
      let hand = 0;
      const pinned = (entry: number): boolean => inFlight.some((use) => use.entry === entry);
      /** CLOCK's sweep over a full cache, as the model expects it: the entry to evict, or -1. */
      const expectedVictim = (): number => {
        for (let step = 0; step < 2 * capacity; step++) {
          const entry = hand;
          hand = (hand + 1) % capacity;
          if (pinned(entry)) continue;
          if (referenced.get(entry)) {
            referenced.set(entry, false);
            continue;
          }
          return entry;
        }
        return -1;
      };
      const forget = (entry: number): void => {
        entryFd.delete(entry);
        entryName.delete(entry);
      };
      const held = (): Set<number> => new Set([...kept.values(), ...inFlight.filter((use) => use.entry >= 0).map((use) => use.fd)]);
      const everKept = new Set<number>();
      let nextFd = 100;
      for (const c of commands) {
        if (c.kind === 'get') {
          const name = `${c.root}/${c.key}`;
          let entry = cache.acquire(roots[c.root]!, c.key);
          if (entry >= 0) {
            assert.equal(cache.fdOf(entry), kept.get(name), 'a hit returns the fd kept for that key');
            referenced.set(entry, true);
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
          } else {
            const victim = expectedVictim();
            assert.equal(entry, victim, victim < 0 ? 'every kept fd is in use: the new one is not kept' : 'the sweep evicts the first idle, unreferenced entry');
            if (victim >= 0) {
              assert.deepEqual(closed.slice(closedBefore), [entryFd.get(victim)], `entry ${victim}'s fd is closed`);
              kept.delete(entryName.get(victim)!);
              forget(victim);
            }
          }
          if (entry >= 0) {
            kept.set(name, fd);
            everKept.add(fd);
            entryFd.set(entry, fd);
            entryName.set(entry, name);
            referenced.set(entry, true);
          }
          inFlight.push({ entry, fd, name });
        } else if (c.kind === 'release' || c.kind === 'discard') {
          if (inFlight.length === 0) continue;
          const use = inFlight.splice(c.pick % inFlight.length, 1)[0]!;
          if (use.entry < 0) continue;
          if (c.kind === 'discard') {
            cache.discard(use.entry);
            if (kept.get(use.name) === use.fd) kept.delete(use.name);
            entryName.set(use.entry, null);
          } else {
            cache.release(use.entry);
          }
          if (!pinned(use.entry) && entryName.get(use.entry) === null) forget(use.entry); // dropped: closed with its last GET
        } else {
          cache.dropKey(c.key);
          for (const root of [0, 1]) {
            const name = `${root}/${c.key}`;
            kept.delete(name);
            for (const [entry, entryKey] of entryName) {
              if (entryKey !== name) continue;
              if (pinned(entry)) entryName.set(entry, null);
              else forget(entry);
            }
          }
        }
        assert.equal(entryFd.size, cache.size, 'the model holds the entries the cache holds');
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
