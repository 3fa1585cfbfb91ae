// The one schema of a workload file. It gives the validation (with messages a user can act on), the
// TypeScript types (WorkloadConfig) and the JSON Schema for editors (`iofleet schema`). Every object is
// strict: an unknown key is an error (a typo must never be silently ignored). Names are snake_case.

import { z } from 'zod';
import { DURATION_EXAMPLES, SIZE_EXAMPLES, parseDurationMs, parseSizeBytes } from './units.js';

/** A size: 4096, "4KiB", "1MB"; parsed to bytes. */
export const sizeSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const bytes = parseSizeBytes(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a size (examples: ${SIZE_EXAMPLES})` });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({ description: `A size in bytes: a number or text with a unit (${SIZE_EXAMPLES})` });

/** A duration: "500ms", "30s", "5m" or a number of seconds; parsed to milliseconds. */
export const durationSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a duration (examples: ${DURATION_EXAMPLES})`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: `A duration (${DURATION_EXAMPLES}) or a number of seconds` });

/** A duration that must be more than zero: a run's length, a timeout (0 would fail every op at once). */
const positiveDurationSchema = (example: string) =>
  durationSchema.refine((ms) => ms > 0, { message: `must be more than 0 (e.g. ${example})`, abort: true });

const positiveInt = z.number().int().positive();

const weightedSizeSchema = z.strictObject({ size: sizeSchema, weight: z.number().nonnegative() });

/** A size distribution: one size, or { dist: ... }, or a weighted list of sizes. */
export const sizeDistSchema = z.union([
  sizeSchema,
  z.strictObject({ dist: z.literal('fixed'), size: sizeSchema }),
  z.strictObject({ dist: z.literal('uniform'), min: sizeSchema, max: sizeSchema }),
  z.strictObject({
    dist: z.literal('lognormal'),
    mean: sizeSchema,
    stddev: sizeSchema,
    min: sizeSchema.optional(),
    max: sizeSchema.optional(),
  }),
  z.array(weightedSizeSchema).min(1),
]);

export const OP_KINDS = ['get', 'put', 'list', 'stat', 'delete'] as const;
export type OpKind = (typeof OP_KINDS)[number];

const opSchema = z.strictObject({
  op: z.enum(OP_KINDS),
  weight: z.number().nonnegative(),
  /** get: read this many bytes at a random aligned offset instead of the whole object. */
  range: sizeSchema.optional(),
  /** put: size of new objects (default: prepare.size). */
  size: sizeDistSchema.optional(),
  /** put: write over existing keys instead of creating new ones. */
  overwrite: z.boolean().optional(),
  /** list: page size. */
  max_keys: positiveInt.max(1000).optional(),
  /** list: what to list: a key prefix ("data/") or a full URI inside the target (s3://bucket/run1/data/). */
  prefix: z.string().optional(),
  /** Route through the endpoint pool (default when multi_endpoint is set) or pin to the target's endpoint. */
  use_multi_endpoint: z.boolean().optional(),
});

const treeSchema = z.strictObject({
  width: positiveInt,
  depth: positiveInt,
  files_per_dir: positiveInt,
});

const prepareSchema = z.strictObject({
  objects: z.number().int().nonnegative().optional(),
  tree: treeSchema.optional(),
  size: sizeDistSchema.default(4096),
  skip_existing: z.boolean().default(false),
});

const s3Schema = z.strictObject({
  endpoint: z.string().optional(),
  region: z.string().optional(),
  profile: z.string().optional(),
  path_style: z.boolean().default(true),
  create_bucket: z.boolean().default(true),
  multipart_threshold: sizeSchema.default(64 * 2 ** 20),
  multipart_part_size: sizeSchema.default(16 * 2 ** 20),
});

/**
 * `file: { keep_open: true }` keeps up to this many fds per worker thread: the usual soft RLIMIT_NOFILE of
 * a login shell, and many times the working set of a fio-like run (a few large files read at random
 * offsets). A larger working set asks for a number.
 */
export const DEFAULT_KEEP_OPEN_FDS = 1024;

const fileSchema = z.strictObject({
  /** sync: blocking calls on worker threads (fastest on page cache); async: libuv's pool (many in flight). */
  io: z.enum(['auto', 'sync', 'async']).default('auto'),
  create_directory: z
    .boolean()
    .default(false)
    .meta({
      description:
        'Create the target directory (and each file endpoint\'s) when it does not exist: the last level only, its parent must exist. ' +
        'Off by default: a directory that does not exist is an error, so that a mistyped mount path is not quietly benchmarked on the local disk.',
    }),
  keep_open: z
    .union([z.boolean(), positiveInt.max(1_000_000)])
    .default(false)
    .meta({
      description:
        'GETs read files each worker thread keeps open (file descriptors closed by a CLOCK sweep, an approximation of least recently used), as fio does, instead of open + read + close per GET. ' +
        `true: up to ${DEFAULT_KEEP_OPEN_FDS} per worker thread; a number: up to that many (capped to what the open-file limit allows). ` +
        'A PUT or DELETE of a key closes its kept descriptors first.',
    }),
});

