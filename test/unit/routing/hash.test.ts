import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashKey } from '../../../src/routing/hash.js';

test('hashKey is pinned: with namespace independent, object placement depends on these exact values', () => {
  assert.deepEqual(
    ['', 'a', 'obj-0', 'obj-1', 'http://10.0.0.1:7480#0', 'données/é'].map((text) => hashKey(text) >>> 0),
    PINNED,
  );
});

test('hashKey returns a signed 32-bit integer (a Smi: no allocation when passed around)', () => {
  for (let i = 0; i < 1000; i++) {
    const h = hashKey(`obj-${i}`);
    assert.equal(h, h | 0);
  }
});

test('one flipped input bit flips about half of the 32 output bits (avalanche), wherever it is', () => {
  let flipped = 0;
  let pairs = 0;
  for (let i = 0; i < 20_000; i++) {
    const key = `bucket/obj-${i}`;
    const at = i % key.length;
    const other = key.slice(0, at) + String.fromCharCode(key.charCodeAt(at) ^ (1 << i % 7)) + key.slice(at + 1);
    let x = (hashKey(key) ^ hashKey(other)) >>> 0;
    while (x !== 0) {
      flipped += x & 1;
      x >>>= 1;
    }
    pairs++;
  }
  const mean = flipped / pairs;
  assert.ok(mean > 15.5 && mean < 16.5, `mean flipped bits ${mean}`);
});

test('sequential keys spread evenly over the 32-bit range (top 4 bits, chi-square)', () => {
  const buckets = new Array<number>(16).fill(0);
  const n = 160_000;
  for (let i = 0; i < n; i++) buckets[hashKey(`obj-${i}`) >>> 28]++;
  const expected = n / 16;
  const chi2 = buckets.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 40, `chi-square ${chi2} with 15 degrees of freedom`); // p ≈ 0.0005
});

const PINNED = [2872998923, 444641715, 3508047530, 3238800607, 3816708131, 2083399171];
