// The results directory of a run:
//   config.yaml     the resolved workload (every default filled in)
//   perf_log.tsv    one row per second × phase × op, appended live
//   results.json    everything, with encoded histograms; rewritten (atomically) after every phase
//   results.tsv     one row per phase × op × size bucket, plus per-op and per-phase totals
//   console.log     what the console showed (written by the CLI's sink)
// With an endpoint pool, also:
//   endpoint_stats.tsv  one row per phase × endpoint × op
//   events.tsv          eject / readmit / all_down, with times
// and perf_log.tsv has per-endpoint rows and marks the seconds in which endpoint events happened.
// Files are complete and valid after every phase, so a crash or Ctrl-C still leaves usable results.

import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { FileSystemFacts } from '../backends/file/file-system-facts.js';
import { resolvedConfigYaml } from '../config/resolved-config.js';
import { makeDirectories } from '../make-directories.js';
import type { WorkloadConfig } from '../config/schema.js';
import type { EndpointEvent, PhaseResult, RunObserver } from '../engine/run-engine.js';
import { IofleetError } from '../errors.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { CellTotals } from '../stats/cell-totals.js';
import type { PhaseName } from '../stats/stats-window.js';
import { summarizeCell, type CellSummary } from '../stats/summary.js';
import { TOOL_VERSION } from '../version.js';
import { buildPhaseReport, type EndpointReport, type PhaseReport } from './phase-report.js';

export const RESULTS_SCHEMA_VERSION = 1;

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

const PERF_LOG_COLUMNS = ['phase', 'second', 'endpoint', 'op', 'events', 'ops', 'errors', 'ops_per_sec', 'mib_per_sec', 'mean_us', 'p50_us', 'p99_us', 'max_us', 'late_ops', 'max_slip_us'];
const ENDPOINT_TSV_COLUMNS = ['phase', 'endpoint', 'op', 'ops', 'share', 'errors', 'ops_per_sec', 'mib_per_sec', 'mean_us', 'p50_us', 'p99_us', 'max_us', 'errors_by_class', 'failed_attempts', 'retried_away', 'ejects', 'readmits', 'ejected_ms', 'redirects'];
const EVENTS_TSV_COLUMNS = ['time_utc', 'elapsed_s', 'event', 'endpoint', 'cause'];
const RESULTS_TSV_COLUMNS = ['phase', 'op', 'size_bucket', 'ops', 'errors', 'ops_per_sec', 'mib_per_sec', 'bytes', 'mean_us', 'p50_us', 'p90_us', 'p99_us', 'p99_9_us', 'max_us', 'errors_by_class'];

export class ResultsDirectory implements RunObserver {
  readonly path: string;
  private readonly plan: RunPlan;
  private readonly startedAt = new Date();
  private startEpochMs = 0;
  private readonly reports: PhaseReport[] = [];
  private status: RunStatus = 'running';
  private error: { code: string; message: string } | undefined;
  private cleanupSkippedFacts: { because: string; created_objects_left: number; at_least: boolean } | null = null;
  private fileSystemFacts: readonly (FileSystemFacts | undefined)[] = [];
  private readonly events: EndpointEvent[] = [];
  /** Events not yet marked in perf_log.tsv (marked in the row of the second they happened in). */
  private unmarkedEvents: EndpointEvent[] = [];
  private phaseStartEpochMs = 0;

  constructor(path: string, plan: RunPlan, config: WorkloadConfig) {
    this.path = path;
    this.plan = plan;
    try {
      makeDirectories(path);
      writeFileSync(join(path, 'config.yaml'), `# resolved by iofleet ${TOOL_VERSION}: every default filled in\n${resolvedConfigYaml(config, plan.s3)}`);
      writeFileSync(join(path, 'perf_log.tsv'), PERF_LOG_COLUMNS.join('\t') + '\n');
      writeFileSync(join(path, 'console.log'), '');
      if (plan.routing) writeFileSync(join(path, 'events.tsv'), EVENTS_TSV_COLUMNS.join('\t') + '\n');
    } catch (error) {
      throw new IofleetError('RESULTS_WRITE', `cannot write the results directory ${path}: ${(error as Error).message}`, 'choose another directory with --out');
    }
    this.writeResults();
  }

