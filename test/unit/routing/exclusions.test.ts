import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';

test('an exclusion set holds what was added since begin(), and counts distinct members', () => {
  const set = new ExclusionSet(4);
  assert.equal(set.has(0), false);
  set.begin();
  set.add(1);
  set.add(3);
  set.add(3);
  assert.deepEqual([0, 1, 2, 3].map((e) => set.has(e)), [false, true, false, true]);
  assert.equal(set.size, 2);
  set.begin();
  assert.deepEqual([0, 1, 2, 3].map((e) => set.has(e)), [false, false, false, false]);
  assert.equal(set.size, 0);
});

test('an exclusion set stays correct when its stamp wraps around', () => {
  const set = new ExclusionSet(3);
  set.add(2); // under the first stamp, which the wrap comes back to
  // White-box: jump to the last stamp instead of calling begin() 2^32 times.
  (set as unknown as { stamp: number }).stamp = 0xffffffff;
  set.add(0);
  assert.equal(set.has(0), true);
  set.begin();
  assert.deepEqual([0, 1, 2].map((e) => set.has(e)), [false, false, false]);
  set.add(1);
  assert.deepEqual([0, 1, 2].map((e) => set.has(e)), [false, true, false]);
});

test('NO_EXCLUSIONS excludes nothing', () => {
  assert.equal(NO_EXCLUSIONS.has(0), false);
});
