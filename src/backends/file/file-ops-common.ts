// What the sync and async hot paths of the file backend share: outcome mapping and buffer size.

import { dirname } from 'node:path';
import { BLOCK_BYTES } from '../../workload/data-pattern.js';
import type { IoSlot, ObjectStore } from '../object-store.js';
import { OUTCOME, outcomeForSystemError } from '../outcome.js';

export type FileHotPath = Pick<ObjectStore, 'get' | 'put' | 'list' | 'stat' | 'delete'>;

/** Sets slot.outcome from a thrown fs error. */
export function failSlot(slot: IoSlot, error: unknown): void {
  slot.outcome = outcomeForSystemError((error as NodeJS.ErrnoException).code);
  slot.bytes = 0;
}

/** Whole-object read: the length read must equal the size the engine wrote. */
export function checkLength(slot: IoSlot, bytesRead: number): void {
  if (slot.verify && slot.offsetBytes < 0 && slot.expectedBytes >= 0 && bytesRead !== slot.expectedBytes) {
    slot.outcome = OUTCOME.verify_mismatch;
  }
}

export function parentDirectory(path: string): string {
  return dirname(path);
}

/** Read buffers are 1 MiB: a view of at most one pattern block per verify comparison. */
export const READ_CHUNK_BYTES = BLOCK_BYTES;