  appendConsole(line: string): void {
    appendFileSync(join(this.path, 'console.log'), line + '\n');
  }

  phaseStarted(_phase: PhaseName, startEpochMs: number): void {
    this.phaseStartEpochMs = startEpochMs;
    if (this.startEpochMs === 0) this.startEpochMs = startEpochMs;
  }

  secondMerged(phase: PhaseName, seq: number, second: CellTotals, durationMs: number): void {
    const secondEndMs = this.phaseStartEpochMs + (seq + 1) * 1000;
    const marked = this.unmarkedEvents.filter((event) => event.atEpochMs < secondEndMs);
    this.unmarkedEvents = this.unmarkedEvents.filter((event) => event.atEpochMs >= secondEndMs);
    const events = marked.map((event) => (event.kind === 'all_down' ? 'all_down' : `${event.kind}:${this.plan.endpoints[event.endpoint]!.id}`)).join(',') || '-';
    const rows: string[] = [];
    const labels = [...new Set([...second.cells.values()].map((cell) => cell.label))].sort((a, b) => a - b);
    for (const label of labels) {
      const s = summarizeCell(second.combined((cell) => cell.label === label), durationMs);
      rows.push(perfRow(phase, seq, 'all', this.plan.opLabels[label]!, events, s, second));
    }
    if (this.plan.routing) {
      const endpoints = [...new Set([...second.cells.values()].map((cell) => cell.endpoint))].sort((a, b) => a - b);
      for (const endpoint of endpoints) {
        for (const label of labels) {
          const cell = second.combined((c) => c.endpoint === endpoint && c.label === label);
          if (cell.ops > 0) rows.push(perfRow(phase, seq, this.plan.endpoints[endpoint]!.id, this.plan.opLabels[label]!, events, summarizeCell(cell, durationMs), second));
        }
      }
    }
    if (rows.length === 0) rows.push(perfRow(phase, seq, 'all', '-', events, summarizeCell(second.combined(() => true), durationMs), second));
    appendFileSync(join(this.path, 'perf_log.tsv'), rows.join(''));
  }

  phaseEnded(result: PhaseResult): void {
    this.reports.push(buildPhaseReport(result, this.plan, this.events));
    this.writeResults();
  }

  warning(): void {}

  endpointEvent(event: EndpointEvent): void {
    this.events.push(event);
    this.unmarkedEvents.push(event);
    const id = event.endpoint >= 0 ? this.plan.endpoints[event.endpoint]!.id : '*';
    const elapsedS = ((event.atEpochMs - this.startEpochMs) / 1000).toFixed(3);
    appendFileSync(join(this.path, 'events.tsv'), [new Date(event.atEpochMs).toISOString(), elapsedS, event.kind, id, event.cause].join('\t') + '\n');
  }

  /** The file systems under the file:// endpoints, by endpoint index: results.json endpoints[].file_system. */
  fileSystems(facts: readonly (FileSystemFacts | undefined)[]): void {
    this.fileSystemFacts = facts;
    this.writeResults();
  }

  /**
   * The run ended before the cleanup it asked for: recorded in results.json as run.cleanup_skipped.
   * `atLeast`: the count is a lower bound even if every worker reported (a phase after `lastPhase` was
   * cut off unheard).
   */
  cleanupSkipped(because: 'interrupted' | 'failed', lastPhase: PhaseResult, atLeast = false): void {
    const report = buildPhaseReport(lastPhase, this.plan, this.events);
    this.cleanupSkippedFacts = { because, created_objects_left: report.createdObjectsLeft, at_least: atLeast || !report.allWorkersReported };
    this.writeResults();
  }

  finish(status: Exclude<RunStatus, 'running'>, error?: { code: string; message: string }): void {
    this.status = status;
    this.error = error;
    this.writeResults();
  }

