// `iofleet validate` / `run --dry-run`: the resolved plan, as a person checks it before a long run.

import * as os from 'node:os';
import { formatBytes, formatDurationMs } from '../config/units.js';
import { createPoolStrategy } from '../engine/endpoint-router.js';
import type { RunPlan } from '../plan/run-plan.js';
import { NO_EXCLUSIONS } from '../routing/exclusions.js';
import { hashKey } from '../routing/hash.js';
import { keyName } from '../workload/key-layout.js';
import { KEYSPACE_BYTES_PER_KEY } from '../workload/keyspace.js';
import { Rng } from '../workload/rng.js';
import { describeSizeDistribution, maxSizeBytes, minSizeBytes, type SizeDistribution } from '../workload/size-distribution.js';
import { countOf, formatTable } from './format.js';

export function describePlan(plan: RunPlan, fileName: string): string {
  const lines: string[] = [];
  lines.push(`${fileName}: valid`);
  lines.push(`name:        ${plan.name}`);
  lines.push(`target:      ${plan.targetUri}${targetDetail(plan)}`);
  const phases = [
    plan.prepare.count > 0 ? `prepare ${countOf(plan.prepare.count, 'object')}${plan.prepare.skipExisting ? ' (skip existing)' : ''}` : '',
    plan.warmupMs > 0 ? `warmup ${formatDurationMs(plan.warmupMs)}` : '',
    `measure ${[plan.durationMs > 0 ? formatDurationMs(plan.durationMs - plan.warmupMs) : '', plan.opsLimit > 0 ? `${plan.opsLimit} ops` : ''].filter(Boolean).join(' or ')}`,
    plan.cleanup ? 'cleanup' : '',
  ].filter(Boolean);
  lines.push(`phases:      ${phases.join(' → ')}`);
  lines.push(`parallelism: ${countOf(plan.threads, 'thread')} × ${plan.concurrencyPerThread.join('/')} in flight = ${plan.concurrency}`);
  if (plan.threadsCapReason !== undefined) lines.push(`             (${plan.threadsCapReason})`);
  lines.push(`load:        ${plan.rate ? `open loop, ${plan.rate.opsPerSec} ops/s (${plan.rate.arrival} arrivals)` : 'closed loop (as fast as the target answers)'}`);
  lines.push(`keys:        ${plan.keys.kind === 'zipf' ? `zipf (theta ${plan.keys.theta})` : 'uniform'}, ${plan.layout.kind === 'tree' ? `tree ${plan.layout.width} wide × ${plan.layout.depth} deep, ${plan.layout.filesPerDir} files per directory` : 'flat'}`);
  lines.push(`verify:      ${plan.verify ? `every GET checks content (seed ${plan.seed})` : 'off'}`);
  if (plan.target.kind === 'file') lines.push(`keep open:   ${describeKeepOpen(plan)}`);
  if (plan.prepare.count > 0) {
    const size = describeSizeDistribution(plan.prepare.size);
    lines.push(`prepared:    ${countOf(plan.prepare.count, 'object')}, ${sizeText(plan.prepare.size)}, about ${formatBytes(Math.round(size.meanBytes * plan.prepare.count))} in all`);
  }
  if (plan.routing) lines.push('', ...describeRouting(plan));
  if (plan.agents.length > 0) lines.push('', ...describeAgents(plan));
  lines.push('');
  const rows = plan.ops.map((op) => [
    plan.opLabels[op.label]!,
    op.weight.toString(),
    `${((op.weight / plan.ops.reduce((sum, o) => sum + o.weight, 0)) * 100).toFixed(1)}%`,
    op.kind === 'put' ? sizeText(op.size) : op.kind === 'get' && op.rangeBytes > 0 ? `${formatBytes(op.rangeBytes)} ranges` : op.kind === 'list' ? `${op.maxKeys} keys a page` : '',
  ]);
  lines.push(formatTable(['op', 'weight', 'share', 'size'], rows));
  const notes = planNotes(plan);
  if (notes.length > 0) lines.push('', ...notes.map((note) => `note: ${note}`));
  return lines.join('\n');
}

