// first: the first available endpoint in configuration order (primary, then backups).

import type { AttemptExclusions, EndpointView, RoutingStrategy } from './strategy.js';

export class FirstStrategy implements RoutingStrategy {
  readonly name = 'first' as const;
  readonly usesInFlight = false;
  private readonly count: number;

  constructor(count: number) {
    this.count = count;
  }

  pick(_keyHash: number, view: EndpointView, excluded: AttemptExclusions): number {
    for (let endpoint = 0; endpoint < this.count; endpoint++) {
      if (!excluded.has(endpoint) && view.isAvailable(endpoint)) return endpoint;
    }
    return -1;
  }
}
