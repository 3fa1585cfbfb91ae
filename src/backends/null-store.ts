// null://: no I/O. Every operation succeeds at once with the size it was asked for, so a run measures
// the engine itself (op pick, key pick, recording): the ceiling of what iofleet can drive.
// With a latency (null://?latency=5ms) every operation takes that long instead: a target of known capacity
// (in-flight ÷ latency), for testing the engine's timing and open-loop accounting.

import { setTimeout as sleep } from 'node:timers/promises';
import { SETTLED, type DeleteRequest, type IoSlot, type ObjectStore } from './object-store.js';

export function createNullStore(options: { latencyMs: number } = { latencyMs: 0 }): ObjectStore {
  const store = new InstantStore();
  if (options.latencyMs <= 0) return store;
  const wait = (): Promise<void> => atLeast(options.latencyMs);
  return {
    description: `null://?latency=${options.latencyMs}ms`,
    get: (slot) => wait().then(() => store.get(slot)),
    put: (slot) => wait().then(() => store.put(slot)),
    list: (slot) => wait().then(() => store.list(slot)),
    stat: (slot) => wait().then(() => store.stat(slot)),
    delete: (slot) => wait().then(() => store.delete(slot)),
    open: (options) => store.open(options),
    // One wait per request, as for any other operation: cleanup then takes a known time too.
    deleteMany: async (keys, onRequest) => {
      const startMs = performance.now();
      await wait();
      return reportWholeBatch(keys, onRequest, Math.round((performance.now() - startMs) * 1000));
    },
    exists: (key) => store.exists(key),
    close: () => store.close(),
  };
}

/** null:// deletes a whole deleteMany list in one request, which always succeeds. */
function reportWholeBatch(keys: readonly string[], onRequest: ((request: DeleteRequest) => void) | undefined, latencyUs: number): { deleted: number; failed: number } {
  if (keys.length > 0) onRequest?.({ first: 0, count: keys.length, isBatch: true, failed: 0, outcome: 0, latencyUs });
  return { deleted: keys.length, failed: 0 };
}

/**
 * Waits `ms` or a little longer, never less. A timer can fire early: Node counts its delay from the
 * event loop's cached time, which lags the clock by however long the current turn has run, and libuv
 * rounds to whole milliseconds. A target whose latency sometimes falls short of its setting would
 * have no known capacity, so the wait goes on until the clock says so.
 */
async function atLeast(ms: number): Promise<void> {
  const untilMs = performance.now() + ms;
  for (let leftMs = ms; leftMs > 0; leftMs = untilMs - performance.now()) await sleep(leftMs);
}

/**
 * A class, like the real backends (S3Store), so that the stores of an endpoint pool share their methods:
 * the op loop's store call then sees one target and V8 inlines it. Object literals made per endpoint gave
 * every store its own closures, a call V8 did not inline (issue 4, 8-endpoint round_robin pool: a CPU
 * profile showed the store call at 7 ns per op against 2 ns with one endpoint; CPU per op 382 → 364 ns).
 */
class InstantStore implements ObjectStore {
  readonly description = 'null://';

  get(slot: IoSlot): Promise<void> {
    slot.bytes = slot.offsetBytes >= 0 ? slot.lengthBytes : Math.max(0, slot.expectedBytes);
    slot.outcome = 0;
    return SETTLED;
  }

  put(slot: IoSlot): Promise<void> {
    slot.bytes = slot.lengthBytes;
    slot.outcome = 0;
    return SETTLED;
  }

  list(slot: IoSlot): Promise<void> {
    slot.bytes = 0;
    slot.entries = 0;
    slot.resultSize = 0;
    slot.outcome = 0;
    return SETTLED;
  }

  stat(slot: IoSlot): Promise<void> {
    slot.bytes = 0;
    slot.resultSize = Math.max(0, slot.expectedBytes);
    slot.outcome = 0;
    return SETTLED;
  }

  delete(slot: IoSlot): Promise<void> {
    slot.bytes = 0;
    slot.outcome = 0;
    return SETTLED;
  }

  async open(_options: { createNamespace: boolean; writable?: boolean }): Promise<void> {}

  async deleteMany(keys: readonly string[], onRequest?: (request: DeleteRequest) => void): Promise<{ deleted: number; failed: number }> {
    return reportWholeBatch(keys, onRequest, 0);
  }

  async exists(_key: string): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {}
}
