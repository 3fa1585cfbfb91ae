// The root directory of a file:// target (or of one file endpoint) must already exist. iofleet never
// creates it on its own: a mistyped mount path (file:///mnt/filer1/ for /mnt/filler1/) would otherwise
// quietly benchmark the local disk, and a recursive mkdir under /proc never returns (a Node.js bug), so
// the run would hang before printing anything. Only `file: { create_directory: true }` asks for it, and
// then for the last level only (its parent must exist), as `mkdir` without -p would.
// Directories *below* the root that a tree layout needs are created by the hot path
// (createDirectoriesBelowRoot in file-ops-common.ts), never the root itself.

import * as fs from 'node:fs';
import { IofleetError } from '../../errors.js';
import { makeDirectory } from '../../make-directories.js';

export interface RootDirectoryRequirements {
  /** Create the root when it does not exist (one level: its parent must exist). */
  create: boolean;
  /** The run writes here (prepare, put, delete): the directory must be writable. */
  writable: boolean;
}

/**
 * Throws TARGET_UNREACHABLE, with a one-line message that names the directory and the fix, when `root`
 * (absolute, ending with "/") cannot be used as asked.
 */
export function checkRootDirectory(root: string, requirements: RootDirectoryRequirements): void {
  const where = `file://${root}`;
  const fail = (problem: string): never => {
    throw new IofleetError('TARGET_UNREACHABLE', `${where}: ${problem}`);
  };
  let stats: fs.Stats;
  try {
    stats = statOrCreate(root, requirements.create);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return fail(
        requirements.create
          ? `no such directory, and file.create_directory makes the last level only (its parent does not exist); create it (mkdir -p ${root}) or fix the target`
          : `no such directory; create it (mkdir -p ${root}) or fix the target`,
      );
    }
    if (code === 'ENOTDIR') return fail('a part of the path is not a directory; fix the target');
    if (code === 'EACCES' || code === 'EPERM') return fail(`permission denied (${code}); fix the permissions or choose another directory`);
    return fail(`cannot be used (${code ?? String(error)}); check the file system or mount behind it`);
  }
  if (!stats.isDirectory()) fail('not a directory; point the target at a directory');
  try {
    fs.accessSync(root, requirements.writable ? fs.constants.R_OK | fs.constants.W_OK : fs.constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    fail(
      requirements.writable
        ? `not writable (${code}), and the run writes (prepare, put, delete or cleanup); fix its permissions or mount, or choose another directory`
        : `not readable (${code}); fix its permissions or choose another directory`,
    );
  }
}

function statOrCreate(root: string, create: boolean): fs.Stats {
  try {
    return fs.statSync(root);
  } catch (error) {
    if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  makeDirectory(root); // one level, on purpose (see the top of this file)
  return fs.statSync(root);
}
