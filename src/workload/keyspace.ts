// The keys one worker thread owns, and which of them may be used by which operation right now.
//
// Keys are partitioned between workers (worker w of W owns global indices w, w+W, w+2W, ...), so no two
// threads ever race on a key. Inside a worker, many operations are in flight at once, and the keyspace
// keeps them from racing each other:
//   - GET/STAT pick from the live set and hold a reader count on the key until they finish;
//   - DELETE and overwrite-PUT only pick keys with no reader and no writer; DELETE removes the key from the
//     live set before it is issued, overwrite marks it as being written (readers skip it);
//   - a new PUT joins the live set only when it succeeded.
// So the tool's own races never show up as NotFound errors or verify mismatches.
//
// State per key is a few typed arrays (about 20 bytes a key): no strings, no objects.
//
//   live:      [ l3 | l0 | l7 | ... ]   positions 0..liveCount-1, local ids of readable keys
//   position:  local id → index in live, or -1
//   sizeBytes: local id → size last written (for verify and ranged reads)
//   readers, writing, present (exists on the target, for cleanup)
//   preexisting: one bit a key, set for prepared keys that were already on the target (skip_existing);
//                cleanup leaves them, since the run did not create them

import { BitSet } from './bit-set.js';
import type { KeyChooser } from './key-chooser.js';
import type { Rng } from './rng.js';

const MAX_PICK_TRIES = 8;

/**
 * Memory per key of the key table: live 4 + position 4 + size 8 + readers 2 + writing 1 + present 1 B,
 * and a bit (with the doubling growth of PUT-created keys, up to twice that).
 */
export const KEYSPACE_BYTES_PER_KEY = 20;

export class Keyspace {
  readonly workerIndex: number;
  readonly workerCount: number;
  private capacity: number;
  private live: Int32Array;
  private position: Int32Array;
  private sizes: Float64Array;
  private readers: Uint16Array;
  private writing: Uint8Array;
  private present: Uint8Array;
  private readonly preexisting: BitSet;
  private createdPresent = 0;
  private preexistingPresent = 0;
  private liveCountValue = 0;
  /** Local ids below this have been created (prepared or written). */
  private nextLocal = 0;

  constructor(workerIndex: number, workerCount: number, initialCapacity: number) {
    this.workerIndex = workerIndex;
    this.workerCount = workerCount;
    this.capacity = Math.max(16, initialCapacity);
    this.live = new Int32Array(this.capacity);
    this.position = new Int32Array(this.capacity).fill(-1);
    this.sizes = new Float64Array(this.capacity);
    this.readers = new Uint16Array(this.capacity);
    this.writing = new Uint8Array(this.capacity);
    this.present = new Uint8Array(this.capacity);
    this.preexisting = new BitSet(this.capacity);
  }

  get liveCount(): number {
    return this.liveCountValue;
  }

  /** Number of local ids ever allocated (prepared + new). */
  get allocatedCount(): number {
    return this.nextLocal;
  }

  /** Keys this run wrote (prepared, PUT, or a PUT that failed but may have landed) that may still exist. */
  get createdPresentCount(): number {
    return this.createdPresent;
  }

  /** Keys that were on the target before the run and still are (cleanup leaves them). */
  get preexistingPresentCount(): number {
    return this.preexistingPresent;
  }

  globalIndex(local: number): number {
    return this.workerIndex + this.workerCount * local;
  }

  /** How many of the first `globalCount` global indices this worker owns. */
  static ownedCount(workerIndex: number, workerCount: number, globalCount: number): number {
    return globalCount > workerIndex ? Math.floor((globalCount - 1 - workerIndex) / workerCount) + 1 : 0;
  }

  /** Reserves the next local id for a new object (prepare or PUT); it is not readable until `commitWrite`. */
  allocate(): number {
    if (this.nextLocal === this.capacity) this.grow();
    const local = this.nextLocal++;
    this.writing[local] = 1;
    return local;
  }

