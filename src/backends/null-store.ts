// null://: no I/O. Every operation succeeds at once with the size it was asked for, so a run measures
// the engine itself (op pick, key pick, recording): the ceiling of what iofleet can drive.
// With a latency (null://?latency=5ms) every operation takes that long instead: a target of known capacity
// (in-flight ÷ latency), for testing the engine's timing and open-loop accounting.

import { setTimeout as sleep } from 'node:timers/promises';
import type { IoSlot, ObjectStore } from './object-store.js';

const DONE: Promise<void> = Promise.resolve();

export function createNullStore(options: { latencyMs: number } = { latencyMs: 0 }): ObjectStore {
  const store = createInstantStore();
  if (options.latencyMs <= 0) return store;
  const delayed = (op: (slot: IoSlot) => Promise<void>) => (slot: IoSlot) => sleep(options.latencyMs).then(() => op(slot));
  return {
    ...store,
    description: `null://?latency=${options.latencyMs}ms`,
    get: delayed(store.get),
    put: delayed(store.put),
    list: delayed(store.list),
    stat: delayed(store.stat),
    delete: delayed(store.delete),
  };
}

function createInstantStore(): ObjectStore {
  return {
    description: 'null://',
    get(slot: IoSlot): Promise<void> {
      slot.bytes = slot.offsetBytes >= 0 ? slot.lengthBytes : Math.max(0, slot.expectedBytes);
      slot.outcome = 0;
      return DONE;
    },
    put(slot: IoSlot): Promise<void> {
      slot.bytes = slot.lengthBytes;
      slot.outcome = 0;
      return DONE;
    },
    list(slot: IoSlot): Promise<void> {
      slot.bytes = 0;
      slot.resultSize = 0;
      slot.outcome = 0;
      return DONE;
    },
    stat(slot: IoSlot): Promise<void> {
      slot.bytes = 0;
      slot.resultSize = Math.max(0, slot.expectedBytes);
      slot.outcome = 0;
      return DONE;
    },
    delete(slot: IoSlot): Promise<void> {
      slot.bytes = 0;
      slot.outcome = 0;
      return DONE;
    },
    open: async () => undefined,
    deleteMany: async (keys) => ({ deleted: keys.length, failed: 0 }),
    exists: async () => false,
    close: async () => undefined,
  };
}
