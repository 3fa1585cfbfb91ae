// Human units in workload files: sizes ("4096", "4KiB", "1MB", SI vs IEC respected) and durations
// ("500ms", "30s", "5m", "1h"). Parsers return undefined for text that is not a unit; the schema turns
// that into a message with examples.

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  k: 2 ** 10, // "4k", "1m", "1g": the fio / dd convention, binary
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
};

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;

export const SIZE_EXAMPLES = '4096, 4KiB, 1MB, 1.5GiB';
export const DURATION_EXAMPLES = '500ms, 30s, 5m, 1h';

/** Bytes for a size given as a number or text; undefined if it is not a size or not a whole byte count. */
export function parseSizeBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE_PATTERN.exec(value);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  const factor = unit === '' ? 1 : SIZE_UNITS[unit];
  if (factor === undefined) return undefined;
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;

/** Milliseconds for a duration text ("30s") or a number of seconds; undefined if it is not a duration. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!);
}

const IEC_STEPS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** "4 KiB", "39.1 MiB": for messages and tables. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let step = 0;
  while (value >= 1024 && step < IEC_STEPS.length - 1) {
    value /= 1024;
    step++;
  }
  const text = step === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${IEC_STEPS[step]}`;
}

export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  return `${+(ms / 60_000).toFixed(1)}m`;
}
