// Comparison 3b: 1 MiB sequential writes of new data into the page cache, 2 threads, one write in flight
// per thread: iofleet (file:// target, sync I/O, 1 MiB PUTs of new objects) vs fio (psync, 2 jobs,
// sequential 1 MiB writes into one new file per job, --fallocate=none so that blocks are allocated at
// write time as for iofleet's files). Both write the same volume of new data and delete it afterwards.
//
// An object PUT is a new file per 1 MiB (open O_CREAT|O_TRUNC, write, close). fio does the same job with
// one file per block (--nrfiles with --openfiles=1 and --create_on_open: open, pwrite 1 MiB, close, next
// file): that comparison carries the goal. fio's default shape, appending to one open file per job,
// skips the create and close of every MiB; it is shown too, with bare Node loops of both shapes, which
// tell how much of a gap is the object model and how much is Node or iofleet.
//
// Every contender writes the same fixed volume, from the same state (settle-file-system.ts): on these VMs
// the speed of new page-cache pages depends on how many of them the host still backs, measured here as a
// budget of roughly 1-2.5 GiB of fast (2.5-5 GiB/s) writes after which the same writer drops to 0.7-1.3
// GiB/s. A time-based run would compare different mixes of the two. Hence no warmup for iofleet either
// (its warmup PUTs would add volume); JIT warm-up is negligible next to 1 MiB copies.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { runFio } from './fio-run.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { median } from './median.js';
import { runNodeFloor } from './node-floor-run.js';
import { formatNumber, fromRounds, type ComparisonRow, type SectionResult } from './report.js';
import { SETTLE_MS, settleFileSystem } from './settle-file-system.js';

const THREADS = 2;

