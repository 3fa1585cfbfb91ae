// The console: on a TTY one live line (rewritten every second), otherwise one plain line every 5 s; at
// each phase end a summary, and for measured phases a table per op. Writes through a sink given by the
// CLI (which also copies every line to the results directory's console.log).

import { formatBytes, formatDurationMs } from '../config/units.js';
import type { EndpointEvent, PhaseResult, RunObserver } from '../engine/run-engine.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { CellTotals } from '../stats/cell-totals.js';
import type { PhaseName } from '../stats/stats-window.js';
import { summarizeCell } from '../stats/summary.js';
import { countOf, formatLatencyUs, formatMiBPerSec, formatRate, formatTable } from './format.js';
import { objectsLeftText } from './objects-left.js';
import { buildPhaseReport, type PhaseReport } from './phase-report.js';

export interface ConsoleSink {
  /** A whole line (kept in console.log). */
  line(text: string): void;
  /** Replaces the live status line (TTY only; not kept). */
  status(text: string): void;
  readonly isTty: boolean;
}

const PLAIN_PROGRESS_EVERY_S = 5;

export class ConsoleOutput implements RunObserver {
  private readonly plan: RunPlan;
  private readonly sink: ConsoleSink;
  private phaseErrors = 0;
  private readonly events: EndpointEvent[] = [];
  private readonly ejected = new Set<number>();
  private startEpochMs = Date.now();
  private headerShown = false;

  constructor(plan: RunPlan, sink: ConsoleSink) {
    this.plan = plan;
    this.sink = sink;
  }

  phaseStarted(phase: PhaseName, startEpochMs: number): void {
    this.phaseErrors = 0;
    const plan = this.plan;
    if (!this.headerShown) {
      this.headerShown = true;
      this.startEpochMs = startEpochMs;
      if (plan.routing) {
        const pool = plan.routing.poolEndpoints.map((e) => plan.endpoints[e]!.id);
        this.sink.line(`Endpoints: ${pool.length} (${plan.routing.strategy}, ${plan.routing.namespace} namespace): ${pool.join(', ')}`);
      }
    }
    if (phase === 'prepare') {
      this.sink.line(`Preparing ${countOf(plan.prepare.count, 'object')} on ${plan.targetUri} (${plan.concurrency} in flight on ${countOf(plan.threads, 'thread')})...`);
    } else if (phase === 'warmup') {
      this.sink.line(`Warmup: ${formatDurationMs(plan.warmupMs)} (measured, reported apart, not in totals)`);
    } else if (phase === 'measure') {
      const limits = [plan.durationMs > 0 ? formatDurationMs(plan.durationMs - plan.warmupMs) : '', plan.opsLimit > 0 ? `${plan.opsLimit} ops` : '']
        .filter(Boolean)
        .join(' or ');
      const rate = plan.rate ? `, open loop at ${plan.rate.opsPerSec} ops/s (${plan.rate.arrival})` : '';
      this.sink.line(`Measuring: ${limits}, ${plan.concurrency} in flight on ${countOf(plan.threads, 'thread')}${rate}`);
    } else {
      this.sink.line('Cleaning up what the run created...');
    }
  }

