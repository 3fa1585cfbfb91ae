// config.yaml in a results directory must run the same workload again: parsing what resolvedConfigYaml
// wrote gives back the config that ran, durations included (a bare number in a workload file is seconds).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseWorkloadText } from '../../../src/config/load.js';
import { durationText, resolvedConfigYaml } from '../../../src/config/resolved-config.js';
import { parseDurationMs } from '../../../src/config/units.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';
import type { S3Plan } from '../../../src/plan/run-plan.js';

const POOL_WORKLOAD = `
name: rerun
target: file:///tmp/iofleet-rerun/
duration: 90s
warmup: 1500ms
timeout: 2m
concurrency: 8
multi_endpoint:
  strategy: least_connections
  endpoints:
    - file:///tmp/iofleet-rerun/
    - { url: file:///tmp/iofleet-rerun-b/, timeout: 3s }
  health: { cooldown: 2500ms, probe_interval: 250ms }
prepare: { objects: 10, size: 4KiB }
workload:
  - { op: get, weight: 1 }
`;

describe('resolvedConfigYaml', () => {
  it('reads back to the same config, durations with their units', () => {
    const config = parseWorkloadText(POOL_WORKLOAD, 'w.yaml');
    const text = resolvedConfigYaml(config, undefined);
    assert.match(text, /^duration: 90s$/m);
    assert.match(text, /^warmup: 1500ms$/m);
    assert.match(text, /^timeout: 2m$/m);
    assert.deepEqual(parseWorkloadText(text, 'config.yaml'), config);
  });

  it('writes the S3 endpoint, region and profile the environment supplied, and no credentials', () => {
    const config = parseWorkloadText('target: s3://bucket/run/\nops: 10\nworkload: [{ op: put, weight: 1, size: 4KiB }]\n', 'w.yaml');
    const s3: S3Plan = {
      endpoint: 'http://127.0.0.1:7480',
      region: 'eu-west-3',
      profile: 'bench',
      pathStyle: true,
      createBucket: true,
      multipartThresholdBytes: 64 * 2 ** 20,
      multipartPartBytes: 16 * 2 ** 20,
    };
    const reread = parseWorkloadText(resolvedConfigYaml(config, s3), 'config.yaml');
    assert.deepEqual(reread.s3, { endpoint: 'http://127.0.0.1:7480', region: 'eu-west-3', profile: 'bench', path_style: true, create_bucket: true, multipart_threshold: 64 * 2 ** 20, multipart_part_size: 16 * 2 ** 20 });
    assert.doesNotMatch(resolvedConfigYaml(config, s3), /secret|access_key|session/i);
  });
});

describe('durationText', () => {
  it('parses back to the same number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 24 * 3_600_000 }), (ms) => {
        assert.equal(parseDurationMs(durationText(ms)), ms);
      }),
    );
  });
});

describe('the S3 profile', () => {
  it('is taken from the workload only: AWS_PROFILE stays the credential chain’s last step, after the environment’s keys', () => {
    const config = parseWorkloadText('target: s3://bucket/run/\nops: 10\nworkload: [{ op: put, weight: 1, size: 4KiB }]\n', 'w.yaml');
    const plan = compilePlan(config, { env: { AWS_PROFILE: 'ambient', AWS_ENDPOINT_URL: 'http://127.0.0.1:7480' }, cores: 2 });
    assert.equal(plan.s3?.profile, undefined);
    assert.doesNotMatch(resolvedConfigYaml(config, plan.s3), /profile/);
    const explicit = parseWorkloadText('target: s3://bucket/run/\ns3: { profile: bench }\nops: 10\nworkload: [{ op: put, weight: 1, size: 4KiB }]\n', 'w.yaml');
    assert.equal(compilePlan(explicit, { env: { AWS_PROFILE: 'ambient' }, cores: 2 }).s3?.profile, 'bench');
  });
});
