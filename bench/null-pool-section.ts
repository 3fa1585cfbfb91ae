// Comparison 5 (issue 4): routing must not show in the engine's cost. null:// with an 8-endpoint pool,
// once per strategy, against the same run with one endpoint, interleaved in the same rounds. Same shape
// as the null:// ceiling (one worker thread, 64 loops, GETs of prepared keys, full statistics), so the
// ratio is what the pool adds per op: pick, health check, in-flight counts, per-endpoint recording.

import type { BenchContext } from './bench-context.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { median } from './median.js';
import { nullGetWorkload } from './null-section.js';
import { formatNumber, fromRounds, type ComparisonRow, type SectionResult } from './report.js';

const STRATEGIES = ['round_robin', 'least_connections', 'random', 'first', 'weighted', 'consistent_hash'] as const;
const ENDPOINTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => `null://${name}`);

type Sample = { opsPerSec: number; cpuUsPerOp: number };

export async function runNullPoolSection(context: BenchContext): Promise<SectionResult> {
  const { options, log } = context;
  const workload = (strategy: string | undefined) =>
    nullGetWorkload(context, `null-pool-${strategy ?? 'single'}`, strategy === undefined ? {} : { multi_endpoint: { strategy, endpoints: ENDPOINTS } });
  const run = async (strategy?: string): Promise<Sample> => {
    const result = await runIofleet(workload(strategy), context);
    return { opsPerSec: result.opsPerSec, cpuUsPerOp: result.clientCpuUsPerOp };
  };
  log(`null:// 8-endpoint pool per strategy vs one endpoint, 1 thread, ${options.rounds} round(s)`);
  const contenders: Record<string, () => Promise<Sample>> = { single: () => run() };
  for (const strategy of STRATEGIES) contenders[strategy] = () => run(strategy);
  const samples = await runInterleaved(contenders, {
    rounds: options.rounds,
    log,
    describe: (_, r) => `${formatNumber((r as Sample).opsPerSec)} ops/s`,
  });
  const rows: ComparisonRow[] = STRATEGIES.map((strategy) => ({
    name: `null:// 8-endpoint pool, ${strategy}, vs 1 endpoint`,
    unit: 'ops/s',
    ...fromRounds(
      samples[strategy]!.map((s) => s.opsPerSec),
      samples.single!.map((s) => s.opsPerSec),
    ),
    referenceName: '1 endpoint',
    goal: { kind: 'ratio-at-least', value: 0.9 },
  }));
  const cpu = (name: string): string => median(samples[name]!.map((s) => s.cpuUsPerOp)).toFixed(2);
  return {
    title: 'null:// endpoint pool vs one endpoint',
    rows,
    lines: [
      `client CPU µs/op: 1 endpoint ${cpu('single')}; ${STRATEGIES.map((s) => `${s} ${cpu(s)}`).join(', ')}`,
      '`target: null://, threads: 1, concurrency: 64`, 10,000 prepared keys, `multi_endpoint: { strategy, endpoints: [null://a ... null://h] }`.',
    ],
  };
}
