// The set of endpoints an operation has already tried (failover excludes them), reusable without
// allocation: each in-flight operation slot owns one, and `begin()` empties it in O(1) by moving to a new
// stamp instead of clearing. Membership is `stamps[e] === stamp`.
//
//   stamps: [ 7 | 3 | 7 | 0 ]   stamp = 7   → {0, 2}
//   begin()                     stamp = 8   → {}
//
// Strategies also use one as scratch, for the endpoints found unavailable during one pick.

import type { AttemptExclusions } from './strategy.js';

export class ExclusionSet implements AttemptExclusions {
  private readonly stamps: Uint32Array;
  private stamp = 1;
  private members = 0;

  constructor(endpointCount: number) {
    this.stamps = new Uint32Array(endpointCount);
  }

  /** Empties the set (start of an operation). */
  begin(): void {
    this.members = 0;
    if (this.stamp === 0xffffffff) {
      // After 2^32 - 1 operations on this slot: old stamps could collide with new ones, so clear once.
      this.stamps.fill(0);
      this.stamp = 1;
    } else {
      this.stamp++;
    }
  }

  add(endpoint: number): void {
    if (this.stamps[endpoint] !== this.stamp) {
      this.stamps[endpoint] = this.stamp;
      this.members++;
    }
  }

  has(endpoint: number): boolean {
    return this.stamps[endpoint] === this.stamp;
  }

  /** Distinct endpoints added since `begin()`: when it reaches the endpoint count, every candidate was tried. */
  get size(): number {
    return this.members;
  }
}

/** For attempts without failover. */
export const NO_EXCLUSIONS: AttemptExclusions = Object.freeze({ has: (_endpoint: number) => false, size: 0 });
