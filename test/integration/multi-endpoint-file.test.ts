// The endpoint pool on file:// endpoints: several directories as independent namespaces (each key on
// the endpoint that owns it), and one directory reached through several symlinks as a shared namespace
// (as several NFS mounts of one export would be).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NO_EXCLUSIONS } from '../../src/routing/exclusions.js';
import { hashKey } from '../../src/routing/hash.js';
import { createStrategy } from '../../src/routing/strategy.js';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { okOps, phaseOf, readResults } from '../helpers/results.js';

test('independent directories: every key lives on its consistent-hash owner, every read finds it', async () => {
  const dirs = [tempDir('ep0'), tempDir('ep1'), tempDir('ep2')];
  const urls = dirs.map((dir) => `file://${dir}/`);
  const out = tempDir('out');
  const file = writeWorkload(`
target: ${urls[0]}
duration: 2s
concurrency: 6
threads: 2
prepare: { objects: 300, size: 2KiB }
multi_endpoint:
  strategy: consistent_hash
  namespace: independent
  endpoints: [${urls.join(', ')}]
workload:
  - { op: get, weight: 6 }
  - { op: stat, weight: 1 }
  - { op: put, weight: 2, size: 1KiB }
  - { op: delete, weight: 1 }
verify: { seed: 9 }
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  const measure = phaseOf(results, 'measure');
  assert.equal(measure.totals.errors, 0, JSON.stringify(measure.totals.errors_by_class));
  assert.ok(okOps(measure, 'get') > 100);

  const ring = createStrategy('consistent_hash', { count: 3, weights: [1, 1, 1], vnodes: 160, endpointIds: urls, random: Math.random });
  const view = { count: 3, isAvailable: () => true, inFlight: new Int32Array(3), weights: new Float64Array([1, 1, 1]) };
  const seen = new Set<string>();
  let total = 0;
  dirs.forEach((dir, index) => {
    const names = readdirSync(dir);
    assert.ok(names.length > 50, `endpoint ${index} holds ${names.length} objects`);
    for (const name of names) {
      assert.equal(ring.pick(hashKey(name), view, NO_EXCLUSIONS), index, `${name} is in directory ${index}, not on its owner`);
      assert.ok(!seen.has(name), `${name} exists in two namespaces`);
      seen.add(name);
    }
    total += names.length;
  });
  assert.equal(total, 300 + okOps(measure, 'put') - okOps(measure, 'delete'));
});

test('one directory through three symlinks: a shared namespace, shared evenly, nothing lost', async () => {
  const real = tempDir('real');
  const links = [0, 1, 2].map((i) => {
    const link = join(tempDir(`link${i}`), 'mount');
    symlinkSync(real, link);
    return `file://${link}/`;
  });
  const out = tempDir('out');
  const file = writeWorkload(`
target: ${links[0]}
duration: 2s
concurrency: 6
threads: 2
prepare: { objects: 300, size: 2KiB }
multi_endpoint:
  strategy: round_robin
  endpoints: [${links.join(', ')}]
workload:
  - { op: get, weight: 6 }
  - { op: put, weight: 2, size: 1KiB }
  - { op: delete, weight: 1 }
verify: { seed: 4 }
`);
  const result = await runCli(['run', file, '--out', out]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const measure = phaseOf(readResults(out), 'measure');
  assert.equal(measure.totals.errors, 0, JSON.stringify(measure.totals.errors_by_class));
  const endpoints = (measure as unknown as { endpoints: { endpoint: string; share: number }[] }).endpoints;
  assert.deepEqual(endpoints.map((e) => e.endpoint), links);
  for (const e of endpoints) assert.ok(Math.abs(e.share - 1 / 3) < 0.01, `${e.endpoint}: ${e.share}`);
  assert.equal(readdirSync(real).length, 300 + okOps(measure, 'put') - okOps(measure, 'delete'));

  // Three paths, one file system: run says so before it starts, and results.json records each one's.
  const device = execFileSync('stat', ['-c', '%Hd:%Ld', real], { encoding: 'utf8' }).trim();
  assert.match(result.stdout, new RegExp(`warning: file endpoints ${links.join(', ')} are one \\S+ file system instance \\(device ${device}\\)`));
  const described = (readResults(out) as unknown as { endpoints: { id: string; file_system: { device: string } | null }[] }).endpoints;
  assert.deepEqual(described.map((e) => [e.id, e.file_system?.device]), links.map((link) => [link, device]));
});
