// The floor of bare Node file I/O: what two worker threads doing nothing but blocking fs calls reach. It
// shows how much of a gap to fio is Node's (a JS → C++ → syscall round trip per call, and one open/close
// per object GET) and how much is iofleet's (op pick, key pick, recording, the await per op).
//
// One file, two roles. As a program it starts the worker threads and prints one JSON line {ops, opsPerSec}:
//   node node-file-floor.js <mode> <files|dir> <durationMs> <threads> [fileBytes] [opsPerThread]
// (read modes take comma-separated files, thread i reading file i mod n; opsPerThread gives a fixed
// volume instead of a fixed time). As a worker it runs one loop.
//
// Modes:
//   read-only         pread 4 KiB at random aligned offsets of an already open file (what fio psync does)
//   read-timed        read-only with what timing each read costs: performance.now() before and after, the
//                     latency in µs counted in a typed array (the least any tool that measures every
//                     operation's latency, as fio and iofleet do, pays per read in Node)
//   open-read-close   open + pread 4 KiB at a random aligned offset + close (what an object GET does)
//   write-only        write 1 MiB blocks sequentially into one open file, wrapping at fileBytes (fio write)
//   create-write      open(O_CREAT|O_TRUNC) a new file + write 1 MiB + close (what an object PUT does)

import * as fs from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export const FLOOR_MODES = ['read-only', 'read-timed', 'open-read-close', 'write-only', 'create-write'] as const;
export type FloorMode = (typeof FLOOR_MODES)[number];

interface FloorJob {
  mode: FloorMode;
  /** read modes: the file to read; write modes: the directory to write into. */
  path: string;
  fileBytes: number;
  durationMs: number;
  /** Stop after this many operations even before durationMs (Infinity: none). */
  opsLimit: number;
  index: number;
  /** Start flag shared with the main thread: 0 wait, 1 go. */
  go: Int32Array;
}

export interface FloorResult {
  ops: number;
  opsPerSec: number;
}

const READ_BYTES = 4096;
const WRITE_BYTES = 1024 * 1024;

function runLoop(job: FloorJob): number {
  const endMs = performance.now() + job.durationMs;
  let ops = 0;
  if (job.mode !== 'write-only' && job.mode !== 'create-write') {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const blocks = Math.floor(job.fileBytes / READ_BYTES);
    // xorshift32: no Math.random() call cost difference matters here, but keep it allocation-free.
    let seed = 0x9e3779b9 ^ (job.index + 1);
    const fd = job.mode === 'open-read-close' ? -1 : fs.openSync(job.path, 'r');
    // read-timed: a count per µs of latency (reads of 4 KiB from the page cache take a few).
    const latencyCounts = new Float64Array(1024);
    const isTimed = job.mode === 'read-timed';
    while (true) {
      // Check the clock every 256 ops: performance.now() is not free at 500k ops/s.
      if ((ops & 255) === 0 && performance.now() >= endMs) break;
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const offset = ((seed >>> 0) % blocks) * READ_BYTES;
      if (isTimed) {
        const startMs = performance.now();
        fs.readSync(fd, buffer, 0, READ_BYTES, offset);
        const latencyUs = Math.round((performance.now() - startMs) * 1000);
        latencyCounts[latencyUs < 1023 ? latencyUs : 1023]!++;
      } else if (fd >= 0) {
        fs.readSync(fd, buffer, 0, READ_BYTES, offset);
      } else {
        const one = fs.openSync(job.path, 'r');
        fs.readSync(one, buffer, 0, READ_BYTES, offset);
        fs.closeSync(one);
      }
      ops++;
    }
    if (fd >= 0) fs.closeSync(fd);
    if (isTimed && latencyCounts.reduce((sum, count) => sum + count, 0) !== ops) throw new Error('read-timed: a read went uncounted');
    return ops;
  }
  const block = Buffer.alloc(WRITE_BYTES, 0x5a);
  if (job.mode === 'write-only') {
    const fd = fs.openSync(join(job.path, `floor-write.${job.index}`), 'w');
    let position = 0;
    while (ops < job.opsLimit && performance.now() < endMs) {
      if (position + WRITE_BYTES > job.fileBytes) position = 0;
      fs.writeSync(fd, block, 0, WRITE_BYTES, position);
      position += WRITE_BYTES;
      ops++;
    }
    fs.closeSync(fd);
    return ops;
  }
  while (ops < job.opsLimit && performance.now() < endMs) {
    const fd = fs.openSync(join(job.path, `floor-${job.index}-${ops}`), 'w');
    fs.writeSync(fd, block, 0, WRITE_BYTES);
    fs.closeSync(fd);
    ops++;
  }
  return ops;
}

async function main(argv: string[]): Promise<void> {
  const [mode, path, durationText, threadsText, fileBytesText, opsLimitText] = argv;
  if (!FLOOR_MODES.includes(mode as FloorMode) || path === undefined) {
    throw new Error(`usage: node-file-floor.js <${FLOOR_MODES.join('|')}> <file-or-dir> <durationMs> <threads> [fileBytes] [opsPerThread]`);
  }
  const threads = Number(threadsText ?? 2);
  const durationMs = Number(durationText ?? 5000);
  const isRead = mode !== 'write-only' && mode !== 'create-write';
  // Read modes: a comma-separated list of files, thread i reads file i mod n.
  const paths = path.split(',');
  const fileBytes = Number(fileBytesText || (isRead ? fs.statSync(paths[0]!).size : 1024 * 1024 * 1024));
  const opsLimit = opsLimitText === undefined ? Infinity : Number(opsLimitText);
  // All threads start together (a shared flag) and the rate is total ops ÷ (last finish − start), as
  // iofleet's phases and fio's group reporting count it: a fixed-volume run is as fast as its slowest thread.
  const go = new Int32Array(new SharedArrayBuffer(4));
  let ready = 0;
  let startMs = 0;
  let allReady: () => void = () => {};
  const whenAllReady = new Promise<void>((resolve) => (allReady = resolve));
  const loops = Array.from({ length: threads }, (_, index) => {
    const job: FloorJob = { mode: mode as FloorMode, path: paths[index % paths.length]!, fileBytes, durationMs, opsLimit, index, go };
    return new Promise<number>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: job });
      worker.on('message', (message: 'ready' | number) => {
        if (message === 'ready') {
          if (++ready === threads) allReady();
        } else {
          resolve(message);
        }
      });
      worker.once('error', reject);
    });
  });
  await whenAllReady;
  startMs = performance.now();
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
  const counts = await Promise.all(loops);
  const elapsedMs = performance.now() - startMs;
  const ops = counts.reduce((sum, count) => sum + count, 0);
  process.stdout.write(JSON.stringify({ ops, opsPerSec: (ops * 1000) / elapsedMs } satisfies FloorResult) + '\n');
}

if (isMainThread) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  const job = workerData as FloorJob;
  parentPort!.postMessage('ready');
  Atomics.wait(job.go, 0, 0);
  parentPort!.postMessage(runLoop(job));
}
