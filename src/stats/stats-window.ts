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
  /**
   * The largest of those latencies, exact (0 when none). A decoded histogram knows only its top bucket,
   * up to 0.1% above the value recorded, so the max travels beside it.
   */
  maxLatencyUs: number;
}

/** Failed attempts on one endpoint in one window, by outcome class (index = OUTCOME.*). */
export interface FailedAttemptsWindow {
  endpoint: number;
  /** Every failed attempt, whether or not the op was then retried elsewhere. */
  byOutcome: number[];
  /** Failed attempts after which the op was retried on another endpoint (failovers away from it). */
  retried: number;
}

export interface StatsWindow {
  phase: PhaseName;
  /** Window number since the phase started: covers [seq, seq + 1) seconds of the phase. */
  seq: number;
  /** 1000, except for a worker's last window of a phase, which ends when the worker ended the phase. */
  durationMs: number;
  cells: CellWindow[];
  /** Endpoint pool only: failed attempts per endpoint (the op's own outcome is in `cells`). */
  failedAttempts: FailedAttemptsWindow[];
  /** S3 redirects followed, per endpoint (only endpoints with any). */
  redirects: { endpoint: number; count: number }[];
  /** Open loop only: operations that started later than scheduled by more than LATE_THRESHOLD_US. */
  lateOps: number;
  /** Open loop only: the largest slip between scheduled and actual start, µs. */
  maxSlipUs: number;
}
