// An explicit `threads:` that the plan cannot honour is cut down, and the plan says why (validate prints
// it, run warns): never a silent change of what the workload asked for.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkloadText } from '../../../src/config/load.js';
import { blockingConcurrencyNotes, describePlan, keyTableMemoryNotes } from '../../../src/outputs/plan-description.js';
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

test('file.io: sync with more in flight than threads: validate says only one call per thread runs', () => {
  const file = (lines: string) => compilePlan(parseWorkloadText(`target: file:///tmp/x/\nops: 100\n${lines}\nworkload:\n  - { op: put, weight: 1 }\n`, 't.yaml'), { env: {}, cores: 2 });
  const plan = file('threads: 2\nconcurrency: 32\nfile: { io: sync }');
  assert.deepEqual(blockingConcurrencyNotes(plan), [
    'file.io: sync makes one blocking call at a time per worker thread: concurrency 32 asks for 32 in flight, but at most 2 run at once (one per thread); use file.io: async (or auto) for 32, or threads: 32',
  ]);
  assert.match(describePlan(plan, 't.yaml'), /\nnote: file\.io: sync makes one blocking call at a time per worker thread/);
  // auto picks async for more in flight than threads; sync with one per thread runs all of them.
  assert.deepEqual(blockingConcurrencyNotes(file('threads: 2\nconcurrency: 32')), []);
  assert.deepEqual(blockingConcurrencyNotes(file('threads: 2\nconcurrency: 2\nfile: { io: sync }')), []);
});

test('a prepare whose key table would take over half the memory is pointed out', () => {
  const plan = planOf('concurrency: 2\nprepare: { objects: 100000000 }\nworkload:\n  - { op: get, weight: 1 }');
  const GiB = 2 ** 30;
  assert.deepEqual(keyTableMemoryNotes(plan, 16 * GiB), []); // 1.9 GiB of 16
  assert.deepEqual(keyTableMemoryNotes(plan, 3 * GiB), [
    "the key table of 100000000 prepared objects takes about 1.9 GiB of memory (20 B a key), over half of this host's 3 GiB: prepare fewer, or expect the run to fail for memory",
  ]);
  assert.match(keyTableMemoryNotes(plan, 1 * GiB)[0] ?? '', /more than this host's 1 GiB/);
});
