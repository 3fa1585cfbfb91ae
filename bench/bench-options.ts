// Command line of the bench: `npm run bench -- [--only s3|sdk|file|null|pool[,...]] [--quick] [--rounds N]`.

import { parseArgs } from 'node:util';

export const SECTION_NAMES = ['s3', 'sdk', 'file', 'null', 'pool'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface BenchOptions {
  /** --help: print USAGE and do nothing else. */
  isHelp: boolean;
  sections: ReadonlySet<SectionName>;
  isQuick: boolean;
  /** Interleaved rounds per comparison (each contender runs once per round). */
  rounds: number;
  /** Rounds of the noisiest comparisons: S3 vs wrk (client and server share 2 cores) and file writes. */
  noisyRounds: number;
  /** Warmup and measured time of each timed run. */
  warmupMs: number;
  measureMs: number;
}

export const USAGE = `usage: npm run bench -- [--only ${SECTION_NAMES.join('|')}[,...]] [--quick] [--rounds N]
  --only    run these comparisons only (repeatable or comma-separated)
  --quick   one round of short runs (a smoke test: ratios are rough)
  --rounds  interleaved rounds per comparison (default 3; S3 vs wrk and file writes 5; quick 1)`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = (values.only ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  for (const name of only) {
    if (!SECTION_NAMES.includes(name as SectionName)) throw new Error(`--only ${name}: expected one of ${SECTION_NAMES.join(', ')}\n${USAGE}`);
  }
  const isQuick = values.quick === true;
  const rounds = values.rounds === undefined ? (isQuick ? 1 : 3) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${values.rounds}: expected a positive integer`);
  return {
    isHelp: values.help === true,
    sections: new Set(only.length > 0 ? (only as SectionName[]) : SECTION_NAMES),
    isQuick,
    rounds,
    noisyRounds: values.rounds === undefined && !isQuick ? 5 : rounds,
    // iofleet's S3 path needs about 2-3 s of load before its CPU per op settles (JIT): 268 µs/op over a
    // first 2 s warmup, 120 µs/op afterwards, measured here.
    warmupMs: isQuick ? 1000 : 3000,
    measureMs: isQuick ? 2000 : 5000,
  };
}