  /**
   * A finished write: the key now holds sizeBytes and is readable. `ok` false: not readable, and kept for
   * cleanup when `mayHaveLanded` (a timeout after the server stored it), since its content is unknown.
   */
  commitWrite(local: number, ok: boolean, sizeBytes: number, mayHaveLanded = true): void {
    this.writing[local] = 0;
    if (ok) {
      this.sizes[local] = sizeBytes;
      this.setPresent(local, 1);
      if (this.position[local] === -1) this.addLive(local);
    } else {
      // An overwrite that failed leaves the key as it was on the target (present), whatever landed.
      if (mayHaveLanded || this.position[local] !== -1) this.setPresent(local, 1);
      if (this.position[local] !== -1) this.removeLive(local);
    }
  }

  /**
   * A prepared key found already on the target (prepare.skip_existing): readable like a written one, but
   * cleanup leaves it. It stays "preexisting" for the whole run, even if the workload overwrites it: the
   * run changed its content but did not create it, and deleting it would remove an object the user had
   * before the run (likely prepared on purpose by an earlier run, to be reused). A DELETE in the workload
   * still removes it; its local id is never written again (new PUTs take new ids), so nothing of it is
   * left for cleanup.
   */
  commitPreexisting(local: number, sizeBytes: number): void {
    this.preexisting.add(local);
    this.commitWrite(local, true, sizeBytes);
  }

  /** A key for GET/STAT (reader count held until `releaseRead`), or -1 if none is readable. */
  pickForRead(chooser: KeyChooser, rng: Rng): number {
    for (let attempt = 0; attempt < MAX_PICK_TRIES && this.liveCountValue > 0; attempt++) {
      const local = this.live[chooser.rank(this.liveCountValue, rng.next())]!;
      if (this.writing[local] === 0 && this.readers[local]! < 65535) {
        this.readers[local]!++;
        return local;
      }
    }
    return -1;
  }

  releaseRead(local: number): void {
    this.readers[local]!--;
  }

  /** A key for DELETE or overwrite (no reader, no writer); marked as being written. -1 if none is free. */
  pickForWrite(chooser: KeyChooser, rng: Rng): number {
    for (let attempt = 0; attempt < MAX_PICK_TRIES && this.liveCountValue > 0; attempt++) {
      const local = this.live[chooser.rank(this.liveCountValue, rng.next())]!;
      if (this.writing[local] === 0 && this.readers[local] === 0) {
        this.writing[local] = 1;
        return local;
      }
    }
    return -1;
  }

  /** Before a DELETE is issued: no new operation may pick the key. */
  beginDelete(local: number): void {
    this.removeLive(local);
  }

  /** A finished DELETE. A failed one leaves the object possibly present (cleanup will try again). */
  commitDelete(local: number, ok: boolean): void {
    this.writing[local] = 0;
    if (ok) this.setPresent(local, 0);
  }

  sizeOf(local: number): number {
    return this.sizes[local]!;
  }

  /** Local ids this run created that may exist on the target: what cleanup deletes (not preexisting ones). */
  localsToCleanUp(): number[] {
    const result: number[] = [];
    for (let local = 0; local < this.nextLocal; local++) if (this.present[local] === 1 && !this.preexisting.has(local)) result.push(local);
    return result;
  }

  markAbsent(local: number): void {
    this.setPresent(local, 0);
    if (this.position[local] !== -1) this.removeLive(local);
  }

  /** Every change of `present` goes through here, so the two counts stay exact without a scan. */
  private setPresent(local: number, value: 0 | 1): void {
    if (this.present[local] === value) return;
    this.present[local] = value;
    const change = value === 1 ? 1 : -1;
    if (this.preexisting.has(local)) this.preexistingPresent += change;
    else this.createdPresent += change;
  }

  private addLive(local: number): void {
    this.position[local] = this.liveCountValue;
    this.live[this.liveCountValue++] = local;
  }

  private removeLive(local: number): void {
    const at = this.position[local]!;
    const last = this.live[--this.liveCountValue]!;
    this.live[at] = last;
    this.position[last] = at;
    this.position[local] = -1;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Int32Array | Float64Array | Uint16Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.live = grown(this.live, (n) => new Int32Array(n));
    const position = new Int32Array(capacity).fill(-1);
    position.set(this.position);
    this.position = position;
    this.sizes = grown(this.sizes, (n) => new Float64Array(n));
    this.readers = grown(this.readers, (n) => new Uint16Array(n));
    this.writing = grown(this.writing, (n) => new Uint8Array(n));
    this.present = grown(this.present, (n) => new Uint8Array(n));
    this.capacity = capacity;
  }
}
