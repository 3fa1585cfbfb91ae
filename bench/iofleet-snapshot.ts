// A private copy of the compiled iofleet CLI, taken when the bench starts. The repository is edited and
// rebuilt by others while a 6-minute bench runs: a `tsc` halfway through once replaced dist/src/ under a
// running bench and failed a whole section. The bench measures the build it started with: the same
// files that `node bin/iofleet.js` runs (bin/, dist/src/, package.json), node_modules linked, not copied.

import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-paths.js';

/** Copies the CLI into `dir`; returns the path of its bin/iofleet.js. */
export function createIofleetSnapshot(dir: string): string {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  cpSync(join(REPO_ROOT, 'dist', 'src'), join(dir, 'dist', 'src'), { recursive: true });
  cpSync(join(REPO_ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return join(dir, 'bin', 'iofleet.js');
}