  secondMerged(phase: PhaseName, seq: number, second: CellTotals, durationMs: number): void {
    const all = summarizeCell(second.combined(() => true), durationMs);
    this.phaseErrors += all.errors;
    const elapsedS = seq + 1;
    const totalS = phase === 'warmup' ? this.plan.warmupMs / 1000 : phase === 'measure' && this.plan.durationMs > 0 ? (this.plan.durationMs - this.plan.warmupMs) / 1000 : 0;
    const pool = this.plan.routing?.poolEndpoints.length ?? 0;
    const healthy = pool > 0 ? `, endpoints ${pool - this.ejected.size}/${pool} healthy` : '';
    const text =
      `[${phase} ${elapsedS}s${totalS > 0 ? `/${totalS}s` : ''}] ${formatRate(all.opsPerSec)} ops/s, ${formatMiBPerSec(all.bytesPerSec)} MiB/s, ` +
      `p50 ${formatLatencyUs(all.p50Us)}, p99 ${formatLatencyUs(all.p99Us)}, errors ${this.phaseErrors}` +
      (second.lateOps > 0 ? `, late ${second.lateOps}` : '') +
      healthy;
    // A phase's last window is a part of a second (the ops that ended after the last whole second): its
    // rate over a few ms would read as nonsense ("[measure 5s/4s] 733 ops/s"); the phase table follows.
    if (durationMs < 1000) return;
    if (this.sink.isTty) this.sink.status(text);
    else if (elapsedS % PLAIN_PROGRESS_EVERY_S === 0) this.sink.line(text);
  }

  phaseEnded(result: PhaseResult): void {
    if (this.sink.isTty) this.sink.status('');
    const report = buildPhaseReport(result, this.plan, this.events);
    const seconds = (report.elapsedMs / 1000).toFixed(1);
    const unheard = this.plan.threads - result.workersReported;
    const stopped =
      (report.reason === 'stopped' ? ' (interrupted)' : report.reason === 'workers_lost' ? ' (workers lost)' : '') +
      (unheard > 0
        ? `; worker threads that did not report (exited, or still busy when the stop's grace ran out): ${unheard} of ${this.plan.threads}, whose operations since their last report are not counted`
        : '');
    if (report.phase === 'prepare') {
      // Say what prepare did: objects found already there (skip_existing) were not written, so they
      // count neither as prepared nor in the rate.
      const written = report.objects - report.preexistingObjects;
      const elapsedS = report.elapsedMs / 1000;
      const rate = written > 0 && report.elapsedMs > 0 ? `: ${Math.round(written / elapsedS)} obj/s, ${formatMiBPerSec(report.bytes / elapsedS)} MiB/s` : '';
      const otherSize =
        report.otherSizeObjects > 0
          ? `; ${report.otherSizeObjects} of them with another size than this workload gives them (cut short by an interrupted write, or another workload's), read as they are`
          : '';
      const skipped = report.preexistingObjects > 0 ? ` (${report.preexistingObjects} already there, skipped${otherSize})` : '';
      const failed = report.failedObjects > 0 ? `; ${report.failedObjects} FAILED (${errorText(report.total.errorsByClass)})` : '';
      this.sink.line(`Prepared ${countOf(written, 'object')}, ${formatBytes(report.bytes)}, in ${seconds} s${rate}${skipped}${failed}${stopped}`);
      return;
    }
    if (report.phase === 'cleanup') {
      const failed = report.failedObjects > 0 ? `, ${report.failedObjects} could not be deleted` : '';
      const kept = report.preexistingObjects > 0 ? ` (${report.preexistingObjects} that existed before the run kept)` : '';
      const left = report.reason !== 'complete' && report.createdObjectsLeft > 0 ? `; ${objectsLeftText(this.plan, report)}` : '';
      const rate = report.objects > 0 && report.elapsedMs > 0 ? `: ${Math.round(report.objects / (report.elapsedMs / 1000))} obj/s` : '';
      this.sink.line(`Cleaned up ${countOf(report.objects, 'object')} in ${seconds} s${rate}${failed}${kept}${stopped}${left}`);
      return;
    }
    this.sink.line(`${capitalize(report.phase)} done in ${seconds} s${stopped}${endReasonText(report.reason)}`);
    this.sink.line(renderTable(report));
    if (report.endpoints.length > 0) this.sink.line(renderEndpointTable(report));
    if (report.redirects > 0) this.sink.line(`S3 redirects followed: ${report.redirects} (each costs a round trip to the first endpoint; see endpoint_stats.tsv / results.json)`);
    if (this.plan.rate) {
      this.sink.line(`Open loop: ${report.lateOps} ops started more than 1 ms late; largest slip ${formatLatencyUs(report.maxSlipUs)} (latency is measured from the scheduled start)`);
    }
  }

