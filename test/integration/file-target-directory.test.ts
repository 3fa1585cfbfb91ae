// A file target's directory must exist before the run: iofleet never creates it on its own (a mistyped
// mount path would otherwise quietly benchmark the local disk), fails fast with exit 1 and a one-line
// message naming the directory and the fix, and creates it only when the workload asks
// (file.create_directory, one level).

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { phaseOf, readResults } from '../helpers/results.js';

const writingWorkload = (target: string, extra = '') => `
target: ${target}
ops: 20
concurrency: 2
threads: 1
prepare: { objects: 10, size: 1KiB }
workload:
  - { op: get, weight: 1 }
  - { op: put, weight: 1, size: 1KiB }
${extra}
`;

test('a directory that does not exist, several levels deep: exit 1, named with the fix, nothing created', async () => {
  const base = tempDir('missing');
  const root = join(base, 'nope', 'a', 'b');
  const out = join(tempDir('out'), 'results');
  const result = await runCli(['run', writeWorkload(writingWorkload(`file://${root}/`)), '--out', out]);
  assert.equal(result.code, 1, result.stdout);
  assert.equal(result.stderr, `iofleet: TARGET_UNREACHABLE: file://${root}/: no such directory; create it (mkdir -p ${root}/) or fix the target\n`);
  assert.deepEqual(readdirSync(base), [], 'no directory was created');
  assert.ok(!existsSync(out), 'failed before the run: no results directory');
});

test('a directory under /proc that does not exist fails at once (a recursive mkdir there never returns)', { skip: !existsSync('/proc/self'), timeout: 20_000 }, async () => {
  const result = await runCli(['run', writeWorkload(writingWorkload('file:///proc/iofleet-nope/')), '--out', join(tempDir('out'), 'r')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^iofleet: TARGET_UNREACHABLE: file:\/\/\/proc\/iofleet-nope\/: no such directory/);
});

test('file.create_directory: true creates the last level, never a missing parent', async () => {
  const base = tempDir('create');
  const root = join(base, 'bench');
  const out = tempDir('out');
  const created = await runCli(['run', writeWorkload(writingWorkload(`file://${root}/`, 'file: { create_directory: true }')), '--out', out]);
  assert.equal(created.code, 0, created.stderr + created.stdout);
  assert.equal(phaseOf(readResults(out), 'prepare').objects, 10);
  assert.ok(readdirSync(root).length >= 10);

  const deep = join(base, 'x', 'y');
  const refused = await runCli(['run', writeWorkload(writingWorkload(`file://${deep}/`, 'file: { create_directory: true }')), '--out', tempDir('out')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^iofleet: TARGET_UNREACHABLE: \S+\/x\/y\/: no such directory, and file\.create_directory makes the last level only/);
  assert.ok(!existsSync(join(base, 'x')));
});

test('an endpoint pool with one missing file endpoint fails before the run, naming it', async () => {
  const present = tempDir('ep');
  const missing = join(tempDir('ep'), 'not-mounted');
  const result = await runCli([
    'run',
    writeWorkload(`
target: file://${present}/
ops: 20
prepare: { objects: 10, size: 1KiB }
multi_endpoint:
  endpoints: [file://${present}/, file://${missing}/]
workload:
  - { op: get, weight: 1 }
`),
    '--out',
    tempDir('out'),
  ]);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, new RegExp(`^iofleet: TARGET_UNREACHABLE: file://${missing}/: no such directory`));
  assert.ok(!existsSync(missing));
  assert.deepEqual(readdirSync(present), [], 'no I/O on the endpoint that exists either');
});

test('a read-only directory: refused when the workload writes, read when it only reads', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, async () => {
  const root = tempDir('readonly');
  mkdirSync(join(root, 'd'));
  chmodSync(root, 0o555);
  try {
    const writes = await runCli(['run', writeWorkload(writingWorkload(`file://${root}/`)), '--out', tempDir('out')]);
    assert.equal(writes.code, 1);
    assert.match(writes.stderr, /: not writable \(EACCES\), and the workload writes/);
    const reads = await runCli(['run', writeWorkload(`target: file://${root}/\nops: 10\nworkload:\n  - { op: list, weight: 1 }\n`), '--out', tempDir('out')]);
    assert.equal(reads.code, 0, reads.stderr);
  } finally {
    chmodSync(root, 0o755);
  }
});
