// The iofleet side of both S3 comparisons: 4 KiB GETs of prepared objects, closed loop, `connections`
// operations in flight (iofleet opens one connection per operation in flight), threads = cores unless given.
//
// Keys are partitioned between worker threads, so each thread needs an object of its own: the run
// prepares one 4 KiB object per thread (obj-0, obj-1, ...). The references (wrk, the SDK loop) GET obj-0,
// an object of the same size in the same bucket: for RGW the work per GET is the same.

import * as os from 'node:os';
import { yamlDuration } from './bench-context.js';

export const S3_BENCH_BUCKET = 'iofleet-bench';
export const S3_BENCH_PREFIX = 'get4k/';
/** The object the references GET. */
export const S3_REFERENCE_KEY = `${S3_BENCH_PREFIX}obj-0`;

export function s3GetWorkload(options: { connections: number; threads?: number; warmupMs: number; measureMs: number }): Record<string, unknown> {
  const threads = Math.min(options.threads ?? os.availableParallelism(), options.connections);
  return {
    name: `s3-get4k-c${options.connections}`,
    target: `s3://${S3_BENCH_BUCKET}/${S3_BENCH_PREFIX}`,
    s3: { path_style: true, create_bucket: true },
    duration: yamlDuration(options.warmupMs + options.measureMs),
    warmup: yamlDuration(options.warmupMs),
    concurrency: options.connections,
    threads,
    prepare: { objects: threads, size: '4KiB' },
    workload: [{ op: 'get', weight: 1 }],
  };
}
