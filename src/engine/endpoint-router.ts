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

import { performance } from 'node:perf_hooks';
import type { IoSlot, ObjectStore } from '../backends/object-store.js';
import { OUTCOME } from '../backends/outcome.js';
import type { RoutingPlan, RunPlan } from '../plan/run-plan.js';
import { CircuitBreaker, type BreakerEvent } from '../routing/circuit-breaker.js';
import { ConsistentHashStrategy } from '../routing/consistent-hash.js';
import { ExclusionSet } from '../routing/exclusions.js';
import { hashKey } from '../routing/hash.js';
import { KeyOwnerCache } from '../routing/key-owner-cache.js';
import { createStrategy, type EndpointView, type RoutingStrategy } from '../routing/strategy.js';
import type { Recorder } from '../stats/recorder.js';
import type { Rng } from '../workload/rng.js';

export const KIND_GET = 0;
export const KIND_PUT = 1;
export const KIND_LIST = 2;
export const KIND_STAT = 3;
export const KIND_DELETE = 4;

/** Read once: `performance.timeOrigin` is a getter that validates its receiver (measured: ~5% of an op). */
const TIME_ORIGIN_MS = performance.timeOrigin;

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

/** The routing state of one operation in flight (one per op loop, reused: no allocation per op). */
export class PoolOp {
  readonly exclusions: ExclusionSet;
  kind = 0;
  attempts = 0;
  keyHash = 0;
  /** Index into the pool of the current attempt's endpoint. */
  local = -1;
  /** Index into plan.endpoints of the current (finally: the last) attempt's endpoint. */
  endpoint = -1;
  /** performance.now() at which the current attempt started (turned into breaker time only when needed). */
  startedPerfMs = 0;
  /** An attempt was started and has not been through afterAttempt (or abandonAttempt). */
  inAttempt = false;

