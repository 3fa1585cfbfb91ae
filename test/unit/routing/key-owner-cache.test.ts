// The per-key owner cache answers what the ring answers, for ids in any order (the cache grows), on
// repeated lookups, and for keys without an id (LIST prefixes), which are never cached under an id.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hashKey } from '../../../src/routing/hash.js';
import { KeyOwnerCache } from '../../../src/routing/key-owner-cache.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { strategyOptions } from './fake-view.js';

test('ownerOf is the ring owner of the key, for ids in any order and on repeats', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 300 }), (count, ids) => {
      const strategy = createStrategy('consistent_hash', strategyOptions(count));
      const cache = new KeyOwnerCache(strategy);
      for (const id of [...ids, ...ids]) {
        const key = `obj-${id}`;
        assert.equal(cache.ownerOf(id, { key }), strategy.owner(hashKey(key)), key);
      }
    }),
    { numRuns: 50 },
  );
});

test('keys without an id are looked up every time, and do not fill an id', () => {
  const strategy = createStrategy('consistent_hash', strategyOptions(5));
  const cache = new KeyOwnerCache(strategy);
  const prefixes = ['', 'd0/', 'd1/', 'd2/d7/', 'obj-0'];
  for (const prefix of prefixes) assert.equal(cache.ownerOf(-1, { key: prefix }), strategy.owner(hashKey(prefix)), prefix);
  // id 0 was never given: its own key decides its owner.
  assert.equal(cache.ownerOf(0, { key: 'obj-12345' }), strategy.owner(hashKey('obj-12345')));
});
