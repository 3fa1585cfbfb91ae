// The bench's output: one markdown table of same-run ratios (name | iofleet | reference | ratio | goal |
// met?) and detail lines under it. Computing results is the sections' business; this only formats.

import type { HostFacts } from './host-facts.js';
import { median } from './median.js';

/** A goal on the ratio iofleet ÷ reference, or on iofleet's own value; 'info' rows explain, not judge. */
export type Goal =
  | { kind: 'ratio-at-least'; value: number }
  | { kind: 'ratio-at-most'; value: number }
  | { kind: 'value-at-least'; value: number }
  | { kind: 'info' };

export interface ComparisonRow {
  name: string;
  /** 'ratio': `iofleet` is itself a ratio (a pooled row), shown in the ratio column. */
  unit: string;
  iofleet: number;
  /** Who the reference is ("wrk", "fio", ...); undefined for rows without one. */
  referenceName?: string;
  reference?: number;
  goal: Goal;
  /** Shown instead of the iofleet value's source, e.g. "Node open+pread+close floor". */
  iofleetLabel?: string;
  /**
   * Each round's own ratio (every round runs both sides), shown as a range: how far the host's noise
   * moves this comparison, so a reader can tell a miss by 0.02 from a miss by 0.2.
   */
  roundRatios?: readonly number[];
}

/** A row's numbers from both sides' interleaved rounds: the medians, and the ratio within each round. */
export function fromRounds(iofleetRounds: readonly number[], referenceRounds: readonly number[]): Pick<ComparisonRow, 'iofleet' | 'reference' | 'roundRatios'> {
  return {
    iofleet: median(iofleetRounds),
    reference: median(referenceRounds),
    roundRatios: iofleetRounds.map((value, round) => value / referenceRounds[round]!),
  };
}

export interface SectionResult {
  title: string;
  rows: ComparisonRow[];
  /** Detail lines printed under the table (CPU per op, per-round values, what was compared). */
  lines: string[];
}

export function ratioOf(row: ComparisonRow): number | undefined {
  if (row.unit === 'ratio') return row.iofleet;
  return row.reference === undefined || row.reference === 0 ? undefined : row.iofleet / row.reference;
}

export function isMet(row: ComparisonRow): boolean | undefined {
  const ratio = ratioOf(row);
  switch (row.goal.kind) {
    case 'ratio-at-least':
      return ratio === undefined ? undefined : ratio >= row.goal.value;
    case 'ratio-at-most':
      return ratio === undefined ? undefined : ratio <= row.goal.value;
    case 'value-at-least':
      return row.iofleet >= row.goal.value;
    case 'info':
      return undefined;
  }
}

/** 1234567 → "1,234,567"; small values keep one decimal. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}

/** "0.81–0.97×": the lowest and highest of the rounds' ratios; '–' for none. */
function formatRange(ratios: readonly number[] | undefined): string {
  if (ratios === undefined || ratios.length === 0) return '–';
  return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;
}

function formatGoal(goal: Goal): string {
  switch (goal.kind) {
    case 'ratio-at-least':
      return `≥ ${goal.value}×`;
    case 'ratio-at-most':
      return `≤ ${goal.value === 1 / 3 ? '1/3' : goal.value}×`;
    case 'value-at-least':
      return `≥ ${formatNumber(goal.value)}`;
    case 'info':
      return '(why)';
  }
}

export function formatTable(sections: readonly SectionResult[]): string {
  const lines = ['| name | iofleet | reference | ratio | rounds | goal | met? |', '|---|---:|---:|---:|---:|---|---|'];
  for (const section of sections) {
    for (const row of section.rows) {
      const ratio = ratioOf(row);
      const met = isMet(row);
      const iofleet = row.unit === 'ratio' ? '–' : (row.iofleetLabel ? `${row.iofleetLabel} ` : '') + formatNumber(row.iofleet);
      const reference = row.reference === undefined ? '–' : `${row.referenceName ?? ''} ${formatNumber(row.reference)}`.trim();
      lines.push(
        `| ${row.name}${row.unit === 'ratio' ? '' : ` (${row.unit})`} | ${iofleet} | ${reference} | ${ratio === undefined ? '–' : ratio.toFixed(2) + '×'} | ${formatRange(row.roundRatios)} | ` +
          `${formatGoal(row.goal)} | ${met === undefined ? '' : met ? 'yes' : '**no**'} |`,
      );
    }
  }
  return lines.join('\n');
}

export function formatReport(sections: readonly SectionResult[], facts: HostFacts, mode: string): string {
  const out: string[] = [
    '# iofleet bench',
    '',
    `${facts.date} · ${facts.cpuModel} · ${facts.cores} cores · ${facts.memoryGiB} GiB · Node ${facts.node} · ${facts.os} · ${mode}`,
    '',
    'Every ratio is iofleet ÷ reference, both measured in this run, interleaved (A B, B A, ...); values are medians of the rounds. ' +
      '"rounds": the lowest and highest of the per-round ratios (every round runs both sides), i.e. how far host noise moved this comparison.',
    '',
    formatTable(sections),
    '',
  ];
  for (const section of sections) {
    out.push(`## ${section.title}`, '', ...section.lines.map((line) => (line === '' ? '' : `- ${line}`)), '');
  }
  return out.join('\n');
}
