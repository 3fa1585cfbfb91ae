// random: uniform among the available endpoints. One draw when the drawn endpoint is available (the healthy
// case); otherwise it is ruled out and the next draw is uniform among those not yet ruled out, so the
// result stays uniform over the available ones (no "next after a dead one gets double" bias of probing).
//
// Draws come from the strategy's own mulberry32 generator (integer arithmetic only), seeded once from
// `options.random`: calling a `() => number` per pick returns a double, which V8 heap-allocates whenever
// the call is not inlined (measured: 4 scavenges per 3M picks in test/unit/routing/allocation.test.ts).

import { ExclusionSet } from './exclusions.js';
import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class RandomStrategy implements RoutingStrategy {
  readonly name = 'random' as const;
  readonly usesInFlight = false;
  private readonly count: number;
  /** mulberry32 state. */
  private state: number;
  /** Scratch: endpoints found unavailable during the current pick. */
  private readonly ruledOut: ExclusionSet;

  constructor(count: number, random: () => number) {
    this.count = count;
    this.state = Math.floor(random() * 4294967296) | 0;
    this.ruledOut = new ExclusionSet(count);
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    const count = this.count;
    const first = this.below(count);
    if (!excluded.has(first) && view.isAvailable(first)) return first;

    const ruledOut = this.ruledOut;
    ruledOut.begin();
    let remaining = 0;
    for (let e = 0; e < count; e++) {
      if (e === first || excluded.has(e)) ruledOut.add(e);
      else remaining++;
    }
    while (remaining > 0) {
      // The k-th endpoint not ruled out, k uniform in [0, remaining).
      let k = this.below(remaining);
      let endpoint = 0;
      for (; endpoint < count; endpoint++) {
        if (!ruledOut.has(endpoint) && k-- === 0) break;
      }
      if (view.isAvailable(endpoint)) return endpoint;
      ruledOut.add(endpoint);
      remaining--;
    }
    return -1;
  }

  /** Uniform integer in [0, n), n < 2^21 (mulberry32: 32-bit state, plenty to spread load evenly). */
  private below(n: number): number {
    const state = (this.state + 0x6d2b79f5) | 0;
    this.state = state;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  }
}
