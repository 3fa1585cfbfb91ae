// The file backend's hot path through libuv's thread pool: many operations in flight per worker thread.
// Read buffers come from a small free list, so steady state allocates no buffers.

import * as fs from 'node:fs/promises';
import type { IoSlot } from '../object-store.js';
import { OUTCOME } from '../outcome.js';
import { READ_CHUNK_BYTES, checkLength, failSlot, parentDirectory, type FileHotPath } from './file-ops-common.js';

export function createAsyncFileOps(root: string): FileHotPath {
  const freeBuffers: Buffer[] = [];
  const takeBuffer = (): Buffer => freeBuffers.pop() ?? Buffer.allocUnsafe(READ_CHUNK_BYTES);

  async function get(slot: IoSlot): Promise<void> {
    let handle: fs.FileHandle | undefined;
    const buffer = takeBuffer();
    try {
      handle = await fs.open(root + slot.key, 'r');
      const ranged = slot.offsetBytes >= 0;
      const start = ranged ? slot.offsetBytes : 0;
      // A whole object of known size is read up to that size (one pread for a small object). Verification
      // reads on to end of file, so that an object longer than written is caught.
      const limit = ranged ? slot.lengthBytes : slot.expectedBytes >= 0 && !slot.verify ? slot.expectedBytes : Infinity;
      let done = 0;
      slot.outcome = OUTCOME.ok;
      while (done < limit) {
        const want = Math.min(READ_CHUNK_BYTES, limit - done);
        const { bytesRead } = await handle.read(buffer, 0, want, start + done);
        if (bytesRead === 0) break;
        if (slot.verify && !slot.pattern.matches(slot.patternStart, start + done, buffer.subarray(0, bytesRead))) {
          slot.outcome = OUTCOME.verify_mismatch;
        }
        done += bytesRead;
      }
      slot.bytes = done;
      checkLength(slot, done);
    } catch (error) {
      failSlot(slot, error);
    } finally {
      freeBuffers.push(buffer);
      await handle?.close();
    }
  }

  async function writeFile(path: string, slot: IoSlot): Promise<void> {
    const handle = await fs.open(path, 'w');
    try {
      let done = 0;
      while (done < slot.lengthBytes) {
        const chunk = slot.pattern.view(slot.patternStart, done, Math.min(READ_CHUNK_BYTES, slot.lengthBytes - done));
        done += (await handle.write(chunk)).bytesWritten;
      }
    } finally {
      await handle.close();
    }
  }

  async function put(slot: IoSlot): Promise<void> {
    const path = root + slot.key;
    try {
      try {
        await writeFile(path, slot);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await fs.mkdir(parentDirectory(path), { recursive: true }); // first write into a new directory
        await writeFile(path, slot);
      }
      slot.bytes = slot.lengthBytes;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
  }

  async function list(slot: IoSlot): Promise<void> {
    let dir: import('node:fs').Dir | undefined;
    try {
      dir = await fs.opendir(root + slot.key);
      let count = 0;
      while (count < slot.maxKeys && (await dir.read()) !== null) count++;
      slot.resultSize = count === slot.maxKeys && (await dir.read()) !== null ? 1 : 0;
      slot.bytes = count;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    } finally {
      await dir?.close();
    }
  }

  async function stat(slot: IoSlot): Promise<void> {
    try {
      slot.resultSize = (await fs.stat(root + slot.key)).size;
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
  }

  async function remove(slot: IoSlot): Promise<void> {
    try {
      await fs.unlink(root + slot.key);
      slot.bytes = 0;
      slot.outcome = OUTCOME.ok;
    } catch (error) {
      failSlot(slot, error);
    }
  }

  return { get, put, list, stat, delete: remove };
}
