// What validate says of a size distribution: exact for fixed sizes and weighted lists (the expected
// prepared bytes are count × mean), sampled for the others; and samples stay within min/max.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSizeDistribution, describeSizeDistribution, sampleSize } from '../../../src/workload/size-distribution.js';
import { Rng } from '../../../src/workload/rng.js';

const KiB = 1024;

test('a weighted list: exact mean, p50 and p99', () => {
  // 80% 4 KiB, 20% 256 KiB: mean 0.8 × 4 + 0.2 × 256 = 54.4 KiB.
  const dist = compileSizeDistribution([
    { size: 256 * KiB, weight: 20 },
    { size: 4 * KiB, weight: 80 },
  ]);
  assert.deepEqual(describeSizeDistribution(dist), { meanBytes: Math.round(54.4 * KiB), p50Bytes: 4 * KiB, p99Bytes: 256 * KiB });
  // 50/50: the median is the smaller size (half the mass is at or below it).
  const even = compileSizeDistribution([
    { size: 1 * KiB, weight: 1 },
    { size: 2 * KiB, weight: 1 },
  ]);
  assert.deepEqual(describeSizeDistribution(even), { meanBytes: 1536, p50Bytes: 1 * KiB, p99Bytes: 2 * KiB });
});

test('a uniform range: sampled, close to exact, never outside it', () => {
  const dist = compileSizeDistribution({ dist: 'uniform', min: 1000, max: 3000 });
  const described = describeSizeDistribution(dist);
  assert.ok(Math.abs(described.meanBytes - 2000) < 20, `mean ${described.meanBytes}`);
  const rng = new Rng(7);
  for (let i = 0; i < 10_000; i++) {
    const size = sampleSize(dist, rng);
    assert.ok(size >= 1000 && size <= 3000 && Number.isInteger(size), `${size}`);
  }
});
