// Ctrl-C on a real child process: exit 130, a complete, valid results directory, and a skipped cleanup
// that says what it left behind.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { outputIncludes, startCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { phaseOf, readResults, readTsv, waitForMeasureSecond } from '../helpers/results.js';

test('SIGINT stops the run: exit 130, results say interrupted, every file valid, cleanup skipped out loud', async () => {
  const data = tempDir('data');
  const out = tempDir('out');
  const file = writeWorkload(`
target: file://${data}/
duration: 60s
concurrency: 4
prepare: { objects: 200, size: 4KiB }
workload:
  - { op: get, weight: 3 }
  - { op: put, weight: 1 }
cleanup: true
`);
  const { child, done } = startCli(['run', file, '--out', out]);
  // Wait until the measure phase has written live rows for its first seconds.
  await waitForMeasureSecond(out, 2);
  const sentAt = Date.now();
  child.kill('SIGINT');
  const result = await done;
  assert.equal(result.code, 130, result.stderr + result.stdout);
  assert.ok(Date.now() - sentAt < 5000, 'stopped promptly');
  assert.match(result.stdout, /SIGINT: stopping/);

  const results = readResults(out);
  assert.equal(results.run.status, 'interrupted');
  const measure = phaseOf(results, 'measure');
  assert.equal(measure.end_reason, 'stopped');
  assert.ok(measure.totals.ops > 0);
  const perf = readTsv(join(out, 'perf_log.tsv')).filter((row) => row.phase === 'measure');
  assert.equal(perf.reduce((sum, row) => sum + Number(row.ops), 0), measure.totals.ops, 'no operation lost between live rows and totals');
  const tsvAll = readTsv(join(out, 'results.tsv')).find((row) => row.phase === 'measure' && row.op === 'all')!;
  assert.equal(Number(tsvAll.ops), measure.totals.ops);

  // cleanup: true, but the run never got there: every object it wrote is still there, and it says how many and where.
  const onDisk = readdirSync(data).length;
  assert.equal(onDisk, 200 + measure.ops.find((op) => op.op === 'put')!.totals.ok_ops, 'nothing was deleted');
  const skipped = `Cleanup skipped because the run was interrupted: ${onDisk} objects the run created are left on file://${data}/ (named obj-<n>)\n`;
  assert.ok(result.stdout.includes(skipped), `console lacks "${skipped}":\n${result.stdout}`);
  assert.ok(readFileSync(join(out, 'console.log'), 'utf8').includes(skipped), 'console.log has it too');
  assert.deepEqual(results.run.cleanup_skipped, { because: 'interrupted', created_objects_left: onDisk, at_least: false });
});

test('SIGINT during cleanup: the deletes done so far are recorded, and what is left is said exactly', async () => {
  const out = tempDir('out');
  // null:// with a latency: every delete request (a batch of up to 100 keys) takes 400 ms, so cleanup's
  // 4 batches run for 1.6 s, and a stop lands inside it.
  const file = writeWorkload(`
target: null://?latency=400ms
duration: 1s
threads: 1
concurrency: 1000
prepare: { objects: 400, size: 1KiB }
workload: [{ op: get, weight: 1 }]
cleanup: true
`);
  const { child, done } = startCli(['run', file, '--out', out]);
  await outputIncludes(child, 'Cleaning up');
  await sleep(600); // inside the second batch
  child.kill('SIGINT');
  const result = await done;
  assert.equal(result.code, 130, result.stderr + result.stdout);

  const results = readResults(out);
  assert.equal(results.run.status, 'interrupted');
  const cleanup = phaseOf(results, 'cleanup');
  assert.equal(cleanup.end_reason, 'stopped');
  // The batch in flight at the stop finishes; none starts after it.
  assert.ok(cleanup.objects % 100 === 0 && cleanup.objects >= 100 && cleanup.objects < 400, `deleted ${cleanup.objects}`);
  const requests = cleanup.ops.find((op) => op.op === 'cleanup')!.totals;
  assert.equal(requests.ops, cleanup.objects / 100, 'one timed op per delete request');
  assert.ok(requests.latency_us.p50 >= 400_000, `a request takes the target's 400 ms (p50 ${requests.latency_us.p50} µs)`);
  const left = 400 - cleanup.objects;
  assert.deepEqual(results.run.cleanup_skipped, { because: 'interrupted', created_objects_left: left, at_least: false });
  assert.match(result.stdout, new RegExp(`Cleaned up ${cleanup.objects} objects in [\\d.]+ s: \\d+ obj/s \\(interrupted\\); ${left} objects the run created are left on null://`));
});

test('SIGINT during a file cleanup, whose deletes block the thread: the stop is seen, and what is left is exact', async () => {
  const data = tempDir('data');
  const out = tempDir('out');
  // 100,000 empty files: about a second of unlinks on one thread, every one of them a blocking call.
  const file = writeWorkload(`
target: file://${data}/
ops: 1
threads: 1
concurrency: 1
prepare: { objects: 100000, size: 0 }
workload: [{ op: get, weight: 1 }]
cleanup: true
`);
  const { child, done } = startCli(['run', file, '--out', out]);
  await outputIncludes(child, 'Cleaning up');
  await sleep(150);
  child.kill('SIGINT');
  const result = await done;
  assert.equal(result.code, 130, result.stderr + result.stdout);

  const results = readResults(out);
  const cleanup = phaseOf(results, 'cleanup');
  assert.equal(cleanup.end_reason, 'stopped');
  assert.ok(cleanup.all_workers_reported, 'the worker saw the stop and reported');
  const left = readdirSync(data).length;
  assert.ok(cleanup.objects > 0 && left > 0, `deleted ${cleanup.objects}, left ${left}`);
  assert.equal(cleanup.objects + left, 100000, 'deleted + left = created');
  assert.equal(cleanup.ops.find((op) => op.op === 'cleanup')!.totals.ops, cleanup.objects, 'one timed op per unlink');
  assert.deepEqual(results.run.cleanup_skipped, { because: 'interrupted', created_objects_left: left, at_least: false });
  assert.match(result.stdout, new RegExp(`\\(interrupted\\); ${left} objects the run created are left on file://`));
});

test('a second SIGINT exits at once, and results.json says interrupted, not running', async () => {
  const out = tempDir('out');
  const file = writeWorkload(`
target: null://?latency=1500ms
duration: 60s
concurrency: 4
prepare: { objects: 10, size: 1KiB }
workload: [{ op: get, weight: 1 }]
cleanup: true
`);
  const { child, done } = startCli(['run', file, '--out', out]);
  await waitForMeasureSecond(out, 1);
  child.kill('SIGINT');
  await sleep(100);
  child.kill('SIGINT'); // the ops in flight have over a second to go: only the second signal ends it now
  const sentAt = Date.now();
  const result = await done;
  assert.equal(result.code, 130, result.stderr + result.stdout);
  assert.ok(Date.now() - sentAt < 1000, 'exited at once');
  assert.match(result.stdout, /SIGINT again: exiting at once/);
  const results = readResults(out);
  assert.equal(results.run.status, 'interrupted');
  assert.deepEqual(results.phases.map((phase) => phase.phase), ['prepare'], 'the phases that ended are there');
  // What is left is known up to the end of prepare: its 10 objects, at least.
  assert.deepEqual(results.run.cleanup_skipped, { because: 'interrupted', created_objects_left: 10, at_least: true });
});
