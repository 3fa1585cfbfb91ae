// `iofleet validate` / `run --dry-run`: the resolved plan, as a person checks it before a long run.

import { formatBytes, formatDurationMs } from '../config/units.js';
import type { RunPlan } from '../plan/run-plan.js';
import { describeSizeDistribution, type SizeDistribution } from '../workload/size-distribution.js';
import { formatTable } from './format.js';

export function describePlan(plan: RunPlan, fileName: string): string {
  const lines: string[] = [];
  lines.push(`${fileName}: valid`);
  lines.push(`name:        ${plan.name}`);
  lines.push(`target:      ${plan.targetUri}${targetDetail(plan)}`);
  const phases = [
    plan.prepare.count > 0 ? `prepare ${plan.prepare.count} objects${plan.prepare.skipExisting ? ' (skip existing)' : ''}` : '',
    plan.warmupMs > 0 ? `warmup ${formatDurationMs(plan.warmupMs)}` : '',
    `measure ${[plan.durationMs > 0 ? formatDurationMs(plan.durationMs - plan.warmupMs) : '', plan.opsLimit > 0 ? `${plan.opsLimit} ops` : ''].filter(Boolean).join(' or ')}`,
    plan.cleanup ? 'cleanup' : '',
  ].filter(Boolean);
  lines.push(`phases:      ${phases.join(' → ')}`);
  lines.push(`parallelism: ${plan.threads} threads × ${plan.concurrencyPerThread.join('/')} in flight = ${plan.concurrency}`);
  lines.push(`load:        ${plan.rate ? `open loop, ${plan.rate.opsPerSec} ops/s (${plan.rate.arrival} arrivals)` : 'closed loop (as fast as the target answers)'}`);
  lines.push(`keys:        ${plan.keys.kind === 'zipf' ? `zipf (theta ${plan.keys.theta})` : 'uniform'}, ${plan.layout.kind === 'tree' ? `tree ${plan.layout.width} wide × ${plan.layout.depth} deep, ${plan.layout.filesPerDir} files per directory` : 'flat'}`);
  lines.push(`verify:      ${plan.verify ? `every GET checks content (seed ${plan.seed})` : 'off'}`);
  if (plan.prepare.count > 0) {
    const size = describeSizeDistribution(plan.prepare.size);
    lines.push(`prepared:    ${plan.prepare.count} objects, ${sizeText(plan.prepare.size)}, about ${formatBytes(Math.round(size.meanBytes * plan.prepare.count))} in all`);
  }
  lines.push('');
  const rows = plan.ops.map((op) => [
    plan.opLabels[op.label]!,
    op.weight.toString(),
    `${((op.weight / plan.ops.reduce((sum, o) => sum + o.weight, 0)) * 100).toFixed(1)}%`,
    op.kind === 'put' ? sizeText(op.size) : op.kind === 'get' && op.rangeBytes > 0 ? `${formatBytes(op.rangeBytes)} ranges` : op.kind === 'list' ? `${op.maxKeys} keys a page` : '',
  ]);
  lines.push(formatTable(['op', 'weight', 'share', 'size'], rows));
  return lines.join('\n');
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
