// The file backend end to end through the real CLI: what iofleet reports equals what is on disk.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { okOps, phaseOf, readResults, readTsv } from '../helpers/results.js';

function filesUnder(dir: string): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    count++;
    bytes += statSync(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)).size;
  }
  return { count, bytes };
}

test('prepare writes exactly what it reports', async () => {
  const data = tempDir('data');
  const out = tempDir('out');
  const file = writeWorkload(`
target: file://${data}/
ops: 100
concurrency: 4
threads: 2
prepare: { objects: 300, size: { dist: uniform, min: 1KiB, max: 64KiB } }
workload:
  - { op: stat, weight: 1 }
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const prepare = phaseOf(readResults(out), 'prepare');
  const onDisk = filesUnder(data);
  assert.equal(prepare.objects, 300);
  assert.equal(onDisk.count, 300);
  assert.equal(onDisk.bytes, prepare.bytes_written);
  assert.match(result.stdout, /Prepared 300 objects, [\d.]+ [KM]iB, in [\d.]+ s: \d+ obj\/s, [\d.]+ MiB\/s\n/);
});

test('a mixed run with verify: files on disk = prepared + puts - deletes, no errors, all files written', async () => {
  const data = tempDir('data');
  const out = tempDir('out');
  const file = writeWorkload(`
target: file://${data}/
duration: 3s
warmup: 1s
concurrency: 8
threads: 2
prepare: { objects: 500, size: [{ size: 4KiB, weight: 3 }, { size: 200KiB, weight: 1 }] }
workload:
  - { op: get, weight: 40 }
  - { op: get, weight: 10, range: 4KiB }
  - { op: put, weight: 25, size: { dist: lognormal, mean: 16KiB, stddev: 8KiB, min: 1KiB, max: 256KiB } }
  - { op: list, weight: 5, max_keys: 50 }
  - { op: stat, weight: 10 }
  - { op: delete, weight: 10 }
keys: { dist: zipf, theta: 0.99 }
verify: { seed: 7 }
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  assert.equal(results.run.status, 'completed');
  const warmup = phaseOf(results, 'warmup');
  const measure = phaseOf(results, 'measure');
  for (const phase of [warmup, measure]) {
    assert.equal(phase.totals.errors, 0, JSON.stringify(phase.totals.errors_by_class));
    assert.ok(phase.totals.ops > 100, `${phase.phase} ran only ${phase.totals.ops} ops`);
  }
  const expected = 500 + okOps(warmup, 'put') + okOps(measure, 'put') - okOps(warmup, 'delete') - okOps(measure, 'delete');
  assert.equal(filesUnder(data).count, expected);
  assert.ok(okOps(measure, 'delete') > 0 && okOps(measure, 'put') > 0 && okOps(measure, 'get range=4KiB') > 0);

  // results.tsv and perf_log.tsv agree with results.json
  const tsv = readTsv(join(out, 'results.tsv'));
  // A LIST moves no payload: the entries it returned are not bytes (they would inflate MiB/s).
  const listRows = tsv.filter((row) => row.phase === 'measure' && row.op === 'list');
  assert.ok(listRows.length > 0 && listRows.every((row) => Number(row.bytes) === 0), JSON.stringify(listRows));
  const measureAll = tsv.find((row) => row.phase === 'measure' && row.op === 'all' && row.size_bucket === 'all')!;
  assert.equal(Number(measureAll.ops), measure.totals.ops);
  const perf = readTsv(join(out, 'perf_log.tsv')).filter((row) => row.phase === 'measure');
  assert.equal(perf.reduce((sum, row) => sum + Number(row.ops), 0), measure.totals.ops, 'per-second rows add up to the total');
  assert.ok(new Set(perf.map((row) => row.second)).size >= 2);
  // The last window only covers the time up to the phase's end: its rate is divided by that, not by 1 s.
  const lastSecond = Math.max(...perf.map((row) => Number(row.second)));
  const last = perf.filter((row) => Number(row.second) === lastSecond).sort((a, b) => Number(b.ops) - Number(a.ops))[0]!;
  const lastWindowS = ((measure as unknown as { elapsed_ms: number }).elapsed_ms - Number(last.second) * 1000) / 1000;
  assert.ok(lastWindowS > 0 && lastWindowS < 1, `last window ${lastWindowS} s`);
  // (elapsed_ms is rounded and ends with the last worker; allow a few ms between the two clocks)
  if (Number(last.ops) === 0) return; // nothing finished in the last few ms: no rate to check
  const impliedWindowS = Number(last.ops) / Number(last.ops_per_sec);
  assert.ok(Math.abs(impliedWindowS - lastWindowS) <= 0.003, `${last.ops} ops in a ${lastWindowS} s window reported as ${last.ops_per_sec}/s`);
});

test('cleanup leaves the target as it found it: its objects and tree directories go, empty directories it did not make stay', async () => {
  const data = tempDir('data');
  const out = tempDir('out');
  mkdirSync(join(data, 'lost+found'));
  mkdirSync(join(data, 'projects', '2024', 'empty'), { recursive: true });
  const file = writeWorkload(`
target: file://${data}/
duration: 1s
concurrency: 4
prepare: { tree: { width: 3, depth: 2, files_per_dir: 5 }, size: 2KiB }
workload:
  - { op: put, weight: 1 }
  - { op: get, weight: 1 }
  - { op: list, weight: 1 }
cleanup: true
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  assert.equal(phaseOf(results, 'prepare').objects, 45);
  const cleanup = phaseOf(results, 'cleanup');
  assert.equal(cleanup.failed_objects, 0);
  assert.equal(cleanup.objects, 45 + okOps(phaseOf(results, 'measure'), 'put'));
  assert.deepEqual(readdirSync(data, { recursive: true }).sort(), ['lost+found', 'projects', 'projects/2024', 'projects/2024/empty']);
  // Each unlink is a timed op of the cleanup phase, in its object's size bucket (2 KiB prepared, 4 KiB
  // default PUTs: both <=8KiB).
  const rows = readTsv(join(out, 'results.tsv')).filter((row) => row.phase === 'cleanup');
  assert.deepEqual(
    rows.map((row) => [row.op, row.size_bucket, Number(row.ops), Number(row.errors)]),
    [
      ['cleanup', '<=8KiB', cleanup.objects, 0],
      ['cleanup', 'all', cleanup.objects, 0],
      ['all', 'all', cleanup.objects, 0],
    ],
  );
  // They went through the per-second windows like any other op.
  const perSecond = readTsv(join(out, 'perf_log.tsv')).filter((row) => row.phase === 'cleanup' && row.op === 'cleanup' && row.endpoint === 'all');
  assert.equal(perSecond.reduce((sum, row) => sum + Number(row.ops), 0), cleanup.objects);
  assert.match(result.stdout, new RegExp(`Cleaned up ${cleanup.objects} objects in [\\d.]+ s: \\d+ obj/s\n`));
});

test('cleanup removes the tree prepare made, also the directories the workload’s deletes emptied', async () => {
  const data = tempDir('data');
  const out = tempDir('out');
  // One file per leaf: each DELETE empties a leaf directory; cleanup deletes the last file.
  const file = writeWorkload(`
target: file://${data}/
ops: 8
concurrency: 1
prepare: { tree: { width: 3, depth: 2, files_per_dir: 1 }, size: 1KiB }
workload: [{ op: delete, weight: 1 }]
cleanup: true
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.equal(okOps(phaseOf(readResults(out), 'measure'), 'delete'), 8);
  assert.deepEqual(readdirSync(data), []);
});

test('cleanup deletes only what the run created: objects prepare found already there are kept', async () => {
  const data = tempDir('data');
  const run = async (yaml: string) => {
    const out = tempDir('out');
    const result = await runCli(['run', writeWorkload(`target: file://${data}/\nconcurrency: 4\nthreads: 2\nops: 200\n${yaml}`), '--out', out]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    return { stdout: result.stdout, results: readResults(out) };
  };
  await run(`prepare: { objects: 50, size: 4KiB }\ncleanup: false\nworkload: [{ op: get, weight: 1 }]`);
  assert.equal(filesUnder(data).count, 50);

  // Everything already there: prepare writes nothing and says so, cleanup deletes nothing and says so.
  const reused = await run(`prepare: { objects: 50, size: 4KiB, skip_existing: true }\ncleanup: true\nworkload: [{ op: get, weight: 1 }]`);
  assert.match(reused.stdout, /Prepared 0 objects, 0 B, in [\d.]+ s \(50 already there, skipped\)\n/);
  assert.match(reused.stdout, /Cleaned up 0 objects in [\d.]+ s \(50 that existed before the run kept\)\n/);
  const reusedPrepare = phaseOf(reused.results, 'prepare');
  assert.equal(reusedPrepare.objects, 50, 'objects: present after prepare, as before');
  assert.equal(reusedPrepare.preexisting_objects, 50);
  assert.equal(reusedPrepare.bytes_written, 0);
  assert.equal(filesUnder(data).count, 50, 'cleanup left the objects that existed before the run');

  // More objects than are there, new and overwriting PUTs: new keys are deleted, older ones kept, overwritten or not.
  const grown = await run(`
prepare: { objects: 80, size: 4KiB, skip_existing: true }
cleanup: true
workload:
  - { op: get, weight: 1 }
  - { op: put, weight: 1, size: 4KiB }
  - { op: put, weight: 1, size: 8KiB, overwrite: true }
`);
  const created = 30 + okOps(phaseOf(grown.results, 'measure'), 'put');
  assert.match(grown.stdout, /Prepared 30 objects, 120 KiB, in [\d.]+ s: \d+ obj\/s, [\d.]+ MiB\/s \(50 already there, skipped\)\n/);
  assert.equal(phaseOf(grown.results, 'cleanup').objects, created);
  assert.deepEqual(readdirSync(data).sort(), Array.from({ length: 50 }, (_, i) => `obj-${i}`).sort());

  // Objects already there under the names new PUTs would take (here: the user's own, past the 10
  // prepared ones): the run refuses before writing anything, naming the first one.
  for (let i = 0; i < 50; i++) writeFileSync(join(data, `obj-${i}`), 'precious');
  const out = tempDir('out');
  const refused = await runCli([
    'run',
    writeWorkload(`target: file://${data}/\nops: 20\nthreads: 2\nprepare: { objects: 10, size: 4KiB, skip_existing: true }\ncleanup: true\nworkload: [{ op: put, weight: 1 }]\n`),
    '--out',
    out,
  ]);
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /^iofleet: TARGET_SETUP: file:\/\/\S+ already holds "obj-10", a key this run's new PUTs take \(keys are numbered past the 10 prepared ones\): .*deleted by cleanup.*\nhint: remove the objects/);
  assert.deepEqual(readdirSync(out), [], 'no results directory content: nothing ran');
  for (let i = 0; i < 50; i++) assert.equal(readFileSync(join(data, `obj-${i}`), 'utf8'), 'precious', `obj-${i} untouched`);

  // With cleanup off nothing is deleted: the run goes on, warned that its PUTs overwrite such objects.
  const warned = await run('prepare: { objects: 10, size: 4KiB, skip_existing: true }\ncleanup: false\nworkload: [{ op: put, weight: 1 }]');
  assert.match(warned.stdout, /warning: file:\/\/\S+ already holds "obj-10", .*: PUTs will overwrite such objects \(cleanup is off, so none is deleted\)\n/);
  // Its 200 PUTs took obj-10 … obj-209: 40 over objects that were there, 160 new ones.
  assert.equal(readdirSync(data).length, 50 + 160, 'nothing deleted');
});

test('verify: an object changed behind iofleet’s back is counted as verify_mismatch', async () => {
  const data = tempDir('data');
  const yaml = (outName: string) => `
name: ${outName}
target: file://${data}/
ops: 2000
concurrency: 2
threads: 1
prepare: { objects: 20, size: 8KiB, skip_existing: true }
workload:
  - { op: get, weight: 1 }
verify: { seed: 3 }
`;
  const clean = tempDir('out');
  assert.equal((await runCli(['run', writeWorkload(yaml('clean')), '--out', clean])).code, 0);
  assert.equal(phaseOf(readResults(clean), 'measure').totals.errors, 0, 'untouched objects verify');

  writeFileSync(join(data, 'obj-5'), Buffer.alloc(8192, 0x41)); // same size, other bytes
  const tampered = tempDir('out');
  const result = await runCli(['run', writeWorkload(yaml('tampered')), '--out', tampered]);
  assert.equal(result.code, 0, result.stderr);
  const measure = phaseOf(readResults(tampered), 'measure');
  const mismatches = measure.totals.errors_by_class.verify_mismatch ?? 0;
  assert.ok(mismatches > 0, 'the changed object was read and caught');
  assert.deepEqual(Object.keys(measure.totals.errors_by_class), ['verify_mismatch']);
  assert.ok(mismatches < measure.totals.ops / 5, 'only reads of obj-5 mismatch');
});

test('an unusable target fails fast with exit 1 and a clear message', async () => {
  const notADirectory = join(tempDir('plain'), 'a-file');
  writeFileSync(notADirectory, 'x');
  const file = writeWorkload(`
target: file://${notADirectory}/sub/
ops: 10
workload:
  - { op: put, weight: 1 }
`);
  const result = await runCli(['run', file, '--out', tempDir('out')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^iofleet: TARGET_UNREACHABLE: file:\/\/\S+\/a-file\/sub\/: a part of the path is not a directory; fix the target\n$/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});

test('a config error exits 2 with file:line:col', async () => {
  const file = writeWorkload('target: null://\nops: 10\nworkload:\n  - { op: put, weight: 1, sise: 4KiB }\n', 'typo');
  const result = await runCli(['run', file]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /typo\.yaml:4:27 workload\[0\]\.sise: unknown key "sise" \(did you mean "size"\?\)/);
});

test('writes refused before any data landed are not reported as left behind', async () => {
  // A plain file where the tree needs directory d0: every prepare PUT fails with ENOTDIR (not_found), so
  // the run fails before cleanup, and nothing it tried to write exists.
  const data = tempDir('data');
  writeFileSync(join(data, 'd0'), 'not a directory');
  const out = tempDir('out');
  const file = writeWorkload(`
target: file://${data}/
ops: 10
prepare: { tree: { width: 1, depth: 1, files_per_dir: 20 }, size: 1KiB }
workload:
  - { op: get, weight: 1 }
cleanup: true
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /Prepared 0 objects, .*20 FAILED \(not_found 20\)/);
  assert.match(result.stdout, new RegExp(`Cleanup skipped because the run failed: nothing the run created is left on file://${data}/\\n`));
  const results = readResults(out) as unknown as { run: { cleanup_skipped: { created_objects_left: number } | null } };
  assert.equal(results.run.cleanup_skipped?.created_objects_left, 0);
});

test('skip_existing knows this data set by its sizes: a rerun skips it all, an object cut short is said, never overwritten', async () => {
  const data = tempDir('data');
  const run = async (yaml: string) => {
    const out = tempDir('out');
    const result = await runCli(['run', writeWorkload(`target: file://${data}/\nconcurrency: 2\nthreads: 2\nops: 100\nverify: { seed: 5 }\n${yaml}`), '--out', out]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    return { stdout: result.stdout, results: readResults(out) };
  };
  const prepare = 'prepare: { objects: 40, size: { dist: uniform, min: 1KiB, max: 64KiB }, skip_existing: true }\ncleanup: false\nworkload: [{ op: get, weight: 1 }]';
  await run(prepare);
  const sizes = new Map(readdirSync(data).map((name) => [name, statSync(join(data, name)).size]));
  assert.equal(sizes.size, 40);
  assert.ok(new Set(sizes.values()).size > 10, 'sizes are drawn from the distribution');

  // Same workload again: each key gets the same size, so everything is recognised.
  const again = await run(prepare);
  assert.match(again.stdout, /Prepared 0 objects, 0 B, in [\d.]+ s \(40 already there, skipped\)\n/);

  // An object cut short (an interrupted write): found with another size, said so, kept as it is (it
  // existed before this run: overwriting or deleting it is not the run's to do), and read as it is.
  const victim = [...sizes.keys()][0]!;
  truncateSync(join(data, victim), 100);
  const seen = await run(prepare.replace('cleanup: false', 'cleanup: true'));
  assert.match(
    seen.stdout,
    /Prepared 0 objects, 0 B, in [\d.]+ s \(40 already there, skipped; 1 of them with another size than this workload gives them \(cut short by an interrupted write, or another workload's\), read as they are\)\n/,
  );
  const prepared = phaseOf(seen.results, 'prepare');
  assert.deepEqual([prepared.other_size_objects, prepared.preexisting_objects], [1, 40]);
  assert.equal(statSync(join(data, victim)).size, 100, 'not overwritten');
  assert.equal(readdirSync(data).length, 40, 'and not deleted by cleanup');
  assert.equal(phaseOf(seen.results, 'measure').totals.errors, 0, 'its GETs expect the size found');
});
