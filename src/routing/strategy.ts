// A routing strategy maps one operation to an endpoint index. It runs on the hot path of every worker
// thread, once per attempt, so `pick` allocates nothing (no closures, arrays, objects or strings; checked
// by test/unit/routing/allocation.test.ts). Cost when every endpoint is healthy: O(1) for round_robin,
// first, random and consistent_hash (a bucket table on the ring); one pass over the N endpoints for
// least_connections and weighted, which is what their definitions need. An unavailable endpoint adds at
// most one more pass each. Strategies are per worker thread and not thread-safe; health is shared between
// threads by the circuit breaker behind `EndpointView`.
//
// The contract with the view (important when it is backed by CircuitBreaker.isAvailable, which may hand out
// the one half-open trial slot of an endpoint): a strategy asks `excluded.has(e)` first, asks
// `view.isAvailable(e)` only for the endpoint it is about to return, and returns it when the answer is
// true. So a won trial slot is never dropped by a strategy that then picks another endpoint.

import { ConsistentHashStrategy } from './consistent-hash.js';
import { FirstStrategy } from './first.js';
import { LeastConnectionsStrategy } from './least-connections.js';
import { RandomStrategy } from './random.js';
import { RoundRobinStrategy } from './round-robin.js';
import { WeightedStrategy } from './weighted.js';

export const STRATEGIES = ['round_robin', 'least_connections', 'random', 'first', 'weighted', 'consistent_hash'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Owned by the pool (one per worker thread); strategies only read it. */
export interface EndpointView {
  readonly count: number;
  /**
   * Health says this endpoint may take an operation now. May have a side effect (claiming a half-open
   * trial slot): see the contract at the top of this file.
   */
  isAvailable(endpoint: number): boolean;
  /**
   * Operations in flight per endpoint, in this worker thread. Kept only when something reads it (a strategy
   * with `usesInFlight`, or an endpoint's max_in_flight); otherwise all zeros.
   */
  readonly inFlight: Int32Array;
  /**
   * Weights per endpoint (configured; default 1), read by `weighted` at every pick, so the pool may lower
   * one at run time (as undici's BalancedPool does on errors) and the smooth sequence adapts, like nginx's
   * effective_weight.
   */
  readonly weights: Float64Array;
}

/** The endpoints already tried by this operation (failover). */
export interface AttemptExclusions {
  has(endpoint: number): boolean;
  /** How many are excluded: 0 on an operation's first attempt, when strategies skip the membership tests. */
  readonly size: number;
}

export interface RoutingStrategy {
  readonly name: StrategyName;
  /** False when `pick` never reads `view.inFlight`: the pool counts operations in flight only if a limit needs them. */
  readonly usesInFlight: boolean;
  /**
   * Endpoint index, or -1 when every endpoint is unavailable or excluded.
   * keyHash: 32-bit hash of the logical key (`hashKey` in hash.ts): pass it as a signed int32, which stays
   * unboxed across calls (an unsigned value ≥ 2^31 would be heap-allocated per call).
   */
  pick(keyHash: number, view: EndpointView, excluded: AttemptExclusions): number;
}

export interface StrategyOptions {
  count: number;
  /** Per endpoint, > 0. consistent_hash gives endpoint e round(vnodes × weights[e]) points (at least 1). */
  weights: readonly number[];
  /** Ring points per endpoint of weight 1 (consistent_hash only). */
  vnodes: number;
  /** Stable, distinct identities (the endpoint URLs): ring points are placed by hashing `id#i`. */
  endpointIds: readonly string[];
  /** Uniform in [0, 1), e.g. `() => rng.next()` from the run's seed: seeds `random`'s own generator (called once). */
  random: () => number;
}

export function createStrategy(name: 'consistent_hash', options: StrategyOptions): ConsistentHashStrategy;
export function createStrategy(name: StrategyName, options: StrategyOptions): RoutingStrategy;
export function createStrategy(name: StrategyName, options: StrategyOptions): RoutingStrategy {
  checkOptions(options);
  switch (name) {
    case 'round_robin':
      return new RoundRobinStrategy(options.count);
    case 'least_connections':
      return new LeastConnectionsStrategy(options.count);
    case 'random':
      return new RandomStrategy(options.count, options.random);
    case 'first':
      return new FirstStrategy(options.count);
    case 'weighted':
      return new WeightedStrategy(options.count);
    case 'consistent_hash':
      return new ConsistentHashStrategy(options.endpointIds, options.weights, options.vnodes);
    default:
      throw new RangeError(`unknown routing strategy ${JSON.stringify(name)}; expected one of ${STRATEGIES.join(', ')}`);
  }
}

/** The config schema validates all this for users; these checks catch wiring mistakes. */
function checkOptions(options: StrategyOptions): void {
  const { count, weights, vnodes, endpointIds } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`endpoint count must be an integer ≥ 1, got ${count}`);
  if (weights.length !== count) throw new RangeError(`expected ${count} weights, got ${weights.length}`);
  for (const weight of weights) {
    if (!(Number.isFinite(weight) && weight > 0)) throw new RangeError(`endpoint weights must be finite and > 0, got ${weight}`);
  }
  if (endpointIds.length !== count) throw new RangeError(`expected ${count} endpoint ids, got ${endpointIds.length}`);
  if (new Set(endpointIds).size !== count) throw new RangeError('endpoint ids must be distinct');
  if (!Number.isInteger(vnodes) || vnodes < 1) throw new RangeError(`vnodes must be an integer ≥ 1, got ${vnodes}`);
}
