// weighted: smooth weighted round-robin, nginx's algorithm (ngx_http_upstream_get_peer): every pick adds
// each eligible endpoint's weight to its `current`, takes the endpoint with the largest `current` (the
// first one on ties) and subtracts the total of the eligible weights from it. Over a cycle of Σweights
// picks each endpoint gets exactly its weight, spread out: 5,1,1 gives a a b a c a a.
//
// Weights are read from the view at every pick (the pool owns them and may lower one at run time).
// Availability is asked of the winner alone (contract in strategy.ts): when it is unavailable the pass is
// undone, the winner ruled out for this pick and the choice made again among the rest, so the weights end
// up added only for the endpoints that stayed eligible. An ejected endpoint then sits at the top of
// `current`, is ruled out on each pick, and the others follow the exact sequence among themselves.
// Cost: one pass over N when healthy.

import { ExclusionSet } from './exclusions.js';
import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class WeightedStrategy implements RoutingStrategy {
  readonly name = 'weighted' as const;
  readonly usesInFlight = false;
  private readonly count: number;
  private readonly current: Float64Array;
  /** Scratch: endpoints found unavailable during the current pick. */
  private readonly ruledOut: ExclusionSet;

  constructor(count: number) {
    this.count = count;
    this.current = new Float64Array(count);
    this.ruledOut = new ExclusionSet(count);
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    const count = this.count;
    const current = this.current;
    const weights = view.weights;
    const ruledOut = this.ruledOut;
    ruledOut.begin();
    // Membership tests only once something is excluded or ruled out: a healthy first attempt skips all
    // 2 × N of them (8 endpoints, pick + pool bookkeeping in a tight loop: 67 → 50 ns per op).
    let isFiltering = excluded.size > 0;
    for (;;) {
      // nginx's single pass: add the weights and find the largest `current`.
      let best = -1;
      let bestCurrent = 0;
      let total = 0;
      for (let e = 0; e < count; e++) {
        if (isFiltering && (excluded.has(e) || ruledOut.has(e))) continue;
        const weight = weights[e];
        const value = (current[e] += weight);
        total += weight;
        if (best === -1 || value > bestCurrent) {
          best = e;
          bestCurrent = value;
        }
      }
      if (best === -1) return -1;
      if (view.isAvailable(best)) {
        current[best] -= total;
        return best;
      }
      // Undo the pass (exact for integer weights) and choose again without the unavailable winner.
      for (let e = 0; e < count; e++) {
        if (isFiltering && (excluded.has(e) || ruledOut.has(e))) continue;
        current[e] -= weights[e];
      }
      ruledOut.add(best);
      isFiltering = true;
    }
  }
}
