// file: { keep_open } end to end through the real CLI: a mixed run with verify reads only what was
// written, and the iofleet process (watched through /proc/PID/fd while it runs) holds no more fds than
// its threads × the bound, with a bound far below the keyspace.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, startCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { okOps, phaseOf, readResults } from '../helpers/results.js';

/**
 * Fds of an iofleet process that are not kept files while it does I/O: ~35 (stdio, epoll, eventfds,
 * worker pipes, results files); more at start-up while the ESM loaders have modules open (not counted).
 */
const BASELINE_FDS = 128;
const THREADS = 2;
const BOUND = 16;

interface FdSamples {
  samples: number;
  maxTotal: number;
  /** Most fds open at once on files under the data directory. */
  maxData: number;
  /** Samples that saw an fd of a deleted data file. */
  deletedSeen: number;
}

/** Samples /proc/PID/fd every few ms until stopped. */
function watchFds(pid: number, dataDir: string): { stop(): FdSamples } {
  const result: FdSamples = { samples: 0, maxTotal: 0, maxData: 0, deletedSeen: 0 };
  const timer = setInterval(() => {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return; // exited
    }
    let data = 0;
    let deleted = false;
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (!link.startsWith(dataDir)) continue;
        data++;
        if (link.endsWith(' (deleted)')) deleted = true;
      } catch {
        // closed since the listing
      }
    }
    result.samples++;
    // Only while data files are open: at start-up every worker thread's ESM loader holds modules open
    // at once (187 fds seen with two threads), which is not what this bound is about.
    if (data > 0) result.maxTotal = Math.max(result.maxTotal, fds.length);
    result.maxData = Math.max(result.maxData, data);
    if (deleted) result.deletedSeen++;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return result;
    },
  };
}

for (const { io, concurrency } of [
  { io: 'sync', concurrency: 4 },
  { io: 'async', concurrency: 8 },
] as const) {
  test(`${io} I/O: a keep_open run with verify reads what was written, and holds at most threads × ${BOUND} kept fds while it evicts`, async () => {
    const data = tempDir('data');
    const out = tempDir('out');
    const file = writeWorkload(`
target: file://${data}/
duration: 3s
warmup: 1s
concurrency: ${concurrency}
threads: ${THREADS}
file: { io: ${io}, keep_open: ${BOUND} }
prepare: { objects: 400, size: [{ size: 4KiB, weight: 3 }, { size: 200KiB, weight: 1 }] }
workload:
  - { op: get, weight: 40 }
  - { op: get, weight: 15, range: 4KiB }
  - { op: put, weight: 10, size: 8KiB }
  - { op: put, weight: 10, overwrite: true, size: { dist: uniform, min: 1KiB, max: 64KiB } }
  - { op: delete, weight: 5 }
verify: { seed: 5 }
`);
    const { child, done } = startCli(['run', file, '--out', out]);
    const watch = watchFds(child.pid!, data);
    const result = await done;
    const fds = watch.stop();
    assert.equal(result.code, 0, result.stderr + result.stdout);

    const results = readResults(out);
    assert.equal(results.run.status, 'completed');
    for (const phase of [phaseOf(results, 'warmup'), phaseOf(results, 'measure')]) {
      assert.deepEqual(phase.totals.errors_by_class, {}, `${phase.phase}: no not_found, no verify_mismatch, nothing else`);
      for (const op of ['get', 'get range=4KiB', 'put', 'put overwrite', 'delete']) assert.ok(okOps(phase, op) > 50, `${phase.phase}: only ${okOps(phase, op)} ${op}`);
    }

    assert.ok(fds.samples > 50, `only ${fds.samples} samples of /proc/${child.pid}/fd`);
    // Without keep_open at most one data file per operation in flight is open at a time.
    assert.ok(fds.maxData > concurrency, `at most ${fds.maxData} data files open at once: nothing was kept`);
    // Kept fds, plus one per operation in flight (a GET whose fd is not kept, a PUT); async closes of
    // evicted fds wait in libuv's queue behind the operations in flight.
    const inFlightSlack = io === 'sync' ? concurrency : 2 * concurrency;
    assert.ok(fds.maxData <= THREADS * BOUND + inFlightSlack, `${fds.maxData} data files open at once (400+ keys, bound ${THREADS} × ${BOUND})`);
    assert.ok(fds.maxTotal <= THREADS * BOUND + BASELINE_FDS, `${fds.maxTotal} fds open at once`);
    // A DELETE closes the key's kept fd first (only sync I/O closes at once, so only there is it exact).
    if (io === 'sync') assert.equal(fds.deletedSeen, 0, 'an fd of a deleted file was held');
  });
}

test('a small open-file limit caps keep_open, and validate says so', () => {
  const file = writeWorkload(`
target: file://${tempDir('data')}/
ops: 10
threads: 2
concurrency: 4
file: { keep_open: true }
prepare: { objects: 10 }
workload:
  - { op: get, weight: 1 }
`);
  // Node raises the soft limit to the hard one at start: only a hard limit caps it (ulimit -n sets both).
  const result = spawnSync('bash', ['-c', `ulimit -n 300 && exec "${process.execPath}" bin/iofleet.js validate "${file}"`], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /keep open: +up to 20 files per worker thread \(40 in all; .*capped from 1024: this process may open 300 files/);
});

test('an open-file limit too low for keep_open: a config error at the keep_open line, before any I/O', () => {
  const file = writeWorkload(`target: file://${tempDir('data')}/
ops: 10
concurrency: 64
file: { keep_open: true }
prepare: { objects: 2 }
workload: [{ op: get, weight: 1 }]
`);
  // A lower hard limit (any process may lower its own) leaves 300 - 256 - 64 < 1 fd to keep.
  const result = spawnSync('bash', ['-c', `ulimit -n 300 && exec "${process.execPath}" bin/iofleet.js validate "${file}"`], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 2, result.stderr);
  assert.equal(
    result.stderr.split('\n')[0],
    `iofleet: CONFIG_INVALID: ${file}:4:20 file.keep_open: this process may open only 300 files (RLIMIT_NOFILE), too few to keep any open after 256 for iofleet itself and 64 for the operations in flight`,
  );
});
