// Cross-field checks of a workload that the schema alone cannot express. All of them run before any I/O,
// so that a run never fails an hour in for a reason the file already showed.

import type { ConfigProblem } from './load.js';
import { canonicalRoot, logicalKeyOf } from './logical-key.js';
import type { MultiEndpointConfig, SizeDistConfig, WorkloadConfig } from './schema.js';
import { formatBytes } from './units.js';
import { KEYSPACE_BYTES_PER_KEY } from '../workload/keyspace.js';
import { compileSizeDistribution, maxSizeBytes } from '../workload/size-distribution.js';
import { parseTarget } from './target.js';

/** Largest size a distribution can produce. */
function maxSizeOf(dist: SizeDistConfig): number {
  return maxSizeBytes(compileSizeDistribution(dist));
}

const OP_ONLY_FIELDS = { range: 'get', size: 'put', overwrite: 'put', max_keys: 'list', prefix: 'list' } as const;

/** Keys are numbered in 32-bit integers (typed arrays) in the keyspace. */
export const MAX_PREPARED_KEYS = 2 ** 31 - 1;

export function checkWorkloadSemantics(config: WorkloadConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: (string | number)[], message: string): void => {
    problems.push({ path, message });
  };

  const target = parseTarget(config.target);
  if (typeof target === 'string') add(['target'], target);
  else if (config.s3 !== undefined && target.kind !== 's3') {
    add(['s3'], `only applies to s3:// targets, and target is ${config.target} (remove the s3 block)`);
  } else if (config.file !== undefined && target.kind !== 'file') {
    add(['file'], `only applies to file:// targets, and target is ${config.target} (remove the file block)`);
  } else if (config.file !== undefined && config.file.keep_open !== false && !config.workload.some((op) => op.op === 'get')) {
    // Like range on a put: a setting that cannot change anything is a mistake to point out (weight is not
    // looked at, so that a get turned off with weight 0 keeps its settings valid).
    add(['file', 'keep_open'], 'only applies to get ops, and the workload has none (remove it, or add a get op)');
  }

  if (config.duration === undefined && config.ops === undefined) {
    add([], 'neither duration nor ops is set: add `duration: 60s` or `ops: 100000` (or both; the first reached stops the run)');
  }
  if (config.duration !== undefined && config.warmup >= config.duration) {
    add(['warmup'], `must be shorter than duration (${config.duration}ms), or no time is left to measure`);
  }

  const totalWeight = config.workload.reduce((sum, op) => sum + op.weight, 0);
  if (totalWeight <= 0) add(['workload'], 'the weights sum to 0: give at least one op a positive weight');

  config.workload.forEach((op, index) => {
    if (op.prefix !== undefined && op.prefix.includes('://') && typeof target !== 'string' && listPrefixKey(op.prefix, config.target) === undefined) {
      add(['workload', index, 'prefix'], `${op.prefix} is not inside the target ${config.target}: give a key prefix ("data/") or a URI under the target`);
    }
    for (const [field, owner] of Object.entries(OP_ONLY_FIELDS)) {
      if ((op as Record<string, unknown>)[field] !== undefined && op.op !== owner) {
        add(['workload', index, field], `only applies to ${owner} ops, and this is a ${op.op} op (remove it)`);
      }
    }
  });

  const prepare = config.prepare;
  if (prepare?.objects !== undefined && prepare.tree !== undefined) {
    add(['prepare'], 'set either objects (a flat namespace) or tree (directories), not both');
  }
  checkSizeDist(prepare?.size, ['prepare', 'size'], add);
  config.workload.forEach((op, index) => checkSizeDist(op.size, ['workload', index, 'size'], add));

  const preparedCount = prepare === undefined ? 0 : prepare.tree ? treeFileCount(prepare.tree) : (prepare.objects ?? 0);
  if (preparedCount > MAX_PREPARED_KEYS) {
    add(
      prepare?.tree ? ['prepare', 'tree'] : ['prepare', 'objects'],
      `${preparedCount.toExponential(2)} objects is more than iofleet's key table holds (${MAX_PREPARED_KEYS}, 32-bit key numbers, ` +
        `about ${KEYSPACE_BYTES_PER_KEY} B of memory each)${prepare?.tree ? ' (width^depth × files_per_dir)' : ''}: prepare fewer`,
    );
  }
  const writesNew = config.workload.some((op) => op.op === 'put' && op.weight > 0 && op.overwrite !== true);
  if (preparedCount === 0 && !writesNew) {
    config.workload.forEach((op, index) => {
      const needsExisting = op.op === 'get' || op.op === 'stat' || op.op === 'delete' || (op.op === 'put' && op.overwrite === true);
      if (op.weight > 0 && needsExisting) {
        add(['workload', index], `${op.op} needs existing objects, and none are prepared or written: add \`prepare: { objects: 1000 }\` or a put op`);
      }
    });
  }

  const preparedMax = prepare ? maxSizeOf(prepare.size) : 0;
  const putMax = Math.max(0, ...config.workload.filter((op) => op.op === 'put' && op.weight > 0).map((op) => maxSizeOf(op.size ?? prepare?.size ?? 4096)));
  const largestObject = Math.max(preparedMax, putMax);
  config.workload.forEach((op, index) => {
    if (op.range !== undefined && (op.range === 0 || op.range > largestObject)) {
      add(
        ['workload', index, 'range'],
        op.range === 0
          ? 'a range of 0 bytes reads nothing: remove range to read whole objects'
          : `${formatBytes(op.range)} is larger than every object (largest: ${formatBytes(largestObject)}): use a smaller range`,
      );
    }
  });

  checkEndpoints(config, typeof target === 'string' ? undefined : target.kind, add);

  if (config.keys.theta !== undefined && config.keys.dist !== 'zipf') {
    add(['keys', 'theta'], 'only applies to dist: zipf (remove it, or set dist: zipf)');
  }
  return problems;
}

