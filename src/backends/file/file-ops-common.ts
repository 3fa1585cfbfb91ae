// What the sync and async hot paths of the file backend share: outcome mapping, buffer size, what a GET
// reads, and the fds a worker thread keeps open (keep_open).

import { makeDirectory, makeDirectoryAsync } from '../../make-directories.js';
import { BLOCK_BYTES } from '../../workload/data-pattern.js';
import { parentDirectories } from '../../workload/key-layout.js';
import type { IoSlot, ObjectStore } from '../object-store.js';
import { OUTCOME, outcomeForSystemError } from '../outcome.js';
import type { FdCache } from './fd-cache.js';

export type FileHotPath = Pick<ObjectStore, 'get' | 'put' | 'list' | 'stat' | 'delete'>;

/** keep_open: the worker thread's fd cache, and which of its roots is this store's. */
export interface KeptFds {
  cache: FdCache;
  root: number;
}

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

/** Where a GET starts reading: the range's offset, or 0 for the whole object. */
export function readStartOf(slot: IoSlot): number {
  return slot.offsetBytes >= 0 ? slot.offsetBytes : 0;
}

/**
 * How many bytes a GET reads at most. A whole object of known size is read up to that size (one pread for
 * a small object). Verification reads on to end of file, so that an object longer than written is caught.
 */
export function readLimitOf(slot: IoSlot): number {
  if (slot.offsetBytes >= 0) return slot.lengthBytes;
  return slot.expectedBytes >= 0 && !slot.verify ? slot.expectedBytes : Infinity;
}

/** With verify: the bytes read at `position` must be the pattern's. */
export function checkChunk(slot: IoSlot, position: number, buffer: Buffer, bytesRead: number): void {
  if (slot.verify && !slot.pattern.matches(slot.patternStart, position, buffer.subarray(0, bytesRead))) {
    slot.outcome = OUTCOME.verify_mismatch;
  }
}

/**
 * The directories between the root and a key's file, outermost first ("d0/d3/f17" under /r/: /r/d0,
 * /r/d0/d3); none for a key directly under the root. A PUT whose directory is missing creates these, one
 * level at a time, and never the root: a root that is gone (removed, unmounted) fails the PUT instead of
 * being made again on whatever disk lies beneath (and a recursive mkdir under /proc would never return).
 */
export function directoriesBelowRoot(root: string, key: string): string[] {
  return parentDirectories(key).map((directory) => root + directory);
}

export function createDirectoriesBelowRootSync(root: string, key: string, error: unknown): void {
  const directories = directoriesBelowRoot(root, key);
  if (directories.length === 0) throw error; // the root itself is missing
  for (const directory of directories) makeDirectory(directory);
}

export async function createDirectoriesBelowRoot(root: string, key: string, error: unknown): Promise<void> {
  const directories = directoriesBelowRoot(root, key);
  if (directories.length === 0) throw error; // the root itself is missing
  for (const directory of directories) await makeDirectoryAsync(directory);
}

/** Read buffers are 1 MiB: a view of at most one pattern block per verify comparison. */
export const READ_CHUNK_BYTES = BLOCK_BYTES;
