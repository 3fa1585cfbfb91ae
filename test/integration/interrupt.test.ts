// Ctrl-C on a real child process: exit 130 and a complete, valid results directory.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { phaseOf, readResults, readTsv, waitForMeasureSecond } from '../helpers/results.js';

test('SIGINT stops the run: exit 130, results say interrupted, every file valid', async () => {
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
});
