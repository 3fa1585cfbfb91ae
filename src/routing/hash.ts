// The 32-bit hash of routing: logical keys (consistent_hash looks them up on the ring) and ring points
// (`endpointId#i`). FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so that keys differing in
// one trailing character (obj-1, obj-2, ...) land far apart: FNV-1a alone mixes its last character poorly.
//
// This function is a persistent contract: with `namespace: independent`, where an object lives is decided
// by it, so a run reading objects prepared by an earlier build must hash identically. It is deliberately
// routing's own copy (same algorithm as workload/data-pattern.ts `hashString`, seed 0) so that a change to
// the data pattern cannot silently move objects between endpoints; test/unit/routing/hash.test.ts pins
// known values.
//
// The result is a *signed* 32-bit integer: V8 keeps those as small integers (Smis) everywhere, while an
// unsigned value ≥ 2^31 becomes a heap-allocated number whenever it crosses a call that is not inlined,
// i.e. one allocation per operation on the hot path (measured: test/unit/routing/allocation.test.ts).
// Code that needs the unsigned order uses `hash >>> 0` locally (hash-ring.ts).

/** 32-bit hash of `text`, as a signed int32 (`>>> 0` gives the unsigned value). O(text.length), no allocation. */
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
  return h | 0;
}
