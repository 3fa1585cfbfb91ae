// `file: { keep_open }`: the open file descriptors one worker thread keeps for GETs, in an LRU with a
// fixed bound. A GET that finds its key here preads the open fd, as fio does, instead of open + pread +
// close (4 KiB page-cache reads, 2 threads, bench/node-file-floor.ts: 0.26× fio for open+pread+close, 0.97×
// for pread on open files).
//
// One cache per worker thread, shared by the thread's file stores (one per endpoint, each a "root": the
// index maps (root, key) → entry, entry-table.ts), so that the bound is per thread however many
// endpoints there are, and a PUT or DELETE through one endpoint drops the key's fds kept through the
// others: several NFS mounts of one export share a namespace, and only a fresh open revalidates the
// client's cached pages (close-to-open consistency), so a kept fd could read the content from before the
// overwrite.
//
// Keys are the slots' key indices (IoSlot.keyIndex, a number): a hit builds no name and hashes no string
// (both were ~6% of a kept-open 4 KiB read). A key set by name (keyIndex -1) is never kept, and a write by
// name drops every kept fd, since which of them is the same file cannot be told.
//
// Entries live in typed arrays; the hot path allocates nothing.
// An idle entry is in a doubly linked list, most recently used first; an entry in use by a GET is pinned
// and out of the list, so eviction (from the tail) never closes an fd a read is still using (async I/O
// has many reads in flight per thread), and the cache never holds more than `capacity` fds: when every
// entry is pinned, a newly opened fd is simply not kept.
//
//   sentinel ⇄ e5 ⇄ e2 ⇄ e9 ⇄ sentinel    idle, most recent first: evict prev[sentinel]
//   e4 (pins 2), e7 (pins 1)              in use, out of the list
//   free: e0 e1 e3 …                      no fd
//
// An entry dropped while pinned (an error on its fd, or a PUT/DELETE; the keyspace never lets a writer
// and a reader share a key, so the second does not happen) leaves the index at once and is closed when its
// last pin is released.

import { close, closeSync } from 'node:fs';
import { EntryTable } from './entry-table.js';

export class FdCache {
  readonly capacity: number;
  /** Fds closed to make room for another (for tests and curiosity). */
  evictions = 0;
  private readonly closeFd: (fd: number) => void;
  private readonly fds: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly pins: Int32Array;
  private readonly rootOf: Int32Array;
  /** 1: no longer in the index; closed when the last pin is released. */
  private readonly dropped: Uint8Array;
  private readonly keys: Float64Array;
  private readonly freeEntries: Int32Array;
  private freeCount: number;
  private readonly index: EntryTable;
  private rootCount = 0;
  /** Index of the list's sentinel: next[sentinel] is the most recently used idle entry. */
  private readonly sentinel: number;

