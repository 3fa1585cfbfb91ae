// An explicit `threads:` that the plan cannot honour is cut down, and the plan says why (validate prints
// it, run warns): never a silent change of what the workload asked for.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkloadText } from '../../../src/config/load.js';
import { describePlan } from '../../../src/outputs/plan-description.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';

function planOf(lines: string) {
  return compilePlan(parseWorkloadText(`target: null://\nops: 100\n${lines}\n`, 't.yaml'), { env: {}, cores: 2 });
}

test('more threads than operations in flight: one thread per operation, and the reason', () => {
  const plan = planOf('threads: 16\nconcurrency: 4\nworkload:\n  - { op: put, weight: 1 }');
  assert.equal(plan.threads, 4);
  assert.equal(plan.threadsCapReason, 'threads: 16 asked for, 4 used: a worker thread needs at least one operation in flight (concurrency: 4)');
  assert.match(describePlan(plan, 't.yaml'), /\n +\(threads: 16 asked for, 4 used: /);
});

test('reads only, fewer prepared objects than threads: one thread per prepared object, and the reason', () => {
  const plan = planOf('threads: 8\nconcurrency: 8\nprepare: { objects: 3 }\nworkload:\n  - { op: get, weight: 1 }');
  assert.equal(plan.threads, 3);
  assert.match(plan.threadsCapReason ?? '', /each needs a prepared one \(3 prepared\)$/);
});

test('threads honoured, or auto: no reason given', () => {
  assert.equal(planOf('threads: 2\nconcurrency: 4\nworkload:\n  - { op: put, weight: 1 }').threadsCapReason, undefined);
  assert.equal(planOf('concurrency: 1\nworkload:\n  - { op: put, weight: 1 }').threadsCapReason, undefined);
});
