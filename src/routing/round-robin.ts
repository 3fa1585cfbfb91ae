// round_robin: endpoints in turn, skipping the unavailable and the excluded. After a skip the turn
// continues from the endpoint picked, so the endpoint following a dead one does not get its share too
// (A B C with B down gives A C A C, not A C C A C C).

import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class RoundRobinStrategy implements RoutingStrategy {
  readonly name = 'round_robin' as const;
  readonly usesInFlight = false;
  private readonly count: number;
  private next = 0;

  constructor(count: number) {
    this.count = count;
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    const count = this.count;
    let endpoint = this.next;
    for (let tried = 0; tried < count; tried++) {
      if (!excluded.has(endpoint) && view.isAvailable(endpoint)) {
        this.next = endpoint + 1 === count ? 0 : endpoint + 1;
        return endpoint;
      }
      endpoint = endpoint + 1 === count ? 0 : endpoint + 1;
    }
    return -1;
  }
}
