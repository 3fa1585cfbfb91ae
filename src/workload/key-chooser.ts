// Which of n live keys an operation uses: uniform, or Zipf-like (a few hot keys get most operations).
//
// Zipf is sampled by inverting the continuous approximation of its CDF (a bounded power law): O(1) per
// pick with no table, so it stays exact in shape while the live set grows and shrinks during a run. For
// theta = 0.99 and n = 10^4 the hottest key gets ~10% of picks, as with YCSB's generator.

export type KeyDistribution = { kind: 'uniform' } | { kind: 'zipf'; theta: number };

/**
 * A distribution made ready for the hot path: its kind is a boolean read here, not a string compared per
 * pick (a plan reaches a worker by structured clone, whose strings V8 does not internalize: comparing one
 * with a literal calls a string comparison builtin every time; a CPU profile of a null:// run showed it).
 */
export class KeyChooser {
  private readonly isUniform: boolean;
  private readonly theta: number;

  constructor(dist: KeyDistribution) {
    this.isUniform = dist.kind === 'uniform';
    this.theta = dist.kind === 'zipf' ? dist.theta : 0;
  }

  /** A rank in [0, n) for u uniform in [0, 1). Rank 0 is the hottest. */
  rank(n: number, u: number): number {
    // Zipf apart: this stays small enough for TurboFan to inline into the op loop's key pick.
    return this.isUniform || n <= 1 ? Math.floor(u * n) : this.zipfRank(n, u);
  }

  private zipfRank(n: number, u: number): number {
    const theta = this.theta;
    let x: number;
    if (Math.abs(theta - 1) < 1e-9) {
      x = Math.exp(u * Math.log(n + 1)); // CDF ∝ ln(x) on [1, n+1)
    } else {
      const e = 1 - theta;
      x = Math.pow(u * (Math.pow(n + 1, e) - 1) + 1, 1 / e); // CDF ∝ x^(1-θ) - 1 on [1, n+1)
    }
    const rank = Math.floor(x) - 1;
    return rank < 0 ? 0 : rank >= n ? n - 1 : rank;
  }
}
