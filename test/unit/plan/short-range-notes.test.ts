// A ranged GET longer than the prepared objects is legal when PUTs write larger ones, but its reads of
// prepared objects return less than the range: validate and run say so.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkloadText } from '../../../src/config/load.js';
import { describePlan, shortRangeNotes } from '../../../src/outputs/plan-description.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';

function planOf(prepareSize: string, range: string) {
  const config = parseWorkloadText(
    `target: null://\nops: 10\nprepare: { objects: 10, size: ${prepareSize} }\nworkload:\n  - { op: get, weight: 1, range: ${range} }\n  - { op: put, weight: 1, size: 1MiB }\n`,
    'r.yaml',
  );
  return compilePlan(config, { env: {}, cores: 2 });
}

test('a range larger than every prepared object is noted, in validate too', () => {
  const plan = planOf('4KiB', '64KiB');
  const notes = shortRangeNotes(plan);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /^get range=64KiB: the range is larger than every prepared object \(at most 4 KiB\)/);
  assert.match(describePlan(plan, 'r.yaml'), /\nnote: get range=64KiB: the range is larger than every prepared object/);
});

test('a range larger than only some prepared objects names the smallest', () => {
  const notes = shortRangeNotes(planOf('[{ size: 4KiB, weight: 1 }, { size: 1MiB, weight: 1 }]', '64KiB'));
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /larger than some prepared objects \(the smallest: about 4 KiB\)/);
});

test('a range within every prepared object is not noted', () => {
  assert.deepEqual(shortRangeNotes(planOf('128KiB', '64KiB')), []);
  assert.deepEqual(shortRangeNotes(planOf('64KiB', '64KiB')), []);
});

test('an unbounded lognormal is judged by its 0.1% quantile, not by 0 bytes', () => {
  // mean 1 MiB, stddev 100 KiB: the 0.1% quantile is ~750 KiB, far above a 4 KiB range.
  assert.deepEqual(shortRangeNotes(planOf('{ dist: lognormal, mean: 1MiB, stddev: 100KiB }', '4KiB')), []);
  assert.match(shortRangeNotes(planOf('{ dist: lognormal, mean: 1MiB, stddev: 100KiB }', '900KiB'))[0] ?? '', /larger than some prepared objects \(the smallest: about 7\d\d(\.\d)? KiB\)/);
});
