// Comparison 3b: 1 MiB sequential writes of new data into the page cache, 2 threads, one write in flight
// per thread: iofleet (file:// target, sync I/O, 1 MiB PUTs of new objects) vs fio (psync, 2 jobs,
// sequential 1 MiB writes into one new file per job, --fallocate=none so that blocks are allocated at
// write time as for iofleet's files). Both write the same volume of new data and delete it afterwards.
//
// The shapes differ: fio appends to one file per job, iofleet creates a file per PUT (open O_CREAT|O_TRUNC,
// write, close). Two bare Node loops give the floors of both shapes.
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
  const samples = await runInterleaved(
    {
      iofleet: async () => {
        // iofleet never creates its target directory (a mistyped path must not be benchmarked), and the
        // settle before each run empties `dir`: make it for every run.
        mkdirSync(join(dir, 'iofleet'), { recursive: true });
        const run = await runIofleet(workload, context);
        return { opsPerSec: run.opsPerSec, cpuUsPerOp: run.clientCpuUsPerOp };
      },
      fio: async () => {
        mkdirSync(join(dir, 'fio'), { recursive: true });
        const run = await runFio([
          '--rw=write',
          '--bs=1M',
          `--size=${perThread}M`,
          `--numjobs=${THREADS}`,
          '--ioengine=psync',
          '--fallocate=none',
          '--unlink=1',
          `--directory=${join(dir, 'fio')}`,
          '--name=write',
        ]);
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
    { name: 'File 1 MiB write, new data, 2 threads', unit: 'MiB/s', ...fromRounds(ops(samples.iofleet), ops(samples.fio)), referenceName: 'fio', goal: { kind: 'ratio-at-least', value: 0.8 } },
    { name: '↳ Node floor: create+write+close per 1 MiB file (an object PUT)', unit: 'MiB/s', iofleetLabel: 'Node', ...fromRounds(ops(samples.nodeCreateWrite), ops(samples.fio)), referenceName: 'fio', goal: { kind: 'info' } },
    { name: '↳ Node floor: 1 MiB writes appended to one open file (what fio does)', unit: 'MiB/s', iofleetLabel: 'Node', ...fromRounds(ops(samples.nodeAppend), ops(samples.fio)), referenceName: 'fio', goal: { kind: 'info' } },
  ];
  const lines = [
    `MiB/s per round: iofleet ${ops(samples.iofleet).map(formatNumber).join(' / ')}; fio ${ops(samples.fio).map(formatNumber).join(' / ')}; ` +
      `Node create+write ${ops(samples.nodeCreateWrite).map(formatNumber).join(' / ')}; Node append ${ops(samples.nodeAppend).map(formatNumber).join(' / ')}`,
    `iofleet client CPU per 1 MiB PUT: ${formatNumber(median(samples.iofleet.map((s) => s.cpuUsPerOp)))} µs (mostly kernel: page allocation and copy).`,
    `iofleet: \`file: { io: sync }, threads: 2, concurrency: 2, ops: ${totalMiB}\` (no warmup), \`{ op: put, size: 1MiB }\` (a new file per PUT), cleanup on. ` +
      `fio: \`--rw=write --bs=1M --size=${perThread}M --numjobs=2 --ioengine=psync --fallocate=none --unlink=1\` (one new file per job). ` +
      `Node floors: 2 worker threads × ${perThread} writes. Every contender writes the same ${totalMiB} MiB of new data, no fsync.`,
    `Before every run: delete the previous run's files, \`sync\`, wait ${SETTLE_MS} ms (the VM returns freed pages to the host ~2 s after a delete; ` +
      'a writer reusing them runs several times faster than one faulting fresh pages in), so every run starts from the same state. Expect wide spreads here.',
  ];
  return { title: 'File: 1 MiB sequential write of new data', rows, lines };
}
