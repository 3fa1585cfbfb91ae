// The reference S3 client for the CPU comparison: a plain loop of @aws-sdk/client-s3 GetObject calls, as
// an application would write it, `concurrency` loops in one process. Run as its own process so that its
// process.cpuUsage() is the SDK's alone:
//   node sdk-get-loop.js <endpoint> <bucket> <key> <concurrency> <warmupMs> <durationMs>
// prints one JSON line: {ops, errors, elapsedMs, cpuUs, startEpochMs, endEpochMs} for the measured part (after the warmup).

import { Agent } from 'node:http';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface SdkLoopResult {
  ops: number;
  errors: number;
  elapsedMs: number;
  cpuUs: number;
  /** The measured window, epoch ms (for sampling the server's CPU over the same window). */
  startEpochMs: number;
  endEpochMs: number;
}

async function main(argv: string[]): Promise<void> {
  const [endpoint, bucket, key, concurrencyText, warmupText, durationText] = argv;
  if (endpoint === undefined || bucket === undefined || key === undefined) {
    throw new Error('usage: sdk-get-loop.js <endpoint> <bucket> <key> <concurrency> <warmupMs> <durationMs>');
  }
  const concurrency = Number(concurrencyText ?? 16);
  const warmupMs = Number(warmupText ?? 2000);
  const durationMs = Number(durationText ?? 5000);
  const client = new S3Client({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    // SDK ≥ 3.729 computes and validates CRC checksums by default; RGW and this comparison need neither.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // The SDK's default agent allows 50 sockets: give it one per loop, as iofleet and wrk have.
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
  });

  let measuring = false;
  let stopping = false;
  let ops = 0;
  let errors = 0;
  const loop = async (): Promise<void> => {
    while (!stopping) {
      let ok = true;
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await response.Body!.transformToByteArray();
      } catch {
        ok = false;
      }
      if (measuring) {
        ops++;
        if (!ok) errors++;
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  measuring = true;
  const cpuAtStart = process.cpuUsage();
  const startMs = performance.now();
  const startEpochMs = Date.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  measuring = false;
  const cpu = process.cpuUsage(cpuAtStart);
  const elapsedMs = performance.now() - startMs;
  const endEpochMs = Date.now();
  stopping = true;
  await Promise.all(loops);
  client.destroy();
  const result: SdkLoopResult = { ops, errors, elapsedMs, cpuUs: cpu.user + cpu.system, startEpochMs, endEpochMs };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
