// The workload as it ran, for the results directory's config.yaml: `iofleet run <results>/config.yaml`
// must run the same workload again. The parsed config holds durations in milliseconds and a bare
// number in a workload file means seconds, so durations are written back with their unit (written as
// numbers, a rerun took 1000× as long); sizes stay numbers (a bare number is bytes, as parsed). What
// the environment supplied (the S3 endpoint, region and profile) is written out too, since a rerun
// may not have the same environment. Credentials never are.

import { stringify } from 'yaml';
import type { S3Plan } from '../plan/run-plan.js';
import type { WorkloadConfig } from './schema.js';

/** Exact text for a duration in ms that the duration parser reads back to the same value. */
export function durationText(ms: number): string {
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function resolvedConfigYaml(config: WorkloadConfig, s3: S3Plan | undefined): string {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  writeDurations(copy, ['duration', 'warmup', 'timeout']);
  writePoolDurations(copy['multi_endpoint']);
  for (const agent of (copy['agents'] as Record<string, unknown>[] | undefined) ?? []) writePoolDurations(agent['multi_endpoint']);
  if (s3 !== undefined) {
    copy['s3'] = {
      ...(copy['s3'] as Record<string, unknown> | undefined),
      endpoint: s3.endpoint,
      region: s3.region,
      ...(s3.profile === undefined ? {} : { profile: s3.profile }),
    };
  }
  return stringify(copy);
}

function writePoolDurations(pool: unknown): void {
  if (pool === undefined || pool === null) return;
  const record = pool as Record<string, unknown>;
  if (record['health'] !== undefined) writeDurations(record['health'] as Record<string, unknown>, ['cooldown', 'probe_interval']);
  for (const endpoint of (record['endpoints'] as unknown[] | undefined) ?? []) {
    if (typeof endpoint === 'object' && endpoint !== null) writeDurations(endpoint as Record<string, unknown>, ['timeout']);
  }
}

function writeDurations(record: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'number') record[key] = durationText(value);
  }
}
