// The store for a plan's target, made inside each worker thread (each has its own connections).

import type { FdCache } from '../backends/file/fd-cache.js';
import type { ObjectStore } from '../backends/object-store.js';
import type { S3Credentials } from '../backends/s3/credentials.js';
import type { RunPlan } from '../plan/run-plan.js';

/**
 * The store for one endpoint of the plan (index into plan.endpoints). fdCache: the worker thread's kept
 * fds (file keep_open), shared by its stores; checks and probes outside the workers keep none.
 */
export async function createStore(
  plan: RunPlan,
  endpointIndex: number,
  credentials: S3Credentials | undefined,
  connections: number,
  fdCache?: FdCache,
): Promise<ObjectStore> {
  const target = plan.target;
  const endpoint = plan.endpoints[endpointIndex]!;
  switch (target.kind) {
    case 'null': {
      const { createNullStore } = await import('../backends/null-store.js');
      return createNullStore({ latencyMs: endpoint.nullLatencyMs });
    }
    case 'file': {
      const { createFileStore } = await import('../backends/file/file-store.js');
      return createFileStore({ root: endpoint.fileRoot!, io: plan.fileIo, fdCache });
    }
    case 's3': {
      // Loaded only for S3 runs: the HTTP client and the signer cost start-up time that file runs need not pay.
      const { createS3Store } = await import('../backends/s3/s3-store.js');
      const s3 = plan.s3!;
      return createS3Store({
        endpoint: endpoint.s3!.endpoint,
        bucket: target.bucket,
        prefix: target.prefix,
        region: endpoint.s3!.region,
        pathStyle: endpoint.s3!.pathStyle,
        credentials: credentials!,
        connections: endpoint.maxInFlight > 0 ? Math.min(connections, endpoint.maxInFlight) : connections,
        timeoutMs: endpoint.timeoutMs,
        multipartThresholdBytes: s3.multipartThresholdBytes,
        multipartPartBytes: s3.multipartPartBytes,
      });
    }
  }
}
