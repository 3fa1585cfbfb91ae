import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeDirectories } from '../../src/make-directories.js';

describe('makeDirectories', () => {
  it('makes every missing level, and accepts what exists', () => {
    const base = mkdtempSync(join(tmpdir(), 'iofleet-mkdirs-'));
    const deep = join(base, 'a', 'b', 'c');
    makeDirectories(deep);
    assert.ok(statSync(deep).isDirectory());
    makeDirectories(deep);
    makeDirectories(base);
  });

  it('fails at once where a level cannot be made (under /proc a recursive mkdir never returns)', () => {
    assert.throws(() => makeDirectories('/proc/iofleet-no-such/results'), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
  });

  it('fails when a level is a file', () => {
    const base = mkdtempSync(join(tmpdir(), 'iofleet-mkdirs-'));
    writeFileSync(join(base, 'file'), '');
    assert.throws(() => makeDirectories(join(base, 'file', 'sub')), (error: NodeJS.ErrnoException) => error.code === 'ENOTDIR');
  });
});
