// What workers send to the main thread once a second (and agents to the controller): the counters and
// encoded histograms of one time window of one phase. Only cells that saw operations are included.
// Plain data (structured-clone and JSON safe).

export const PHASES = ['prepare', 'warmup', 'measure', 'cleanup'] as const;
export type PhaseName = (typeof PHASES)[number];

/** One op label × size bucket × endpoint in one window. */
export interface CellWindow {
  /** Index into the plan's op labels. */
  label: number;
  /** Index into SIZE_BUCKET_NAMES. */
  bucket: number;
  /** Index into the plan's endpoints: the one that served the operation (its last attempt). */
  endpoint: number;
  /** Operations finished (ok or not). */
  ops: number;
  /** Payload bytes of successful operations. */
  bytes: number;
  /** Operations by outcome (index = OUTCOME.*; [0] is ok). */
  outcomes: number[];
  /** Compressed HDR histogram of successful operations' latency in µs; null when none succeeded. */
  latencyUs: string | null;
}

export interface StatsWindow {
  phase: PhaseName;
  /** Window number since the phase started: covers [seq, seq + 1) seconds of the phase. */
  seq: number;
  cells: CellWindow[];
  /** Open loop only: operations that started later than scheduled by more than LATE_THRESHOLD_US. */
  lateOps: number;
  /** Open loop only: the largest slip between scheduled and actual start, µs. */
  maxSlipUs: number;
}
