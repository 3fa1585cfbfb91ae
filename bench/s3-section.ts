// Comparison 1: S3 4 KiB GET throughput on Ceph RGW, iofleet vs wrk on a presigned URL of the same kind
// of object, same number of connections (16 and 64) and the same number of client threads (1, and one
// per core). Client and server share the cores, so the client's CPU per op decides how close it gets to
// a C client: both are reported, and the gateway's CPU per op in each run (a client that sends different
// requests would show here).
//
// Why two thread counts: every event loop sleeps and wakes per response (epoll returns ~1 event per call
// at these rates), and on this VM a wake-up costs several µs of kernel time (perf: finish_task_switch
// ~15% of iofleet's CPU). Splitting 16 connections over two Node threads measured 79–87 µs/op against
// 62–64 on one thread (64 connections: 67–68 against 55–58). A user who shares a small client with the
// server picks one thread; one who drives a remote cluster at more ops/s than a thread can issue picks
// more: both are reported, each tool with the same threads.

import * as os from 'node:os';
import type { BenchContext } from './bench-context.js';
import { createCpuSampler } from './cpu-sampler.js';
import { runInterleaved } from './interleave.js';
import { runIofleet } from './iofleet-run.js';
import { median } from './median.js';
import { presignGetUrl } from './presign.js';
import { formatNumber, fromRounds, type ComparisonRow, type SectionResult } from './report.js';
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
  const threadCounts = [...new Set([1, os.availableParallelism()])];
  try {
    const shapes = S3_CONNECTIONS.flatMap((connections) => threadCounts.map((threads) => ({ connections, threads })));
    for (const { connections, threads } of shapes) {
      const shape = `${connections} connections, ${threads} thread${threads === 1 ? '' : 's'}`;
      log(`S3 GET 4 KiB, ${shape}: iofleet vs wrk, ${options.noisyRounds} round(s)`);
      const workload = s3GetWorkload({ connections, threads, warmupMs: options.warmupMs, measureMs: options.measureMs });
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
            const run = await runWrk(url, { connections, threads, durationSec: Math.round(options.measureMs / 1000) });
            if (run.errors > 0) throw new Error(`wrk: ${run.errors} failed requests of ${run.requests} (non-2xx or socket errors)`);
            const serverCpuUs = sampler.cpuUsBetween(run.startEpochMs, run.endEpochMs);
            return { opsPerSec: run.opsPerSec, clientCpuUsPerOp: run.cpuUsPerOp, serverCpuUsPerOp: serverCpuUs / run.requests };
          },
        },
        { rounds: options.noisyRounds, log, describe: (_, r) => describeSample(r as S3Sample) },
      );
      rows.push({
        name: `S3 GET 4 KiB, ${shape}`,
        unit: 'ops/s',
        ...fromRounds(
          samples.iofleet.map((s) => s.opsPerSec),
          samples.wrk.map((s) => s.opsPerSec),
        ),
        referenceName: 'wrk',
        goal: { kind: 'ratio-at-least', value: 0.9 },
      });
      const iofleetCpu = median(samples.iofleet.map((s) => s.clientCpuUsPerOp));
      const wrkCpu = median(samples.wrk.map((s) => s.clientCpuUsPerOp));
      lines.push(
        `${shape}, client CPU µs/op: iofleet ${formatNumber(iofleetCpu)}, wrk ${formatNumber(wrkCpu)} ` +
          `(${(iofleetCpu / wrkCpu).toFixed(1)}×); RGW CPU µs/op during the runs: iofleet ${formatNumber(median(samples.iofleet.map((s) => s.serverCpuUsPerOp)))}, ` +
          `wrk ${formatNumber(median(samples.wrk.map((s) => s.serverCpuUsPerOp)))}`,
        `${shape}, ops/s per round: iofleet ${samples.iofleet.map((s) => formatNumber(s.opsPerSec)).join(' / ')}; ` +
          `wrk ${samples.wrk.map((s) => formatNumber(s.opsPerSec)).join(' / ')}`,
      );
    }
  } finally {
    sampler.stop();
  }
  // One shape's 5 rounds leave its median ±0.1 on this host; the shapes' rounds together pin the client's
  // standing against wrk down far better (each round's ratio is still a same-moment comparison).
  const pooled = rows.flatMap((row) => row.roundRatios ?? []);
  rows.push({
    name: `S3 GET 4 KiB, the ${rows.length} shapes above pooled: median of their ${pooled.length} per-round ratios`,
    unit: 'ratio',
    iofleet: median(pooled),
    roundRatios: pooled,
    goal: { kind: 'ratio-at-least', value: 0.9 },
  });
  lines.push(
    `iofleet: \`concurrency: ${S3_CONNECTIONS.join(' / ')}, threads: ${threadCounts.join(' / ')}\`, ` +
      `one connection per operation in flight, warmup ${options.warmupMs} ms excluded, measure ${options.measureMs} ms; CPU from results.json (measure phase, whole process).`,
    `wrk: \`wrk -t<threads> -c<connections> -d${Math.round(options.measureMs / 1000)}s <presigned URL>\` (URL signed with src/backends/s3/sigv4.ts, bench/presign.ts); ` +
      'CPU: its rusage via the waiting shell (`times`).',
    `Objects: iofleet prepares one 4 KiB object per worker thread (keys are partitioned between threads) and GETs them; wrk GETs \`${S3_REFERENCE_KEY}\`, one of them.`,
    'RGW: one gateway, BlueStore on a sparse file, `rgw thread pool size` 8, on the same 2 cores as the client: every client µs is taken from the server.',
  );
  return { title: 'S3 GET: iofleet vs wrk', rows, lines };
}

function describeSample(sample: S3Sample): string {
  return `${formatNumber(sample.opsPerSec)} ops/s, client ${formatNumber(sample.clientCpuUsPerOp)} µs/op, RGW ${formatNumber(sample.serverCpuUsPerOp)} µs/op`;
}