  private writeResults(): void {
    const document = {
      schema_version: RESULTS_SCHEMA_VERSION,
      tool: { name: 'iofleet', version: TOOL_VERSION },
      host: hostFacts(),
      run: {
        name: this.plan.name,
        target: this.plan.targetUri,
        status: this.status,
        started_at: this.startedAt.toISOString(),
        updated_at: new Date().toISOString(),
        error: this.error ?? null,
        cleanup_skipped: this.cleanupSkippedFacts,
      },
      plan: {
        threads: this.plan.threads,
        concurrency: this.plan.concurrency,
        duration_ms: this.plan.durationMs,
        ops_limit: this.plan.opsLimit,
        warmup_ms: this.plan.warmupMs,
        rate: this.plan.rate ? { ops_per_sec: this.plan.rate.opsPerSec, arrival: this.plan.rate.arrival } : null,
        verify: this.plan.verify,
        file_io: this.plan.target.kind === 'file' ? this.plan.fileIo : null,
        file_keep_open_fds_per_thread: this.plan.target.kind === 'file' ? this.plan.fileKeepOpen.fdsPerThread : null,
        prepared_objects: this.plan.prepare.count,
      },
      endpoints: this.plan.endpoints.map((endpoint, index) => ({
        index,
        id: endpoint.id,
        kind: endpoint.kind,
        in_pool: endpoint.inPool,
        weight: endpoint.weight,
        max_in_flight: endpoint.maxInFlight,
        file_system: fileSystemJson(this.fileSystemFacts[index]),
      })),
      routing: this.plan.routing
        ? { source: this.plan.endpointSource, strategy: this.plan.routing.strategy, namespace: this.plan.routing.namespace, max_attempts: this.plan.routing.maxAttempts }
        : null,
      events: this.events.map((event) => ({
        at: new Date(event.atEpochMs).toISOString(),
        event: event.kind,
        endpoint: event.endpoint >= 0 ? this.plan.endpoints[event.endpoint]!.id : null,
        cause: event.cause,
      })),
      phases: this.reports.map(phaseJson),
    };
    writeAtomically(join(this.path, 'results.json'), JSON.stringify(document, null, 2) + '\n');
    const rows = this.reports.flatMap((report) => [
      ...report.ops.flatMap((op) => [
        ...op.buckets.map((bucket) => tsvRow(report.phase, op.op, bucket.bucket, bucket)),
        tsvRow(report.phase, op.op, 'all', op),
      ]),
      tsvRow(report.phase, 'all', 'all', report.total),
    ]);
    writeAtomically(join(this.path, 'results.tsv'), [RESULTS_TSV_COLUMNS.join('\t'), ...rows].join('\n') + '\n');
    if (this.plan.routing) {
      const endpointRows = this.reports.flatMap((report) =>
        report.endpoints.flatMap((e) => [
          ...e.byOp.map(({ op, summary }) => endpointRow(report.phase, e, op, summary)),
          endpointRow(report.phase, e, 'all', e),
        ]),
      );
      writeAtomically(join(this.path, 'endpoint_stats.tsv'), [ENDPOINT_TSV_COLUMNS.join('\t'), ...endpointRows].join('\n') + '\n');
    }
  }
}

function endpointRow(phase: string, e: EndpointReport, op: string, s: CellSummary): string {
  const classes = (byClass: Record<string, number>) => Object.entries(byClass).map(([name, count]) => `${name}=${count}`).join(',') || '-';
  const isAll = op === 'all';
  return [
    phase, e.endpoint, op, s.ops, isAll ? round3(e.share) : '-', s.errors, round3(s.opsPerSec), mib(s.bytesPerSec), Math.round(s.meanUs), s.p50Us, s.p99Us, s.maxUs,
    classes(s.errorsByClass), isAll ? classes(e.failedAttempts) : '-', isAll ? e.retriedAway : '-', isAll ? e.ejects : '-', isAll ? e.readmits : '-', isAll ? Math.round(e.ejectedMs) : '-', isAll ? e.redirects : '-',
  ].join('\t');
}

