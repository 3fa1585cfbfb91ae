// The main thread's side of endpoint health: reports the breaker's transitions (made by whichever worker
// saw the deciding outcome), probes ejected endpoints actively (the same check as before the run: HEAD on
// the bucket, or the directory), and reports an all_down event when every endpoint of the pool is down
// (what to do then, e.g. stop for health.stop_when_all_down, is the caller's decision).

import type { ObjectStore } from '../backends/object-store.js';
import type { S3Credentials } from '../backends/s3/credentials.js';
import type { RunPlan } from '../plan/run-plan.js';
import { writesToTarget } from '../plan/writes-to-target.js';
import { CircuitBreaker, type BreakerEvent } from '../routing/circuit-breaker.js';
import { createStore } from './create-store.js';
import { breakerClockMs } from './endpoint-router.js';
import type { EndpointEvent, RunObserver } from './run-engine.js';

export class EndpointHealthWatch {
  private readonly plan: RunPlan;
  private readonly breaker: CircuitBreaker;
  private readonly epochMs: number;
  private readonly credentials: (S3Credentials | undefined)[];
  private readonly observer: RunObserver;
  private readonly probes = new Map<number, ObjectStore>();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private wasAllDown = false;

  constructor(plan: RunPlan, breakerState: SharedArrayBuffer, epochMs: number, credentials: (S3Credentials | undefined)[], observer: RunObserver) {
    const routing = plan.routing!;
    this.plan = plan;
    this.breaker = new CircuitBreaker(breakerState, plan.endpoints.length, { ejectAfterErrors: routing.ejectAfterErrors, cooldownMs: routing.cooldownMs });
    this.epochMs = epochMs;
    this.credentials = credentials;
    this.observer = observer;
  }

  async start(): Promise<void> {
    for (const endpoint of this.plan.routing!.poolEndpoints) {
      this.probes.set(endpoint, await createStore(this.plan, endpoint, this.credentials[endpoint], 1));
    }
    this.timer = setInterval(() => void this.probeEjected(), this.plan.routing!.probeIntervalMs);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.probes.values()].map((store) => store.close()));
  }

  onTrafficEvent(kind: 'eject' | 'readmit', endpoint: number, atEpochMs: number): void {
    this.report({ kind, endpoint, atEpochMs, cause: 'traffic' });
  }

  private async probeEjected(): Promise<void> {
    if (this.probing) return; // a slow probe must not pile up behind the timer
    this.probing = true;
    try {
      for (const [endpoint, store] of this.probes) {
        if (!this.breaker.isEjected(endpoint)) continue;
        let event: BreakerEvent | null;
        try {
          await store.open({ createNamespace: false, writable: writesToTarget(this.plan) });
          event = this.breaker.onProbeSuccess(endpoint, this.nowMs());
        } catch {
          event = this.breaker.onProbeFailure(endpoint, this.nowMs());
        }
        if (event) this.report({ kind: event.kind, endpoint, atEpochMs: this.epochMs + event.atMs, cause: 'probe' });
      }
    } finally {
      this.probing = false;
    }
  }

  private report(event: EndpointEvent): void {
    this.observer.endpointEvent(event);
    const allDown = this.plan.routing!.poolEndpoints.every((endpoint) => this.breaker.isEjected(endpoint));
    if (allDown && !this.wasAllDown) {
      this.observer.endpointEvent({ kind: 'all_down', endpoint: -1, atEpochMs: event.atEpochMs, cause: event.cause });
    }
    this.wasAllDown = allDown;
  }

  private nowMs(): number {
    return breakerClockMs(this.epochMs);
  }
}
