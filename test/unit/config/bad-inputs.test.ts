// A table of bad workload files: each must fail with exactly this message (file:line:col field: what and
// the fix) and code, before any I/O. The messages are part of the product: change them here on purpose.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkloadText } from '../../../src/config/load.js';
import { IofleetError } from '../../../src/errors.js';

interface BadInput {
  name: string;
  yaml: string;
  code: string;
  message: string;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: "badSize",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: { objects: 10, size: 4KB8 }\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:31 prepare.size: \"4KB8\" is not a size (examples: 4096, 4KiB, 1MB, 1.5GiB)",
  },
  {
    name: "typoTop",
    yaml: "target: file:///tmp/x/\nduration: 10s\nconcurency: 4\nworkload:\n  - { op: get, weight: 1 }\nprepare: {objects: 1}\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:1 concurency: unknown key \"concurency\" (did you mean \"concurrency\"?)",
  },
  {
    name: "typoOp",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1}\nworkload:\n  - { op: get, wieght: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:5:5 workload[0].weight: is required (expected a number)\nw.yaml:5:16 workload[0].wieght: unknown key \"wieght\" (did you mean \"weight\"?)",
  },
  {
    name: "badOp",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1}\nworkload:\n  - { op: gett, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:5:11 workload[0].op: \"gett\" is not one of: get, put, list, stat, delete (did you mean \"get\"?)",
  },
  {
    name: "lognormalMedianAboveMax",
    yaml: "target: null://\nops: 10\nworkload:\n  - { op: put, weight: 1, size: { dist: lognormal, mean: 1MiB, stddev: 64KiB, max: 8KiB } }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:84 workload[0].size.max: is below the median size (1022.0 KiB for this mean and stddev), so most sizes would be cut to max: raise max or lower mean",
  },
  {
    name: "treeTooLarge",
    yaml: "target: null://\nops: 10\nprepare: { tree: { width: 10, depth: 10, files_per_dir: 5 } }\nworkload: [{ op: get, weight: 1 }]\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:18 prepare.tree: 5.00e+10 objects is more than iofleet's key table holds (2147483647, 32-bit key numbers, about 20 B of memory each) (width^depth × files_per_dir): prepare fewer",
  },
  {
    name: "zeroWeights",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 0 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:5:3 workload: the weights sum to 0: give at least one op a positive weight",
  },
  {
    name: "getNothing",
    yaml: "target: file:///tmp/x/\nduration: 10s\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:5 workload[0]: get needs existing objects, and none are prepared or written: add `prepare: { objects: 1000 }` or a put op",
  },
  {
    name: "rangeTooBig",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1, size: 4KiB}\nworkload:\n  - { op: get, weight: 1, range: 1MiB }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:5:34 workload[0].range: 1 MiB is larger than every object (largest: 4 KiB): use a smaller range",
  },
  {
    name: "noDuration",
    yaml: "target: file:///tmp/x/\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:1:1 neither duration nor ops is set: add `duration: 60s` or `ops: 100000` (or both; the first reached stops the run)",
  },
  {
    name: "badDuration",
    yaml: "target: file:///tmp/x/\nduration: 10 sec\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:2:11 duration: \"10 sec\" is not a duration (examples: 500ms, 30s, 5m, 1h)",
  },
  {
    name: "zeroDuration",
    yaml: "target: file:///tmp/x/\nduration: 0s\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:2:11 duration: must be more than 0 (e.g. 60s)",
  },
  {
    name: "zeroTimeout",
    yaml: "target: file:///tmp/x/\nduration: 10s\ntimeout: 0ms\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:10 timeout: must be more than 0 (e.g. 30s)",
  },
  {
    name: "fractionalConcurrency",
    yaml: "target: null://\nduration: 1s\nconcurrency: 2.5\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:14 concurrency: 2.5 is not a whole number: use one, e.g. 3",
  },
  {
    name: "sectionKeyAtTopLevel",
    yaml: "target: null://\nduration: 1s\ntree: { width: 2, depth: 2, files_per_dir: 2 }\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:1 tree: unknown key \"tree\" (did you mean prepare.tree? (prepare: { tree: ... }))",
  },
  {
    name: "zeroProbeInterval",
    yaml: "target: file:///tmp/x/\nduration: 10s\nmulti_endpoint:\n  endpoints: [file:///tmp/x/, file:///tmp/y/]\n  health: { probe_interval: 0s }\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:5:29 multi_endpoint.health.probe_interval: must be more than 0 (e.g. 1s)",
  },
  {
    name: "fractionalThreads",
    yaml: "target: null://\nduration: 1s\nthreads: 2.5\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:10 threads: 2.5 is not a whole number: use one (e.g. 3), or \"auto\"",
  },
  {
    name: "badTarget",
    yaml: "target: ftp://x/\nduration: 10s\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:1:9 target: \"ftp://x/\" is not a supported target (examples: s3://bucket/prefix/, file:///data/bench/, null://)",
  },
  {
    name: "badDist",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1, size: { dist: lognromal, mean: 1MiB, stddev: 1KiB }}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:37 prepare.size.dist: \"lognromal\" is not one of: fixed, uniform, lognormal (did you mean \"lognormal\"?)",
  },
  {
    name: "uniformSwap",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1, size: { dist: uniform, min: 1MiB, max: 4KiB }}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:51 prepare.size.min: is larger than max (4 KiB): swap them",
  },
  {
    name: "negConc",
    yaml: "target: file:///tmp/x/\nduration: 10s\nconcurrency: -1\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:14 concurrency: -1 is out of range: must be greater than 0",
  },
  {
    name: "strConc",
    yaml: "target: file:///tmp/x/\nduration: 10s\nconcurrency: many\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:14 concurrency: expected a number, got \"many\"",
  },
  {
    name: "rangeOnPut",
    yaml: "target: file:///tmp/x/\nduration: 10s\nworkload:\n  - { op: put, weight: 1, range: 4KiB }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:34 workload[0].range: only applies to get ops, and this is a put op (remove it)",
  },
  {
    name: "emptyWorkload",
    yaml: "target: file:///tmp/x/\nduration: 10s\nworkload: []\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:11 workload: needs at least 1 entry",
  },
  {
    name: "missingWorkload",
    yaml: "target: file:///tmp/x/\nduration: 10s\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:1:1 workload: is required (expected a list)",
  },
  {
    name: "yamlSyntax",
    yaml: "target: file:///tmp/x/\nworkload: [ { op: get\n",
    code: "CONFIG_YAML",
    message: "w.yaml:3:1 Flow map in block collection must be sufficiently indented and end with a }\nw.yaml:3:1 Flow sequence in block collection must be sufficiently indented and end with a ]",
  },
  {
    name: "warmupLong",
    yaml: "target: file:///tmp/x/\nduration: 10s\nwarmup: 20s\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:9 warmup: must be shorter than duration (10000ms), or no time is left to measure",
  },
  {
    name: "thetaUniform",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1}\nkeys: { dist: uniform, theta: 0.9 }\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:31 keys.theta: only applies to dist: zipf (remove it, or set dist: zipf)",
  },
  {
    name: "s3OnFile",
    yaml: "target: file:///tmp/x/\nduration: 10s\ns3: { region: x }\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:5 s3: only applies to s3:// targets, and target is file:///tmp/x/ (remove the s3 block)",
  },
  {
    name: "badBucket",
    yaml: "target: s3://B_x/\nduration: 10s\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:1:9 target: \"B_x\" is not a valid bucket name (3-63 lower-case letters, digits, \".\" and \"-\") (examples: s3://bucket/prefix/, file:///data/bench/, null://)",
  },
  {
    name: "treeAndObjects",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1, tree: {width: 2, depth: 2, files_per_dir: 2}}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:10 prepare: set either objects (a flat namespace) or tree (directories), not both",
  },
  {
    name: "arrival",
    yaml: "target: file:///tmp/x/\nduration: 10s\nrate: { ops_per_sec: 10, arrival: poison }\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:35 rate.arrival: \"poison\" is not one of: uniform, poisson (did you mean \"poisson\"?)",
  },
  {
    name: "threads",
    yaml: "target: file:///tmp/x/\nduration: 10s\nthreads: lots\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:10 threads: expected \"auto\" or a number, got \"lots\"",
  },
  {
    name: "notMap",
    yaml: "- a\n- b\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:1:1 the workload file must be a mapping of keys (target:, workload:, ...)",
  },
  {
    name: "dupKey",
    yaml: "target: file:///tmp/x/\nduration: 10s\nduration: 5s\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_YAML",
    message: "w.yaml:3:1 Map keys must be unique",
  },
  {
    name: "maxKeys",
    yaml: "target: file:///tmp/x/\nduration: 10s\nworkload:\n  - { op: list, weight: 1, max_keys: 5000 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:38 workload[0].max_keys: 5000 is out of range: must be at most 1000",
  },
  {
    name: "nullSize",
    yaml: "target: file:///tmp/x/\nduration: 10s\nprepare: {objects: 1, size: }\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:29 prepare.size: expected a number or a string or a mapping or a list, got null (an empty value)",
  },
  {
    name: "useMultiNoPool",
    yaml: "target: null://\nops: 10\nworkload:\n  - { op: put, weight: 1, use_multi_endpoint: true }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:47 workload[0].use_multi_endpoint: there is no endpoint pool: add a multi_endpoint section, or remove use_multi_endpoint",
  },
  {
    name: "independentNeedsHash",
    yaml: "target: s3://b1b/\nops: 10\nmulti_endpoint:\n  namespace: independent\n  endpoints: [http://a:1, http://b:2]\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:14 multi_endpoint.namespace: independent namespaces need strategy: consistent_hash (each key must always go to the endpoint that holds it)",
  },
  {
    name: "wrongScheme",
    yaml: "target: s3://b1b/\nops: 10\nmulti_endpoint:\n  endpoints: [http://a:1, file:///x/]\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:27 multi_endpoint.endpoints[1]: \"file:///x/\" is not an S3 endpoint: use http://host:port or https://host",
  },
  {
    name: "maxAttempts",
    yaml: "target: s3://b1b/\nops: 10\nmulti_endpoint:\n  endpoints: [http://a:1, http://b:2]\n  failover: { max_attempts: 3 }\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:5:29 multi_endpoint.failover.max_attempts: is more than the 2 endpoints: an op tries each endpoint at most once",
  },
  {
    name: "badStrategy",
    yaml: "target: s3://b1b/\nops: 10\nmulti_endpoint:\n  strategy: round-robin\n  endpoints: [http://a:1]\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:13 multi_endpoint.strategy: \"round-robin\" is not one of: round_robin, least_connections, random, first, weighted, consistent_hash (did you mean \"round_robin\"?)",
  },
  {
    name: "dupEndpoint",
    yaml: "target: file:///tmp/x/\nops: 10\nmulti_endpoint:\n  endpoints: [file:///a/, \"file:///a//\"]\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:4:27 multi_endpoint.endpoints[1]: file:///a// is listed twice",
  },
  {
    name: "keepOpenZero",
    yaml: "target: file:///tmp/x/\nops: 10\nfile: { keep_open: 0 }\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:20 file.keep_open: 0 is out of range: must be greater than 0",
  },
  {
    name: "keepOpenWord",
    yaml: "target: file:///tmp/x/\nops: 10\nfile: { keep_open: always }\nprepare: {objects: 1}\nworkload:\n  - { op: get, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:20 file.keep_open: expected a boolean or a number, got \"always\"",
  },
  {
    name: "keepOpenNoReads",
    yaml: "target: file:///tmp/x/\nops: 10\nfile: { keep_open: true }\nworkload:\n  - { op: put, weight: 1 }\n",
    code: "CONFIG_INVALID",
    message: "w.yaml:3:20 file.keep_open: only applies to get ops, and the workload has none (remove it, or add a get op)",
  },
];

