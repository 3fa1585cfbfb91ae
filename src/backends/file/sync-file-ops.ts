// The file backend's hot path with blocking calls (one operation in flight per worker thread). Each
// method runs to completion and returns SETTLED: the op loop goes on without an await.

import * as fs from 'node:fs';
import { alignedScratch } from '../aligned-scratch.js';
import { SETTLED, type IoSlot } from '../object-store.js';
import { OUTCOME } from '../outcome.js';
import { READ_CHUNK_BYTES, checkChunk, checkLength, failSlot, createDirectoriesBelowRootSync, readLimitOf, readStartOf, type FileHotPath, type KeptFds } from './file-ops-common.js';

/**
 * The thread's read buffer, shared by its file stores (one per endpoint): blocking calls run one at a time
 * per thread, and a GET is done with the buffer when it returns.
 */
let threadReadBuffer: Buffer | undefined;

export function createSyncFileOps(root: string, kept: KeptFds | undefined): FileHotPath {
  threadReadBuffer ??= alignedScratch(READ_CHUNK_BYTES);
  const buffer = threadReadBuffer;

  function get(slot: IoSlot): Promise<void> {
    let entry = -1;
    let fd = -1;
    try {
      // keep_open: the fd this thread keeps for the key, else a fresh one (kept when there is room).
      if (kept !== undefined) entry = kept.cache.acquire(kept.root, slot.keyIndex);
      if (entry >= 0) fd = kept!.cache.fdOf(entry);
      else {
        fd = fs.openSync(root + slot.key, 'r');
        if (kept !== undefined) entry = kept.cache.add(kept.root, slot.keyIndex, fd);
      }
      const start = readStartOf(slot);
      const limit = readLimitOf(slot);
      let done = 0;
      slot.outcome = OUTCOME.ok;
      while (done < limit) {
        const got = fs.readSync(fd, buffer, 0, Math.min(READ_CHUNK_BYTES, limit - done), start + done);
        if (got === 0) break;
        checkChunk(slot, start + done, buffer, got);
        done += got;
      }
      slot.bytes = done;
      checkLength(slot, done);
    } catch (error) {
      failSlot(slot, error);
      // A kept fd that failed (EBADF, ESTALE, EIO) is closed: the next GET of the key opens the file again.
      if (entry >= 0) {
        kept!.cache.discard(entry);
        entry = -1;
        fd = -1;
      }
    } finally {
      if (entry >= 0) kept!.cache.release(entry);
      else if (fd >= 0) fs.closeSync(fd);
    }
    return SETTLED;
  }

  function writeFile(path: string, slot: IoSlot): void {
    const fd = fs.openSync(path, 'w');
    try {
      let done = 0;
      while (done < slot.lengthBytes) {
        const chunk = slot.pattern.view(slot.patternStart, done, Math.min(READ_CHUNK_BYTES, slot.lengthBytes - done));
        done += fs.writeSync(fd, chunk);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  function put(slot: IoSlot): Promise<void> {
    const path = root + slot.key;
    kept?.cache.dropKey(slot.keyIndex);
    try {
      try {
        writeFile(path, slot);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        createDirectoriesBelowRootSync(root, slot.key, error); // first write into a new directory
        writeFile(path, slot);
      }
      slot.bytes = slot.lengthBytes;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
    return SETTLED;
  }

  function list(slot: IoSlot): Promise<void> {
    let dir: fs.Dir | undefined;
    try {
      dir = fs.opendirSync(root + slot.key);
      let count = 0;
      while (count < slot.maxKeys && dir.readSync() !== null) count++;
      slot.resultSize = count === slot.maxKeys && dir.readSync() !== null ? 1 : 0;
      slot.entries = count;
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    } finally {
      dir?.closeSync();
    }
    return SETTLED;
  }

  function stat(slot: IoSlot): Promise<void> {
    try {
      slot.resultSize = fs.statSync(root + slot.key).size;
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
    return SETTLED;
  }

  function remove(slot: IoSlot): Promise<void> {
    kept?.cache.dropKey(slot.keyIndex);
    try {
      fs.unlinkSync(root + slot.key);
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
    return SETTLED;
  }

  return { get, put, list, stat, delete: remove };
}
