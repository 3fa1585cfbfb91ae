// file://: objects are files under a root directory, keys are relative paths. Two ways to do the I/O,
// chosen at plan time (RunPlan.fileIo, see compile-plan.ts for why):
//   sync:  blocking calls; each worker thread has one operation in flight, with no libuv round trip;
//   async: libuv's thread pool; many operations in flight per thread.
// Both share the set-up operations below and the helpers in file-ops-common.ts. With keep_open, GETs
// reuse the fds of the worker thread's FdCache (fd-cache.ts), which this store registers as one root.

import * as fs from 'node:fs';
import type { DeleteRequest, ObjectStore } from '../object-store.js';
import { OUTCOME, outcomeForSystemError } from '../outcome.js';
import { createAsyncFileOps } from './async-file-ops.js';
import type { FdCache } from './fd-cache.js';
import type { KeptFds } from './file-ops-common.js';
import { checkRootDirectory } from './root-directory.js';
import { createSyncFileOps } from './sync-file-ops.js';

export function createFileStore(options: { root: string; io: 'sync' | 'async'; fdCache?: FdCache }): ObjectStore {
  const root = options.root.endsWith('/') ? options.root : `${options.root}/`;
  const kept: KeptFds | undefined = options.fdCache ? { cache: options.fdCache, root: options.fdCache.addRoot() } : undefined;
  const hotPath = options.io === 'sync' ? createSyncFileOps(root, kept) : createAsyncFileOps(root, kept);
  return {
    description: `file://${root} (${options.io} I/O${kept ? `, keeping up to ${kept.cache.capacity} files open per thread` : ''})`,
    ...hotPath,
    async open({ createNamespace, writable }) {
      // createNamespace is `file.create_directory` here: off by default, the root must exist.
      checkRootDirectory(root, { create: createNamespace, writable: writable ?? true });
    },
    async deleteMany(keys, onRequest) {
      let deleted = 0;
      let failed = 0;
      // Keys come by name here: every kept fd goes (cleanup reads nothing afterwards).
      kept?.cache.dropAll();
      const request: DeleteRequest = { first: 0, count: 1, failed: 0, outcome: OUTCOME.ok, latencyUs: 0 };
      for (let i = 0; i < keys.length; i++) {
        const startMs = performance.now();
        request.first = i;
        request.failed = 0;
        request.outcome = OUTCOME.ok;
        try {
          fs.unlinkSync(root + keys[i]!);
          deleted++;
        } catch (error) {
          // Already gone is what cleanup wants.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') deleted++;
          else {
            failed++;
            request.failed = 1;
            request.outcome = outcomeForSystemError((error as NodeJS.ErrnoException).code);
          }
        }
        request.latencyUs = Math.round((performance.now() - startMs) * 1000);
        onRequest?.(request);
      }
      removeEmptyDirectories(root);
      return { deleted, failed };
    },
    async exists(key) {
      return fs.existsSync(root + key);
    },
    async close() {
      if (kept) kept.cache.dropRoot(kept.root);
    },
  };
}

/**
 * After cleanup, remove the directories a tree prepare made (only empty ones, never the root itself).
 * Every worker thread prunes after its own deletes, concurrently: a directory another thread removed
 * meanwhile (ENOENT) counts as removed, so the last thread to finish leaves nothing behind.
 */
function removeEmptyDirectories(root: string): void {
  const isGone = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';
  const visit = (dir: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      return isGone(error);
    }
    let empty = true;
    for (const entry of entries) {
      const child = `${dir}${entry.name}/`;
      if (!entry.isDirectory() || !visit(child)) {
        empty = false;
        continue;
      }
      try {
        fs.rmdirSync(child);
      } catch (error) {
        if (!isGone(error)) empty = false; // e.g. another thread wrote into it: leave it
      }
    }
    return empty;
  };
  visit(root);
}
