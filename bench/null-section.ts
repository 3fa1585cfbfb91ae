// Comparison 4: the engine's own ceiling. null:// does no I/O, so a run measures everything iofleet does
// per operation (op pick, key pick, slot set-up, the await, timing, HDR recording, 1 s windows, merging):
// one worker thread, 64 loops, GETs of prepared keys with full statistics. The goal is absolute.

import { yamlDuration, type BenchContext } from './bench-context.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { median } from './median.js';
import { formatNumber, type SectionResult } from './report.js';

/**
 * The engine-ceiling workload: null://, one worker thread, 64 loops, GETs of 10,000 prepared keys. The
 * endpoint-pool comparison (null-pool-section.ts) adds its pool to this same shape.
 */
export function nullGetWorkload(context: BenchContext, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { options } = context;
  return {
    name,
    target: 'null://',
    duration: yamlDuration(options.warmupMs + options.measureMs),
    warmup: yamlDuration(options.warmupMs),
    concurrency: 64,
    threads: 1,
    prepare: { objects: 10000, size: '4KiB' },
    ...extra,
    workload: [{ op: 'get', weight: 1 }],
  };
}

export async function runNullSection(context: BenchContext): Promise<SectionResult> {
  const { options, log } = context;
  const workload = nullGetWorkload(context, 'null-get');
  log(`null:// engine ceiling, 1 thread, ${options.rounds} round(s)`);
  const samples = await runInterleaved(
    {
      iofleet: async () => {
        const run = await runIofleet(workload, context);
        return { opsPerSec: run.opsPerSec, cpuUsPerOp: run.clientCpuUsPerOp };
      },
    },
    { rounds: options.rounds, log, describe: (_, r) => `${formatNumber((r as { opsPerSec: number }).opsPerSec)} ops/s` },
  );
  const opsPerSec = median(samples.iofleet.map((s) => s.opsPerSec));
  const cpuUsPerOp = median(samples.iofleet.map((s) => s.cpuUsPerOp));
  return {
    title: 'null:// engine ceiling',
    rows: [
      {
        name: 'null:// GET, full statistics, 1 worker thread',
        unit: 'ops/s per core',
        iofleet: opsPerSec,
        goal: { kind: 'value-at-least', value: 1_000_000 },
      },
    ],
    lines: [
      `ops/s per round: ${samples.iofleet.map((s) => formatNumber(s.opsPerSec)).join(' / ')}`,
      `client CPU ${cpuUsPerOp.toFixed(2)} µs/op for the whole process (worker + main thread): ${formatNumber(1e6 / cpuUsPerOp)} ops per CPU-second.`,
      '`target: null://, threads: 1, concurrency: 64`, 10,000 prepared keys, uniform, `{ op: get }`, no rate limit, no verify.',
    ],
  };
}
