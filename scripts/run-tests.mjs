#!/usr/bin/env node
// Runs the compiled tests under dist/test/<suite>/ with node's test runner, listing the files explicitly:
// Node 20 takes directories but not globs, Node 22+ takes globs but not directories.
// Usage: node scripts/run-tests.mjs unit integration [-- extra node --test flags]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const separator = process.argv.indexOf('--');
const suites = process.argv.slice(2, separator < 0 ? undefined : separator);
const extra = separator < 0 ? [] : process.argv.slice(separator + 1);
const files = suites.flatMap((suite) =>
  readdirSync(join('dist', 'test', suite), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join('dist', 'test', suite, name)),
);
if (files.length === 0) {
  console.error(`no compiled tests under dist/test/{${suites.join(',')}}: run tsc first`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...extra, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
