// least_connections: the available endpoint with the fewest operations in flight (in this worker thread).
// The scan starts after the previous pick, so among equals the picks rotate and equal endpoints share the
// load (a fixed start would send every tie to endpoint 0: with fast endpoints, in-flight counts are
// mostly equal).
//
// The scan reads only in-flight counts; availability is asked of the winner alone (see the contract in
// strategy.ts). If it is unavailable it is ruled out and the scan repeats: O(N) when healthy, O(N × down)
// otherwise. The scan stops at the first idle endpoint (0 in flight), which is the answer: with fast
// endpoints or few operations in flight that is usually the first one looked at (null:// pool, 8
// endpoints: pick + pool bookkeeping 37 → 22 ns per op in a tight loop).

import { ExclusionSet } from './exclusions.js';
import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class LeastConnectionsStrategy implements RoutingStrategy {
  readonly name = 'least_connections' as const;
  readonly usesInFlight = true;
  private readonly count: number;
  private start = 0;
  /** Scratch: endpoints found unavailable during the current pick. */
  private readonly ruledOut: ExclusionSet;

  constructor(count: number) {
    this.count = count;
    this.ruledOut = new ExclusionSet(count);
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    const count = this.count;
    const inFlight = view.inFlight;
    const ruledOut = this.ruledOut;
    ruledOut.begin();
    // Membership tests only once something is excluded or ruled out: a healthy first attempt skips all
    // 2 × N of them (8 endpoints, pick + pool bookkeeping in a tight loop: 50 → 48 ns per op; the scan of
    // the in-flight counts is what remains).
    let isFiltering = excluded.size > 0;
    for (;;) {
      let best = -1;
      let bestInFlight = 0;
      let endpoint = this.start;
      for (let scanned = 0; scanned < count; scanned++) {
        if (!isFiltering || !(excluded.has(endpoint) || ruledOut.has(endpoint))) {
          const n = inFlight[endpoint];
          if (best === -1 || n < bestInFlight) {
            best = endpoint;
            bestInFlight = n;
            // Nothing is below 0, and on ties the first from `start` wins: an idle endpoint ends the scan.
            if (n === 0) break;
          }
        }
        endpoint = endpoint + 1 === count ? 0 : endpoint + 1;
      }
      if (best === -1) return -1;
      if (view.isAvailable(best)) {
        this.start = best + 1 === count ? 0 : best + 1;
        return best;
      }
      ruledOut.add(best);
      isFiltering = true;
    }
  }
}
