// The facts iofleet prints about a file:// target's file system, checked against what coreutils' df and
// stat say about the same directories.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSystemFacts } from '../../../src/backends/file/file-system-facts.js';

function df(directory: string): { type: string; mountPoint: string; sizeBytes: number } {
  const [, row] = execFileSync('df', ['-B1', '--output=fstype,target,size', directory], { encoding: 'utf8' }).trim().split('\n');
  const [type, mountPoint, size] = row!.trim().split(/\s+/);
  return { type: type!, mountPoint: mountPoint!, sizeBytes: Number(size) };
}

for (const directory of [tmpdir(), '/proc/self', '/dev/shm']) {
  test(`${directory}: type, mount point, device and size as df and stat give them`, () => {
    const facts = fileSystemFacts(directory);
    const expected = df(directory);
    // df names the ext2/3/4 family by its mount type; statfs(2) has one magic number for all three.
    assert.equal(facts.type, /^ext[234]$/.test(expected.type) ? 'ext4' : expected.type);
    assert.equal(facts.mountPoint, expected.mountPoint);
    assert.equal(facts.device, execFileSync('stat', ['-c', '%Hd:%Ld', directory], { encoding: 'utf8' }).trim());
    assert.equal(facts.sizeBytes, expected.sizeBytes);
  });
}

test('a symlink to another file system is described by where it leads', () => {
  const link = join(mkdtempSync(join(tmpdir(), 'iofleet-fs-link-')), 'to-shm');
  symlinkSync('/dev/shm', link);
  const facts = fileSystemFacts(link);
  assert.equal(facts.type, 'tmpfs');
  assert.equal(facts.mountPoint, '/dev/shm');
});
