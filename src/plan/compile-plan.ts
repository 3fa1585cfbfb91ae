// Config → RunPlan: resolves every default and every precedence once. The environment (AWS_* variables)
// and the machine (cores) are parameters, so that this is a pure function and is tested as one.

import { PlacedConfigError } from '../config/load.js';
import { resolveEndpoints } from '../config/resolve-endpoints.js';
import { DEFAULT_KEEP_OPEN_FDS, type MultiEndpointConfig, type WorkloadConfig } from '../config/schema.js';
import { listPrefixKey, treeFileCount } from '../config/semantics.js';
import { parseTarget, type Target } from '../config/target.js';
import { formatBytes, parseDurationMs } from '../config/units.js';
import { IofleetError } from '../errors.js';
import type { KeyLayout } from '../workload/key-layout.js';
import { compileSizeDistribution } from '../workload/size-distribution.js';
import type { EndpointPlan, FileKeepOpenPlan, OpPlan, RoutingPlan, RunPlan, S3Plan } from './run-plan.js';

/** Default data-pattern seed when verify is off: content is still pseudo-random, just not checked. */
const DEFAULT_SEED = 0x10f1ee7;
const DEFAULT_LIST_PAGE = 1000;
export const PREPARE_LABEL = 'prepare';
/** Cleanup's delete requests: a file's unlink, or an S3 DeleteObjects of up to 1000 keys. */
export const CLEANUP_LABEL = 'cleanup';

export interface PlanContext {
  env: Readonly<Record<string, string | undefined>>;
  cores: number;
  /** The agent this plan is for (distributed runs); undefined for a local run. */
  agentId?: string;
  /** Files this process may open (cli/open-files-limit.ts); undefined when unknown: keep_open is not capped. */
  openFilesLimit?: number;
}