  /**
   * The run ended before its cleanup phase (interrupted, or failed): say so, and what is left where,
   * since the workload asked for cleanup and the user would otherwise assume the target is clean.
   */
  cleanupSkipped(because: string, lastPhase: PhaseResult): void {
    const report = buildPhaseReport(lastPhase, this.plan, this.events);
    this.sink.line(`Cleanup skipped because ${because}: ${objectsLeftText(this.plan, report)}`);
  }

  endpointEvent(event: EndpointEvent): void {
    this.events.push(event);
    if (this.sink.isTty) this.sink.status('');
    const at = `+${((event.atEpochMs - this.startEpochMs) / 1000).toFixed(1)}s`;
    if (event.kind === 'all_down') {
      const stop = this.plan.routing?.stopWhenAllDown ? '; stopping (health.stop_when_all_down)' : '; operations fail with no_endpoint_available until one is readmitted';
      this.sink.line(`!!! ALL ${this.plan.routing?.poolEndpoints.length} ENDPOINTS ARE DOWN at ${at}${stop}`);
      return;
    }
    const id = this.plan.endpoints[event.endpoint]!.id;
    if (event.kind === 'eject') this.ejected.add(event.endpoint);
    else this.ejected.delete(event.endpoint);
    const what = event.kind === 'eject' ? 'EJECTED' : 'readmitted';
    this.sink.line(`endpoint ${what}: ${id} at ${at} (${event.cause === 'probe' ? 'probe answered' : 'by operation outcomes'})`);
  }

  warning(message: string): void {
    if (this.sink.isTty) this.sink.status('');
    this.sink.line(`warning: ${message}`);
  }
}

function renderTable(report: PhaseReport): string {
  const header = ['op', 'ops', 'ops/s', 'MiB/s', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max', 'errors'];
  const row = (name: string, s: PhaseReport['total']): string[] => [
    name,
    String(s.ops),
    formatRate(s.opsPerSec),
    formatMiBPerSec(s.bytesPerSec),
    formatLatencyUs(s.meanUs),
    formatLatencyUs(s.p50Us),
    formatLatencyUs(s.p90Us),
    formatLatencyUs(s.p99Us),
    formatLatencyUs(s.p999Us),
    formatLatencyUs(s.maxUs),
    s.errors === 0 ? '0' : `${s.errors} (${errorText(s.errorsByClass)})`,
  ];
  const rows = report.ops.map((op) => row(op.op, op));
  if (report.ops.length > 1) rows.push(row('all', report.total));
  return formatTable(header, rows);
}

function renderEndpointTable(report: PhaseReport): string {
  const header = ['endpoint', 'ops', 'share', 'ops/s', 'MiB/s', 'p50', 'p99', 'errors', 'failed attempts', 'retried away', 'ejects', 'ejected'];
  const rows = report.endpoints.map((e) => [
    e.endpoint,
    String(e.ops),
    `${(e.share * 100).toFixed(1)}%`,
    formatRate(e.opsPerSec),
    formatMiBPerSec(e.bytesPerSec),
    formatLatencyUs(e.p50Us),
    formatLatencyUs(e.p99Us),
    String(e.errors),
    Object.keys(e.failedAttempts).length === 0 ? '0' : errorText(e.failedAttempts),
    String(e.retriedAway),
    String(e.ejects),
    `${(e.ejectedMs / 1000).toFixed(1)}s`,
  ]);
  return formatTable(header, rows);
}

function errorText(byClass: Record<string, number>): string {
  return Object.entries(byClass)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

function endReasonText(reason: PhaseReport['reason']): string {
  return reason === 'keyspace_exhausted' ? ' (no objects left to operate on)' : '';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