/** What validate notes and run warns of: settings that are legal but will not do what they seem to. */
export function planNotes(plan: RunPlan): string[] {
  return [...shortRangeNotes(plan), ...blockingConcurrencyNotes(plan), ...keyTableMemoryNotes(plan, os.totalmem())];
}

/** The key table of a very large prepare: its memory against the host's (the workers' share of it all). */
export function keyTableMemoryNotes(plan: RunPlan, hostMemoryBytes: number): string[] {
  const bytes = plan.prepare.count * KEYSPACE_BYTES_PER_KEY;
  if (bytes <= hostMemoryBytes / 2) return [];
  return [
    `the key table of ${plan.prepare.count} prepared objects takes about ${formatBytes(bytes)} of memory (${KEYSPACE_BYTES_PER_KEY} B a key), ` +
      `${bytes > hostMemoryBytes ? 'more than' : 'over half of'} this host's ${formatBytes(hostMemoryBytes)}: prepare fewer, or expect the run to fail for memory`,
  ];
}

/**
 * file.io: sync makes blocking calls: a worker thread runs one at a time, whatever its share of
 * `concurrency`, so more in flight than threads is asked for but not run (io: auto picks async then).
 */
export function blockingConcurrencyNotes(plan: RunPlan): string[] {
  if (plan.target.kind !== 'file' || plan.fileIo !== 'sync' || plan.concurrency <= plan.threads) return [];
  return [
    `file.io: sync makes one blocking call at a time per worker thread: concurrency ${plan.concurrency} asks for ` +
      `${plan.concurrency} in flight, but at most ${plan.threads} run at once (one per thread); ` +
      `use file.io: async (or auto) for ${plan.concurrency}, or threads: ${plan.concurrency}`,
  ];
}

/** agents[]: what each agent of a distributed run would use, and that this host uses none of it. */
function describeAgents(plan: RunPlan): string[] {
  return [
    `agents:      ${countOf(plan.agents.length, 'agent')} for distributed runs (${AGENTS_NOT_RUN_HERE})`,
    ...plan.agents.map(
      (agent) =>
        `  ${agent.id}: ${agent.poolEndpoints.length > 0 ? agent.poolEndpoints.join(', ') : agent.targetUri} (from ${agent.endpointSource})`,
    ),
  ];
}

/** Why agents[] changes nothing in a run on this host. */
export const AGENTS_NOT_RUN_HERE = 'this version runs on one host, which is no agent: it uses the global target and multi_endpoint';

/**
 * Ranged GETs that will read less than their range: a range longer than an object reads the whole
 * object (a range past its end is cut there, as S3 does). The config only refuses a range longer than
 * every object; a range longer than the prepared objects (PUTs write larger ones) is legal but rarely
 * meant, and its reads land in a smaller size bucket than the label says.
 */
export function shortRangeNotes(plan: RunPlan): string[] {
  if (plan.prepare.count === 0) return [];
  const smallest = minSizeBytes(plan.prepare.size);
  const largest = maxSizeBytes(plan.prepare.size);
  const notes: string[] = [];
  for (const op of plan.ops) {
    if (op.kind !== 'get' || op.rangeBytes <= smallest) continue;
    const which = op.rangeBytes > largest ? `every prepared object (at most ${formatBytes(largest)})` : `some prepared objects (the smallest: about ${formatBytes(smallest)})`;
    const label = plan.opLabels[op.label]!;
    notes.push(`${label}: the range is larger than ${which}; a GET of such an object reads all of it, less than the range (its bytes and size bucket in the results say how much)`);
  }
  return [...new Set(notes)];
}

