// The loader never crashes: any text, and any mutation of a valid file, either parses or fails with an
// IofleetError whose every line names the file and a line:col.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseWorkloadText } from '../../../src/config/load.js';
import { IofleetError } from '../../../src/errors.js';

function assertCleanOutcome(text: string): void {
  try {
    parseWorkloadText(text, 'fuzz.yaml');
  } catch (error) {
    assert.ok(error instanceof IofleetError, `not an IofleetError: ${String(error)}`);
    for (const line of error.message.split('\n')) assert.match(line, /^fuzz\.yaml:\d+:\d+ /, `line without a location: ${line}`);
  }
}

test('random text never crashes the loader', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), assertCleanOutcome), { numRuns: 500 });
});

const VALID = {
  target: 'file:///tmp/x/',
  duration: '10s',
  prepare: { objects: 10, size: '4KiB' },
  workload: [
    { op: 'get', weight: 60 },
    { op: 'put', weight: 40, size: { dist: 'uniform', min: '1KiB', max: '8KiB' } },
  ],
};

const anyValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 1e9 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

test('mutations of a valid file never crash the loader', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('target', 'duration', 'prepare', 'workload', 'size', 'op', 'weight', 'dist', 'min', 'rate', 'keys', 'concurency'), anyValue), { maxLength: 4 }), (mutations) => {
      const doc = structuredClone(VALID) as Record<string, unknown>;
      for (const [key, value] of mutations) {
        if (key === 'size' || key === 'dist' || key === 'min') doc.prepare = { objects: 10, size: { dist: 'uniform', min: 1, max: 2, [key]: value } };
        else if (key === 'op' || key === 'weight') doc.workload = [{ op: 'get', weight: 1, [key]: value }];
        else doc[key] = value;
      }
      assertCleanOutcome(stringify(doc));
    }),
    { numRuns: 500 },
  );
});
