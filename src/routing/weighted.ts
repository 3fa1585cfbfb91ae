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
// Cost: one pass over N per pick, except while every endpoint is healthy and nothing is excluded: then
// picks come from the precomputed cycle (weighted-cycle.ts) in O(1). The strategy leaves the cycle at the
// first pick that needs more (its `current` set to where the cycle was) and goes back to it when `current`
// is 0 again. On the cycle, weights are compared with the ones it was built for at each cycle start, so a
// weight changed at run time takes effect within Σweights picks instead of at the next one.

import { ExclusionSet } from './exclusions.js';
import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';
import { WeightedCycle } from './weighted-cycle.js';

export class WeightedStrategy implements RoutingStrategy {
  readonly name = 'weighted' as const;
  readonly usesInFlight = false;
  private readonly count: number;
  private readonly current: Float64Array;
  /** Scratch: endpoints found unavailable during the current pick. */
  private readonly ruledOut: ExclusionSet;
  /** The healthy cycle of the current weights (undefined until the first pick, or when there is none). */
  private cycle: WeightedCycle | undefined;
  /** Picks follow `cycle` (and `current` is its state at cycle.position), not `current`. */
  private isOnCycle = false;

  constructor(count: number) {
    this.count = count;
    this.current = new Float64Array(count);
    this.ruledOut = new ExclusionSet(count);
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    if (!this.isOnCycle && this.isAtCycleStart()) this.enterCycle(view.weights);
    if (this.isOnCycle) {
      const cycle = this.cycle!;
      if (excluded.size === 0 && (cycle.position !== 0 || cycle.matches(view.weights))) {
        const endpoint = cycle.order[cycle.position]!;
        if (view.isAvailable(endpoint)) {
          cycle.take();
          return endpoint;
        }
      }
      // Leave the cycle where it is. The full algorithm recomputes the same winner first and asks about
      // it again: an endpoint that just became available (a trial slot) is then kept, as the contract says.
      cycle.stateAt(cycle.position, this.current);
      this.isOnCycle = false;
    }
    return this.pickByPass(view, excluded);
  }

  /** `current` is all 0: where every cycle starts. */
  private isAtCycleStart(): boolean {
    for (let e = 0; e < this.count; e++) if (this.current[e] !== 0) return false;
    return true;
  }

  private enterCycle(weights: Float64Array): void {
    if (this.cycle === undefined || !this.cycle.matches(weights)) this.cycle = WeightedCycle.build(weights);
    if (this.cycle === undefined) return;
    this.cycle.position = 0;
    this.isOnCycle = true;
  }

  /** nginx's algorithm over every endpoint that is not excluded. */
  private pickByPass(view: EndpointView, excluded: AttemptExclusions): number {
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
