// The ring alone (issue 4: "prove it with a test on the ring alone").
//
// Tolerances: an endpoint's share of the ring is a sum of `vnodes` arcs that are ≈ exponential, so its
// relative standard deviation is ≈ 1/√vnodes (7.9% at 160; measured 7.2% over 2,500 endpoints of 500
// random rings, worst 25.7%). We allow 4/√vnodes (31.6%), plus 4 binomial standard deviations for sampling
// 100k keys. A ring that reshuffled keys on a change (hash mod N, or points placed by endpoint index)
// would move N/(N+1) of them, far outside. fast-check runs with a fixed seed so the statistical bounds
// are reproducible, not flaky.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hashKey } from '../../../src/routing/hash.js';
import { HashRing } from '../../../src/routing/hash-ring.js';
import { endpointUrls } from './fake-view.js';

const KEY_COUNT = 100_000;
const KEYS = Int32Array.from({ length: KEY_COUNT }, (_, i) => hashKey(`obj-${i}`));
const VNODES = 160;
const FC = { seed: 20240604, numRuns: 40 } as const;

function tolerance(share: number): number {
  return (4 / Math.sqrt(VNODES)) * share + 4 * Math.sqrt((share * (1 - share)) / KEY_COUNT);
}

function owners(ring: HashRing): Int32Array {
  return Int32Array.from(KEYS, (k) => ring.ownerOf(k));
}

const ones = (n: number): number[] => new Array<number>(n).fill(1);

/** 2..9 distinct endpoint URLs, in arbitrary order. */
const urlSets = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1024, max: 65535 })).map(
    ([a, b, port]) => `http://10.${a}.${b}.1:${port}`,
  ),
  { minLength: 3, maxLength: 9 },
);

test('adding an endpoint to N moves ≈ 1/(N+1) of the keys, every one of them to the new endpoint', () => {
  fc.assert(
    fc.property(urlSets, (urls) => {
      const n = urls.length - 1; // N in 2..8, the last URL is the one added
      const before = owners(new HashRing(urls.slice(0, n), ones(n), VNODES));
      const after = owners(new HashRing(urls, ones(n + 1), VNODES));
      let moved = 0;
      for (let k = 0; k < KEY_COUNT; k++) {
        if (before[k] !== after[k]) {
          moved++;
          assert.equal(after[k], n, `key ${k} moved from ${before[k]} to ${after[k]}, not to the new endpoint`);
        }
      }
      const expected = 1 / (n + 1);
      assert.ok(Math.abs(moved / KEY_COUNT - expected) <= tolerance(expected), `N=${n}: moved ${moved / KEY_COUNT}, expected ${expected}`);
    }),
    FC,
  );
});

test('each endpoint owns ≈ 1/N of the keys at vnodes=160', () => {
  fc.assert(
    fc.property(urlSets, (urls) => {
      const n = urls.length;
      const counts = new Array<number>(n).fill(0);
      for (const owner of owners(new HashRing(urls, ones(n), VNODES))) counts[owner]++;
      for (let e = 0; e < n; e++) {
        assert.ok(Math.abs(counts[e] / KEY_COUNT - 1 / n) <= tolerance(1 / n), `N=${n}: endpoint ${e} owns ${counts[e] / KEY_COUNT}`);
      }
    }),
    FC,
  );
});

test('ownership depends on the set of endpoints, not on their order in the config', () => {
  const urls = endpointUrls(5);
  const ring = new HashRing(urls, ones(5), VNODES);
  const reversed = new HashRing([...urls].reverse(), ones(5), VNODES);
  for (let k = 0; k < 10_000; k++) assert.equal(urls[ring.ownerOf(KEYS[k])], [...urls].reverse()[reversed.ownerOf(KEYS[k])]);
});

test('an endpoint of weight 2 owns about twice the share', () => {
  const urls = endpointUrls(3);
  const counts = [0, 0, 0];
  for (const owner of owners(new HashRing(urls, [1, 2, 1], VNODES))) counts[owner]++;
  assert.ok(Math.abs(counts[1] / KEY_COUNT - 0.5) <= tolerance(0.5), `${counts}`);
});

test('the lookup finds the first point at or after the hash, wrapping around past the last', () => {
  const ring = new HashRing(endpointUrls(3), ones(3), 4);
  assert.equal(ring.pointCount, 12);
  for (let i = 1; i < ring.pointCount; i++) assert.ok(ring.hashAt(i - 1) <= ring.hashAt(i), 'points are sorted');
  const reference = (hash: number): number => {
    for (let i = 0; i < ring.pointCount; i++) if (ring.hashAt(i) >= hash) return i;
    return 0;
  };
  const pointHashes = Array.from({ length: ring.pointCount }, (_, i) => ring.hashAt(i));
  const edges = pointHashes.flatMap((h) => [h - 1, h, h + 1]).filter((h) => h >= 0 && h <= 0xffffffff);
  for (const hash of [0, 0xffffffff, ...edges]) {
    assert.equal(ring.pointFor(hash), reference(hash), `hash ${hash}`);
    assert.equal(ring.pointForBySearch(hash), reference(hash), `hash ${hash}`);
  }
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (hash) => {
      assert.equal(ring.pointFor(hash), reference(hash));
      assert.equal(ring.pointForBySearch(hash), reference(hash));
    }),
  );
  // Signed 32-bit hashes (hashKey's) are read as unsigned.
  assert.equal(ring.pointFor(-1), reference(0xffffffff));
});

test('the bucket table gives the binary search answer on big rings, with weights, for 100k keys', () => {
  for (const [count, vnodes] of [[1, 1], [2, 3], [8, 160], [5, 1000]] as const) {
    const ring = new HashRing(endpointUrls(count), Array.from({ length: count }, (_, e) => 1 + (e % 3)), vnodes);
    for (const key of KEYS) assert.equal(ring.pointFor(key), ring.pointForBySearch(key));
  }
});
