// Which workload entries share a row in the results: those that do the same work (sizes apart, kept
// apart by size bucket), not a ranged GET, an overwriting PUT or a LIST of another prefix.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkloadText } from '../../../src/config/load.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';

test('entries doing different work get rows of their own; sizes alone do not', () => {
  const plan = compilePlan(
    parseWorkloadText(
      `target: file:///tmp/x/
ops: 10
prepare: { objects: 10, size: 64KiB }
workload:
  - { op: list, weight: 1 }
  - { op: list, weight: 1, prefix: zz/ }
  - { op: get, weight: 1 }
  - { op: get, weight: 1, range: 4KiB }
  - { op: put, weight: 1, size: 4KiB }
  - { op: put, weight: 1, size: 1MiB }
  - { op: put, weight: 1, overwrite: true }
`,
      'l.yaml',
    ),
    { env: {}, cores: 2 },
  );
  assert.deepEqual(plan.opLabels, ['list', 'list prefix=zz/', 'get', 'get range=4KiB', 'put', 'put overwrite', 'prepare', 'cleanup']);
  assert.deepEqual(plan.ops.map((op) => plan.opLabels[op.label]), ['list', 'list prefix=zz/', 'get', 'get range=4KiB', 'put', 'put', 'put overwrite']);
});
