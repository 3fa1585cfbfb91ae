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
      const request: DeleteRequest = { first: 0, count: 1, isBatch: false, failed: 0, outcome: OUTCOME.ok, latencyUs: 0 };
      for (let i = 0; i < keys.length; i++) {
        const startMs = performance.now();
        request.first = i;
        request.failed = 0;
        request.outcome = OUTCOME.ok;
        try {
          fs.unlinkSync(root + keys[i]!);
          deleted++;
        } catch (error) {
          // Already gone (or its directory is) is what cleanup wants.
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') deleted++;
          else {
            failed++;
            request.failed = 1;
            request.outcome = outcomeForSystemError(code);
          }
        }
        request.latencyUs = Math.round((performance.now() - startMs) * 1000);
        onRequest?.(request);
      }
      return { deleted, failed };
    },
    pruneDirectories(directories) {
      pruneEmptyDirectories(root, directories);
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
 * Removes those of `directories` (below the root, never the root) that are empty, deepest first: rmdir
 * refuses a directory that still holds anything, so a directory another thread still has keys in stays,
 * and the last thread to empty it removes it. Only directories named here are touched (cleanup names
 * those that held the run's keys, or the tree its prepare made), never lost+found or the user's own.
 */
function pruneEmptyDirectories(root: string, directories: readonly string[]): void {
  // A child's path is longer than its parent's: longest first removes children before parents.
  for (const directory of [...directories].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(root + directory);
    } catch {
      // Not empty (kept on purpose), or already removed by another thread: both are fine.
    }
  }
}
