// random: uniform among the available endpoints. One draw when the drawn endpoint is available (the healthy
// case); otherwise it is ruled out and the next draw is uniform among those not yet ruled out, so the
// result stays uniform over the available ones (no "next after a dead one gets double" bias of probing).

import { ExclusionSet } from './exclusions.js';
import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class RandomStrategy implements RoutingStrategy {
  readonly name = 'random' as const;
  readonly usesKeyHash = false;
  private readonly count: number;
  private readonly random: () => number;
  /** Scratch: endpoints found unavailable during the current pick. */
  private readonly ruledOut: ExclusionSet;

  constructor(count: number, random: () => number) {
    this.count = count;
    this.random = random;
    this.ruledOut = new ExclusionSet(count);
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    const count = this.count;
    const first = Math.floor(this.random() * count);
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
      let k = Math.floor(this.random() * remaining);
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
}
