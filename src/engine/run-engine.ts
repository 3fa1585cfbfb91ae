// The main thread's side of a run: starts the worker threads, walks the phases (prepare → warmup →
// measure → cleanup), merges every second's windows from all workers exactly, and hands merged seconds
// and phase totals to an observer (the outputs). It prints nothing and never touches `process`.

import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { S3Credentials } from '../backends/s3/credentials.js';
import { IofleetError } from '../errors.js';
import type { RunPlan } from '../plan/run-plan.js';
import { CellTotals } from '../stats/cell-totals.js';
import type { PhaseName } from '../stats/stats-window.js';
import { createBreakerState } from '../routing/circuit-breaker.js';
import { EndpointHealthWatch } from './endpoint-health-watch.js';
import type { FromWorker, PhaseEndReason, ToWorker, WorkerInit } from './worker-protocol.js';

/** How long in-flight operations may take to finish after a stop request before workers are ended. */
export const STOP_GRACE_MS = 2000;
/** Workers start a phase together this long after the main thread asks (message delivery, timers). */
const PHASE_START_DELAY_MS = 20;

type WorkerExited = { type: 'exited' };

export interface PhaseResult {
  phase: PhaseName;
  totals: CellTotals;
  startEpochMs: number;
  /** From the phase start to the end of the last operation of any worker. */
  elapsedMs: number;
  /** Why the phase ended: the reason most workers gave ('stopped' wins). */
  reason: PhaseEndReason | 'workers_lost';
  /** CPU time of the whole iofleet process (all threads) during the phase: the client's cost. */
  clientCpuUs: number;
  /** prepare: objects present afterwards; cleanup: objects deleted. */
  objects: number;
  failedObjects: number;
  bytes: number;
  /** prepare: objects found already there and not written (skip_existing); cleanup: those left in place. */
  preexistingObjects: number;
  /** prepare (skip_existing): of the objects already there, those with another size than this prepare gives their key (kept, read as they are). */
  otherSizeObjects: number;
  /**
   * Objects this run created that may still be on the target at the phase's end (what cleanup deletes),
   * summed over the workers that reported: a lower bound when workersReported < plan.threads.
   */
  createdObjectsLeft: number;
  /** Workers that ended the phase normally (the others were lost or ended after the stop grace). */
  workersReported: number;
}

/** An endpoint health transition, as printed and written to events.tsv. */
export interface EndpointEvent {
  kind: 'eject' | 'readmit' | 'all_down';
  /** Index into plan.endpoints (-1 for all_down). */
  endpoint: number;
  atEpochMs: number;
  /** What caused it: operations' outcomes, or the active probe. */
  cause: 'traffic' | 'probe';
}

export interface RunObserver {
  phaseStarted(phase: PhaseName, startEpochMs: number): void;
  /**
   * One second of one phase, merged over all workers. durationMs is 1000, except for the phase's last
   * window, which covers only the time up to the phase's end (rates must be divided by it).
   */
  secondMerged(phase: PhaseName, seq: number, second: CellTotals, durationMs: number): void;
  phaseEnded(result: PhaseResult): void;
  warning(message: string): void;
  endpointEvent(event: EndpointEvent): void;
}

export interface EngineHandle {
  /** Stop issuing operations; the current phase ends after in-flight operations (at most STOP_GRACE_MS). */
  stop(): void;
  readonly done: Promise<PhaseResult[]>;
}

