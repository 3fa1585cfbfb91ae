// The fd cache's index on its own: any sequence of adds and removals answers every lookup as a Map does,
// in tables small enough that probe runs collide, wrap around the end and get holes closed behind them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EntryTable } from '../../../src/backends/file/entry-table.js';

test('lookups after any adds and removals equal a Map model, full tables included', () => {
  type Command = { kind: 'set' | 'delete'; root: number; key: number };
  const command: fc.Arbitrary<Command> = fc.record({
    kind: fc.constantFrom('set' as const, 'delete' as const),
    root: fc.integer({ min: 0, max: 2 }),
    // Small keys collide in a small table; huge ones check that the whole number is compared.
    key: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(2 ** 32 + 3, 2 ** 40 + 3, 3)),
  });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.array(command, { maxLength: 300 }), (maxPairs, commands) => {
      const table = new EntryTable(maxPairs);
      const model = new Map<string, number>();
      let nextEntry = 0;
      for (const c of commands) {
        const name = `${c.root}/${c.key}`;
        if (c.kind === 'set') {
          if (model.has(name) || model.size === maxPairs) continue;
          table.set(c.root, c.key, nextEntry);
          model.set(name, nextEntry++);
        } else {
          table.delete(c.root, c.key);
          model.delete(name);
        }
        for (let root = 0; root <= 2; root++) {
          for (const key of [...Array(41).keys(), 2 ** 32 + 3, 2 ** 40 + 3]) {
            assert.equal(table.get(root, key), model.get(`${root}/${key}`) ?? -1, `${root}/${key} after ${c.kind} ${name}`);
          }
        }
      }
    }),
    { numRuns: 300 },
  );
});
