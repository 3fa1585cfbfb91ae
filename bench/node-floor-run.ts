// Runs one bare Node file-I/O floor (node-file-floor.ts) as its own process.

import { join } from 'node:path';
import { lastJsonLine, runChildOk } from './child-process.js';
import type { FloorMode, FloorResult } from './node-file-floor.js';
import { BENCH_DIST } from './repo-paths.js';

export async function runNodeFloor(options: {
  mode: FloorMode;
  /** Read modes: the files (thread i reads file i mod n); write modes: one directory. */
  paths: readonly string[];
  durationMs: number;
  threads: number;
  /** write-only: wrap around in the file after this many bytes. */
  fileBytes?: number;
  /** Stop each thread after this many operations (a fixed volume instead of a fixed time). */
  opsPerThread?: number;
}): Promise<number> {
  const args = [join(BENCH_DIST, 'node-file-floor.js'), options.mode, options.paths.join(','), String(options.durationMs), String(options.threads)];
  args.push(options.fileBytes === undefined ? '' : String(options.fileBytes));
  if (options.opsPerThread !== undefined) args.push(String(options.opsPerThread));
  const child = await runChildOk(process.execPath, args);
  return lastJsonLine<FloorResult>(child.stdout).opsPerSec;
}
