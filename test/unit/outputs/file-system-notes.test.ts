// What run says about the file systems under file:// endpoints: a line each, a warning when pool
// endpoints are one file system instance (NFS: one shared cache unless nosharecache), and a warning
// when prepare will not fit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileSystemFacts } from '../../../src/backends/file/file-system-facts.js';
import { parseWorkloadText } from '../../../src/config/load.js';
import { fileSystemNotes } from '../../../src/outputs/file-system-notes.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';

const GiB = 2 ** 30;

function planOf(endpoints: readonly string[], namespace: 'shared' | 'independent', prepare: string) {
  const pool = endpoints.length > 1 ? `multi_endpoint: { namespace: ${namespace}${namespace === 'independent' ? ', strategy: consistent_hash' : ''}, endpoints: [${endpoints.join(', ')}] }\n` : '';
  const config = parseWorkloadText(`target: ${endpoints[0]}\nops: 10\nprepare: ${prepare}\n${pool}workload: [{ op: get, weight: 1 }]\n`, 'f.yaml');
  return compilePlan(config, { env: {}, cores: 2 });
}

function facts(type: string, device: string, freeGiB: number | undefined, mountPoint = '/mnt'): FileSystemFacts {
  const sizeBytes = freeGiB === undefined ? undefined : 100 * GiB;
  return { type, source: `filer:${mountPoint}`, device, mountPoint, sizeBytes, freeBytes: freeGiB === undefined ? undefined : freeGiB * GiB };
}

test('one line per file endpoint; no warning for separate file systems with room', () => {
  const plan = planOf(['file:///mnt/a/', 'file:///mnt/b/'], 'shared', '{ objects: 10, size: 1MiB }');
  const notes = fileSystemNotes(plan, [facts('nfs4', '0:51', 50, '/mnt/a'), facts('nfs4', '0:52', undefined, '/mnt/b')]);
  assert.deepEqual(notes.lines, [
    'file system: file:///mnt/a/ is on nfs4 filer:/mnt/a mounted at /mnt/a (device 0:51), 50 GiB free of 100 GiB',
    'file system: file:///mnt/b/ is on nfs4 filer:/mnt/b mounted at /mnt/b (device 0:52), space unknown',
  ]);
  assert.deepEqual(notes.warnings, []);
});

test('NFS mounts that share one superblock are named, with nosharecache as the way out', () => {
  const plan = planOf(['file:///mnt/a/', 'file:///mnt/b/', 'file:///mnt/c/'], 'shared', '{ objects: 10, size: 1MiB }');
  const notes = fileSystemNotes(plan, [facts('nfs4', '0:51', 50), facts('nfs4', '0:52', 50), facts('nfs4', '0:51', 50)]);
  assert.equal(notes.warnings.length, 1);
  assert.match(notes.warnings[0]!, /^file endpoints file:\/\/\/mnt\/a\/, file:\/\/\/mnt\/c\/ are one nfs4 file system instance \(device 0:51\): .*nosharecache/);
});

test('two directories of one local file system: the load is spread over paths only', () => {
  const plan = planOf(['file:///data/a/', 'file:///data/b/'], 'independent', '{ objects: 10, size: 1MiB }');
  const notes = fileSystemNotes(plan, [facts('ext4', '254:0', 50), facts('ext4', '254:0', 50)]);
  assert.deepEqual(notes.warnings, [
    'file endpoints file:///data/a/, file:///data/b/ are one ext4 file system instance (device 254:0): the load is spread over paths, not over separate file systems or mounts',
  ]);
});

test('a prepare larger than the free space is warned of; an independent namespace puts a share on each', () => {
  // 3000 × 1 MiB = about 2.9 GiB, 2 GiB free.
  const single = planOf(['file:///mnt/a/'], 'shared', '{ objects: 3000, size: 1MiB }');
  assert.deepEqual(fileSystemNotes(single, [facts('xfs', '8:16', 2, '/mnt/a')]).warnings, [
    'prepare writes about 2.9 GiB to /mnt/a (xfs), which has 2 GiB free: expect ENOSPC (io_error)',
  ]);
  // Split over two independent file systems, 1.5 GiB each fits.
  const split = planOf(['file:///mnt/a/', 'file:///mnt/b/'], 'independent', '{ objects: 3000, size: 1MiB }');
  assert.deepEqual(fileSystemNotes(split, [facts('xfs', '8:16', 2), facts('xfs', '8:32', 2)]).warnings, []);
  // Space not known: nothing to warn of.
  assert.deepEqual(fileSystemNotes(single, [facts('fuse.sshfs', '0:60', undefined)]).warnings, []);
});