export async function runFileWriteSection(context: BenchContext): Promise<SectionResult> {
  const { options, log } = context;
  const dir = join(context.workDir, 'file-write');
  mkdirSync(dir, { recursive: true });
  // Within the fast budget above and far below the dirty-page writeback threshold (10% of RAM).
  const totalMiB = options.isQuick ? 256 : 512;
  const perThread = totalMiB / THREADS;
  const workload = {
    name: 'file-write1m',
    target: `file://${dir}/iofleet/`,
    file: { io: 'sync' },
    ops: totalMiB,
    concurrency: THREADS,
    threads: THREADS,
    workload: [{ op: 'put', weight: 1, size: '1MiB' }],
    cleanup: true,
  };
  log(`file 1 MiB write (new data): iofleet vs fio vs Node floors, ${options.noisyRounds} round(s), ${SETTLE_MS} ms settle before each`);
  // What both fio shapes share: 1 MiB blocks, the same volume per job, psync, blocks allocated as written.
  const fioWrite = (directory: string): string[] =>
    ['--rw=write', '--bs=1M', `--size=${perThread}M`, `--numjobs=${THREADS}`, '--ioengine=psync', '--fallocate=none', '--unlink=1', `--directory=${directory}`, '--name=write'];
  const samples = await runInterleaved(
    {
      iofleet: async () => {
        // iofleet never creates its target directory (a mistyped path must not be benchmarked), and the
        // settle before each run empties `dir`: make it for every run.
        mkdirSync(join(dir, 'iofleet'), { recursive: true });
        const run = await runIofleet(workload, context);
        return { opsPerSec: run.opsPerSec, cpuUsPerOp: run.clientCpuUsPerOp };
      },
      fioPerFile: async () => {
        mkdirSync(join(dir, 'fio'), { recursive: true });
        const run = await runFio([...fioWrite(join(dir, 'fio')), `--nrfiles=${perThread}`, '--openfiles=1', '--create_on_open=1', '--file_service_type=sequential']);
        return { opsPerSec: run.iops, cpuUsPerOp: NaN };
      },
      fio: async () => {
        mkdirSync(join(dir, 'fio'), { recursive: true });
        const run = await runFio(fioWrite(join(dir, 'fio')));
        return { opsPerSec: run.iops, cpuUsPerOp: NaN };
      },
      nodeCreateWrite: async () => {
        mkdirSync(join(dir, 'floor'), { recursive: true });
        const opsPerSec = await runNodeFloor({ mode: 'create-write', paths: [join(dir, 'floor')], durationMs: 60_000, threads: THREADS, opsPerThread: perThread });
        return { opsPerSec, cpuUsPerOp: NaN };
      },
      nodeAppend: async () => {
        mkdirSync(join(dir, 'floor'), { recursive: true });
        const opsPerSec = await runNodeFloor({ mode: 'write-only', paths: [join(dir, 'floor')], durationMs: 60_000, threads: THREADS, fileBytes: 2 ** 40, opsPerThread: perThread });
        return { opsPerSec, cpuUsPerOp: NaN };
      },
    },
    {
      rounds: options.noisyRounds,
      log,
      beforeEach: () => settleFileSystem(dir),
      describe: (_, r) => `${formatNumber((r as { opsPerSec: number }).opsPerSec)} MiB/s`,
    },
  );
  await settleFileSystem(dir);
  const ops = (list: readonly { opsPerSec: number }[]): number[] => list.map((s) => s.opsPerSec);
  const rows: ComparisonRow[] = [
    {
      name: 'File 1 MiB write, new data, a new file per MiB (an object PUT; fio the same), 2 threads',
      unit: 'MiB/s',
      ...fromRounds(ops(samples.iofleet), ops(samples.fioPerFile)),
      referenceName: 'fio',
      goal: { kind: 'ratio-at-least', value: 0.8 },
    },
    { name: '↳ Node floor: create+write+close per 1 MiB file', unit: 'MiB/s', iofleetLabel: 'Node', ...fromRounds(ops(samples.nodeCreateWrite), ops(samples.fioPerFile)), referenceName: 'fio', goal: { kind: 'info' } },
    { name: '↳ iofleet vs fio appending to one open file per job (fio\'s default shape)', unit: 'MiB/s', ...fromRounds(ops(samples.iofleet), ops(samples.fio)), referenceName: 'fio', goal: { kind: 'info' } },
    { name: '↳ Node floor: 1 MiB writes appended to one open file', unit: 'MiB/s', iofleetLabel: 'Node', ...fromRounds(ops(samples.nodeAppend), ops(samples.fio)), referenceName: 'fio', goal: { kind: 'info' } },
  ];
  const lines = [
    `MiB/s per round: iofleet ${ops(samples.iofleet).map(formatNumber).join(' / ')}; fio a file per MiB ${ops(samples.fioPerFile).map(formatNumber).join(' / ')}; ` +
      `fio one file ${ops(samples.fio).map(formatNumber).join(' / ')}; ` +
      `Node create+write ${ops(samples.nodeCreateWrite).map(formatNumber).join(' / ')}; Node append ${ops(samples.nodeAppend).map(formatNumber).join(' / ')}`,
    `iofleet client CPU per 1 MiB PUT: ${formatNumber(median(samples.iofleet.map((s) => s.cpuUsPerOp)))} µs (mostly kernel: page allocation and copy).`,
    `iofleet: \`file: { io: sync }, threads: 2, concurrency: 2, ops: ${totalMiB}\` (no warmup), \`{ op: put, size: 1MiB }\` (a new file per PUT), cleanup on. ` +
      `fio: \`--rw=write --bs=1M --size=${perThread}M --numjobs=2 --ioengine=psync --fallocate=none --unlink=1\`, ` +
      `a file per MiB with \`--nrfiles=${perThread} --openfiles=1 --create_on_open=1 --file_service_type=sequential\` (open O_CREAT, pwrite 1 MiB, close, as an object PUT), ` +
      'else one new file per job, appended to. ' +
      `Node floors: 2 worker threads × ${perThread} writes. Every contender writes the same ${totalMiB} MiB of new data, no fsync.`,
    `Before every run: delete the previous run's files, \`sync\`, wait ${SETTLE_MS} ms (the VM returns freed pages to the host ~2 s after a delete; ` +
      'a writer reusing them runs several times faster than one faulting fresh pages in), so every run starts from the same state. Expect wide spreads here.',
  ];
  return { title: 'File: 1 MiB sequential write of new data', rows, lines };
}
