// What every section of the bench gets: the options, a scratch directory and the progress log.

import type { BenchOptions } from './bench-options.js';

export interface BenchContext {
  options: BenchOptions;
  /** Scratch directory of this bench run (workload files, results directories, test files); removed at the end. */
  workDir: string;
  /** Progress on stderr: stdout carries the report only. */
  log: (line: string) => void;
  /** The iofleet CLI to run (a snapshot of bin/iofleet.js and dist/src/, see iofleet-snapshot.ts). */
  iofleetBin: string;
}

/** A duration for a workload file, in the unit iofleet's parser accepts. */
export function yamlDuration(ms: number): string {
  return `${Math.round(ms)}ms`;
}