export function startEngine(plan: RunPlan, credentials: (S3Credentials | undefined)[], observer: RunObserver): EngineHandle {
  let stopRequested = false;
  let stopWaiter: (() => void) | undefined;
  const workers: Worker[] = [];
  const epochMs = performance.timeOrigin + performance.now();
  const breakerState = plan.routing ? createBreakerState(plan.endpoints.length) : undefined;
  const health = plan.routing ? new EndpointHealthWatch(plan, breakerState!, epochMs, credentials, observer) : undefined;

  const stop = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    for (const worker of workers) worker.postMessage({ type: 'stop' } satisfies ToWorker);
    stopWaiter?.();
  };

  const done = (async (): Promise<PhaseResult[]> => {
    const listeners = new Set<(message: FromWorker | WorkerExited, index: number) => void>();
    let fatal: IofleetError | undefined;
    const lost = new Set<number>();
    const fail = (error: IofleetError): void => {
      fatal ??= error;
      stop();
    };
    const ready: Promise<void>[] = [];
    for (let index = 0; index < plan.threads; index++) {
      const init: WorkerInit = { plan, workerIndex: index, credentials, breakerState, epochMs };
      const worker = new Worker(new URL('./worker-main.js', import.meta.url), { workerData: init });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.on('message', (message: FromWorker) => {
            if (message.type === 'ready') resolve();
            else if (message.type === 'fatal') {
              const error = new IofleetError(message.code as IofleetError['code'], message.message, message.hint);
              reject(error);
              fail(error);
            } else if (message.type === 'warning') observer.warning(`worker ${index}: ${message.message}`);
            else if (message.type === 'endpoint-event') health!.onTrafficEvent(message.kind, message.endpoint, message.atEpochMs);
            else for (const listener of listeners) listener(message, index);
          });
          worker.on('error', (error) => {
            const wrapped = new IofleetError('WORKER_CRASHED', `worker ${index} crashed: ${error.stack ?? error.message}`);
            reject(wrapped);
            fail(wrapped);
          });
          worker.on('exit', () => {
            lost.add(index);
            for (const listener of listeners) listener({ type: 'exited' }, index);
          });
        }),
      );
    }

    const results: PhaseResult[] = [];
    try {
      await Promise.all(ready);
      await health?.start();
      const runPhase = (phase: PhaseName, endAfterMs: number, opsLimit: number): Promise<PhaseResult> =>
        new Promise((resolve) => {
          const startEpochMs = Date.now() + PHASE_START_DELAY_MS;
          observer.phaseStarted(phase, startEpochMs);
          const totals = new CellTotals();
          const pending = new Map<number, { received: number; second: CellTotals; durationMs: number }>();
          const windowsSent = new Array<number>(plan.threads).fill(-1);
          let nextSeq = 0;
          let finished = 0;
          const cpuAtStart = process.cpuUsage();
          const result: PhaseResult = {
            phase,
            totals,
            startEpochMs,
            elapsedMs: 0,
            clientCpuUs: 0,
            reason: 'complete',
            objects: 0,
            failedObjects: 0,
            bytes: 0,
            preexistingObjects: 0,
            otherSizeObjects: 0,
            createdObjectsLeft: 0,
            workersReported: 0,
          };
          const reasons: PhaseEndReason[] = [];

          // A second is complete when every worker has sent it or has ended the phase with fewer windows.
          const expectedFor = (seq: number): number => windowsSent.filter((sent, i) => !lost.has(i) && (sent < 0 || sent > seq)).length;
          const flushComplete = (force: boolean): void => {
            for (;;) {
              const entry = pending.get(nextSeq);
              if (entry === undefined) {
                if (force && [...pending.keys()].some((seq) => seq > nextSeq)) {
                  nextSeq++;
                  continue;
                }
                return;
              }
              if (!force && entry.received < expectedFor(nextSeq)) return;
              pending.delete(nextSeq);
              totals.addTotals(entry.second);
              observer.secondMerged(phase, nextSeq, entry.second, entry.durationMs);
              nextSeq++;
            }
          };
          let graceTimer: NodeJS.Timeout | undefined;
          let ended = false;
          const end = (reason?: PhaseResult['reason']): void => {
            if (ended) return;
            ended = true;
            listeners.delete(listener);
            clearTimeout(graceTimer);
            flushComplete(true);
            const cpu = process.cpuUsage(cpuAtStart);
            result.clientCpuUs = cpu.user + cpu.system;
            if (reason) result.reason = reason;
            else if (reasons.includes('stopped')) result.reason = 'stopped';
            else result.reason = mostCommon(reasons) ?? 'complete';
            observer.phaseEnded(result);
            resolve(result);
          };
          const listener = (message: FromWorker | WorkerExited, index: number): void => {
            if (message.type === 'window' && message.window.phase === phase) {
              const seq = message.window.seq;
              let entry = pending.get(seq);
              if (entry === undefined) pending.set(seq, (entry = { received: 0, second: new CellTotals(), durationMs: 0 }));
              entry.received++;
              // A partial last window lasts as long as the worker that ended the phase last.
              entry.durationMs = Math.max(entry.durationMs, message.window.durationMs);
              entry.second.addWindowCells(message.window.cells);
              entry.second.addFailedAttempts(message.window.failedAttempts);
              entry.second.addRedirects(message.window.redirects);
              entry.second.lateOps += message.window.lateOps;
              entry.second.maxSlipUs = Math.max(entry.second.maxSlipUs, message.window.maxSlipUs);
              flushComplete(false);
            } else if (message.type === 'phase-done' && message.phase === phase) {
              windowsSent[index] = message.windows;
              reasons.push(message.reason);
              result.elapsedMs = Math.max(result.elapsedMs, message.endEpochMs - startEpochMs);
              result.objects += message.objects;
              result.failedObjects += message.failedObjects;
              result.bytes += message.bytes;
              result.preexistingObjects += message.preexistingObjects;
              result.otherSizeObjects += message.otherSizeObjects;
              result.createdObjectsLeft += message.createdObjectsLeft;
              finished++;
              result.workersReported = finished;
              flushComplete(false);
              if (finished + lost.size >= plan.threads) end();
            } else if (message.type === 'exited') {
              observer.warning(`worker ${index} exited during ${phase}; its operations in flight are lost`);
              if (finished + lost.size >= plan.threads) end('workers_lost');
              else flushComplete(false);
            }
          };
          listeners.add(listener);
          stopWaiter = () => {
            graceTimer = setTimeout(() => {
              for (const worker of workers) void worker.terminate();
              // A worker still busy (a long blocking write) is ended unheard: the phase lasted until now.
              result.elapsedMs = Math.max(result.elapsedMs, Date.now() - startEpochMs);
              end('stopped');
            }, STOP_GRACE_MS);
          };
          if (stopRequested) stopWaiter();
          const shares = splitOps(opsLimit, plan.threads);
          workers.forEach((worker, index) =>
            worker.postMessage({
              type: 'phase',
              phase,
              startEpochMs,
              endEpochMs: endAfterMs > 0 ? startEpochMs + endAfterMs : 0,
              opsLimit: shares[index]!,
            } satisfies ToWorker),
          );
        });

      if (plan.prepare.count > 0) results.push(await runPhase('prepare', 0, 0));
      if (!stopRequested && plan.warmupMs > 0) results.push(await runPhase('warmup', plan.warmupMs, 0));
      if (!stopRequested) {
        const measureMs = plan.durationMs > 0 ? plan.durationMs - plan.warmupMs : 0;
        results.push(await runPhase('measure', measureMs, plan.opsLimit));
      }
      if (!stopRequested && plan.cleanup) results.push(await runPhase('cleanup', 0, 0));
    } catch (error) {
      if (!(error instanceof IofleetError)) throw error;
      fatal ??= error;
    } finally {
      await health?.close();
      for (const worker of workers) worker.postMessage({ type: 'exit' } satisfies ToWorker);
      await Promise.all(workers.map((worker) => (lost.has(workers.indexOf(worker)) ? undefined : waitForExit(worker))));
    }
    // The observer has seen every finished phase already, so a fatal error loses no results.
    if (fatal) throw fatal;
    return results;
  })();

  return { stop, done };
}

/** Each worker's share of an op limit; Infinity for every worker when there is none (total 0). */
function splitOps(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => (total === 0 ? Infinity : Math.floor(total / parts) + (i < total % parts ? 1 : 0)));
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}

function waitForExit(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve();
    }, 1000);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
