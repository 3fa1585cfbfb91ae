// Reading a results directory back, typed loosely: tests assert on the files users would read.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SummaryJson {
  ops: number;
  ok_ops: number;
  errors: number;
  errors_by_class: Record<string, number>;
  bytes: number;
  ops_per_sec: number;
  latency_us: { mean: number; p50: number; p90: number; p99: number; p99_9: number; max: number };
}

export interface PhaseJson {
  phase: string;
  end_reason: string;
  objects: number;
  failed_objects: number;
  bytes_written: number;
  preexisting_objects: number;
  other_size_objects: number;
  created_objects_left: number;
  all_workers_reported: boolean;
  totals: SummaryJson;
  open_loop: { late_ops: number; max_slip_us: number };
  ops: { op: string; totals: SummaryJson; size_buckets: ({ size_bucket: string; latency_histogram_us: string | null } & SummaryJson)[] }[];
}

export interface ResultsJson {
  schema_version: number;
  run: {
    status: string;
    error: { code: string; message: string } | null;
    cleanup_skipped: { because: string; created_objects_left: number; at_least: boolean } | null;
  };
  plan: { threads: number; rate: { ops_per_sec: number; arrival: string } | null };
  phases: PhaseJson[];
}

export function readResults(dir: string): ResultsJson {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsJson;
}

export function phaseOf(results: ResultsJson, phase: string): PhaseJson {
  const found = results.phases.find((p) => p.phase === phase);
  if (!found) throw new Error(`no ${phase} phase in results.json (phases: ${results.phases.map((p) => p.phase).join(', ')})`);
  return found;
}

/** ok ops of one op label in a phase (0 if the op never ran). */
export function okOps(phase: PhaseJson, op: string): number {
  return phase.ops.find((o) => o.op === op)?.totals.ok_ops ?? 0;
}

export function readTsv(path: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const columns = header!.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((cell, i) => [columns[i]!, cell])));
}

/**
 * Waits until a running iofleet has written the live perf_log.tsv row of second `second` of the measure
 * phase (so a test can act mid-run: kill a gateway, send SIGINT). Gives up after `timeoutMs`.
 */
export async function waitForMeasureSecond(resultsDir: string, second: number, timeoutMs = 30_000): Promise<void> {
  const row = new RegExp(`^measure\\t${second}\\t`, 'm');
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    if (existsSync(join(resultsDir, 'perf_log.tsv')) && row.test(readFileSync(join(resultsDir, 'perf_log.tsv'), 'utf8'))) return;
  }
  throw new Error(`no measure second ${second} in ${resultsDir}/perf_log.tsv after ${timeoutMs} ms`);
}
