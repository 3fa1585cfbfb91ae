// Precedence of endpoint settings and the URI → logical key mapping, resolved once at plan time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalRoot, logicalKeyOf } from '../../../src/config/logical-key.js';
import { parseWorkloadText } from '../../../src/config/load.js';
import { resolveEndpoints } from '../../../src/config/resolve-endpoints.js';
import { describePlan } from '../../../src/outputs/plan-description.js';
import { compilePlan } from '../../../src/plan/compile-plan.js';

const config = parseWorkloadText(
  `
target: s3://bench/run1/
ops: 10
multi_endpoint:
  endpoints: [http://g1:7480, http://g2:7480]
agents:
  - { id: a, multi_endpoint: { strategy: first, endpoints: [http://a1:7480] } }
  - { id: b, target_override: s3://bench/agent-b/ }
  - { id: c }
workload:
  - { op: put, weight: 1 }
  - { op: put, weight: 1, use_multi_endpoint: false }
`,
  'precedence.yaml',
);

test('precedence: agent multi_endpoint > global multi_endpoint > agent target_override > global target', () => {
  const a = resolveEndpoints(config, 'a');
  assert.equal(a.source, 'agent multi_endpoint');
  assert.equal(a.pool?.strategy, 'first');
  const b = resolveEndpoints(config, 'b');
  assert.equal(b.source, 'multi_endpoint', 'a global pool beats an agent target_override for endpoints');
  assert.equal(b.target, 's3://bench/agent-b/', 'but the namespace is the agent’s own');
  assert.equal(resolveEndpoints(config, 'c').source, 'multi_endpoint');
  assert.equal(resolveEndpoints(config).source, 'multi_endpoint');
  const noPool = { ...config, multi_endpoint: undefined };
  assert.equal(resolveEndpoints(noPool, 'b').source, 'agent target_override');
  assert.equal(resolveEndpoints(noPool, 'c').source, 'target');
  assert.equal(resolveEndpoints(noPool, 'c').pool, undefined);
});

test('the plan: pool endpoints first, then the target’s own endpoint for pinned ops', () => {
  const plan = compilePlan(config, { env: { AWS_ENDPOINT_URL: 'http://own:7480' }, cores: 2 });
  assert.deepEqual(plan.endpoints.map((e) => e.id), ['http://g1:7480', 'http://g2:7480', 'http://own:7480']);
  assert.deepEqual(plan.endpoints.map((e) => e.inPool), [true, true, false]);
  assert.equal(plan.targetEndpoint, 2);
  assert.deepEqual(plan.ops.map((op) => op.useMultiEndpoint), [true, false]);
  assert.equal(plan.routing?.maxAttempts, 2, 'default max_attempts: min(3, endpoints)');
  const agentA = compilePlan(config, { env: { AWS_ENDPOINT_URL: 'http://g1:7480' }, cores: 2, agentId: 'a' });
  assert.deepEqual(agentA.endpoints.map((e) => e.id), ['http://a1:7480', 'http://g1:7480']);
  const own = compilePlan(config, { env: { AWS_ENDPOINT_URL: 'http://g2:7480' }, cores: 2 });
  assert.equal(own.endpoints.length, 2, 'the target’s endpoint is reused when it is in the pool');
  assert.equal(own.targetEndpoint, 1);
});

test('URI → key: trailing slashes, percent-encoding, repeated slashes', () => {
  const roots = ['s3://bench/run1/'];
  assert.deepEqual(logicalKeyOf('s3://bench/run1/data/x', roots), { root: 0, key: 'data/x' });
  assert.deepEqual(logicalKeyOf('s3://bench/run1', roots), { root: 0, key: '' });
  assert.deepEqual(logicalKeyOf('s3://bench/run1/data/', roots), { root: 0, key: 'data/' });
  assert.deepEqual(logicalKeyOf('s3://bench/run1/d%20x/%41', roots), { root: 0, key: 'd x/A' });
  assert.deepEqual(logicalKeyOf('file:///a//b///c', ['file:///a/b/']), { root: 0, key: 'c' });
  assert.equal(logicalKeyOf('s3://other/run1/x', roots), undefined);
  assert.equal(logicalKeyOf('s3://bench/run10/x', roots), undefined, 'run1/ is not a prefix of run10/');
});

test('URI → key: an endpoint root that is a prefix of another maps to the longest', () => {
  const roots = ['file:///mnt/a/', 'file:///mnt/a/b/', 'file:///mnt/ab/'];
  assert.deepEqual(logicalKeyOf('file:///mnt/a/b/x', roots), { root: 1, key: 'x' });
  assert.deepEqual(logicalKeyOf('file:///mnt/a/x', roots), { root: 0, key: 'x' });
  assert.deepEqual(logicalKeyOf('file:///mnt/ab/x', roots), { root: 2, key: 'x' });
});

