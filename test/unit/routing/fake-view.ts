// Test helpers: an EndpointView whose health the test sets, and strategy options with the defaults.

import type { EndpointView, StrategyOptions } from '../../../src/routing/strategy.js';
import { Rng } from '../../../src/workload/rng.js';

export class FakeView implements EndpointView {
  readonly count: number;
  readonly inFlight: Int32Array;
  readonly weights: Float64Array;
  /** 1 = available. */
  readonly up: Uint8Array;
  /** Endpoints isAvailable was asked about, in order (only when `recordCalls`). */
  readonly calls: number[] = [];
  recordCalls = false;

  constructor(count: number, weights?: readonly number[]) {
    this.count = count;
    this.inFlight = new Int32Array(count);
    this.weights = Float64Array.from(weights ?? new Array<number>(count).fill(1));
    this.up = new Uint8Array(count).fill(1);
  }

  isAvailable(endpoint: number): boolean {
    if (this.recordCalls) this.calls.push(endpoint);
    return this.up[endpoint] === 1;
  }

  setDown(...endpoints: number[]): this {
    for (const e of endpoints) this.up[e] = 0;
    return this;
  }
}

export function endpointUrls(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => `http://10.0.${(i + offset) >> 8}.${(i + offset) & 255}:7480`);
}

export function strategyOptions(count: number, overrides: Partial<StrategyOptions> = {}): StrategyOptions {
  const rng = new Rng(42);
  return {
    count,
    weights: new Array<number>(count).fill(1),
    vnodes: 160,
    endpointIds: endpointUrls(count),
    random: () => rng.next(),
    ...overrides,
  };
}

/** How many of `picks` went to each endpoint (-1 counted in the last cell). */
export function tally(picks: readonly number[], count: number): number[] {
  const counts = new Array<number>(count + 1).fill(0);
  for (const p of picks) counts[p === -1 ? count : p]++;
  return counts;
}
