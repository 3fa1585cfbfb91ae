// fio, the C reference for file I/O, with JSON output; group_reporting folds every job into one result.

import { runChildOk } from './child-process.js';

export interface FioResult {
  /** Operations per second over all jobs (reads + writes). */
  iops: number;
  /** Job runtime in ms (the longest job). */
  runtimeMs: number;
  /** usr + sys CPU as fio reports it, percent of one CPU. */
  cpuPercent: number;
}

interface FioJson {
  jobs: { read: { iops: number }; write: { iops: number }; job_runtime: number; usr_cpu: number; sys_cpu: number }[];
}

/** Runs fio with the given options (fio syntax, without --output-format / --group_reporting). */
export async function runFio(args: readonly string[], timeoutMs = 120_000): Promise<FioResult> {
  const result = await runChildOk('fio', ['--output-format=json', '--group_reporting', ...args], { timeoutMs });
  // fio may print notes before the JSON document.
  const json = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as FioJson;
  const job = json.jobs[0];
  if (job === undefined) throw new Error(`fio printed no job:\n${result.stdout}`);
  return { iops: job.read.iops + job.write.iops, runtimeMs: job.job_runtime, cpuPercent: job.usr_cpu + job.sys_cpu };
}
