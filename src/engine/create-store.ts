// The store for a plan's target, made inside each worker thread (each has its own connections).

import type { ObjectStore } from '../backends/object-store.js';
import type { S3Credentials } from '../backends/s3/credentials.js';
import type { RunPlan } from '../plan/run-plan.js';

export async function createStore(plan: RunPlan, credentials: S3Credentials | undefined, connections: number): Promise<ObjectStore> {
  const target = plan.target;
  switch (target.kind) {
    case 'null': {
      const { createNullStore } = await import('../backends/null-store.js');
      return createNullStore({ latencyMs: target.latencyMs });
    }
    case 'file': {
      const { createFileStore } = await import('../backends/file/file-store.js');
      return createFileStore({ root: target.root, io: plan.fileIo });
    }
    case 's3': {
      // Loaded only for S3 runs: undici and the signer cost start-up time that file runs need not pay.
      const { createS3Store } = await import('../backends/s3/s3-store.js');
      const s3 = plan.s3!;
      return createS3Store({
        endpoint: s3.endpoint,
        bucket: target.bucket,
        prefix: target.prefix,
        region: s3.region,
        pathStyle: s3.pathStyle,
        credentials: credentials!,
        connections,
        timeoutMs: plan.timeoutMs,
        multipartThresholdBytes: s3.multipartThresholdBytes,
        multipartPartBytes: s3.multipartPartBytes,
      });
    }
  }
}
