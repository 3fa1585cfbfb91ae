// Making directories without Node's recursive mkdir: under /proc (and other file systems that answer
// ENOENT to creating a directory whose parent exists), `mkdirSync(path, { recursive: true })` loops
// forever in Node 20, so a mistyped path would hang before printing anything. One level at a time fails
// at once with the error of the level that cannot be made.

import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** One directory; one that already exists (made meanwhile by another thread or run) is fine. */
export function makeDirectory(path: string): void {
  try {
    mkdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** makeDirectory through libuv's thread pool, for a hot path that must not block its thread. */
export async function makeDirectoryAsync(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** `mkdir -p`: every missing level, outermost first. */
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
  for (let i = missing.length - 1; i >= 0; i--) makeDirectory(missing[i]!);
}