  constructor(capacity: number, closeFd: (fd: number) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`FdCache capacity must be a positive integer, not ${capacity}`);
    this.capacity = capacity;
    this.closeFd = closeFd;
    this.fds = new Int32Array(capacity).fill(-1);
    this.prev = new Int32Array(capacity + 1);
    this.next = new Int32Array(capacity + 1);
    this.pins = new Int32Array(capacity);
    this.rootOf = new Int32Array(capacity);
    this.dropped = new Uint8Array(capacity);
    this.keys = new Float64Array(capacity);
    this.index = new EntryTable(capacity);
    this.freeEntries = new Int32Array(capacity);
    // Free entries are handed out from the top: 0 first.
    for (let i = 0; i < capacity; i++) this.freeEntries[i] = capacity - 1 - i;
    this.freeCount = capacity;
    this.sentinel = capacity;
    this.prev[capacity] = capacity;
    this.next[capacity] = capacity;
  }

  /** Fds held now (idle, in use, or dropped and waiting for their last reader). */
  get size(): number {
    return this.capacity - this.freeCount;
  }

  /** A new root (one file store): its keys are its own. Returns the root's index. */
  addRoot(): number {
    return this.rootCount++;
  }

  /** The entry kept for key index `key` under `root`, pinned until `release`; -1 when there is none. */
  acquire(root: number, key: number): number {
    const entry = this.index.get(root, key);
    if (entry < 0) return -1;
    if (this.pins[entry]++ === 0) this.unlink(entry);
    return entry;
  }

  fdOf(entry: number): number {
    return this.fds[entry]!;
  }

  /**
   * Keeps a freshly opened fd, pinned until `release`; evicts the least recently used idle entry when the
   * cache is full. Returns -1 when the fd is not kept (the key has no index, every entry is in use, or a
   * concurrent GET of the same key kept its own first): the caller closes it itself.
   */
  add(root: number, key: number, fd: number): number {
    if (key < 0 || this.index.get(root, key) >= 0) return -1;
    let entry: number;
    if (this.freeCount > 0) {
      entry = this.freeEntries[--this.freeCount]!;
    } else {
      entry = this.prev[this.sentinel]!;
      if (entry === this.sentinel) return -1;
      this.unlink(entry);
      this.index.delete(this.rootOf[entry]!, this.keys[entry]!);
      this.closeFd(this.fds[entry]!);
      this.evictions++;
    }
    this.fds[entry] = fd;
    this.rootOf[entry] = root;
    this.keys[entry] = key;
    this.pins[entry] = 1;
    this.dropped[entry] = 0;
    this.index.set(root, key, entry);
    return entry;
  }

  /** The GET is done with the entry: it becomes the most recently used (or is closed, if dropped meanwhile). */
  release(entry: number): void {
    if (--this.pins[entry]! > 0) return;
    if (this.dropped[entry] === 1) this.closeAndFree(entry);
    else this.linkFirst(entry);
  }

  /** The fd failed (EBADF, ESTALE, EIO, ...): no GET may use it again. Releases the caller's pin. */
  discard(entry: number): void {
    this.detach(entry);
    this.release(entry);
  }

  /**
   * Before a PUT or DELETE of key index `key`: its fds under every root are closed (or will be, once no GET
   * uses them). A key without an index (-1, set by name) drops every fd.
   */
  dropKey(key: number): void {
    if (key < 0) {
      this.dropAll();
      return;
    }
    for (let root = 0; root < this.rootCount; root++) {
      const entry = this.index.get(root, key);
      if (entry >= 0) this.drop(entry);
    }
  }

  /** The root's store closes: every fd it keeps is closed (or will be, once no GET uses it). */
  dropRoot(root: number): void {
    for (let entry = 0; entry < this.capacity; entry++) {
      if (this.fds[entry]! >= 0 && this.dropped[entry] === 0 && this.rootOf[entry] === root) this.drop(entry);
    }
  }

  /** Every fd of every root is closed (or will be, once no GET uses it): before a cleanup's deletes. */
  dropAll(): void {
    for (let root = 0; root < this.rootCount; root++) this.dropRoot(root);
  }

  private drop(entry: number): void {
    this.detach(entry);
    if (this.pins[entry] === 0) {
      this.unlink(entry);
      this.closeAndFree(entry);
    }
  }

  private detach(entry: number): void {
    if (this.dropped[entry] === 1) return;
    this.dropped[entry] = 1;
    this.index.delete(this.rootOf[entry]!, this.keys[entry]!);
  }

  private closeAndFree(entry: number): void {
    this.closeFd(this.fds[entry]!);
    this.fds[entry] = -1;
    this.keys[entry] = -1;
    this.freeEntries[this.freeCount++] = entry;
  }

  private unlink(entry: number): void {
    const before = this.prev[entry]!;
    const after = this.next[entry]!;
    this.next[before] = after;
    this.prev[after] = before;
  }

  private linkFirst(entry: number): void {
    const first = this.next[this.sentinel]!;
    this.prev[entry] = this.sentinel;
    this.next[entry] = first;
    this.prev[first] = entry;
    this.next[this.sentinel] = entry;
  }
}

/**
 * The cache of one worker thread for the plan's I/O mode. Sync I/O closes evicted fds with close(2) at
 * once; async I/O hands the close to libuv's pool like every other call (a close can block on NFS). A
 * failed close is ignored: the fd was only read, so there is nothing it could lose.
 */
export function createFdCache(capacity: number, io: 'sync' | 'async'): FdCache {
  const ignore = (): void => {};
  return new FdCache(
    capacity,
    io === 'sync'
      ? (fd) => {
          try {
            closeSync(fd);
          } catch {
            // see above
          }
        }
      : (fd) => close(fd, ignore),
  );
}
