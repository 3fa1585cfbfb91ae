// Comparison 2: client CPU per 4 KiB S3 GET, iofleet vs a plain loop over @aws-sdk/client-s3 (v3) with
// the same number of operations in flight, each in its own process measuring its own CPU. Throughput
// is shown too, but the goal is on CPU: it is what a load generator sharing cores with anything spends.

import type { BenchContext } from './bench-context.js';
import { createCpuSampler } from './cpu-sampler.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { median } from './median.js';
import { formatNumber, fromRounds, type ComparisonRow, type SectionResult } from './report.js';
import type { RgwServer } from './rgw-server.js';
import { S3_BENCH_BUCKET, S3_REFERENCE_KEY, s3GetWorkload } from './s3-get-workload.js';
import { runSdkLoop } from './sdk-run.js';

interface SdkSample {
  opsPerSec: number;
  clientCpuUsPerOp: number;
  serverCpuUsPerOp: number;
}

export async function runSdkSection(context: BenchContext, rgw: RgwServer): Promise<SectionResult> {
  const { options, log } = context;
  const rows: ComparisonRow[] = [];
  const lines: string[] = [];
  const sampler = createCpuSampler(rgw.gatewayPid);
  const concurrencies = options.isQuick ? [16] : [16, 64];
  try {
    for (const concurrency of concurrencies) {
      log(`S3 GET 4 KiB client CPU, ${concurrency} in flight: iofleet vs @aws-sdk/client-s3, ${options.rounds} round(s)`);
      const workload = s3GetWorkload({ connections: concurrency, warmupMs: options.warmupMs, measureMs: options.measureMs });
      const samples = await runInterleaved(
        {
          iofleet: async (): Promise<SdkSample> => {
            const run = await runIofleet(workload, context, rgw.env);
            const serverCpuUs = sampler.cpuUsBetween(run.startEpochMs, run.startEpochMs + run.elapsedMs);
            return { opsPerSec: run.opsPerSec, clientCpuUsPerOp: run.clientCpuUsPerOp, serverCpuUsPerOp: serverCpuUs / run.ops };
          },
          sdk: async (): Promise<SdkSample> => {
            const run = await runSdkLoop({
              endpoint: rgw.endpoint,
              bucket: S3_BENCH_BUCKET,
              key: S3_REFERENCE_KEY,
              concurrency,
              warmupMs: options.warmupMs,
              durationMs: options.measureMs,
              env: rgw.env,
            });
            if (run.errors > 0) throw new Error(`AWS SDK loop: ${run.errors} failed GETs`);
            const serverCpuUs = sampler.cpuUsBetween(run.startEpochMs, run.endEpochMs);
            return { opsPerSec: run.opsPerSec, clientCpuUsPerOp: run.cpuUsPerOp, serverCpuUsPerOp: serverCpuUs / run.ops };
          },
        },
        { rounds: options.rounds, log, describe: (_, r) => describeSample(r as SdkSample) },
      );
      rows.push({
        name: `S3 GET 4 KiB client CPU, ${concurrency} in flight`,
        unit: 'µs/op',
        ...fromRounds(
          samples.iofleet.map((s) => s.clientCpuUsPerOp),
          samples.sdk.map((s) => s.clientCpuUsPerOp),
        ),
        referenceName: 'AWS SDK v3',
        goal: { kind: 'ratio-at-most', value: 1 / 3 },
      });
      lines.push(
        `${concurrency} in flight, ops/s: iofleet ${formatNumber(median(samples.iofleet.map((s) => s.opsPerSec)))}, ` +
          `SDK ${formatNumber(median(samples.sdk.map((s) => s.opsPerSec)))}; RGW CPU µs/op: iofleet ${formatNumber(median(samples.iofleet.map((s) => s.serverCpuUsPerOp)))}, ` +
          `SDK ${formatNumber(median(samples.sdk.map((s) => s.serverCpuUsPerOp)))}`,
        `${concurrency} in flight, client CPU µs/op per round: iofleet ${samples.iofleet.map((s) => formatNumber(s.clientCpuUsPerOp)).join(' / ')}; ` +
          `SDK ${samples.sdk.map((s) => formatNumber(s.clientCpuUsPerOp)).join(' / ')}`,
      );
    }
  } finally {
    sampler.stop();
  }
  lines.push(
    'SDK: `@aws-sdk/client-s3` GetObjectCommand + `Body.transformToByteArray()` in `concurrency` async loops, one process, ' +
      "forcePathStyle, checksums 'WHEN_REQUIRED', keep-alive agent with maxSockets = concurrency; CPU = its process.cpuUsage() over the measured window after the same warmup.",
  );
  return { title: 'S3 GET client CPU: iofleet vs AWS SDK v3', rows, lines };
}

function describeSample(sample: SdkSample): string {
  return `${formatNumber(sample.opsPerSec)} ops/s, client ${formatNumber(sample.clientCpuUsPerOp)} µs/op, RGW ${formatNumber(sample.serverCpuUsPerOp)} µs/op`;
}
