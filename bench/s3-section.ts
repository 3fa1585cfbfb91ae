// Comparison 1: S3 4 KiB GET throughput on Ceph RGW, iofleet vs wrk on a presigned URL of the same kind
// of object, same number of connections (16 and 64). Client and server share the cores, so the client's
// CPU per op decides how close it gets to a C client: both are reported, and the gateway's CPU per op in
// each run (a client that sends different requests would show here).

import * as os from 'node:os';
import type { BenchContext } from './bench-context.js';
import { createCpuSampler } from './cpu-sampler.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { median } from './median.js';
import { presignGetUrl } from './presign.js';
import { formatNumber, type ComparisonRow, type SectionResult } from './report.js';
import type { RgwServer } from './rgw-server.js';
import { S3_BENCH_BUCKET, S3_REFERENCE_KEY, s3GetWorkload } from './s3-get-workload.js';
import { runWrk } from './wrk-run.js';

export const S3_CONNECTIONS = [16, 64] as const;

interface S3Sample {
  opsPerSec: number;
  clientCpuUsPerOp: number;
  serverCpuUsPerOp: number;
}

export async function runS3Section(context: BenchContext, rgw: RgwServer): Promise<SectionResult> {
  const { options, log } = context;
  const rows: ComparisonRow[] = [];
  const lines: string[] = [];
  const sampler = createCpuSampler(rgw.gatewayPid);
  let url: string | undefined;
  const wrkThreads = os.availableParallelism();
  try {
    for (const connections of S3_CONNECTIONS) {
      log(`S3 GET 4 KiB, ${connections} connections: iofleet vs wrk, ${options.noisyRounds} round(s)`);
      const workload = s3GetWorkload({ connections, warmupMs: options.warmupMs, measureMs: options.measureMs });
      const samples = await runInterleaved(
        {
          iofleet: async (): Promise<S3Sample> => {
            const run = await runIofleet(workload, context, rgw.env);
            const serverCpuUs = sampler.cpuUsBetween(run.startEpochMs, run.startEpochMs + run.elapsedMs);
            return { opsPerSec: run.opsPerSec, clientCpuUsPerOp: run.clientCpuUsPerOp, serverCpuUsPerOp: serverCpuUs / run.ops };
          },
          wrk: async (): Promise<S3Sample> => {
            // Signed once the object exists (the first round starts with iofleet, which prepares it).
            url ??= presignGetUrl({
              endpoint: rgw.endpoint,
              bucket: S3_BENCH_BUCKET,
              key: S3_REFERENCE_KEY,
              region: rgw.env.AWS_REGION ?? 'us-east-1',
              accessKeyId: rgw.env.AWS_ACCESS_KEY_ID!,
              secretAccessKey: rgw.env.AWS_SECRET_ACCESS_KEY!,
              expiresSec: 3600,
            });
            const run = await runWrk(url, { connections, threads: wrkThreads, durationSec: Math.round(options.measureMs / 1000) });
            if (run.errors > 0) throw new Error(`wrk: ${run.errors} failed requests of ${run.requests} (non-2xx or socket errors)`);
            const serverCpuUs = sampler.cpuUsBetween(run.startEpochMs, run.endEpochMs);
            return { opsPerSec: run.opsPerSec, clientCpuUsPerOp: run.cpuUsPerOp, serverCpuUsPerOp: serverCpuUs / run.requests };
          },
        },
        { rounds: options.noisyRounds, log, describe: (_, r) => describeSample(r as S3Sample) },
      );
      const iofleetOps = median(samples.iofleet.map((s) => s.opsPerSec));
      const wrkOps = median(samples.wrk.map((s) => s.opsPerSec));
      rows.push({
        name: `S3 GET 4 KiB, ${connections} connections`,
        unit: 'ops/s',
        iofleet: iofleetOps,
        referenceName: 'wrk',
        reference: wrkOps,
        goal: { kind: 'ratio-at-least', value: 0.9 },
      });
      const iofleetCpu = median(samples.iofleet.map((s) => s.clientCpuUsPerOp));
      const wrkCpu = median(samples.wrk.map((s) => s.clientCpuUsPerOp));
      lines.push(
        `${connections} connections, client CPU µs/op: iofleet ${formatNumber(iofleetCpu)}, wrk ${formatNumber(wrkCpu)} ` +
          `(${(iofleetCpu / wrkCpu).toFixed(1)}×); RGW CPU µs/op during the runs: iofleet ${formatNumber(median(samples.iofleet.map((s) => s.serverCpuUsPerOp)))}, ` +
          `wrk ${formatNumber(median(samples.wrk.map((s) => s.serverCpuUsPerOp)))}`,
        `${connections} connections, ops/s per round: iofleet ${samples.iofleet.map((s) => formatNumber(s.opsPerSec)).join(' / ')}; ` +
          `wrk ${samples.wrk.map((s) => formatNumber(s.opsPerSec)).join(' / ')}`,
      );
    }
  } finally {
    sampler.stop();
  }
  lines.push(
    `iofleet: \`concurrency: ${S3_CONNECTIONS.join(' / ')}, threads: ${os.availableParallelism()}\` (= cores), ` +
      `one connection per operation in flight, warmup ${options.warmupMs} ms excluded, measure ${options.measureMs} ms; CPU from results.json (measure phase, whole process).`,
    `wrk: \`wrk -t${wrkThreads} -c<connections> -d${Math.round(options.measureMs / 1000)}s <presigned URL>\` (URL signed with src/backends/s3/sigv4.ts, bench/presign.ts); ` +
      'CPU: its rusage via the waiting shell (`times`).',
    `Objects: iofleet prepares one 4 KiB object per worker thread (keys are partitioned between threads) and GETs them; wrk GETs \`${S3_REFERENCE_KEY}\`, one of them.`,
    'RGW: one gateway, BlueStore on a sparse file, `rgw thread pool size` 8, on the same 2 cores as the client: every client µs is taken from the server.',
  );
  return { title: 'S3 GET: iofleet vs wrk', rows, lines };
}

function describeSample(sample: S3Sample): string {
  return `${formatNumber(sample.opsPerSec)} ops/s, client ${formatNumber(sample.clientCpuUsPerOp)} µs/op, RGW ${formatNumber(sample.serverCpuUsPerOp)} µs/op`;
}
