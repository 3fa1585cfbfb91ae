// The file backend's hot path through libuv's thread pool: many operations in flight per worker thread.
// Read buffers come from a small free list, so steady state allocates no buffers.

import * as fsCallback from 'node:fs';
import * as fs from 'node:fs/promises';
import type { IoSlot } from '../object-store.js';
import { OUTCOME } from '../outcome.js';
import { READ_CHUNK_BYTES, checkChunk, checkLength, failSlot, createDirectoriesBelowRoot, readLimitOf, readStartOf, type FileHotPath, type KeptFds } from './file-ops-common.js';

export function createAsyncFileOps(root: string, kept: KeptFds | undefined): FileHotPath {
  const freeBuffers: Buffer[] = [];
  const takeBuffer = (): Buffer => freeBuffers.pop() ?? Buffer.allocUnsafe(READ_CHUNK_BYTES);

  async function get(slot: IoSlot): Promise<void> {
    let entry = -1;
    let fd = -1;
    const buffer = takeBuffer();
    try {
      // keep_open: the fd this thread keeps for the key, else a fresh one (kept when there is room).
      if (kept !== undefined) entry = kept.cache.acquire(kept.root, slot.keyIndex);
      if (entry >= 0) fd = kept!.cache.fdOf(entry);
      else {
        fd = await openForRead(root + slot.key);
        if (kept !== undefined) entry = kept.cache.add(kept.root, slot.keyIndex, fd);
      }
      const start = readStartOf(slot);
      const limit = readLimitOf(slot);
      let done = 0;
      slot.outcome = OUTCOME.ok;
      while (done < limit) {
        const got = await readAt(fd, buffer, Math.min(READ_CHUNK_BYTES, limit - done), start + done);
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
      freeBuffers.push(buffer);
      if (entry >= 0) kept!.cache.release(entry);
      else if (fd >= 0) await closeUnkept(fd);
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
    kept?.cache.dropKey(slot.keyIndex);
    try {
      try {
        await writeFile(path, slot);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await createDirectoriesBelowRoot(root, slot.key, error); // first write into a new directory
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
      slot.entries = count;
      slot.bytes = 0;
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
    kept?.cache.dropKey(slot.keyIndex);
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

// GETs work on plain fds, the currency of the fd cache (a FileHandle cannot be shared between GETs that
// outlive each other's closes). The callback API, wrapped: fs/promises takes FileHandles only.

function openForRead(path: string): Promise<number> {
  return new Promise((resolve, reject) => fsCallback.open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));
}

function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fsCallback.read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
  );
}

function closeUnkept(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsCallback.close(fd, (error) => (error ? reject(error) : resolve())));
}
