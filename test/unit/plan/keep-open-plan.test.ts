// file keep_open at plan time: fds per worker thread from the setting, capped by the open-file limit,
// and what `validate` / `run --dry-run` says about it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkloadText } from '../../../src/config/load.js';
import { IofleetError } from '../../../src/errors.js';
import { describePlan } from '../../../src/outputs/plan-description.js';
import { DEFAULT_KEEP_OPEN_FDS } from '../../../src/config/schema.js';
import { RESERVED_FDS, compilePlan } from '../../../src/plan/compile-plan.js';

function planWith(file: string, openFilesLimit?: number, target = 'file:///tmp/x/') {
  const config = parseWorkloadText(
    `target: ${target}\nops: 10\nthreads: 2\nconcurrency: 16\n${file}\nprepare: { objects: 100 }\nworkload:\n  - { op: get, weight: 1, range: 4KiB }\n`,
    'k.yaml',
  );
  return compilePlan(config, { env: {}, cores: 2, openFilesLimit });
}

test('keep_open: off by default, true is the default bound, a number is its own bound', () => {
  assert.equal(planWith('').fileKeepOpen.fdsPerThread, 0);
  assert.equal(planWith('file: { keep_open: false }').fileKeepOpen.fdsPerThread, 0);
  assert.equal(planWith('file: { keep_open: true }', 1_000_000).fileKeepOpen.fdsPerThread, DEFAULT_KEEP_OPEN_FDS);
  assert.equal(planWith('file: { keep_open: 5000 }', 1_000_000).fileKeepOpen.fdsPerThread, 5000);
  assert.equal(planWith('file: { keep_open: 5000 }').fileKeepOpen.fdsPerThread, 5000, 'an unknown limit caps nothing');
});

test('keep_open: all threads together stay within the open-file limit, less a reserve and one fd per operation in flight', () => {
  const plan = planWith('file: { keep_open: true }', 1000);
  assert.equal(plan.fileKeepOpen.fdsPerThread, Math.floor((1000 - RESERVED_FDS - 16) / 2));
  assert.equal(plan.fileKeepOpen.requestedFdsPerThread, DEFAULT_KEEP_OPEN_FDS);
  assert.ok(plan.fileKeepOpen.fdsPerThread * plan.threads + RESERVED_FDS + plan.concurrency <= 1000);
  assert.match(describePlan(plan, 'k.yaml'), /keep open: +up to 364 files per worker thread \(728 in all; .*capped from 1024: this process may open 1000 files \(RLIMIT_NOFILE/);
});

test('keep_open: a limit that leaves no fd to keep fails before any I/O, and says how to fix it', () => {
  assert.throws(
    () => planWith('file: { keep_open: true }', RESERVED_FDS + 16 + 1),
    (error: unknown) => error instanceof IofleetError && error.code === 'CONFIG_INVALID' && /RLIMIT_NOFILE/.test(error.message) && /ulimit -Hn/.test(error.hint ?? ''),
  );
  assert.equal(planWith('file: { keep_open: true }', RESERVED_FDS + 16 + 2).fileKeepOpen.fdsPerThread, 1);
});

test('the plan description says whether GETs keep files open, for file targets only', () => {
  assert.match(describePlan(planWith('file: { keep_open: 64 }', 1_000_000), 'k.yaml'), /^keep open: +up to 64 files per worker thread \(128 in all; one not read lately closed first/m);
  assert.match(describePlan(planWith(''), 'k.yaml'), /^keep open: +off \(every GET opens, reads and closes its file\)$/m);
  assert.doesNotMatch(describePlan(planWith('', undefined, 'null://'), 'k.yaml'), /keep open/);
});
