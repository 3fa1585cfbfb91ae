// `mkdir -p` without Node's recursive mkdir: under /proc (and other file systems that answer ENOENT to
// creating a directory whose parent exists), `mkdirSync(path, { recursive: true })` loops forever in
// Node 20, so a mistyped `--out /proc/...` would hang before printing anything. Creating one level at a
// time fails at once with the error of the level that cannot be made.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirectories(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      mkdirSync(dir);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') break;
      if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
      missing.push(dir); // its parent is missing too: make that first
    }
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
