// One cycle of smooth weighted round-robin (weighted.ts) while every endpoint is eligible, precomputed.
// With integer weights the algorithm is periodic: started from current = 0, after Σweights picks every
// endpoint has had exactly its weight and `current` is 0 again. So the healthy sequence is a fixed list,
// and a pick on it is one read instead of a pass over every endpoint (issue 4: with 8 endpoints the pass
// made weighted the slowest strategy of a null:// pool; pick + pool bookkeeping in a tight loop went from
// 36 to 23 ns per op, round_robin's is 14).
//
//   weights 5,1,1:  order = [a a b a c a a]   position → the next pick; after the last, position 0
//
// The sequence is the algorithm's own: `build` runs the algorithm from 0, and `stateAt` replays it to give
// the `current` values at any position, so the strategy can leave the list at any point (an endpoint
// unavailable, a retry excluding one) and go on with the full algorithm from exactly where it was.
// Only integer weights, and only while a cycle and one replay stay small (SIZE_LIMIT): otherwise there is
// no cycle and the strategy always runs the full algorithm.

/** Largest Σweights × endpoints: bounds the list's memory and a replay's work (~50 µs at the limit). */
const SIZE_LIMIT = 65_536;

export class WeightedCycle {
  /** The weights this cycle was built for. */
  readonly weights: Float64Array;
  /** Endpoint of each pick of the cycle. */
  readonly order: Int32Array;
  /** Index into `order` of the next pick. */
  position = 0;

  private constructor(weights: Float64Array, order: Int32Array) {
    this.weights = weights;
    this.order = order;
  }

  /** The cycle of these weights, or undefined when they are not all positive integers or it would be too large. */
  static build(weights: Float64Array): WeightedCycle | undefined {
    let total = 0;
    for (let e = 0; e < weights.length; e++) {
      const weight = weights[e]!;
      if (!Number.isInteger(weight) || weight < 1) return undefined;
      total += weight;
    }
    if (total * weights.length > SIZE_LIMIT) return undefined;
    const current = new Float64Array(weights.length);
    const order = new Int32Array(total);
    for (let i = 0; i < total; i++) order[i] = step(weights, current);
    return new WeightedCycle(Float64Array.from(weights), order);
  }

  /** True when `weights` are still the ones this cycle was built for. */
  matches(weights: Float64Array): boolean {
    for (let e = 0; e < weights.length; e++) if (weights[e] !== this.weights[e]) return false;
    return true;
  }

  /** The next pick of the cycle, moving past it. */
  take(): number {
    const endpoint = this.order[this.position]!;
    this.position = this.position + 1 === this.order.length ? 0 : this.position + 1;
    return endpoint;
  }

  /** Sets `current` to the algorithm's state after the first `position` picks of the cycle. */
  stateAt(position: number, current: Float64Array): void {
    current.fill(0);
    for (let i = 0; i < position; i++) step(this.weights, current);
  }
}

/** One pick of the algorithm with every endpoint eligible (weighted.ts has the general one). */
function step(weights: Float64Array, current: Float64Array): number {
  let best = 0;
  let total = 0;
  for (let e = 0; e < weights.length; e++) {
    current[e]! += weights[e]!;
    total += weights[e]!;
    if (current[e]! > current[best]!) best = e;
  }
  current[best]! -= total;
  return best;
}
