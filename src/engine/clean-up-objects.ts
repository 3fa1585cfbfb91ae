// The cleanup phase on one worker: deletes what the run created in its key partition (the keys the
// keyspace marks present, not those prepare found already there), in batches through the endpoint that
// holds each key (its owner in an independent namespace, a healthy one in a shared namespace). Each
// delete request is an op of the phase, recorded like any other.

import { performance } from 'node:perf_hooks';
import type { DeleteRequest, ObjectStore } from '../backends/object-store.js';
import { CLEANUP_LABEL } from '../plan/compile-plan.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { Recorder } from '../stats/recorder.js';
import { allDirectories, keyName, parentDirectories } from '../workload/key-layout.js';
import type { Keyspace } from '../workload/keyspace.js';
import { sizeBucketOf } from '../workload/size-buckets.js';
import type { EndpointRouter } from './endpoint-router.js';
import type { WindowClock } from './window-clock.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** S3 DeleteObjects takes up to 1000 keys a request. */
const S3_BATCH_KEYS = 1000;
/**
 * Other stores delete one key at a time, blocking the thread (file unlinks): the worker yields between
 * batches, and sees a stop after at most this many deletes (on NFS, ~1 ms each; well within the stop grace).
 */
const OTHER_BATCH_KEYS = 100;

export interface CleanupResult {
  deleted: number;
  failed: number;
}

export async function cleanUpObjects(
  plan: RunPlan,
  router: EndpointRouter,
  stores: readonly ObjectStore[],
  keyspace: Keyspace,
  recorder: Recorder,
  clock: WindowClock,
  isStopped: () => boolean,
): Promise<CleanupResult> {
  const byEndpoint = new Map<number, number[]>();
  for (const local of keyspace.localsToCleanUp()) {
    const endpoint = router.cleanupEndpointFor(keyName(plan.layout, keyspace.globalIndex(local)));
    let list = byEndpoint.get(endpoint);
    if (list === undefined) byEndpoint.set(endpoint, (list = []));
    list.push(local);
  }
  const label = plan.opLabels.indexOf(CLEANUP_LABEL);
  const batchKeys = plan.target.kind === 's3' ? S3_BATCH_KEYS : OTHER_BATCH_KEYS;
  const result: CleanupResult = { deleted: 0, failed: 0 };
  // A tree layout's directories that held the keys deleted, by endpoint (a flat layout's keys have none).
  const emptiedDirectories = new Map<number, Set<string>>();
  for (const [endpoint, locals] of byEndpoint) {
    const directories = new Set<string>();
    emptiedDirectories.set(endpoint, directories);
    for (let i = 0; i < locals.length && !isStopped(); i += batchKeys) {
      const batch = locals.slice(i, i + batchKeys);
      const names = batch.map((local) => keyName(plan.layout, keyspace.globalIndex(local)));
      if (plan.layout.kind === 'tree') for (const name of names) for (const directory of parentDirectories(name)) directories.add(directory);
      const record = (request: DeleteRequest): void => {
        // A delete of one object goes in that object's size bucket; a batch in bucket 0, as it covers every size.
        const bucket = request.isBatch ? 0 : sizeBucketOf(keyspace.sizeOf(batch[request.first]!));
        clock.advance(performance.now());
        recorder.record(label, bucket, endpoint, request.outcome, 0, request.latencyUs);
        // Keys of a request that failed in part stay marked present: which of them went is not known.
        if (request.failed === 0) for (let k = request.first; k < request.first + request.count; k++) keyspace.markAbsent(batch[k]!);
      };
      const { deleted, failed } = await stores[endpoint]!.deleteMany(names, record);
      result.deleted += deleted;
      result.failed += failed;
      await yieldToEventLoop(); // a stop message gets through even when every delete blocked
    }
  }
  // Then the directories left empty go: the whole tree prepare made, on every endpoint, which includes
  // those the workload's DELETEs emptied; with skip_existing (the tree was there before the run), or
  // after a stop, only those that held the keys deleted here.
  if (plan.layout.kind === 'tree' && !plan.prepare.skipExisting && !isStopped()) {
    const tree = allDirectories(plan.layout);
    for (const store of stores) store.pruneDirectories?.(tree);
  } else {
    for (const [endpoint, directories] of emptiedDirectories) stores[endpoint]!.pruneDirectories?.([...directories]);
  }
  return result;
}
