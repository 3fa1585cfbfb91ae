// With prepare.skip_existing the user says the target holds objects to keep, and cleanup keeps those
// prepare finds. A PUT of a new object takes the next key index without asking the target (a STAT per
// PUT would cost a round trip), so an object already there under such a name (left by an earlier run's
// PUTs or a larger prepare, or a file of the user's named like iofleet's) would be overwritten, and with
// cleanup on, then deleted as the run's own. Before the run, each worker thread's first new key is
// looked up where the run's new PUTs go: with cleanup on, finding one fails the run before any write;
// with cleanup off, the run is warned that PUTs will overwrite.

import type { S3Credentials } from '../backends/s3/credentials.js';
import { IofleetError, isIofleetError } from '../errors.js';
import type { RunPlan } from '../plan/run-plan.js';
import { keyName } from '../workload/key-layout.js';
import { Keyspace } from '../workload/keyspace.js';
import { createStore } from './create-store.js';

/**
 * For a run that keeps existing objects (skip_existing) and creates new ones: looks up the first new key
 * of each worker thread on each endpoint new PUTs go to. Throws TARGET_SETUP when one exists and cleanup
 * would delete it; returns a warning when cleanup is off; undefined when none exists (or the run does not
 * need the check). An endpoint that does not answer the lookup is passed over: the reachability check
 * has said so.
 */
export async function checkNewKeysAreFree(plan: RunPlan, credentials: readonly (S3Credentials | undefined)[]): Promise<string | undefined> {
  if (!plan.prepare.skipExisting || newKeyPuts(plan).length === 0) return undefined;
  // Keys are interleaved between threads: thread w's first new key is the first index it owns past the
  // prepared ones.
  const firstNewKeys = Array.from({ length: plan.threads }, (_, w) =>
    keyName(plan.layout, w + plan.threads * Keyspace.ownedCount(w, plan.threads, plan.prepare.count)),
  ).sort();
  const found = await findExisting(plan, credentials, firstNewKeys);
  if (found === undefined) return undefined;
  const what = `${plan.endpoints[found.endpoint]!.id} already holds "${found.key}", a key this run's new PUTs take (keys are numbered past the ${plan.prepare.count} prepared ones)`;
  if (!plan.cleanup) return `${what}: PUTs will overwrite such objects (cleanup is off, so none is deleted)`;
  throw new IofleetError(
    'TARGET_SETUP',
    `${what}: with prepare.skip_existing the objects already there are kept, but this one would be overwritten and then deleted by cleanup as the run's own`,
    `remove the objects an earlier run left past the ${plan.prepare.count} prepared ones (its PUTs, or a larger prepare), point the target at an empty directory or prefix, or set cleanup: false`,
  );
}

function newKeyPuts(plan: RunPlan): RunPlan['ops'] {
  return plan.ops.filter((op) => op.kind === 'put' && !op.overwrite && op.weight > 0);
}

/** Where new PUTs go: the pool for pooled ones, the target's own endpoint for pinned ones. */
function endpointsOfNewPuts(plan: RunPlan): number[] {
  const endpoints = new Set<number>();
  for (const op of newKeyPuts(plan)) {
    if (op.useMultiEndpoint && plan.routing) for (const endpoint of plan.routing.poolEndpoints) endpoints.add(endpoint);
    else endpoints.add(plan.targetEndpoint);
  }
  return [...endpoints];
}

async function findExisting(plan: RunPlan, credentials: readonly (S3Credentials | undefined)[], keys: readonly string[]): Promise<{ endpoint: number; key: string } | undefined> {
  for (const endpoint of endpointsOfNewPuts(plan)) {
    const store = await createStore(plan, endpoint, credentials[endpoint], 1);
    try {
      for (const key of keys) if (await store.exists(key)) return { endpoint, key };
    } catch (error) {
      if (!isIofleetError(error)) throw error;
    } finally {
      await store.close();
    }
  }
  return undefined;
}
