// Runs the AWS SDK GetObject loop (sdk-get-loop.ts) as its own process and reads its result.

import { join } from 'node:path';
import { lastJsonLine, runChildOk } from './child-process.js';
import { BENCH_DIST } from './repo-paths.js';
import type { SdkLoopResult } from './sdk-get-loop.js';

export interface SdkRunResult {
  ops: number;
  opsPerSec: number;
  errors: number;
  cpuUsPerOp: number;
  startEpochMs: number;
  endEpochMs: number;
}

export async function runSdkLoop(options: {
  endpoint: string;
  bucket: string;
  key: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<SdkRunResult> {
  const args = [
    join(BENCH_DIST, 'sdk-get-loop.js'),
    options.endpoint,
    options.bucket,
    options.key,
    String(options.concurrency),
    String(options.warmupMs),
    String(options.durationMs),
  ];
  // NODE_NO_WARNINGS: the SDK warns about Node 20 on every start.
  const child = await runChildOk(process.execPath, args, { env: { ...options.env, NODE_NO_WARNINGS: '1' } });
  const result = lastJsonLine<SdkLoopResult>(child.stdout);
  return {
    ops: result.ops,
    opsPerSec: (result.ops * 1000) / result.elapsedMs,
    errors: result.errors,
    cpuUsPerOp: result.cpuUs / result.ops,
    startEpochMs: result.startEpochMs,
    endEpochMs: result.endEpochMs,
  };
}
