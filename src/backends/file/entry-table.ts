// The FdCache's index: (root, key index) → entry, an open-addressing hash table in typed arrays with
// linear probing. Its size is fixed by the cache's capacity (it never holds more than `capacity` pairs,
// and stays at most half full), so it never grows, allocates nothing after construction, and a lookup
// is a multiply, a shift and a probe or two. It replaced a Map<number, number> per root, whose lookup and
// hash-map builtin took ~20 ns of a kept-open 4 KiB read in perf (one thread); the whole read got ~1%
// faster, within the noise of an interleaved A/B.
//
// Removal shifts later pairs of the same probe run back (no tombstones), so a table that has seen
// millions of inserts and removals probes as short as a fresh one.

const EMPTY = -1;

export class EntryTable {
  private readonly mask: number;
  /** 32 - log2(size): the multiplicative hash keeps the top bits. */
  private readonly shift: number;
  private readonly entries: Int32Array;
  private readonly keys: Float64Array;
  private readonly roots: Int32Array;

  /** A table for at most `maxPairs` pairs at once. */
  constructor(maxPairs: number) {
    let size = 2;
    while (size < 2 * maxPairs) size *= 2;
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.entries = new Int32Array(size).fill(EMPTY);
    this.keys = new Float64Array(size);
    this.roots = new Int32Array(size);
  }

  /** The entry of (root, key), or -1. */
  get(root: number, key: number): number {
    for (let slot = this.home(root, key); ; slot = (slot + 1) & this.mask) {
      const entry = this.entries[slot]!;
      if (entry === EMPTY || (this.keys[slot] === key && this.roots[slot] === root)) return entry;
    }
  }

  /** Adds (root, key) → entry; the pair must not be in the table, and the table must have room. */
  set(root: number, key: number, entry: number): void {
    let slot = this.home(root, key);
    while (this.entries[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.entries[slot] = entry;
    this.keys[slot] = key;
    this.roots[slot] = root;
  }

  /** Removes (root, key) if present. */
  delete(root: number, key: number): void {
    let hole = this.home(root, key);
    while (true) {
      const entry = this.entries[hole]!;
      if (entry === EMPTY) return;
      if (this.keys[hole] === key && this.roots[hole] === root) break;
      hole = (hole + 1) & this.mask;
    }
    // Close the hole: a later pair of the run moves back into it unless its home lies cyclically in
    // (hole, slot], where it is still reachable.
    for (let slot = (hole + 1) & this.mask; this.entries[slot] !== EMPTY; slot = (slot + 1) & this.mask) {
      const home = this.home(this.roots[slot]!, this.keys[slot]!);
      const reachable = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
      if (reachable) continue;
      this.entries[hole] = this.entries[slot]!;
      this.keys[hole] = this.keys[slot]!;
      this.roots[hole] = this.roots[slot]!;
      hole = slot;
    }
    this.entries[hole] = EMPTY;
  }

  private home(root: number, key: number): number {
    // Fibonacci hashing of the key's low 32 bits (key indices above 2^32 collide more, still correct).
    return Math.imul((key | 0) ^ Math.imul(root, 0x7feb352d), 0x9e3779b1) >>> this.shift;
  }
}