export function compilePlan(config: WorkloadConfig, context: PlanContext): RunPlan {
  const resolved = resolveEndpoints(config, context.agentId);
  const target = parseTarget(resolved.target);
  if (typeof target === 'string') throw new IofleetError('CONFIG_INVALID', `target: ${target}`);

  // Keys are partitioned between threads: when no op creates new objects, a thread without prepared
  // objects would have nothing to do, so there are never more threads than prepared objects.
  const createsObjects = config.workload.some((op) => op.op === 'put' && op.weight > 0 && op.overwrite !== true);
  const preparedObjects = config.prepare?.tree ? treeFileCount(config.prepare.tree) : (config.prepare?.objects ?? 0);
  const threadLimit = createsObjects || preparedObjects === 0 ? config.concurrency : Math.min(config.concurrency, preparedObjects);
  const threads = Math.max(1, Math.min(config.threads === 'auto' ? context.cores : config.threads, threadLimit));
  const threadsCapReason =
    config.threads === 'auto' || threads >= config.threads
      ? undefined
      : `threads: ${config.threads} asked for, ${threads} used: ` +
        (threadLimit === config.concurrency
          ? `a worker thread needs at least one operation in flight (concurrency: ${config.concurrency})`
          : `keys are split between threads, and with no op creating objects each needs a prepared one (${preparedObjects} prepared)`);
  const concurrencyPerThread = Array.from({ length: threads }, (_, i) =>
    Math.floor(config.concurrency / threads) + (i < config.concurrency % threads ? 1 : 0),
  );

  const prepareSize = compileSizeDistribution(config.prepare?.size ?? 4096);
  const opLabels: string[] = [];
  const ops: OpPlan[] = config.workload.map((op) => {
    const label = labelOf(op.op, op.range, op.overwrite, op.prefix);
    let labelIndex = opLabels.indexOf(label);
    if (labelIndex < 0) labelIndex = opLabels.push(label) - 1;
    return {
      kind: op.op,
      label: labelIndex,
      weight: op.weight,
      rangeBytes: op.range ?? 0,
      size: op.size === undefined ? prepareSize : compileSizeDistribution(op.size),
      overwrite: op.overwrite ?? false,
      maxKeys: op.max_keys ?? DEFAULT_LIST_PAGE,
      listPrefix: op.prefix === undefined ? undefined : listPrefixKey(op.prefix, resolved.target),
      useMultiEndpoint: resolved.pool !== undefined && op.use_multi_endpoint !== false,
    };
  });
  const s3 = target.kind === 's3' ? resolveS3(config, context.env) : undefined;
  const { endpoints, targetEndpoint } = resolveEndpointTable(target, s3, resolved.pool, ops, config.timeout);
  // Prepare's writes and cleanup's deletes are reported under labels of their own, apart from the workload's ops.
  opLabels.push(PREPARE_LABEL, CLEANUP_LABEL);
  const totalWeight = ops.reduce((sum, op) => sum + op.weight, 0);
  let running = 0;
  const opCumulative = ops.map((op) => (running += op.weight / totalWeight));
  opCumulative[opCumulative.length - 1] = 1; // no rounding gap at the top

  const tree = config.prepare?.tree;
  const layout: KeyLayout = tree ? { kind: 'tree', width: tree.width, depth: tree.depth, filesPerDir: tree.files_per_dir } : { kind: 'flat' };

  const plan: RunPlan = {
    name: config.name ?? 'workload',
    endpointSource: resolved.source,
    agents: (config.agents ?? []).map((agent) => {
      const own = resolveEndpoints(config, agent.id);
      return {
        id: agent.id,
        endpointSource: own.source,
        targetUri: own.target,
        poolEndpoints: own.pool?.endpoints.map((endpoint) => (typeof endpoint === 'string' ? endpoint : endpoint.url)) ?? [],
      };
    }),
    endpoints,
    targetEndpoint,
    routing: resolved.pool ? resolveRouting(resolved.pool, endpoints) : undefined,
    targetUri: resolved.target,
    target,
    s3,
    fileIo: resolveFileIo(config, threads),
    fileKeepOpen: resolveKeepOpen(config, threads, context.openFilesLimit),
    fileCreateDirectory: config.file?.create_directory ?? false,
    threads,
    threadsCapReason,
    concurrency: config.concurrency,
    concurrencyPerThread,
    durationMs: config.duration ?? 0,
    opsLimit: config.ops ?? 0,
    warmupMs: config.warmup,
    timeoutMs: config.timeout,
    ops,
    opLabels,
    opCumulative,
    prepare: { count: preparedObjects, size: prepareSize, skipExisting: config.prepare?.skip_existing ?? false },
    layout,
    keys: config.keys.dist === 'zipf' ? { kind: 'zipf', theta: config.keys.theta ?? 0.99 } : { kind: 'uniform' },
    rate: config.rate ? { opsPerSec: config.rate.ops_per_sec, arrival: config.rate.arrival } : undefined,
    verify: config.verify !== undefined,
    seed: config.verify?.seed ?? DEFAULT_SEED,
    cleanup: config.cleanup,
  };
  return deepFreeze(plan);
}

/**
 * The endpoint table: the pool's endpoints in configured order, then the target's own endpoint when
 * some op is pinned to it (or there is no pool) and it is not one of the pool's already.
 */
function resolveEndpointTable(
  target: Target,
  s3: S3Plan | undefined,
  pool: MultiEndpointConfig | undefined,
  ops: readonly OpPlan[],
  timeoutMs: number,
): { endpoints: EndpointPlan[]; targetEndpoint: number } {
  const endpoints: EndpointPlan[] = (pool?.endpoints ?? []).map((endpoint) => {
    const options = typeof endpoint === 'string' ? { url: endpoint } : endpoint;
    return {
      ...endpointFor(target, options.url, s3, options),
      weight: options.weight ?? 1,
      maxInFlight: options.max_in_flight ?? 0,
      timeoutMs: options.timeout ?? timeoutMs,
      inPool: true,
    };
  });
  if (pool !== undefined && ops.every((op) => op.useMultiEndpoint)) return { endpoints, targetEndpoint: -1 };
  const own: EndpointPlan = { ...targetOwnEndpoint(target, s3), weight: 1, maxInFlight: 0, timeoutMs, inPool: false };
  const same = endpoints.findIndex((endpoint) => endpoint.kind === own.kind && endpoint.id === own.id);
  if (same >= 0) return { endpoints, targetEndpoint: same };
  endpoints.push(own);
  return { endpoints, targetEndpoint: endpoints.length - 1 };
}

