// Formatting numbers for people: latency with a unit that fits, rates, and fixed-width tables.

export function formatLatencyUs(us: number): string {
  if (us === 0) return '-';
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 10_000) return `${(us / 1000).toFixed(2)}ms`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value >= 100) return Math.round(value).toString();
  return value.toFixed(1);
}

export function formatMiBPerSec(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec)) return '-';
  const mib = bytesPerSec / 2 ** 20;
  return mib >= 100 ? mib.toFixed(0) : mib.toFixed(2);
}

/** "1 object", "2 objects": a count and its noun, plural unless the count is one. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Left-aligned first column, right-aligned others. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
