// Worker thread for circuit-breaker.test.ts: hammers one CircuitBreaker shared with the other workers and
// reports what this thread saw. Does nothing on the main thread (in case a runner loads it as a test).

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CircuitBreaker } from '../../../src/routing/circuit-breaker.js';

export interface HammerInput {
  mode: 'failures' | 'cycles' | 'trials';
  shared: SharedArrayBuffer;
  /** control[0]: start flag the workers wait on, so they really run at the same time. */
  control: SharedArrayBuffer;
  endpointCount: number;
  ejectAfterErrors: number;
  cooldownMs: number;
  iterations: number;
}

export interface HammerOutput {
  ejects: number;
  readmits: number;
  /** nowMs of each trial slot this thread won (mode trials). */
  trialsWonAtMs: number[];
}

if (!isMainThread && parentPort !== null) {
  const input = workerData as HammerInput;
  const breaker = new CircuitBreaker(input.shared, input.endpointCount, input);
  const control = new Int32Array(input.control);
  const output: HammerOutput = { ejects: 0, readmits: 0, trialsWonAtMs: [] };
  const count = (event: { kind: 'eject' | 'readmit' } | null): void => {
    if (event?.kind === 'eject') output.ejects++;
    if (event?.kind === 'readmit') output.readmits++;
  };
  parentPort.postMessage('ready');
  Atomics.wait(control, 0, 0);
  for (let i = 0; i < input.iterations; i++) {
    const endpoint = i % input.endpointCount;
    switch (input.mode) {
      case 'failures':
        count(breaker.onFailure(endpoint, 1));
        break;
      case 'cycles':
        // Failures eject, the odd probe success readmits, successes reset the count: every transition races.
        if (i % 97 === 0) count(breaker.onProbeSuccess(endpoint, i));
        else if (i % 13 === 0) count(breaker.onSuccess(endpoint, i));
        else count(breaker.onFailure(endpoint, i));
        break;
      case 'trials': {
        // Time advances one ms per 50 calls; trials are taken and never report (lost).
        const nowMs = input.cooldownMs + Math.floor(i / 50);
        if (breaker.isAvailable(endpoint, nowMs)) output.trialsWonAtMs.push(nowMs);
        break;
      }
    }
  }
  parentPort.postMessage(output);
}
