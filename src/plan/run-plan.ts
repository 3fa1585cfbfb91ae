// The frozen, fully resolved plan of a run: everything the engine needs, computed once from the config.
// Plain data, so that it crosses to worker threads (and later to agents) by structured clone. Nothing
// downstream re-validates or re-resolves defaults.

import type { OpKind } from '../config/schema.js';
import type { Target } from '../config/target.js';
import type { KeyDistribution } from '../workload/key-chooser.js';
import type { KeyLayout } from '../workload/key-layout.js';
import type { SizeDistribution } from '../workload/size-distribution.js';

export interface OpPlan {
  kind: OpKind;
  /** Index into RunPlan.opLabels (entries with the same label are reported together). */
  label: number;
  weight: number;
  /** get: bytes of a ranged read, 0 for whole objects. */
  rangeBytes: number;
  /** put: size of written objects. */
  size: SizeDistribution;
  /** put: overwrite existing keys rather than create new ones. */
  overwrite: boolean;
  /** list: page size. */
  maxKeys: number;
  /** list: a fixed key prefix to list (mapped from a URI at plan time), or undefined for the layout's own. */
  listPrefix: string | undefined;
  /** Routed through the endpoint pool (RunPlan.routing), or sent to RunPlan.targetEndpoint. */
  useMultiEndpoint: boolean;
}

/** One storage endpoint: a gateway, a mount point, or the target's own endpoint. */
export interface EndpointPlan {
  /** As the user wrote it (reports name endpoints by this). */
  id: string;
  kind: 's3' | 'file' | 'null';
  /** s3 only. */
  s3: { endpoint: string; region: string; profile: string | undefined; pathStyle: boolean } | undefined;
  /** file only: the namespace root as seen through this endpoint (absolute, ends with "/"). */
  fileRoot: string | undefined;
  /** null only: injected latency. */
  nullLatencyMs: number;
  weight: number;
  /** Operations in flight on this endpoint from this host at most; 0: no limit. */
  maxInFlight: number;
  timeoutMs: number;
  /** Part of the multi-endpoint pool (false: only the target's own endpoint for pinned ops). */
  inPool: boolean;
}

export interface RoutingPlan {
  strategy: 'round_robin' | 'least_connections' | 'random' | 'first' | 'weighted' | 'consistent_hash';
  namespace: 'shared' | 'independent';
  /** Endpoint indices of the pool, in configured order. */
  poolEndpoints: number[];
  /** 1 when failover is off. */
  maxAttempts: number;
  retryOn: { connect: boolean; timeout: boolean; http5xx: boolean; slowDown: boolean };
  ejectAfterErrors: number;
  cooldownMs: number;
  probeIntervalMs: number;
  stopWhenAllDown: boolean;
  vnodes: number;
}

export interface S3Plan {
  /** Origin, e.g. http://127.0.0.1:7480; from s3.endpoint, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL. */
  endpoint: string;
  region: string;
  profile: string | undefined;
  pathStyle: boolean;
  createBucket: boolean;
  multipartThresholdBytes: number;
  multipartPartBytes: number;
}

export type FileIoMode = 'sync' | 'async';

/** file backend, `file: { keep_open }`: GETs pread fds their worker thread keeps open (backends/file/fd-cache.ts). */
export interface FileKeepOpenPlan {
  /** Open fds each worker thread keeps at most (evicted by CLOCK); 0: off, every GET opens and closes its file. */
  fdsPerThread: number;
  /** What the workload asked for (`keep_open: true` is DEFAULT_KEEP_OPEN_FDS); more than fdsPerThread when the open-file limit capped it. */
  requestedFdsPerThread: number;
  /** The process's open-file limit (soft RLIMIT_NOFILE, which Node raises to the hard limit at start), when known. */
  openFilesLimit: number | undefined;
}

/** What `agents[]` resolves to for one agent of a distributed run (shown by validate; this host is no agent). */
export interface AgentPlan {
  id: string;
  /** Which setting decided its endpoints (config/resolve-endpoints.ts). */
  endpointSource: string;
  targetUri: string;
  /** Its pool's endpoint URLs; [] when the target's own endpoint serves it. */
  poolEndpoints: string[];
}

export interface RunPlan {
  name: string;
  /** Which setting decided the endpoints (config/resolve-endpoints.ts). */
  endpointSource: string;
  /** The workload's agents[], resolved per agent; they take effect only in distributed runs. */
  agents: AgentPlan[];
  endpoints: EndpointPlan[];
  /** The endpoint of `target` itself (pinned ops), or -1 when every op uses the pool. */
  targetEndpoint: number;
  routing: RoutingPlan | undefined;
  targetUri: string;
  target: Target;
  s3: S3Plan | undefined;
  /** file backend: synchronous calls inside worker threads, or libuv's pool (see docs/design.md). */
  fileIo: FileIoMode;
  fileKeepOpen: FileKeepOpenPlan;
  /** file backend, `file.create_directory`: create each missing root directory (one level); else it must exist. */
  fileCreateDirectory: boolean;
  threads: number;
  /** Why `threads` is fewer than the workload's explicit `threads:` asked for; undefined when it is not. */
  threadsCapReason: string | undefined;
  concurrency: number;
  /** Operations in flight on each worker thread (sums to concurrency). */
  concurrencyPerThread: number[];
  /** 0 when the run is bounded by ops only. */
  durationMs: number;
  /** 0 when the run is bounded by duration only. */
  opsLimit: number;
  warmupMs: number;
  timeoutMs: number;
  ops: OpPlan[];
  /** "get", "get range=64KiB", "put", ...: the names results are reported under. */
  opLabels: string[];
  /** Cumulative op weights, normalized to 1 (op pick = first entry above a uniform draw). */
  opCumulative: number[];
  prepare: { count: number; size: SizeDistribution; skipExisting: boolean };
  layout: KeyLayout;
  keys: KeyDistribution;
  rate: { opsPerSec: number; arrival: 'uniform' | 'poisson' } | undefined;
  verify: boolean;
  /** Seed of the data pattern (verify.seed, or a fixed default so content is still pseudo-random). */
  seed: number;
  cleanup: boolean;
}
