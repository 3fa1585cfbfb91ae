// Comparison 3a: 4 KiB random reads from the page cache, 2 threads, one read in flight per thread:
// iofleet (file:// target, sync I/O, ranged GETs on two large prepared files) vs fio (psync, 2 jobs,
// randread on the *same* two files, --invalidate=0 after reading them once).
//
// iofleet runs twice: as an object GET, which opens, reads and closes its file every time, and with
// `file: { keep_open: true }`, which preads files it keeps open as fio does. Two bare Node loops in 2
// worker threads give the floors of both shapes (open+pread+close, and pread only), so the table shows
// how much of a gap is the object model, how much is Node, and how much is iofleet's engine.

import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { yamlDuration, type BenchContext } from './bench-context.js';
import { runFio } from './fio-run.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { runNodeFloor } from './node-floor-run.js';
import { formatNumber, fromRounds, type ComparisonRow, type SectionResult } from './report.js';

const THREADS = 2;

export async function runFileReadSection(context: BenchContext): Promise<SectionResult> {
  const { options, log } = context;
  const dir = join(context.workDir, 'file-read');
  // iofleet never creates its target directory (a mistyped path must not be benchmarked): make it here.
  mkdirSync(dir, { recursive: true });
  const fileMiB = options.isQuick ? 64 : 128;
  const files = Array.from({ length: THREADS }, (_, i) => join(dir, `obj-${i}`));
  const workload = (limits: Record<string, unknown>, keepOpen = false): Record<string, unknown> => ({
    name: keepOpen ? 'file-read4k-keep-open' : 'file-read4k',
    target: `file://${dir}/`,
    file: keepOpen ? { io: 'sync', keep_open: true } : { io: 'sync' },
    ...limits,
    concurrency: THREADS,
    threads: THREADS,
    // skip_existing: every run reads the files the first one wrote (same files, same page-cache state).
    prepare: { objects: THREADS, size: `${fileMiB}MiB`, skip_existing: true },
    workload: [{ op: 'get', weight: 1, range: '4KiB' }],
    cleanup: false,
  });
  log(`file 4 KiB random read (page cache): preparing ${THREADS} × ${fileMiB} MiB with iofleet, reading them once`);
  await runIofleet(workload({ ops: THREADS }), context);
  for (const file of files) readWholeFile(file);

  log(`file 4 KiB random read: iofleet vs fio vs Node floors, ${options.rounds} round(s)`);
  const warmupSec = Math.max(1, Math.round(options.warmupMs / 1000));
  const measureSec = Math.max(1, Math.round(options.measureMs / 1000));
  const limits = { duration: yamlDuration(options.warmupMs + options.measureMs), warmup: yamlDuration(options.warmupMs) };
  const timed = workload(limits);
  const timedKeepOpen = workload(limits, true);
  const samples = await runInterleaved(
    {
      iofleet: async () => (await runIofleet(timed, context)).opsPerSec,
      iofleetKeepOpen: async () => (await runIofleet(timedKeepOpen, context)).opsPerSec,
      fio: async () =>
        (
          await runFio([
            '--rw=randread',
            '--bs=4k',
            '--ioengine=psync',
            '--invalidate=0',
            '--time_based',
            `--ramp_time=${warmupSec}`,
            `--runtime=${measureSec}`,
            ...files.flatMap((file, i) => [`--name=read${i}`, `--filename=${file}`]),
          ])
        ).iops,
      nodeOpenReadClose: () => runNodeFloor({ mode: 'open-read-close', paths: files, durationMs: options.measureMs, threads: THREADS }),
      nodeReadOnly: () => runNodeFloor({ mode: 'read-only', paths: files, durationMs: options.measureMs, threads: THREADS }),
      nodeReadTimed: () => runNodeFloor({ mode: 'read-timed', paths: files, durationMs: options.measureMs, threads: THREADS }),
    },
    { rounds: options.rounds, log, describe: (_, r) => `${formatNumber(r as number)} ops/s` },
  );
  const rows: ComparisonRow[] = [
    { name: 'File 4 KiB random read, page cache, keep_open, 2 threads', unit: 'ops/s', ...fromRounds(samples.iofleetKeepOpen, samples.fio), referenceName: 'fio', goal: { kind: 'ratio-at-least', value: 0.8 } },
    // The goal is for the shape fio measures (keep_open); an object GET opens and closes a file per read.
    { name: '↳ iofleet object GET (open+pread+close per read) vs fio', unit: 'ops/s', ...fromRounds(samples.iofleet, samples.fio), referenceName: 'fio', goal: { kind: 'info' } },
    { name: '↳ Node floor: open+pread+close per read (an object GET)', unit: 'ops/s', iofleetLabel: 'Node', ...fromRounds(samples.nodeOpenReadClose, samples.fio), referenceName: 'fio', goal: { kind: 'info' } },
    { name: '↳ Node floor: pread on open files (what fio does)', unit: 'ops/s', iofleetLabel: 'Node', ...fromRounds(samples.nodeReadOnly, samples.fio), referenceName: 'fio', goal: { kind: 'info' } },
    // fio times every read too, but with rdtsc; in Node a clock read is performance.now().
    { name: '↳ Node floor: pread on open files, each timed (two clock reads)', unit: 'ops/s', iofleetLabel: 'Node', ...fromRounds(samples.nodeReadTimed, samples.fio), referenceName: 'fio', goal: { kind: 'info' } },
    { name: '↳ iofleet object GET vs the open+pread+close floor', unit: 'ops/s', ...fromRounds(samples.iofleet, samples.nodeOpenReadClose), referenceName: 'Node', goal: { kind: 'info' } },
    { name: '↳ iofleet keep_open vs the pread floor', unit: 'ops/s', ...fromRounds(samples.iofleetKeepOpen, samples.nodeReadOnly), referenceName: 'Node', goal: { kind: 'info' } },
    { name: '↳ iofleet keep_open vs the timed pread floor', unit: 'ops/s', ...fromRounds(samples.iofleetKeepOpen, samples.nodeReadTimed), referenceName: 'Node', goal: { kind: 'info' } },
  ];
  const lines = [
    `ops/s per round: iofleet keep_open ${samples.iofleetKeepOpen.map(formatNumber).join(' / ')}; iofleet object GET ${samples.iofleet.map(formatNumber).join(' / ')}; fio ${samples.fio.map(formatNumber).join(' / ')}; ` +
      `Node open+pread+close ${samples.nodeOpenReadClose.map(formatNumber).join(' / ')}; Node pread ${samples.nodeReadOnly.map(formatNumber).join(' / ')}; ` +
      `Node timed pread ${samples.nodeReadTimed.map(formatNumber).join(' / ')}`,
    `iofleet: \`target: file://…/, file: { io: sync }, threads: 2, concurrency: 2\`, ${THREADS} prepared objects of ${fileMiB} MiB, ` +
      '`{ op: get, range: 4KiB }` (random aligned 4 KiB of a random object, no verify); each object GET = open + pread + close, ' +
      'with `file: { io: sync, keep_open: true }` each GET = pread on a file the worker thread keeps open.',
    `fio: \`--rw=randread --bs=4k --ioengine=psync --invalidate=0 --time_based --ramp_time=${warmupSec} --runtime=${measureSec}\`, ` +
      'one job per file on the same two files, which were read once beforehand (all in the page cache).',
    `Node floors: 2 worker threads, a bare loop of fs.openSync/readSync/closeSync, or fs.readSync on an open fd, same files, random aligned 4 KiB, ${options.measureMs} ms. ` +
      'The timed floor adds what measuring each read costs: performance.now() before and after it and a count per µs of latency.',
  ];
  return { title: 'File: 4 KiB random read from the page cache', rows, lines };
}

/** Reads the file once so that it is in the page cache (and stays there: nothing here evicts it). */
function readWholeFile(path: string): void {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const fd = openSync(path, 'r');
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}
