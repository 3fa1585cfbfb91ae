// The 32-bit hash of routing: logical keys (consistent_hash looks them up on the ring) and ring points
// (`endpointId#i`). FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so that keys differing in
// one trailing character (obj-1, obj-2, ...) land far apart: FNV-1a alone mixes its last character poorly.
//
// This function is a persistent contract: with `namespace: independent`, where an object lives is decided
// by it, so a run reading objects prepared by an earlier build must hash identically. It is deliberately
// routing's own copy (same algorithm as workload/data-pattern.ts `hashString`, seed 0) so that a change to
// the data pattern cannot silently move objects between endpoints; test/unit/routing/hash.test.ts pins
// known values.

/** 32-bit unsigned hash of `text`. Allocates nothing; O(text.length). */
export function hashKey(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
