// consistent_hash: a key goes to its owner on the ring (hash-ring.ts) every time. When the owner is
// unavailable or excluded, the walk continues clockwise to the next distinct endpoint, so an ejected
// endpoint's keys spread over its ring neighbours (thanks to vnodes) and nobody else's keys move.
//
// With `namespace: independent` a key's object exists only on its owner, so failover must not move it:
// the pool asks `owner(keyHash)` instead and fails the operation when that endpoint is down.

import { ExclusionSet } from './exclusions.js';
import { HashRing } from './hash-ring.js';
import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class ConsistentHashStrategy implements RoutingStrategy {
  readonly name = 'consistent_hash' as const;
  readonly usesInFlight = false;
  readonly ring: HashRing;
  /** Scratch: endpoints found unavailable or excluded during the current walk. */
  private readonly ruledOut: ExclusionSet;

  constructor(endpointIds: readonly string[], weights: readonly number[], vnodes: number) {
    this.ring = new HashRing(endpointIds, weights, vnodes);
    this.ruledOut = new ExclusionSet(endpointIds.length);
  }

  /** The endpoint that owns the key, ignoring health and exclusions. */
  owner(keyHash: number): number {
    return this.ring.ownerOf(keyHash);
  }

  pick(keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    const ring = this.ring;
    let point = ring.pointFor(keyHash);
    let endpoint = ring.ownerAt(point);
    if (!excluded.has(endpoint) && view.isAvailable(endpoint)) return endpoint;

    const ruledOut = this.ruledOut;
    ruledOut.begin();
    ruledOut.add(endpoint);
    const points = ring.pointCount;
    const endpoints = ring.endpointCount;
    for (let walked = 1; walked < points && ruledOut.size < endpoints; walked++) {
      point = point + 1 === points ? 0 : point + 1;
      endpoint = ring.ownerAt(point);
      if (ruledOut.has(endpoint)) continue;
      if (!excluded.has(endpoint) && view.isAvailable(endpoint)) return endpoint;
      ruledOut.add(endpoint);
    }
    return -1;
  }
}
