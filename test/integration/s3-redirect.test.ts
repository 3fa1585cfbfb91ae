// S3 redirects: an endpoint that answers every request with 307 and a Location on the real gateway (as
// S3 does for a bucket in another region). iofleet follows each one, the run succeeds, and the redirects
// are counted and reported.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, tempDir, writeWorkload } from '../helpers/cli.js';
import { phaseOf, readResults } from '../helpers/results.js';
import { ensureRgw, rgwEnv, uniqueBucketName, type RgwTarget } from '../helpers/rgw.js';

let rgw: RgwTarget;
let redirector: Server;
let redirectorUrl = '';
let redirected = 0;

before(async () => {
  rgw = await ensureRgw();
  redirector = createServer((request, response) => {
    redirected++;
    request.resume();
    response.writeHead(307, { location: `${rgw.endpoint}${request.url}`, 'content-length': '0' });
    response.end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  redirectorUrl = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
});
after(() => {
  redirector.closeAllConnections();
  redirector.close();
});

test('307 with a Location is followed, counted and reported; every op succeeds', async () => {
  const out = tempDir('out');
  const file = writeWorkload(`
target: s3://${uniqueBucketName('redirect')}/
s3: { endpoint: ${redirectorUrl} }
ops: 400
concurrency: 4
threads: 1
prepare: { objects: 20, size: 4KiB }
workload:
  - { op: get, weight: 3 }
  - { op: put, weight: 1, size: 4KiB }
verify: { seed: 2 }
`);
  const result = await runCli(['run', file, '--out', out], { ...rgwEnv(rgw), AWS_ENDPOINT_URL: undefined });
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const results = readResults(out);
  const measure = phaseOf(results, 'measure') as ReturnType<typeof phaseOf> & { redirects_followed: number };
  const prepare = phaseOf(results, 'prepare') as ReturnType<typeof phaseOf> & { redirects_followed: number };
  assert.equal(measure.totals.errors, 0, JSON.stringify(measure.totals.errors_by_class));
  assert.equal(measure.totals.ops, 400);
  assert.equal(measure.redirects_followed, 400, 'every operation was redirected once');
  assert.equal(prepare.redirects_followed, 20);
  assert.ok(redirected >= 420, `the redirecting endpoint answered ${redirected} requests`);
  assert.match(readFileSync(join(out, 'console.log'), 'utf8'), /S3 redirects followed: 400/);
});