type EndpointAddress = Pick<EndpointPlan, 'id' | 'kind' | 's3' | 'fileRoot' | 'nullLatencyMs'>;

function targetOwnEndpoint(target: Target, s3: S3Plan | undefined): EndpointAddress {
  switch (target.kind) {
    case 's3':
      return { id: s3!.endpoint, kind: 's3', s3: { endpoint: s3!.endpoint, region: s3!.region, profile: s3!.profile, pathStyle: s3!.pathStyle }, fileRoot: undefined, nullLatencyMs: 0 };
    case 'file':
      return { id: `file://${target.root}`, kind: 'file', s3: undefined, fileRoot: target.root, nullLatencyMs: 0 };
    case 'null':
      return { id: 'null://', kind: 'null', s3: undefined, fileRoot: undefined, nullLatencyMs: target.latencyMs };
  }
}

function endpointFor(target: Target, url: string, s3: S3Plan | undefined, options: { region?: string; profile?: string; path_style?: boolean }): EndpointAddress {
  switch (target.kind) {
    case 's3': {
      const origin = new URL(url).origin;
      return {
        id: origin,
        kind: 's3',
        s3: { endpoint: origin, region: options.region ?? s3!.region, profile: options.profile ?? s3!.profile, pathStyle: options.path_style ?? s3!.pathStyle },
        fileRoot: undefined,
        nullLatencyMs: 0,
      };
    }
    case 'file': {
      const root = parseTarget(url);
      if (typeof root === 'string' || root.kind !== 'file') throw new IofleetError('CONFIG_INVALID', `multi_endpoint.endpoints: ${url} is not a directory URL`);
      return { id: `file://${root.root}`, kind: 'file', s3: undefined, fileRoot: root.root, nullLatencyMs: 0 };
    }
    case 'null': {
      const latency = new URLSearchParams(url.split('?')[1] ?? '').get('latency');
      return { id: url, kind: 'null', s3: undefined, fileRoot: undefined, nullLatencyMs: latency === null ? 0 : (parseDurationMs(latency) ?? 0) };
    }
  }
}

function resolveRouting(pool: MultiEndpointConfig, endpoints: readonly EndpointPlan[]): RoutingPlan {
  const poolEndpoints = endpoints.flatMap((endpoint, index) => (endpoint.inPool ? [index] : []));
  const failover = pool.failover;
  const retryOn = failover === false ? [] : failover.retry_on;
  return {
    strategy: pool.strategy,
    namespace: pool.namespace,
    poolEndpoints,
    // Default: up to 3 endpoints tried, never more than there are (an op tries each at most once).
    maxAttempts: failover === false ? 1 : (failover.max_attempts ?? Math.min(3, poolEndpoints.length)),
    retryOn: { connect: retryOn.includes('connect'), timeout: retryOn.includes('timeout'), http5xx: retryOn.includes('5xx'), slowDown: retryOn.includes('slow_down') },
    ejectAfterErrors: pool.health.eject_after_errors,
    cooldownMs: pool.health.cooldown,
    probeIntervalMs: pool.health.probe_interval,
    stopWhenAllDown: pool.health.stop_when_all_down,
    vnodes: pool.vnodes,
  };
}