for (const bad of BAD_INPUTS) {
  test(`bad input: ${bad.name}`, () => {
    assert.throws(
      () => parseWorkloadText(bad.yaml, 'w.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof IofleetError, 'an IofleetError, not a crash');
        assert.equal(error.code, bad.code);
        assert.equal(error.message, bad.message);
        return true;
      },
    );
  });
}

test('the table has at least 20 bad inputs', () => {
  assert.ok(BAD_INPUTS.length >= 20);
});

test('a good file parses, with defaults filled in', () => {
  const config = parseWorkloadText('target: null://\nops: 10\nworkload:\n  - { op: put, weight: 1, size: 1MB }\n', 'good.yaml');
  assert.equal(config.name, 'good');
  assert.equal(config.concurrency, 16);
  assert.equal(config.workload[0]!.size, 1_000_000);
  assert.equal(config.cleanup, false);
});

test('several problems are listed in file order, with a hint that the cross-field checks come after', () => {
  const yaml = 'target: file:///tmp/x/\nduration: 10s\nconcurency: 4\nprepare: {objects: 1, size: 4KB8}\nworkload:\n  - { op: get, weight: 1, rnage: 4KiB }\n';
  assert.throws(
    () => parseWorkloadText(yaml, 'w.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof IofleetError);
      const lines = error.message.split('\n').map((line) => Number(/^w\.yaml:(\d+):/.exec(line)![1]));
      assert.deepEqual(lines, [3, 4, 6]);
      assert.match(error.hint ?? '', /how the settings fit together is checked once each one is valid/);
      return true;
    },
  );
});

test('a lognormal whose max cuts only its upper tail is valid (mean above max, median below it)', () => {
  // mean 1 MiB, stddev 4 MiB: median 1 MiB / sqrt(17) ≈ 248 KiB, so a 512 KiB max clamps about a third.
  const config = parseWorkloadText('target: null://\nops: 10\nworkload:\n  - { op: put, weight: 1, size: { dist: lognormal, mean: 1MiB, stddev: 4MiB, max: 512KiB } }\n', 'w.yaml');
  assert.equal(config.workload.length, 1);
});