function perfRow(phase: string, seq: number, endpoint: string, op: string, events: string, s: CellSummary, second: CellTotals): string {
  return [phase, seq, endpoint, op, events, s.ops, s.errors, round3(s.opsPerSec), mib(s.bytesPerSec), Math.round(s.meanUs), s.p50Us, s.p99Us, s.maxUs, second.lateOps, second.maxSlipUs].join('\t') + '\n';
}

function tsvRow(phase: string, op: string, bucket: string, s: CellSummary): string {
  const errors = Object.entries(s.errorsByClass).map(([name, count]) => `${name}=${count}`).join(',');
  return [phase, op, bucket, s.ops, s.errors, round3(s.opsPerSec), mib(s.bytesPerSec), s.bytes, Math.round(s.meanUs), s.p50Us, s.p90Us, s.p99Us, s.p999Us, s.maxUs, errors || '-'].join('\t');
}

function summaryJson(s: CellSummary): Record<string, unknown> {
  return {
    ops: s.ops,
    ok_ops: s.okOps,
    errors: s.errors,
    errors_by_class: s.errorsByClass,
    bytes: s.bytes,
    ops_per_sec: round3(s.opsPerSec),
    mib_per_sec: mib(s.bytesPerSec),
    latency_us: { mean: Math.round(s.meanUs * 10) / 10, p50: s.p50Us, p90: s.p90Us, p99: s.p99Us, p99_9: s.p999Us, max: s.maxUs },
  };
}

function phaseJson(report: PhaseReport): Record<string, unknown> {
  return {
    phase: report.phase,
    started_at: new Date(report.startEpochMs).toISOString(),
    elapsed_ms: Math.round(report.elapsedMs),
    end_reason: report.reason,
    // CPU of the whole iofleet process during the phase; per op: what the client costs (bench, sizing).
    client_cpu_us: Math.round(report.clientCpuUs),
    client_cpu_us_per_op: report.total.ops > 0 ? Math.round((report.clientCpuUs / report.total.ops) * 100) / 100 : null,
    objects: report.objects,
    failed_objects: report.failedObjects,
    bytes_written: report.bytes,
    // prepare: objects found already there and not written (skip_existing; counted in `objects`);
    // cleanup: objects that existed before the run, left in place.
    preexisting_objects: report.preexistingObjects,
    // prepare (skip_existing): of preexisting_objects, those with another size than this prepare gives
    // their key (cut short by an interrupted write, or another workload's); kept and read as they are.
    other_size_objects: report.otherSizeObjects,
    // Objects this run created that may still be on the target at the phase's end (a lower bound when
    // not every worker reported).
    created_objects_left: report.createdObjectsLeft,
    all_workers_reported: report.allWorkersReported,
    totals: summaryJson(report.total),
    open_loop: { late_ops: report.lateOps, max_slip_us: report.maxSlipUs },
    redirects_followed: report.redirects,
    endpoints: report.endpoints.map((e) => ({
      endpoint: e.endpoint,
      share: round3(e.share),
      totals: summaryJson(e),
      failed_attempts_by_class: e.failedAttempts,
      retried_away: e.retriedAway,
      ejects: e.ejects,
      readmits: e.readmits,
      ejected_ms: Math.round(e.ejectedMs),
      redirects_followed: e.redirects,
      ops: e.byOp.map(({ op, summary }) => ({ op, totals: summaryJson(summary) })),
    })),
    ops: report.ops.map((op) => ({
      op: op.op,
      totals: summaryJson(op),
      size_buckets: op.buckets.map((bucket) => ({ size_bucket: bucket.bucket, ...summaryJson(bucket), latency_histogram_us: bucket.latencyHistogram })),
    })),
  };
}

function hostFacts(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpu_model: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory_bytes: os.totalmem(),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

function mib(bytesPerSec: number): number {
  return round3(bytesPerSec / 2 ** 20);
}

function round3(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : 0;
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function fileSystemJson(facts: FileSystemFacts | undefined): Record<string, string | number | null> | null {
  if (facts === undefined) return null;
  return {
    type: facts.type,
    source: facts.source,
    mount_point: facts.mountPoint,
    device: facts.device,
    size_bytes: facts.sizeBytes ?? null,
    free_bytes: facts.freeBytes ?? null,
  };
}
