// The prepare phase on one worker: creates the worker's share of the prepared objects (keys w, w+W, ...)
// with `concurrency` writes in flight, or, with skip_existing, first asks whether each one exists (and
// its size, which later reads and verification need).

import { performance } from 'node:perf_hooks';
import { IoSlot } from '../backends/object-store.js';
import { OUTCOME, writeMayHaveLanded } from '../backends/outcome.js';
import { PREPARE_LABEL } from '../plan/compile-plan.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { Recorder } from '../stats/recorder.js';
import type { DataPattern } from '../workload/data-pattern.js';
import { Keyspace } from '../workload/keyspace.js';
import { sizeBucketOf } from '../workload/size-buckets.js';
import { sizeForKey } from '../workload/size-distribution.js';
import { KIND_PUT, KIND_STAT, PoolOp, type EndpointRouter } from './endpoint-router.js';
import type { WindowClock } from './window-clock.js';

export interface PrepareResult {
  /** Objects that exist afterwards: written, or (skip_existing) found already there. */
  objects: number;
  /** Of those, found already there and not written (skip_existing). */
  skipped: number;
  /** Of the skipped, those found with another size than this prepare gives their key (skip_existing). */
  otherSize: number;
  failed: number;
  bytes: number;
  stopped: boolean;
}

export async function prepareObjects(
  plan: RunPlan,
  workerIndex: number,
  router: EndpointRouter,
  keyspace: Keyspace,
  recorder: Recorder,
  clock: WindowClock,
  pattern: DataPattern,
  isStopped: () => boolean,
): Promise<PrepareResult> {
  const owned = Keyspace.ownedCount(workerIndex, plan.threads, plan.prepare.count);
  const label = plan.opLabels.indexOf(PREPARE_LABEL);
  const result: PrepareResult = { objects: 0, skipped: 0, otherSize: 0, failed: 0, bytes: 0, stopped: false };
  let next = 0;

  // Prepare goes through the pool when the workload's ops do: in an independent namespace each object is
  // created on the endpoint that owns its key.
  const useMultiEndpoint = plan.ops.some((op) => op.useMultiEndpoint);
  const prepareOne = async (slot: IoSlot, poolOp: PoolOp): Promise<void> => {
    const local = keyspace.allocate();
    slot.setKeyIndex(keyspace.globalIndex(local));
    slot.patternStart = pattern.startFor(slot.key);
    slot.lengthBytes = sizeForKey(plan.prepare.size, plan.seed, keyspace.globalIndex(local));
    if (plan.prepare.skipExisting) {
      const statStartMs = performance.now();
      const endpoint = await router.runOp(poolOp, KIND_STAT, slot, useMultiEndpoint, local);
      if (slot.outcome === OUTCOME.ok) {
        // Recorded as preexisting in this worker's keyspace: the same worker (same keyspace, same key
        // partition) runs the cleanup phase, which leaves these keys alone. An object of another size
        // than this prepare gives the key (cut short by an interrupted write, or another workload's) is
        // kept and read as it is, like any object that was there, but counted and said: overwriting it
        // could destroy data the run did not create.
        keyspace.commitPreexisting(local, slot.resultSize);
        result.objects++;
        result.skipped++;
        if (slot.resultSize !== slot.lengthBytes) result.otherSize++;
        return;
      }
      if (slot.outcome !== OUTCOME.not_found) {
        // Whether the object is there is unknown (a timeout, a 5xx): writing it could overwrite an object
        // that existed before the run, which cleanup would then delete. Count it failed, leave it alone.
        const endMs = performance.now();
        keyspace.commitWrite(local, false, slot.lengthBytes, false);
        result.failed++;
        clock.advance(endMs);
        recorder.record(label, sizeBucketOf(slot.lengthBytes), endpoint, slot.outcome, 0, Math.round((endMs - statStartMs) * 1000));
        return;
      }
    }
    const startMs = performance.now();
    const endpoint = await router.runOp(poolOp, KIND_PUT, slot, useMultiEndpoint, local);
    const endMs = performance.now();
    const ok = slot.outcome === OUTCOME.ok;
    keyspace.commitWrite(local, ok, slot.lengthBytes, ok || writeMayHaveLanded(slot.outcome));
    if (ok) {
      result.objects++;
      result.bytes += slot.lengthBytes;
    } else {
      result.failed++;
    }
    clock.advance(endMs);
    recorder.record(label, sizeBucketOf(slot.lengthBytes), endpoint, slot.outcome, slot.bytes, Math.round((endMs - startMs) * 1000));
  };

  const loop = async (): Promise<void> => {
    const slot = new IoSlot(pattern, plan.layout);
    const poolOp = new PoolOp(router.count);
    while (next < owned) {
      if (isStopped()) {
        result.stopped = true;
        return;
      }
      next++;
      await prepareOne(slot, poolOp);
      // Sync backends complete without yielding: let the window timer and stop messages through.
      if ((next & 255) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const concurrency = plan.concurrencyPerThread[workerIndex] ?? 1;
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, owned)) }, loop));
  return result;
}
