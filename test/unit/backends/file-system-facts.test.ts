// The facts iofleet prints about a file:// target's file system, checked against what coreutils' df and
// stat say about the same directories.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSystemFacts } from '../../../src/backends/file/file-system-facts.js';

function df(directory: string): { source: string; type: string; mountPoint: string; sizeBytes: number } {
  const [, row] = execFileSync('df', ['-B1', '--output=source,fstype,target,size', directory], { encoding: 'utf8' }).trim().split('\n');
  const [source, type, mountPoint, size] = row!.trim().split(/\s+/);
  return { source: source!, type: type!, mountPoint: mountPoint!, sizeBytes: Number(size) };
}

function deviceOf(path: string): string {
  return execFileSync('stat', ['-L', '-c', '%Hd:%Ld', path], { encoding: 'utf8' }).trim();
}

for (const directory of [tmpdir(), '/proc/self', '/dev/shm']) {
  test(`${directory}: type, source, mount point, device and size as df and stat give them`, () => {
    const facts = fileSystemFacts(directory);
    const expected = df(directory);
    assert.deepEqual(
      { type: facts.type, source: facts.source, mountPoint: facts.mountPoint, sizeBytes: facts.sizeBytes },
      { type: expected.type, source: expected.source, mountPoint: expected.mountPoint, sizeBytes: expected.sizeBytes },
    );
    assert.equal(facts.device, deviceOf(directory));
  });
}

test('a symlink to another file system is described by where it leads', () => {
  const link = join(mkdtempSync(join(tmpdir(), 'iofleet-fs-link-')), 'to-shm');
  symlinkSync('/dev/shm', link);
  const facts = fileSystemFacts(link);
  assert.equal(facts.type, 'tmpfs');
  assert.equal(facts.mountPoint, '/dev/shm');
});

test('a bind mount is its own mount point, though its device is the one it came from', { skip: process.getuid?.() !== 0 && 'mount needs root' }, () => {
  const from = mkdtempSync(join(tmpdir(), 'iofleet-bind-from-'));
  const at = mkdtempSync(join(tmpdir(), 'iofleet-bind-at-'));
  execFileSync('mount', ['--bind', from, at]);
  try {
    const facts = fileSystemFacts(at);
    assert.equal(facts.mountPoint, at);
    assert.equal(facts.device, deviceOf(from));
  } finally {
    execFileSync('umount', [at]);
  }
});
