// Entry point of a worker thread: owns one store (its own connections), one share of the keyspace and
// one recorder, and runs the phases the main thread asks for. Everything it measures leaves as 1 s
// windows; nothing is printed here.

import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createFdCache } from '../backends/file/fd-cache.js';
import { isIofleetError } from '../errors.js';
import { Recorder } from '../stats/recorder.js';
import { DataPattern } from '../workload/data-pattern.js';
import { Keyspace } from '../workload/keyspace.js';
import { Rng } from '../workload/rng.js';
import { cleanUpObjects } from './clean-up-objects.js';
import { createStore } from './create-store.js';
import { EndpointRouter } from './endpoint-router.js';
import { OpLoop } from './op-loop.js';
import { prepareObjects } from './prepare-objects.js';
import { WindowClock } from './window-clock.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const port = parentPort!;
const { plan, workerIndex, credentials, breakerState, epochMs } = workerData as WorkerInit;
const send = (message: FromWorker): void => port.postMessage(message);

const WINDOW_TIMER_MS = 100;

async function main(): Promise<void> {
  // Each endpoint gets its own store (own connections), sized for this thread's operations in flight.
  // file keep_open: one fd cache for the thread, shared by its stores (one bound per thread).
  const connections = plan.concurrencyPerThread[workerIndex] ?? 1;
  const fdCache = plan.target.kind === 'file' && plan.fileKeepOpen.fdsPerThread > 0 ? createFdCache(plan.fileKeepOpen.fdsPerThread, plan.fileIo) : undefined;
  const stores = await Promise.all(plan.endpoints.map((_, index) => createStore(plan, index, credentials[index], connections, fdCache)));
  const pattern = new DataPattern(plan.seed);
  const rng = new Rng(plan.seed ^ Math.imul(workerIndex + 1, 0x9e3779b1));
  const ownedPrepared = Keyspace.ownedCount(workerIndex, plan.threads, plan.prepare.count);
  const keyspace = new Keyspace(workerIndex, plan.threads, ownedPrepared + 1024);
  const recorder = new Recorder(plan.opLabels.length, plan.endpoints.length);
  const clock = new WindowClock(recorder, (window) => send({ type: 'window', workerIndex, window }));
  const router = new EndpointRouter({
    plan,
    stores,
    recorder,
    rng,
    breakerState,
    epochMs,
    workerCount: plan.threads,
    onEvent: (event) => send({ type: 'endpoint-event', kind: event.kind, endpoint: event.endpoint, atEpochMs: epochMs + event.atMs }),
  });
  const loop = new OpLoop(plan, workerIndex, router, keyspace, recorder, clock, rng, pattern);
  loop.onWarning = (message) => send({ type: 'warning', workerIndex, message });
  let stopRequested = false;

  port.on('message', async (message: ToWorker) => {
    if (message.type === 'stop') {
      stopRequested = true;
      loop.stop('stopped');
      return;
    }
    if (message.type === 'exit') {
      await Promise.all(stores.map((store) => store.close()));
      port.close();
      return;
    }
    const startPerfMs = message.startEpochMs - performance.timeOrigin;
    const waitMs = startPerfMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    clock.begin(message.phase, startPerfMs);
    const timer = setInterval(() => clock.advance(performance.now()), WINDOW_TIMER_MS);
    try {
      const done = { type: 'phase-done', workerIndex, phase: message.phase, objects: 0, failedObjects: 0, bytes: 0, preexistingObjects: 0, otherSizeObjects: 0 } as const;
      if (message.phase === 'prepare') {
        const result = await prepareObjects(plan, workerIndex, router, keyspace, recorder, clock, pattern, () => stopRequested);
        const windows = clock.finish();
        send({
          ...done,
          windows,
          endEpochMs: epochNow(),
          reason: result.stopped ? 'stopped' : 'complete',
          objects: result.objects,
          failedObjects: result.failed,
          bytes: result.bytes,
          preexistingObjects: result.skipped,
          otherSizeObjects: result.otherSize,
          createdObjectsLeft: keyspace.createdPresentCount,
        });
      } else if (message.phase === 'cleanup') {
        const { deleted, failed } = await cleanUpObjects(plan, router, stores, keyspace, recorder, clock, () => stopRequested);
        const windows = clock.finish();
        send({
          ...done,
          windows,
          endEpochMs: epochNow(),
          reason: stopRequested ? 'stopped' : 'complete',
          objects: deleted,
          failedObjects: failed,
          preexistingObjects: keyspace.preexistingPresentCount,
          createdObjectsLeft: keyspace.createdPresentCount,
        });
      } else {
        const endPerfMs = message.endEpochMs > 0 ? message.endEpochMs - performance.timeOrigin : Infinity;
        const reason = stopRequested ? 'stopped' : await loop.run({ phase: message.phase, startPerfMs, endPerfMs, opsLimit: message.opsLimit });
        const windows = clock.finish();
        send({ ...done, windows, endEpochMs: epochNow(), reason, createdObjectsLeft: keyspace.createdPresentCount });
      }
    } finally {
      clearInterval(timer);
    }
  });
  send({ type: 'ready' });
}

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

main().catch((error: unknown) => {
  if (isIofleetError(error)) {
    send({ type: 'fatal', workerIndex, code: error.code, message: error.message, hint: error.hint });
  } else {
    send({ type: 'fatal', workerIndex, code: 'WORKER_CRASHED', message: error instanceof Error ? (error.stack ?? error.message) : String(error), hint: undefined });
  }
});
