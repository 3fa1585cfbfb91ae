// --out must name a new or empty directory: an earlier run's files (a pool run's endpoint_stats.tsv,
// events.tsv) left next to a later run's would be read as the later run's.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { readResults } from '../helpers/results.js';

const workload = (target: string) => `target: ${target}\nops: 20\nworkload:\n  - { op: put, weight: 1, size: 1KiB }\n`;

test('a non-empty --out directory is refused with exit 2 before any I/O, its files untouched', async () => {
  const out = tempDir('out');
  writeFileSync(join(out, 'events.tsv'), 'from an earlier run\n');
  const data = tempDir('data');
  const result = await runCli(['run', writeWorkload(workload(`file://${data}/`)), '--out', out]);
  assert.equal(result.code, 2, result.stdout);
  assert.equal(result.stderr, `iofleet: USAGE: --out ${out}: directory is not empty (holds events.tsv); choose another results directory, or remove this one first\n`);
  assert.deepEqual(readdirSync(out), ['events.tsv']);
  assert.deepEqual(readdirSync(data), [], 'the target was not touched');
});

test('an existing empty --out directory, or one that does not exist yet, is used', async () => {
  const empty = tempDir('out');
  assert.equal((await runCli(['run', writeWorkload(workload('null://')), '--out', empty])).code, 0);
  assert.equal(readResults(empty).run.status, 'completed');

  const fresh = join(tempDir('out'), 'a', 'b');
  assert.equal((await runCli(['run', writeWorkload(workload('null://')), '--out', fresh])).code, 0);
  assert.ok(existsSync(join(fresh, 'results.json')));
});

test('--out naming a file is refused with exit 2', async () => {
  const file = join(tempDir('out'), 'plain');
  writeFileSync(file, 'x');
  const result = await runCli(['run', writeWorkload(workload('null://')), '--out', file]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^iofleet: USAGE: --out \S+\/plain: is a file, not a directory; choose another results directory\n$/);
});