function checkEndpoints(
  config: WorkloadConfig,
  targetKind: 's3' | 'file' | 'null' | undefined,
  add: (path: (string | number)[], message: string) => void,
): void {
  const anyPool = config.multi_endpoint !== undefined || (config.agents ?? []).some((agent) => agent.multi_endpoint !== undefined);
  config.workload.forEach((op, index) => {
    if (op.use_multi_endpoint === true && !anyPool) {
      add(['workload', index, 'use_multi_endpoint'], 'there is no endpoint pool: add a multi_endpoint section, or remove use_multi_endpoint');
    }
  });
  const ids = new Set<string>();
  (config.agents ?? []).forEach((agent, index) => {
    if (ids.has(agent.id)) add(['agents', index, 'id'], `"${agent.id}" is used by another agent: agent ids must be unique`);
    ids.add(agent.id);
    if (agent.multi_endpoint) checkPool(agent.multi_endpoint, ['agents', index, 'multi_endpoint'], targetKind, add);
    if (agent.target_override !== undefined) {
      const override = parseTarget(agent.target_override);
      if (typeof override === 'string') add(['agents', index, 'target_override'], override);
      else if (override.kind !== targetKind) add(['agents', index, 'target_override'], `must be the same kind of target as target (${targetKind}://)`);
    }
  });
  if (config.multi_endpoint) checkPool(config.multi_endpoint, ['multi_endpoint'], targetKind, add);
}

function checkPool(
  pool: MultiEndpointConfig,
  path: (string | number)[],
  targetKind: 's3' | 'file' | 'null' | undefined,
  add: (path: (string | number)[], message: string) => void,
): void {
  if (pool.namespace === 'independent' && pool.strategy !== 'consistent_hash') {
    add([...path, 'namespace'], 'independent namespaces need strategy: consistent_hash (each key must always go to the endpoint that holds it)');
  }
  const seen = new Set<string>();
  pool.endpoints.forEach((endpoint, index) => {
    const url = typeof endpoint === 'string' ? endpoint : endpoint.url;
    const where = typeof endpoint === 'string' ? [...path, 'endpoints', index] : [...path, 'endpoints', index, 'url'];
    const canonical = canonicalRoot(url);
    if (canonical !== undefined && seen.has(canonical)) add(where, `${url} is listed twice`);
    if (canonical !== undefined) seen.add(canonical);
    const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase();
    if (targetKind === 's3' && scheme !== 'http' && scheme !== 'https') {
      add(where, `"${url}" is not an S3 endpoint: use http://host:port or https://host`);
    } else if (targetKind === 'file' && scheme !== 'file') {
      add(where, `"${url}" is not a directory: use file:///mount/point/ (the target is a file:// namespace)`);
    } else if (targetKind === 'null' && scheme !== 'null') {
      add(where, `"${url}" is not a null endpoint: use null://name (the target is null://)`);
    }
    if (typeof endpoint !== 'string' && targetKind !== 's3') {
      for (const field of ['region', 'profile', 'path_style'] as const) {
        if (endpoint[field] !== undefined) add([...path, 'endpoints', index, field], 'only applies to S3 endpoints (remove it)');
      }
    }
  });
  if (pool.failover !== false && pool.failover.max_attempts !== undefined && pool.failover.max_attempts > pool.endpoints.length) {
    add([...path, 'failover', 'max_attempts'], `is more than the ${pool.endpoints.length} endpoints: an op tries each endpoint at most once`);
  }
}

/**
 * The logical key prefix a list op's `prefix` stands for: a key prefix as given, or a full URI mapped to
 * a key relative to the namespace root (undefined when the URI lies outside it).
 */
export function listPrefixKey(prefix: string, targetUri: string): string | undefined {
  if (!prefix.includes('://')) return prefix;
  return logicalKeyOf(prefix, [targetUri])?.key;
}

export function treeFileCount(tree: { width: number; depth: number; files_per_dir: number }): number {
  return tree.width ** tree.depth * tree.files_per_dir;
}

function checkSizeDist(
  dist: SizeDistConfig | undefined,
  path: (string | number)[],
  add: (path: (string | number)[], message: string) => void,
): void {
  if (dist === undefined || typeof dist === 'number') return;
  if (Array.isArray(dist)) {
    if (dist.every((entry) => entry.weight === 0)) add(path, 'every weight is 0: give at least one size a positive weight');
    return;
  }
  if (dist.dist === 'uniform' && dist.min > dist.max) add([...path, 'min'], `is larger than max (${formatBytes(dist.max)}): swap them`);
  if (dist.dist === 'lognormal') {
    if (dist.min !== undefined && dist.max !== undefined && dist.min > dist.max) {
      add([...path, 'min'], `is larger than max (${formatBytes(dist.max)}): swap them`);
    }
    if (dist.mean === 0) add([...path, 'mean'], 'must be larger than 0');
    else {
      // Past its median, clamping moves most sizes to the bound: the distribution run is not the one
      // asked for. (A lognormal's median is e^mu of the normal beneath it.)
      const compiled = compileSizeDistribution(dist);
      const median = compiled.kind === 'lognormal' ? Math.exp(compiled.mu) : dist.mean;
      if (dist.max !== undefined && median > dist.max) {
        add([...path, 'max'], `is below the median size (${formatBytes(Math.round(median))} for this mean and stddev), so most sizes would be cut to max: raise max or lower mean`);
      } else if (dist.min !== undefined && median < dist.min) {
        add([...path, 'min'], `is above the median size (${formatBytes(Math.round(median))} for this mean and stddev), so most sizes would be raised to min: lower min or raise mean`);
      }
    }
  }
}
