// Ctrl-C on a real child process: exit 130, a complete, valid results directory, and a skipped cleanup
// that says what it left behind.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli, tempDir, writeWorkload } from '../helpers/cli.js';
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
