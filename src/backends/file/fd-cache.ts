// `file: { keep_open }`: the open file descriptors one worker thread keeps for GETs, up to a fixed bound,
// evicting with the CLOCK algorithm (second chance, an approximation of least recently used). A GET that finds its key here preads the open fd, as fio does, instead of open + pread +
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
// Entries live in typed arrays; the hot path allocates nothing and keeps no list in order: a GET that hits
// sets its entry's pin and reference bit, and releasing it drops the pin (exact LRU relinked list
// neighbours on every hit and every release: a hit and its release took 34 ns in a tight loop, 22 with
// CLOCK, table lookup included). To make room, a hand sweeps the entries: an entry in use by a GET (pinned) is
// skipped, so eviction never closes an fd a read is still using (async I/O has many reads in flight per
// thread); a referenced one loses its bit and is passed over once; the first idle, unreferenced one is
// closed. When every entry is pinned, a newly opened fd is simply not kept, so the cache never holds more
// than `capacity` fds.
//
//   entries:  e0 e1 e2 e3 e4 e5      pins  0  2  0  0  1  0
//             hand → e2              ref   1  1  1  0  0  1
//   sweep: e2 (ref: clear, pass), e3 (idle, unreferenced): evict e3
//   free: entries with no fd, handed out before any eviction
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
  private readonly pins: Int32Array;
  /** 1: read since the hand last passed (CLOCK's second chance). */
  private readonly referenced: Uint8Array;
  private readonly rootOf: Int32Array;
  /** 1: no longer in the index; closed when the last pin is released. */
  private readonly dropped: Uint8Array;
  private readonly keys: Float64Array;
  private readonly freeEntries: Int32Array;
  private freeCount: number;
  private readonly index: EntryTable;
  private rootCount = 0;
  /** The entry the next eviction looks at first. */
  private hand = 0;

  constructor(capacity: number, closeFd: (fd: number) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`FdCache capacity must be a positive integer, not ${capacity}`);
    this.capacity = capacity;
    this.closeFd = closeFd;
    this.fds = new Int32Array(capacity).fill(-1);
    this.pins = new Int32Array(capacity);
    this.referenced = new Uint8Array(capacity);
    this.rootOf = new Int32Array(capacity);
    this.dropped = new Uint8Array(capacity);
    this.keys = new Float64Array(capacity);
    this.index = new EntryTable(capacity);
    this.freeEntries = new Int32Array(capacity);
    // Free entries are handed out from the top: 0 first.
    for (let i = 0; i < capacity; i++) this.freeEntries[i] = capacity - 1 - i;
    this.freeCount = capacity;
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
    this.pins[entry]++;
    this.referenced[entry] = 1;
    return entry;
  }

  fdOf(entry: number): number {
    return this.fds[entry]!;
  }

  /**
   * Keeps a freshly opened fd, pinned until `release`; evicts an idle entry (see the sweep above) when the
   * cache is full. Returns -1 when the fd is not kept (the key has no index, every entry is in use, or a
   * concurrent GET of the same key kept its own first): the caller closes it itself.
   */
  add(root: number, key: number, fd: number): number {
    if (key < 0 || this.index.get(root, key) >= 0) return -1;
    let entry: number;
    if (this.freeCount > 0) {
      entry = this.freeEntries[--this.freeCount]!;
    } else {
      entry = this.victim();
      if (entry < 0) return -1;
      this.index.delete(this.rootOf[entry]!, this.keys[entry]!);
      this.closeFd(this.fds[entry]!);
      this.evictions++;
    }
    this.fds[entry] = fd;
    this.rootOf[entry] = root;
    this.keys[entry] = key;
    this.pins[entry] = 1;
    this.referenced[entry] = 1;
    this.dropped[entry] = 0;
    this.index.set(root, key, entry);
    return entry;
  }

  /** The GET is done with the entry (closed now if it was dropped meanwhile and this was its last GET). */
  release(entry: number): void {
    if (--this.pins[entry]! === 0 && this.dropped[entry] === 1) this.closeAndFree(entry);
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
    if (this.pins[entry] === 0) this.closeAndFree(entry);
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

  /**
   * CLOCK's sweep over a full cache: the first entry from the hand that no GET uses and none read since
   * the hand last passed; -1 when every entry is in use. Two turns at most: the first clears every
   * reference bit it passes.
   */
  private victim(): number {
    for (let step = 0; step < 2 * this.capacity; step++) {
      const entry = this.hand;
      this.hand = entry + 1 === this.capacity ? 0 : entry + 1;
      if (this.pins[entry]! > 0) continue;
      if (this.referenced[entry] === 1) {
        this.referenced[entry] = 0;
        continue;
      }
      return entry;
    }
    return -1;
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