export const STRATEGY_NAMES = ['round_robin', 'least_connections', 'random', 'first', 'weighted', 'consistent_hash'] as const;

/** One endpoint of the pool: a URL (s3: http(s)://host:port; file: file:///mount/dir/) or an object. */
const endpointSchema = z.union([
  z.string(),
  z.strictObject({
    url: z.string(),
    weight: z.number().positive().optional(),
    max_in_flight: positiveInt.optional(),
    region: z.string().optional(),
    profile: z.string().optional(),
    path_style: z.boolean().optional(),
    timeout: positiveDurationSchema('30s').optional(),
  }),
]);

const failoverSchema = z.strictObject({
  max_attempts: positiveInt.max(16).optional(),
  retry_on: z.array(z.enum(['connect', 'timeout', '5xx', 'slow_down'])).default(['connect', 'timeout', '5xx', 'slow_down']),
});

const healthSchema = z.strictObject({
  eject_after_errors: positiveInt.default(5),
  cooldown: positiveDurationSchema('2s').default(2000),
  probe_interval: positiveDurationSchema('1s').default(1000),
  stop_when_all_down: z.boolean().default(false),
});

export const multiEndpointSchema = z.strictObject({
  strategy: z.enum(STRATEGY_NAMES).default('round_robin'),
  /** shared: every endpoint sees the same objects; independent: each endpoint has its own. */
  namespace: z.enum(['shared', 'independent']).default('shared'),
  endpoints: z.array(endpointSchema).min(1),
  /** false turns failover off: a failed attempt is the op's outcome. */
  failover: z.union([z.literal(false), failoverSchema]).default({ retry_on: ['connect', 'timeout', '5xx', 'slow_down'] }),
  health: healthSchema.default({ eject_after_errors: 5, cooldown: 2000, probe_interval: 1000, stop_when_all_down: false }),
  vnodes: positiveInt.max(10_000).default(160),
});

/** Per-agent overrides for distributed runs (see resolve-endpoints.ts for the precedence). */
const agentSchema = z.strictObject({
  id: z.string().min(1),
  multi_endpoint: multiEndpointSchema.optional(),
  target_override: z.string().optional(),
});

const rateSchema = z.strictObject({
  ops_per_sec: z.number().positive(),
  arrival: z.enum(['uniform', 'poisson']).default('uniform'),
});

const keysSchema = z.strictObject({
  dist: z.enum(['uniform', 'zipf']).default('uniform'),
  theta: z.number().positive().max(10).optional(),
});

export const workloadSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" and "-" only (it names the results directory)')
      .optional(),
    target: z.string().meta({ description: 's3://bucket/prefix/, file:///path/ or null://' }),
    s3: s3Schema.optional(),
    file: fileSchema.optional(),
    multi_endpoint: multiEndpointSchema.optional(),
    agents: z.array(agentSchema).optional(),
    duration: positiveDurationSchema('60s').optional(),
    ops: positiveInt.optional(),
    warmup: durationSchema.default(0),
    concurrency: positiveInt.max(100_000).default(16),
    threads: z.union([z.literal('auto'), positiveInt.max(256)]).default('auto'),
    timeout: positiveDurationSchema('30s').default(30_000),
    prepare: prepareSchema.optional(),
    workload: z.array(opSchema).min(1),
    keys: keysSchema.default({ dist: 'uniform' }),
    rate: rateSchema.optional(),
    verify: z.strictObject({ seed: z.number().int().nonnegative() }).optional(),
    cleanup: z.boolean().default(false),
  })
  .meta({ title: 'iofleet workload', description: 'A storage workload for iofleet' });

export type WorkloadConfig = z.output<typeof workloadSchema>;
export type WorkloadInput = z.input<typeof workloadSchema>;
export type SizeDistConfig = z.output<typeof sizeDistSchema>;
export type OpConfig = z.output<typeof opSchema>;
export type MultiEndpointConfig = z.output<typeof multiEndpointSchema>;
export type EndpointConfig = z.output<typeof endpointSchema>;
export type AgentConfig = z.output<typeof agentSchema>;

/** The JSON Schema of a workload file, for editors (yaml-language-server). */
export function workloadJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(workloadSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