const segment = fc.stringMatching(/^[a-z0-9 %._-]{1,6}$/).filter((s) => s !== '.' && s !== '..' && !/%(?![0-9A-F]{2})/i.test(s));

test('property: root + key always maps back to that key, whatever the slashes and encoding', () => {
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), (rootParts, keyParts, doubleSlashes) => {
      const root = `file:///${rootParts.map(encodeURIComponent).join('/')}`;
      const sep = doubleSlashes ? '//' : '/';
      const uri = root + sep + keyParts.map(encodeURIComponent).join(sep);
      const decodedKey = keyParts.map((p) => decodeURIComponent(encodeURIComponent(p))).join('/');
      assert.deepEqual(logicalKeyOf(uri, [root]), { root: 0, key: decodedKey });
      assert.ok(canonicalRoot(root)!.endsWith('/'));
    }),
  );
});

test('property: with nested roots the longest matching root wins and the key is relative to it', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 2, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), fc.stringMatching(/^[a-z0-9]{1,5}$/), (parts, depth, leaf) => {
      const roots = parts.map((_, i) => `file:///${parts.slice(0, i + 1).join('/')}/`);
      const owner = Math.min(depth, roots.length - 1);
      // A file directly in root `owner` (named so that it is not the next nested root's directory).
      const name = `${leaf}.file`;
      assert.deepEqual(logicalKeyOf(roots[owner] + name, roots), { root: owner, key: name });
      // A file deep in the last root maps to the last root, never to a shorter one.
      assert.deepEqual(logicalKeyOf(`${roots.at(-1)}x/${name}`, roots), { root: roots.length - 1, key: `x/${name}` });
    }),
  );
});

test('threads never outnumber prepared objects when no op creates new ones', () => {
  const readOnly = parseWorkloadText('target: null://\nops: 10\nthreads: 4\nconcurrency: 8\nprepare: { objects: 2 }\nworkload:\n  - { op: get, weight: 1 }\n', 'r.yaml');
  assert.equal(compilePlan(readOnly, { env: {}, cores: 4 }).threads, 2);
  const writes = parseWorkloadText('target: null://\nops: 10\nthreads: 4\nconcurrency: 8\nprepare: { objects: 2 }\nworkload:\n  - { op: get, weight: 1 }\n  - { op: put, weight: 1 }\n', 'w.yaml');
  assert.equal(compilePlan(writes, { env: {}, cores: 4 }).threads, 4);
});

test('a list prefix given as a full URI becomes a key relative to the namespace, once, at plan time', () => {
  const yaml = (prefix: string) =>
    `target: s3://bench/run1/\nops: 10\nprepare: { objects: 1 }\nworkload:\n  - { op: list, weight: 1, prefix: "${prefix}" }\n`;
  const plan = (prefix: string) => compilePlan(parseWorkloadText(yaml(prefix), 'l.yaml'), { env: { AWS_ENDPOINT_URL: 'http://x:1' }, cores: 1 });
  assert.equal(plan('s3://bench/run1/data/').ops[0]!.listPrefix, 'data/');
  assert.equal(plan('s3://bench//run1//data%2Fx/').ops[0]!.listPrefix, 'data/x/');
  assert.equal(plan('data/').ops[0]!.listPrefix, 'data/');
  assert.throws(() => parseWorkloadText(yaml('s3://bench/run10/data/'), 'l.yaml'), /l\.yaml:5:36 workload\[0\]\.prefix: s3:\/\/bench\/run10\/data\/ is not inside the target s3:\/\/bench\/run1\//);
});

test('validate shows what each agent resolves to, and that this host uses none of it', () => {
  const plan = compilePlan(config, { env: { AWS_ENDPOINT_URL: 'http://own:7480' }, cores: 2 });
  assert.deepEqual(
    plan.agents.map((agent) => [agent.id, agent.endpointSource, agent.targetUri, agent.poolEndpoints.join(' ')]),
    [
      ['a', 'agent multi_endpoint', 's3://bench/run1/', 'http://a1:7480'],
      ['b', 'multi_endpoint', 's3://bench/agent-b/', 'http://g1:7480 http://g2:7480'],
      ['c', 'multi_endpoint', 's3://bench/run1/', 'http://g1:7480 http://g2:7480'],
    ],
  );
  const text = describePlan(plan, 'precedence.yaml');
  assert.match(text, /\nagents: +3 agents for distributed runs \(this version runs on one host, which is no agent/);
  assert.match(text, /\n {2}a: http:\/\/a1:7480 \(from agent multi_endpoint\)/);
  assert.match(text, /\n {2}b: http:\/\/g1:7480, http:\/\/g2:7480 \(from multi_endpoint\)/);
});