  constructor(poolSize: number) {
    this.exclusions = new ExclusionSet(poolSize);
  }
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
  /** Read once from the plan and the strategy: the hot path tests plain booleans. */
  private readonly isIndependent: boolean;
  private readonly isCountingInFlight: boolean;
  /** consistent_hash only: each key's owner on the ring, once per key. */
  private readonly keyOwners: KeyOwnerCache | undefined;
  /** performance.now() of the pick in progress: what isAvailable asks the breaker about. */
  private nowPerfMs = 0;

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
      this.strategy = createPoolStrategy(plan, options.rng);
      this.breaker = new CircuitBreaker(options.breakerState!, plan.endpoints.length, {
        ejectAfterErrors: plan.routing.ejectAfterErrors,
        cooldownMs: plan.routing.cooldownMs,
      });
    }
    this.isIndependent = plan.routing?.namespace === 'independent';
    this.isCountingInFlight = (this.strategy?.usesInFlight ?? false) || this.maxInFlight.some((limit) => limit > 0);
    this.keyOwners = this.strategy instanceof ConsistentHashStrategy ? new KeyOwnerCache(this.strategy) : undefined;
    // The config allows independent namespaces with consistent_hash only (config/semantics.ts).
    if (this.isIndependent && this.keyOwners === undefined) throw new Error('namespace: independent needs strategy consistent_hash');
  }

  /** EndpointView: may this pool endpoint take an operation now? (May claim a half-open trial slot.) */
  isAvailable(local: number): boolean {
    const limit = this.maxInFlight[local]!;
    if (limit > 0 && this.inFlight[local]! >= limit) return false;
    const endpoint = this.poolEndpoints[local]!;
    const breaker = this.breaker!;
    return breaker.isClosed(endpoint) || breaker.isAvailable(endpoint, this.epochClock(this.nowPerfMs));
  }

  /** The target's own endpoint, for ops that do not use the pool (no async layer of our own). */
  direct(kind: number, slot: IoSlot): Promise<void> {
    return callStore(this.stores[this.targetEndpoint]!, kind, slot);
  }

  get directEndpoint(): number {
    return this.targetEndpoint;
  }

  /**
   * Starts an operation in `slot` through the pool. Returns the endpoint to send the first attempt to, or
   * -1 when the op ended before any attempt (slot.outcome says why). The caller awaits the store itself
   * and then calls `afterAttempt`: an explicit state machine, so that routing adds no promise of its own
   * per operation (measured: an async wrapper here cost ~0.15 µs of a 0.5 µs null-backend op).
   *
   * keyId: the key's keyspace id (-1 when there is none, e.g. a LIST prefix): with consistent_hash the key's
   * owner is looked up once per key, not per operation.
   *
   * Cost (issue 4: a null:// pool must run at ≥ 0.9× one endpoint, whose whole op takes ~0.20 µs): this and
   * afterAttempt do only what a healthy first attempt needs (no Atomics, no breaker clock, no key hash, no
   * in-flight counts nobody reads); failover, ejected endpoints, redirects and failures go through separate
   * methods, which keeps these two small for V8 to inline. Pick + bookkeeping per op, 8 endpoints, tight
   * loop: round_robin 44 → 14 ns, first 41 → 14, random 51 → 26, consistent_hash 64 → 15, and with their
   * own changes least_connections 70 → 22 and weighted 86 → 23.
   */
  beginOp(op: PoolOp, kind: number, slot: IoSlot, startPerfMs: number, keyId: number): number {
    op.kind = kind;
    op.attempts = 0;
    op.keyHash = 0;
    op.exclusions.begin();
    op.startedPerfMs = this.nowPerfMs = startPerfMs;
    // An op that ends before any attempt (every endpoint ejected) is counted on the pool's first endpoint.
    op.endpoint = this.poolEndpoints[0]!;
    if (this.keyOwners !== undefined) return this.beginAtOwner(op, slot, keyId);
    return this.pickAttempt(op, slot);
  }

  /**
   * After an attempt finished (its outcome in slot): updates health and counters, and returns the
   * endpoint of the next attempt, or -1 when the op is done (slot.outcome is final; op.endpoint served).
   */
  afterAttempt(op: PoolOp, slot: IoSlot, endPerfMs: number): number {
    if (this.isCountingInFlight) this.inFlight[op.local]!--;
    op.inAttempt = false;
    // A success on a closed endpoint with no failure counted changes no health state: skip the breaker.
    if (slot.outcome === OUTCOME.ok && slot.redirects === 0 && this.breaker!.isQuiet(op.endpoint)) return -1;
    return this.settleAttempt(op, slot, endPerfMs);
  }

  /** afterAttempt's full path: redirects, the breaker's verdict, failover. */
  private settleAttempt(op: PoolOp, slot: IoSlot, endPerfMs: number): number {
    const local = op.local;
    const endpoint = op.endpoint;
    if (slot.redirects > 0) this.recorder.recordRedirects(endpoint, slot.redirects);
    const outcome = slot.outcome;
    const nowMs = this.epochClock(endPerfMs);
    const startedMs = this.epochClock(op.startedPerfMs);
    const event = isEndpointFailure(outcome) ? this.breaker!.onFailure(endpoint, nowMs, startedMs) : this.breaker!.onSuccess(endpoint, nowMs, startedMs);
    if (event !== null) this.onEvent(event);
    if (outcome === OUTCOME.ok) return -1;
    if (op.attempts > 1 && op.kind === KIND_DELETE && outcome === OUTCOME.not_found) {
      slot.outcome = OUTCOME.ok; // the first attempt's DELETE landed
      return -1;
    }
    this.recorder.recordFailedAttempt(endpoint, outcome);
    const routing = this.routing!;
    if (routing.namespace === 'independent' || routing.maxAttempts === 1 || !this.isRetryable(outcome)) return -1;
    op.exclusions.add(local);
    if (op.attempts >= routing.maxAttempts) {
      slot.outcome = op.attempts >= this.count ? OUTCOME.all_endpoints_failed : OUTCOME.max_attempts_exceeded;
      return -1;
    }
    op.startedPerfMs = this.nowPerfMs = endPerfMs;
    if (this.keyOwners !== undefined) op.keyHash = hashKey(slot.key);
    return this.pickAttempt(op, slot);
  }

  /**
   * beginOp for consistent_hash: the key's owner when it can take the op (what the strategy's pick would
   * answer first), else the strategy's walk along the ring, which asks the owner once more (it may have
   * become available: a true answer there is kept, as the strategy contract requires). With `namespace:
   * independent` a key lives on its owner only: no failover into another endpoint's namespace.
   */
  private beginAtOwner(op: PoolOp, slot: IoSlot, keyId: number): number {
    const owner = this.keyOwners!.ownerOf(keyId, slot);
    if (this.isIndependent) {
      op.endpoint = this.poolEndpoints[owner]!;
      if (!this.isAvailable(owner)) return this.endOp(slot, OUTCOME.owner_down);
      return this.startAttempt(op, owner);
    }
    if (this.isAvailable(owner)) {
      op.endpoint = this.poolEndpoints[owner]!;
      return this.startAttempt(op, owner);
    }
    op.keyHash = hashKey(slot.key);
    return this.pickAttempt(op, slot);
  }

  /** After an op sent `direct`: what the router counts for it (S3 redirects it followed). */
  afterDirect(slot: IoSlot): void {
    if (slot.redirects > 0) this.recorder.recordRedirects(this.targetEndpoint, slot.redirects);
  }

  /**
   * Runs a whole op, through the pool or direct (set-up paths: prepare); returns the endpoint that served
   * it. The op loop drives the same steps inline, to add no promise of ours on the hot path.
   */
  async runOp(op: PoolOp, kind: number, slot: IoSlot, useMultiEndpoint: boolean, keyId: number): Promise<number> {
    if (!useMultiEndpoint) {
      await this.direct(kind, slot);
      this.afterDirect(slot);
      return this.targetEndpoint;
    }
    for (let endpoint = this.beginOp(op, kind, slot, performance.now(), keyId); endpoint >= 0; ) {
      await callStore(this.stores[endpoint]!, kind, slot);
      endpoint = this.afterAttempt(op, slot, performance.now());
    }
    return op.endpoint;
  }

  storeOf(endpoint: number): ObjectStore {
    return this.stores[endpoint]!;
  }

  private pickAttempt(op: PoolOp, slot: IoSlot): number {
    const local = this.strategy!.pick(op.keyHash, this, op.exclusions);
    if (local === -1) {
      // After failed attempts: every candidate left failed (each attempt's class is in failed attempts).
      return this.endOp(slot, op.attempts === 0 ? OUTCOME.no_endpoint_available : OUTCOME.all_endpoints_failed);
    }
    if (op.attempts > 0) this.beginRetry(op, slot);
    op.endpoint = this.poolEndpoints[local]!;
    return this.startAttempt(op, local);
  }

  /** A failover: counted on the endpoint it leaves; the slot is reset for the next attempt. */
  private beginRetry(op: PoolOp, slot: IoSlot): void {
    this.recorder.recordRetryAway(op.endpoint);
    slot.outcome = OUTCOME.ok;
    slot.bytes = 0;
    slot.status = 0;
  }

  /** A store threw (a bug: stores report outcomes): release the attempt so counts stay true. */
  abandonAttempt(op: PoolOp): void {
    if (!op.inAttempt) return;
    op.inAttempt = false;
    if (this.isCountingInFlight) this.inFlight[op.local]!--;
  }

  private startAttempt(op: PoolOp, local: number): number {
    op.local = local;
    op.inAttempt = true;
    op.attempts++;
    if (this.isCountingInFlight) this.inFlight[local]!++;
    return op.endpoint;
  }

  private endOp(slot: IoSlot, outcome: number): number {
    slot.outcome = outcome;
    slot.bytes = 0;
    return -1;
  }

  /** The endpoint that holds a key for cleanup: its owner (independent) or the first healthy one. */
  cleanupEndpointFor(key: string): number {
    if (this.strategy === undefined) return this.targetEndpoint;
    if (this.routing!.namespace === 'independent') {
      return this.poolEndpoints[(this.strategy as ConsistentHashStrategy).owner(hashKey(key))]!;
    }
    for (let local = 0; local < this.count; local++) if (this.breaker!.state(this.poolEndpoints[local]!) === 'closed') return this.poolEndpoints[local]!;
    return this.poolEndpoints[0]!;
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

  /** Breaker time of a performance.now() reading. */
  private epochClock(perfMs: number): number {
    return Math.floor(TIME_ORIGIN_MS + perfMs - this.epochMs);
  }
}

/** The routing strategy of a plan's pool (plan.routing must be set); indices are positions in the pool. */
export function createPoolStrategy(plan: RunPlan, rng: Rng): RoutingStrategy {
  const pool = plan.routing!.poolEndpoints;
  return createStrategy(plan.routing!.strategy, {
    count: pool.length,
    weights: pool.map((e) => plan.endpoints[e]!.weight),
    vnodes: plan.routing!.vnodes,
    endpointIds: pool.map((e) => plan.endpoints[e]!.id),
    random: () => rng.next(),
  });
}

/**
 * Milliseconds since the run's shared epoch, on the monotonic clock every thread shares (timeOrigin +
 * now() is comparable across threads; Date.now() can jump).
 */
export function breakerClockMs(epochMs: number): number {
  return Math.floor(TIME_ORIGIN_MS + performance.now() - epochMs);
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
