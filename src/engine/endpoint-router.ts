// Sends one operation to an endpoint, and with an endpoint pool runs failover: a failed attempt that is
// retryable for its op goes to another endpoint (never one this op already tried), up to max_attempts.
// Endpoint health is a circuit breaker shared by all worker threads (routing/circuit-breaker.ts): an
// ejected endpoint gets no ops until its cooldown lets one trial through or a probe readmits it.
//
// Outcomes: a failed attempt is counted on its endpoint by its own class (Recorder.recordFailedAttempt);
// the op ends with its last attempt's class when it was not retryable or failover is off, else with
// all_endpoints_failed (every candidate failed) or max_attempts_exceeded (attempts ran out first).
//
// Idempotency: GET/STAT/LIST are safe to repeat. A PUT that timed out may have landed; repeating it
// writes the same bytes to the same key (content derives from seed + key), so the retry is safe. A
// DELETE whose first attempt landed answers 404 on the retry: a retried DELETE that finds nothing counts
// as done.

import type { IoSlot, ObjectStore } from '../backends/object-store.js';
import { OUTCOME } from '../backends/outcome.js';
import type { RoutingPlan, RunPlan } from '../plan/run-plan.js';
import { CircuitBreaker, type BreakerEvent } from '../routing/circuit-breaker.js';
import type { ConsistentHashStrategy } from '../routing/consistent-hash.js';
import { ExclusionSet } from '../routing/exclusions.js';
import { hashKey } from '../routing/hash.js';
import { createStrategy, type EndpointView, type RoutingStrategy } from '../routing/strategy.js';
import type { Recorder } from '../stats/recorder.js';
import type { Rng } from '../workload/rng.js';

export const KIND_GET = 0;
export const KIND_PUT = 1;
export const KIND_LIST = 2;
export const KIND_STAT = 3;
export const KIND_DELETE = 4;

/** Outcomes that say something about the endpoint's health (the breaker counts them as failures). */
function isEndpointFailure(outcome: number): boolean {
  return (
    outcome === OUTCOME.connect_refused ||
    outcome === OUTCOME.connect_reset ||
    outcome === OUTCOME.timeout ||
    outcome === OUTCOME.http_5xx ||
    outcome === OUTCOME.slow_down
  );
}

export class EndpointRouter implements EndpointView {
  readonly count: number;
  readonly inFlight: Int32Array;
  readonly weights: Float64Array;
  private readonly stores: readonly ObjectStore[];
  private readonly recorder: Recorder;
  private readonly routing: RoutingPlan | undefined;
  private readonly targetEndpoint: number;
  private readonly poolEndpoints: Int32Array;
  private readonly maxInFlight: Int32Array;
  private readonly strategy: RoutingStrategy | undefined;
  private readonly breaker: CircuitBreaker | undefined;
  private readonly epochMs: number;
  private readonly onEvent: (event: BreakerEvent) => void;
  private nowMs = 0;

  constructor(options: {
    plan: RunPlan;
    stores: readonly ObjectStore[];
    recorder: Recorder;
    rng: Rng;
    /** Shared by all workers (and the main thread's prober); undefined without a pool. */
    breakerState: SharedArrayBuffer | undefined;
    /** Epoch ms that breaker times count from (the same in every thread). */
    epochMs: number;
    workerCount: number;
    onEvent: (event: BreakerEvent) => void;
  }) {
    const { plan } = options;
    this.stores = options.stores;
    this.recorder = options.recorder;
    this.routing = plan.routing;
    this.targetEndpoint = plan.targetEndpoint;
    this.epochMs = options.epochMs;
    this.onEvent = options.onEvent;
    const pool = plan.routing?.poolEndpoints ?? [];
    this.poolEndpoints = Int32Array.from(pool);
    this.count = pool.length;
    this.inFlight = new Int32Array(pool.length);
    this.weights = Float64Array.from(pool.map((e) => plan.endpoints[e]!.weight));
    // max_in_flight is per host; each worker thread takes its share.
    this.maxInFlight = Int32Array.from(pool.map((e) => Math.ceil(plan.endpoints[e]!.maxInFlight / options.workerCount)));
    if (plan.routing) {
      this.strategy = createStrategy(plan.routing.strategy, {
        count: pool.length,
        weights: pool.map((e) => plan.endpoints[e]!.weight),
        vnodes: plan.routing.vnodes,
        endpointIds: pool.map((e) => plan.endpoints[e]!.id),
        random: () => options.rng.next(),
      });
      this.breaker = new CircuitBreaker(options.breakerState!, plan.endpoints.length, {
        ejectAfterErrors: plan.routing.ejectAfterErrors,
        cooldownMs: plan.routing.cooldownMs,
      });
    }
  }

  /** EndpointView: may this pool endpoint take an operation now? (May claim a half-open trial slot.) */
  isAvailable(local: number): boolean {
    const limit = this.maxInFlight[local]!;
    if (limit > 0 && this.inFlight[local]! >= limit) return false;
    return this.breaker!.isAvailable(this.poolEndpoints[local]!, this.nowMs);
  }

  /** True when this op kind goes through the pool. */
  get hasPool(): boolean {
    return this.strategy !== undefined;
  }

