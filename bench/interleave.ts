// Side-by-side measurement on a machine whose speed drifts (shared cores, 2× between runs): contenders
// take turns within each round, and the order flips every round (A B, B A, A B, ...) so that a steady
// drift favours nobody. Only ratios of the per-contender medians are reported.

export type Contenders<R> = { readonly [K in keyof R]: () => Promise<R[K]> };
export type Samples<R> = { [K in keyof R]: R[K][] };

export interface InterleaveOptions {
  rounds: number;
  /** Runs before every contender's turn (e.g. bring the file system to the same state). */
  beforeEach?: (name: string) => Promise<void>;
  log?: (line: string) => void;
  /** Turns a result into a short text for the progress log. */
  describe?: (name: string, result: unknown) => string;
}

export async function runInterleaved<R extends Record<string, unknown>>(contenders: Contenders<R>, options: InterleaveOptions): Promise<Samples<R>> {
  const names = Object.keys(contenders) as (keyof R & string)[];
  const samples = Object.fromEntries(names.map((name) => [name, []])) as unknown as Samples<R>;
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      await options.beforeEach?.(name);
      const result = await contenders[name]();
      samples[name].push(result);
      options.log?.(`  round ${round + 1}/${options.rounds} ${name}: ${options.describe?.(name, result) ?? ''}`);
    }
  }
  return samples;
}
