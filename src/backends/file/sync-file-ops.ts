// The file backend's hot path with blocking calls (one operation in flight per worker thread). Each
// method runs to completion and returns an already-settled promise: the engine's loop stays the same for
// every backend.

import * as fs from 'node:fs';
import type { IoSlot } from '../object-store.js';
import { OUTCOME } from '../outcome.js';
import { READ_CHUNK_BYTES, checkLength, failSlot, parentDirectory, type FileHotPath } from './file-ops-common.js';

const DONE: Promise<void> = Promise.resolve();

export function createSyncFileOps(root: string): FileHotPath {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);

  function get(slot: IoSlot): Promise<void> {
    let fd = -1;
    try {
      fd = fs.openSync(root + slot.key, 'r');
      const ranged = slot.offsetBytes >= 0;
      const start = ranged ? slot.offsetBytes : 0;
      // A whole object of known size is read up to that size (one pread for a small object). Verification
      // reads on to end of file, so that an object longer than written is caught.
      const limit = ranged ? slot.lengthBytes : slot.expectedBytes >= 0 && !slot.verify ? slot.expectedBytes : Infinity;
      let done = 0;
      slot.outcome = OUTCOME.ok;
      while (done < limit) {
        const want = Math.min(READ_CHUNK_BYTES, limit - done);
        const got = fs.readSync(fd, buffer, 0, want, start + done);
        if (got === 0) break;
        if (slot.verify && !slot.pattern.matches(slot.patternStart, start + done, buffer.subarray(0, got))) {
          slot.outcome = OUTCOME.verify_mismatch;
        }
        done += got;
      }
      slot.bytes = done;
      checkLength(slot, done);
    } catch (error) {
      failSlot(slot, error);
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
    return DONE;
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
    try {
      try {
        writeFile(path, slot);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        fs.mkdirSync(parentDirectory(path), { recursive: true }); // first write into a new directory
        writeFile(path, slot);
      }
      slot.bytes = slot.lengthBytes;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
    return DONE;
  }

  function list(slot: IoSlot): Promise<void> {
    let dir: fs.Dir | undefined;
    try {
      dir = fs.opendirSync(root + slot.key);
      let count = 0;
      while (count < slot.maxKeys && dir.readSync() !== null) count++;
      slot.resultSize = count === slot.maxKeys && dir.readSync() !== null ? 1 : 0;
      slot.bytes = count;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    } finally {
      dir?.closeSync();
    }
    return DONE;
  }

  function stat(slot: IoSlot): Promise<void> {
    try {
      slot.resultSize = fs.statSync(root + slot.key).size;
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
    return DONE;
  }

  function remove(slot: IoSlot): Promise<void> {
    try {
      fs.unlinkSync(root + slot.key);
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
    return DONE;
  }

  return { get, put, list, stat, delete: remove };
}