/**
 * The row an op is reported under. Entries that do different work get rows of their own (a ranged GET, an
 * overwriting PUT, a LIST of a given prefix); entries that differ only in size share one, whose size
 * buckets keep the sizes apart.
 */
function labelOf(kind: string, rangeBytes: number | undefined, overwrite: boolean | undefined, prefix: string | undefined): string {
  if (rangeBytes !== undefined) return `${kind} range=${formatBytes(rangeBytes).replace(' ', '')}`;
  if (overwrite === true) return `${kind} overwrite`;
  if (prefix !== undefined) return `${kind} prefix=${prefix}`;
  return kind;
}

function resolveS3(config: WorkloadConfig, env: PlanContext['env']): S3Plan {
  const s3 = config.s3;
  const region = s3?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = s3?.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? `https://s3.${region}.amazonaws.com`;
  let origin: string;
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    origin = url.origin;
  } catch {
    throw new IofleetError(
      'CONFIG_INVALID',
      `s3.endpoint: "${endpoint}" is not an http(s) URL`,
      'write it as http://host:port or https://host (or set AWS_ENDPOINT_URL)',
    );
  }
  return {
    endpoint: origin,
    region,
    // Only an explicit profile: AWS_PROFILE is the credential chain's last step, after the environment's
    // keys (credentials.ts); taking it here would make it beat them.
    profile: s3?.profile,
    pathStyle: s3?.path_style ?? true,
    createBucket: s3?.create_bucket ?? true,
    multipartThresholdBytes: s3?.multipart_threshold ?? 64 * 2 ** 20,
    multipartPartBytes: s3?.multipart_part_size ?? 16 * 2 ** 20,
  };
}

/**
 * Synchronous file calls inside worker threads are the fastest way to reach the page cache (MEASURING.md:
 * 520-560k IOPS vs 140-220k through libuv's pool), but each thread then has one operation in flight. So:
 * sync when there are no more operations in flight than threads, libuv's pool otherwise (for storage with
 * latency, such as NFS, where many in flight matter more).
 */
function resolveFileIo(config: WorkloadConfig, threads: number): 'sync' | 'async' {
  const io = config.file?.io ?? 'auto';
  if (io !== 'auto') return io;
  return config.concurrency <= threads ? 'sync' : 'async';
}

/**
 * Fds left for everything but kept ones: Node and its worker threads (about 40 with 2 threads, measured
 * in /proc/PID/fd), the results files, and one per operation in flight on top (a GET whose fd is not
 * kept, a PUT, a LIST).
 */
export const RESERVED_FDS = 256;

/**
 * keep_open's fds per worker thread: as asked, but all threads' together never more than the open-file
 * limit leaves after RESERVED_FDS and one per operation in flight (an EMFILE mid-run would fail
 * operations instead of measuring them). A limit that leaves none fails here, before any I/O.
 */
function resolveKeepOpen(config: WorkloadConfig, threads: number, openFilesLimit: number | undefined): FileKeepOpenPlan {
  const setting = config.file?.keep_open ?? false;
  const requested = setting === true ? DEFAULT_KEEP_OPEN_FDS : setting === false ? 0 : setting;
  if (requested === 0 || openFilesLimit === undefined) return { fdsPerThread: requested, requestedFdsPerThread: requested, openFilesLimit };
  const perThread = Math.floor((openFilesLimit - RESERVED_FDS - config.concurrency) / threads);
  if (perThread < 1) {
    throw new PlacedConfigError(
      ['file', 'keep_open'],
      `this process may open only ${openFilesLimit} files (RLIMIT_NOFILE), too few to keep any open ` +
        `after ${RESERVED_FDS} for iofleet itself and ${config.concurrency} for the operations in flight`,
      'raise the hard limit (ulimit -Hn, or LimitNOFILE= in a systemd unit), or remove keep_open',
    );
  }
  return { fdsPerThread: Math.min(requested, perThread), requestedFdsPerThread: requested, openFilesLimit };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
