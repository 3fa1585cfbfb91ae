// Object content, derived from a seed and a key, so that every GET can check what it reads without the
// client keeping any copy of what it wrote.
//
// One random block of BLOCK_BYTES is made per seed and stored twice in a row. The content of an object is
// the block read cyclically from a key-dependent start offset: byte i of key k is block[(start(k) + i) %
// BLOCK_BYTES]. Any window of up to BLOCK_BYTES is then one contiguous subarray of the doubled buffer: PUT
// bodies and verify comparisons are views, never copies. The data is pseudo-random (incompressible, so
// no storage system can cheat by compressing it).

import { mix32 } from './mix32.js';

export const BLOCK_BYTES = 1 << 20;

export class DataPattern {
  readonly seed: number;
  private readonly doubled: Buffer;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.doubled = Buffer.allocUnsafe(2 * BLOCK_BYTES);
    fillPseudoRandom(this.doubled.subarray(0, BLOCK_BYTES), this.seed);
    this.doubled.copy(this.doubled, BLOCK_BYTES, 0, BLOCK_BYTES);
  }

  /** Start offset in the block of the content of the object with this key. */
  startFor(key: string): number {
    return hashString(key, this.seed) % BLOCK_BYTES;
  }

  /**
   * The bytes at [position, position + length) of an object whose content starts at `start`.
   * length must be ≤ BLOCK_BYTES; callers split longer ranges.
   */
  view(start: number, position: number, length: number): Buffer {
    const from = (start + position) % BLOCK_BYTES;
    return this.doubled.subarray(from, from + length);
  }

  /** True when `chunk` equals the content at `position` of the object whose content starts at `start`. */
  matches(start: number, position: number, chunk: Uint8Array): boolean {
    let done = 0;
    while (done < chunk.length) {
      const length = Math.min(BLOCK_BYTES, chunk.length - done);
      const expected = this.view(start, position + done, length);
      if (Buffer.compare(expected, chunk.subarray(done, done + length)) !== 0) return false;
      done += length;
    }
    return true;
  }
}

/** FNV-1a over UTF-16 code units, mixed with the seed, finished with a murmur3 avalanche. */
export function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** xorshift32 stream written 4 bytes at a time; deterministic for a seed on every platform. */
function fillPseudoRandom(target: Buffer, seed: number): void {
  let x = seed === 0 ? 0x9e3779b9 : seed;
  for (let i = 0; i + 4 <= target.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    target.writeUInt32LE(x >>> 0, i);
  }
}
