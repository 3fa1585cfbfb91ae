// Object size distributions, compiled from config once at plan time into a sampler with no per-sample
// allocation. Sizes are whole bytes.

import type { SizeDistConfig } from '../config/schema.js';
import { Rng } from './rng.js';
import { mix32 } from './mix32.js';

/** Serializable form (crosses to worker threads in the plan). */
export type SizeDistribution =
  | { kind: 'fixed'; sizeBytes: number }
  | { kind: 'uniform'; minBytes: number; maxBytes: number }
  | { kind: 'lognormal'; mu: number; sigma: number; minBytes: number; maxBytes: number; meanBytes: number; stddevBytes: number }
  | { kind: 'weighted'; sizesBytes: number[]; cumulativeWeights: number[] };

export function compileSizeDistribution(config: SizeDistConfig): SizeDistribution {
  if (typeof config === 'number') return { kind: 'fixed', sizeBytes: config };
  if (Array.isArray(config)) {
    const entries = config.filter((entry) => entry.weight > 0);
    const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
    let running = 0;
    return {
      kind: 'weighted',
      sizesBytes: entries.map((entry) => entry.size),
      cumulativeWeights: entries.map((entry) => (running += entry.weight / total)),
    };
  }
  switch (config.dist) {
    case 'fixed':
      return { kind: 'fixed', sizeBytes: config.size };
    case 'uniform':
      return { kind: 'uniform', minBytes: config.min, maxBytes: config.max };
    case 'lognormal': {
      // Parameters of the underlying normal from the mean and standard deviation of the sizes themselves.
      const m = config.mean;
      const s = config.stddev;
      const sigma = Math.sqrt(Math.log(1 + (s * s) / (m * m)));
      const mu = Math.log(m) - (sigma * sigma) / 2;
      return {
        kind: 'lognormal',
        mu,
        sigma,
        minBytes: config.min ?? 0,
        maxBytes: config.max ?? Number.MAX_SAFE_INTEGER,
        meanBytes: m,
        stddevBytes: s,
      };
    }
  }
}

export function sampleSize(dist: SizeDistribution, rng: Rng): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.sizeBytes;
    case 'uniform':
      return dist.minBytes + Math.floor(rng.next() * (dist.maxBytes - dist.minBytes + 1));
    case 'lognormal': {
      const size = Math.round(Math.exp(dist.mu + dist.sigma * rng.normal()));
      return size < dist.minBytes ? dist.minBytes : size > dist.maxBytes ? dist.maxBytes : size;
    }
    case 'weighted': {
      const u = rng.next();
      const weights = dist.cumulativeWeights;
      for (let i = 0; i < weights.length - 1; i++) if (u < weights[i]!) return dist.sizesBytes[i]!;
      return dist.sizesBytes[weights.length - 1]!;
    }
  }
}

/** A lognormal's 0.1% quantile sits 3.09 standard deviations below its mean in log space. */
const Z_0_1_PERCENT = 3.09;

/**
 * The smallest size the distribution gives in practice: its lower bound, and for a lognormal whose `min`
 * is not set (any size down to 1 byte can come up) its 0.1% quantile, not 0.
 */
export function minSizeBytes(dist: SizeDistribution): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.sizeBytes;
    case 'uniform':
      return dist.minBytes;
    case 'lognormal':
      return Math.max(dist.minBytes, Math.round(Math.exp(dist.mu - Z_0_1_PERCENT * dist.sigma)));
    case 'weighted':
      return Math.min(...dist.sizesBytes);
  }
}

export function maxSizeBytes(dist: SizeDistribution): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.sizeBytes;
    case 'uniform':
    case 'lognormal':
      return dist.maxBytes;
    case 'weighted':
      return Math.max(...dist.sizesBytes);
  }
}

/**
 * The size of prepared object `index`, drawn from `dist` by the index and seed alone: every run of the
 * same workload gives a key the same size, so prepare.skip_existing can tell an object of this data set
 * from a partial one (an interrupted prepare) or one of another workload by its size.
 */
export function sizeForKey(dist: SizeDistribution, seed: number, index: number): number {
  if (dist.kind === 'fixed') return dist.sizeBytes;
  // Mixed, so that neighbouring indices give unrelated seeds.
  return sampleSize(dist, new Rng(mix32(index ^ Math.imul(seed | 0, 0x9e3779b1))));
}

/**
 * Mean and percentiles of a distribution: exact for a fixed size and a weighted list (what validate's
 * expected prepared bytes multiply), measured by sampling otherwise (which includes the effect of a
 * lognormal's min/max clamping).
 */
export function describeSizeDistribution(dist: SizeDistribution, samples = 100_000): { meanBytes: number; p50Bytes: number; p99Bytes: number } {
  if (dist.kind === 'fixed') return { meanBytes: dist.sizeBytes, p50Bytes: dist.sizeBytes, p99Bytes: dist.sizeBytes };
  if (dist.kind === 'weighted') return describeWeighted(dist);
  const rng = new Rng(12345);
  const values = new Float64Array(samples);
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    values[i] = sampleSize(dist, rng);
    sum += values[i]!;
  }
  values.sort();
  return {
    meanBytes: Math.round(sum / samples),
    p50Bytes: values[Math.floor(samples * 0.5)]!,
    p99Bytes: values[Math.floor(samples * 0.99)]!,
  };
}

function describeWeighted(dist: Extract<SizeDistribution, { kind: 'weighted' }>): { meanBytes: number; p50Bytes: number; p99Bytes: number } {
  const entries = dist.sizesBytes
    .map((sizeBytes, i) => ({ sizeBytes, probability: dist.cumulativeWeights[i]! - (i > 0 ? dist.cumulativeWeights[i - 1]! : 0) }))
    .sort((a, b) => a.sizeBytes - b.sizeBytes);
  const quantile = (q: number): number => {
    let running = 0;
    for (const entry of entries) if ((running += entry.probability) >= q - 1e-12) return entry.sizeBytes;
    return entries[entries.length - 1]!.sizeBytes;
  };
  return {
    meanBytes: Math.round(entries.reduce((sum, entry) => sum + entry.sizeBytes * entry.probability, 0)),
    p50Bytes: quantile(0.5),
    p99Bytes: quantile(0.99),
  };
}