  /**
   * Runs the operation in `slot` and returns the endpoint index that served it (its last attempt). The
   * outcome is in slot.outcome. `exclusions` belongs to the calling loop (one op in flight per loop).
   */
  async execute(kind: number, slot: IoSlot, useMultiEndpoint: boolean, exclusions: ExclusionSet): Promise<number> {
    if (!useMultiEndpoint || this.strategy === undefined) {
      await callStore(this.stores[this.targetEndpoint]!, kind, slot);
      return this.targetEndpoint;
    }
    const routing = this.routing!;
    const keyHash = this.strategy.usesKeyHash ? hashKey(slot.key) : 0;
    exclusions.begin();
    if (routing.namespace === 'independent') return this.executeOnOwner(kind, slot, keyHash);

    let attempts = 0;
    let lastEndpoint = this.poolEndpoints[0]!;
    for (;;) {
      this.nowMs = this.clockMs();
      const local = this.strategy.pick(keyHash, this, exclusions);
      if (local === -1) {
        // attempts > 0: every candidate left failed (the last attempt's class is in its failed attempts).
        slot.outcome = attempts === 0 ? OUTCOME.no_endpoint_available : OUTCOME.all_endpoints_failed;
        slot.bytes = 0;
        return lastEndpoint;
      }
      if (attempts > 0) this.recorder.recordRetryAway(lastEndpoint);
      const endpoint = this.poolEndpoints[local]!;
      lastEndpoint = endpoint;
      attempts++;
      await this.attempt(local, endpoint, kind, slot);
      if (attempts > 1 && kind === KIND_DELETE && slot.outcome === OUTCOME.not_found) slot.outcome = OUTCOME.ok;
      const outcome = slot.outcome;
      if (outcome === OUTCOME.ok) return endpoint;
      this.recorder.recordFailedAttempt(endpoint, outcome);
      if (routing.maxAttempts === 1 || !this.isRetryable(outcome)) return endpoint;
      exclusions.add(local);
      if (attempts >= routing.maxAttempts) {
        slot.outcome = attempts >= this.count ? OUTCOME.all_endpoints_failed : OUTCOME.max_attempts_exceeded;
        return endpoint;
      }
    }
  }

  /** Independent namespaces: a key lives on one endpoint; no failover to another's namespace. */
  private async executeOnOwner(kind: number, slot: IoSlot, keyHash: number): Promise<number> {
    const local = (this.strategy as ConsistentHashStrategy).owner(keyHash);
    const endpoint = this.poolEndpoints[local]!;
    this.nowMs = this.clockMs();
    if (!this.isAvailable(local)) {
      slot.outcome = OUTCOME.owner_down;
      slot.bytes = 0;
      return endpoint;
    }
    await this.attempt(local, endpoint, kind, slot);
    if (slot.outcome !== OUTCOME.ok) this.recorder.recordFailedAttempt(endpoint, slot.outcome);
    return endpoint;
  }

  /** The endpoint that holds a key for cleanup: its owner (independent) or the first healthy one. */
  cleanupEndpointFor(key: string): number {
    if (this.strategy === undefined) return this.targetEndpoint;
    if (this.routing!.namespace === 'independent') {
      return this.poolEndpoints[(this.strategy as ConsistentHashStrategy).owner(hashKey(key))]!;
    }
    this.nowMs = this.clockMs();
    for (let local = 0; local < this.count; local++) if (this.breaker!.state(this.poolEndpoints[local]!) === 'closed') return this.poolEndpoints[local]!;
    return this.poolEndpoints[0]!;
  }

  private async attempt(local: number, endpoint: number, kind: number, slot: IoSlot): Promise<void> {
    slot.outcome = OUTCOME.ok;
    slot.bytes = 0;
    slot.status = 0;
    // The breaker ignores outcomes of attempts that started before its last transition (a request stuck
    // since before an ejection must not decide the trial, nor re-eject after a readmit).
    const startedMs = this.clockMs();
    this.inFlight[local]!++;
    try {
      await callStore(this.stores[endpoint]!, kind, slot);
    } finally {
      this.inFlight[local]!--;
    }
    const nowMs = this.clockMs();
    const event = isEndpointFailure(slot.outcome) ? this.breaker!.onFailure(endpoint, nowMs, startedMs) : this.breaker!.onSuccess(endpoint, nowMs, startedMs);
    if (event !== null) this.onEvent(event);
  }

  private isRetryable(outcome: number): boolean {
    const retryOn = this.routing!.retryOn;
    switch (outcome) {
      case OUTCOME.connect_refused:
      case OUTCOME.connect_reset:
        return retryOn.connect;
      case OUTCOME.timeout:
        return retryOn.timeout;
      case OUTCOME.http_5xx:
        return retryOn.http5xx;
      case OUTCOME.slow_down:
        return retryOn.slowDown;
      default:
        return false;
    }
  }

  private clockMs(): number {
    return breakerClockMs(this.epochMs);
  }
}

/**
 * Milliseconds since the run's shared epoch, on the monotonic clock every thread shares (timeOrigin +
 * now() is comparable across threads; Date.now() can jump).
 */
export function breakerClockMs(epochMs: number): number {
  return Math.floor(performance.timeOrigin + performance.now() - epochMs);
}

export function callStore(store: ObjectStore, kind: number, slot: IoSlot): Promise<void> {
  switch (kind) {
    case KIND_GET:
      return store.get(slot);
    case KIND_PUT:
      return store.put(slot);
    case KIND_LIST:
      return store.list(slot);
    case KIND_STAT:
      return store.stat(slot);
    default:
      return store.delete(slot);
  }
}
