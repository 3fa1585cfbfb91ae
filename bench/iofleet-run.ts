// One iofleet run through its real CLI, as a user runs it: a generated workload file, `iofleet run
// <file> --out <dir>` as a child process, then the measure phase read back from results.json.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { BenchContext } from './bench-context.js';
import { runChildOk } from './child-process.js';

/** The measure phase of a run, in the units of results.json. */
export interface IofleetMeasure {
  opsPerSec: number;
  ops: number;
  errors: number;
  /** CPU of the whole iofleet process (every thread) during the measure phase, per operation. */
  clientCpuUsPerOp: number;
  mibPerSec: number;
  startEpochMs: number;
  elapsedMs: number;
  resultsDir: string;
}

interface ResultsJson {
  run: { status: string; error: { code: string; message: string } | null };
  phases: {
    phase: string;
    started_at: string;
    elapsed_ms: number;
    client_cpu_us_per_op: number | null;
    totals: { ops: number; errors: number; ops_per_sec: number; mib_per_sec: number; errors_by_class: Record<string, number> };
  }[];
}

let runCount = 0;

/**
 * Writes the workload (a config object, rendered as YAML) into the bench's scratch directory, runs it and
 * returns its measure phase. Fails when the run does not complete or any operation failed: a ratio over
 * failures means nothing.
 */
export async function runIofleet(
  workload: Readonly<Record<string, unknown>>,
  context: Pick<BenchContext, 'workDir' | 'iofleetBin'>,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<IofleetMeasure> {
  const id = `${String(workload.name ?? 'workload')}-${++runCount}`;
  const file = join(context.workDir, `${id}.yaml`);
  const resultsDir = join(context.workDir, `${id}-results`);
  writeFileSync(file, stringify(workload));
  await runChildOk(process.execPath, [context.iofleetBin, 'run', file, '--out', resultsDir], { env, timeoutMs: 180_000 });
  const results = JSON.parse(readFileSync(join(resultsDir, 'results.json'), 'utf8')) as ResultsJson;
  if (results.run.status !== 'completed') {
    throw new Error(`iofleet run ${file}: status ${results.run.status} ${results.run.error?.message ?? ''}`);
  }
  const measure = results.phases.find((phase) => phase.phase === 'measure');
  if (measure === undefined) throw new Error(`iofleet run ${file}: no measure phase in ${resultsDir}/results.json`);
  if (measure.totals.errors > 0) {
    throw new Error(`iofleet run ${file}: ${measure.totals.errors} failed operations ${JSON.stringify(measure.totals.errors_by_class)}`);
  }
  return {
    opsPerSec: measure.totals.ops_per_sec,
    ops: measure.totals.ops,
    errors: measure.totals.errors,
    clientCpuUsPerOp: measure.client_cpu_us_per_op ?? NaN,
    mibPerSec: measure.totals.mib_per_sec,
    startEpochMs: Date.parse(measure.started_at),
    elapsedMs: measure.elapsed_ms,
    resultsDir,
  };
}
