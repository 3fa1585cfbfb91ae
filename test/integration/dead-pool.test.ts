// A pool that cannot be used at all fails before the run, with one message naming every endpoint (no S3
// server needed: the endpoints are ports nothing listens on).

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';

/** A port on 127.0.0.1 that was free a moment ago: bound, then closed, so a connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a pool none of whose endpoints answers fails fast, naming every endpoint and the pool setting to check', async () => {
  // Two ports on 127.0.0.1 that nothing listens on (bound, then closed): connections are refused at once.
  const ports = await Promise.all([closedPort(), closedPort()]);
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const file = writeWorkload(`
target: s3://iofleet-dead-pool/run/
ops: 10
multi_endpoint:
  endpoints: [${urls.join(', ')}]
workload:
  - { op: put, weight: 1, size: 1KiB }
`);
  const result = await runCli(['run', file, '--out', tempDir('out')], {
    AWS_ACCESS_KEY_ID: 'IOFLEETDEADPOOLTEST',
    AWS_SECRET_ACCESS_KEY: 'dead-pool-test-secret',
    AWS_ENDPOINT_URL: urls[0],
  });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, new RegExp(`none of the 2 pool endpoints answers \\(${urls[0]}: .*; ${urls[1]}: .*\\)`));
  assert.match(result.stderr, /check multi_endpoint\.endpoints in the workload file/);
  assert.doesNotMatch(result.stderr + result.stdout, /dead-pool-test-secret|\n\s+at /);
});
