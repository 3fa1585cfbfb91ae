// How many files this process may open: the soft RLIMIT_NOFILE, which Node raises to the hard limit when
// it starts (so a shell's `ulimit -Sn 1024` does not count, `ulimit -Hn` does). Node has no getrlimit;
// Linux shows the limits in /proc/self/limits. Elsewhere: undefined (unknown, nothing is capped by it).

import { readFileSync } from 'node:fs';

export function readOpenFilesLimit(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  // "Max open files            20000                20000                files"
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined || soft === 'unlimited') return undefined;
  const limit = Number(soft);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : undefined;
}
