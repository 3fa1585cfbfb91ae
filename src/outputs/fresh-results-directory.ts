// A run's results directory must be new or empty. Reusing one that holds an earlier run's files would
// leave them next to the new run's (a pool run's endpoint_stats.tsv and events.tsv beside a later
// single-endpoint run's results.json), and whoever reads the directory could not tell them apart.

import { readdirSync } from 'node:fs';
import { IofleetError } from '../errors.js';

/**
 * Throws USAGE (exit 2) when `path` exists and is not an empty directory. Checked before any I/O on the
 * target, so a wrong --out costs nothing.
 */
export function checkResultsDirectoryIsFresh(path: string, option: string): void {
  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // made by the run
    if (code === 'ENOTDIR') throw new IofleetError('USAGE', `${option} ${path}: is a file, not a directory; choose another results directory`);
    return; // unreadable: writing the results will fail with RESULTS_WRITE, which says why
  }
  if (entries.length === 0) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
  throw new IofleetError(
    'USAGE',
    `${option} ${path}: directory is not empty (holds ${shown}); choose another results directory, or remove this one first`,
  );
}