/** The pool, where its settings came from, and where the prepared keys would go under the strategy. */
function describeRouting(plan: RunPlan): string[] {
  const routing = plan.routing!;
  const pool = routing.poolEndpoints;
  const failover =
    routing.namespace === 'independent'
      ? 'no failover: each key lives on its owner'
      : routing.maxAttempts > 1
        ? `failover up to ${routing.maxAttempts} attempts`
        : 'failover off';
  const lines = [
    `endpoints:   ${pool.length} (${routing.strategy}, ${routing.namespace} namespace; ${failover}; from ${plan.endpointSource})`,
    `health:      eject after ${routing.ejectAfterErrors} consecutive errors, trial after ${formatDurationMs(routing.cooldownMs)}, probe every ${formatDurationMs(routing.probeIntervalMs)}${routing.stopWhenAllDown ? ', stop when all are down' : ''}`,
  ];
  const counts = new Array<number>(pool.length).fill(0);
  // A fixed seed: the described routing plan is the same on every run.
  const strategy = createPoolStrategy(plan, new Rng(1));
  const view = { count: pool.length, isAvailable: () => true, inFlight: new Int32Array(pool.length), weights: Float64Array.from(pool.map((e) => plan.endpoints[e]!.weight)) };
  for (let index = 0; index < plan.prepare.count; index++) {
    counts[strategy.pick(hashKey(keyName(plan.layout, index)), view, NO_EXCLUSIONS)]!++;
  }
  const rows = pool.map((endpoint, i) => {
    const e = plan.endpoints[endpoint]!;
    const share = plan.prepare.count > 0 ? `${counts[i]} (${((counts[i]! / plan.prepare.count) * 100).toFixed(1)}%)` : '-';
    return [e.id, String(e.weight), e.maxInFlight > 0 ? String(e.maxInFlight) : '-', share];
  });
  lines.push(formatTable(['endpoint', 'weight', 'max in flight', 'prepared keys'], rows));
  if (plan.targetEndpoint >= 0 && !plan.endpoints[plan.targetEndpoint]!.inPool) {
    lines.push(`pinned ops (use_multi_endpoint: false) go to ${plan.endpoints[plan.targetEndpoint]!.id}`);
  }
  return lines;
}

/** file keep_open, as the plan resolved it. */
function describeKeepOpen(plan: RunPlan): string {
  const keepOpen = plan.fileKeepOpen;
  if (keepOpen.fdsPerThread === 0) return 'off (every GET opens, reads and closes its file)';
  const total = keepOpen.fdsPerThread * plan.threads;
  const cap = keepOpenCapNote(plan);
  return `up to ${keepOpen.fdsPerThread} files per worker thread (${total} in all; one not read lately closed first; a PUT or DELETE closes the key's first)${cap ? `; ${cap}` : ''}`;
}

/** Why keep_open keeps fewer fds than the workload asked for, or undefined when it keeps them all. */
export function keepOpenCapNote(plan: RunPlan): string | undefined {
  const keepOpen = plan.fileKeepOpen;
  if (keepOpen.fdsPerThread >= keepOpen.requestedFdsPerThread) return undefined;
  return `capped from ${keepOpen.requestedFdsPerThread}: this process may open ${keepOpen.openFilesLimit} files (RLIMIT_NOFILE; raise it with ulimit -Hn)`;
}

function targetDetail(plan: RunPlan): string {
  if (plan.s3) return ` (endpoint ${plan.s3.endpoint}, region ${plan.s3.region}, ${plan.s3.pathStyle ? 'path-style' : 'virtual-host'})`;
  if (plan.target.kind === 'file') return ` (${plan.fileIo} I/O)`;
  return ' (no I/O: measures the engine)';
}

function sizeText(dist: SizeDistribution): string {
  const { meanBytes, p50Bytes, p99Bytes } = describeSizeDistribution(dist);
  if (dist.kind === 'fixed') return formatBytes(dist.sizeBytes);
  return `${dist.kind}: mean ${formatBytes(meanBytes)}, p50 ${formatBytes(p50Bytes)}, p99 ${formatBytes(p99Bytes)}`;
}
