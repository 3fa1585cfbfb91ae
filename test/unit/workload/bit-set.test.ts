import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BitSet } from '../../../src/workload/bit-set.js';

test('a bit set holds exactly what was added, across word boundaries and growth', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), (added) => {
      const bits = new BitSet(1);
      for (const index of added) bits.add(index);
      const expected = new Set(added);
      for (let index = 0; index <= 5100; index++) assert.equal(bits.has(index), expected.has(index), `index ${index}`);
    }),
    { numRuns: 50 },
  );
});
