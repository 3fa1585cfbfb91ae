// A failure before the run starts leaves no results directory, so the printed line is all a script has:
// it must carry the error code ("iofleet: CODE: message"), as results.json's run.error.code would.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';

test('an S3 endpoint where nothing listens: exit 1, TARGET_UNREACHABLE printed, no results directory', async () => {
  const out = join(tempDir('out'), 'results');
  const file = writeWorkload(`
target: s3://bench/run/
s3: { endpoint: "http://127.0.0.1:1" }
ops: 10
workload:
  - { op: put, weight: 1, size: 1KiB }
`);
  const result = await runCli(['run', file, '--out', out], { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PROFILE: undefined });
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /^iofleet: TARGET_UNREACHABLE: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!existsSync(out));
});

test('a usage error prints its code too', async () => {
  const result = await runCli(['frobnicate']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^iofleet: USAGE: unknown command "frobnicate"\n/);
});
