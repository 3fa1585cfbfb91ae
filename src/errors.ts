// The one error class of iofleet. Every error a user can meet has a stable `code` (branch on it, never on
// the message), a message they can act on, and an optional hint. docs/errors.md documents every code; a
// test keeps that page complete.
//
// Failed *storage operations* are not errors in this sense: they are outcomes, counted by class
// (src/backends/outcome.ts). IofleetError is for what stops a command: bad config, unreachable target.

export const ERROR_CODES = {
  CONFIG_INVALID: { exitCode: 2, summary: 'the workload file does not match the schema' },
  CONFIG_YAML: { exitCode: 2, summary: 'the workload file is not valid YAML' },
  CONFIG_READ: { exitCode: 2, summary: 'the workload file cannot be read' },
  USAGE: { exitCode: 2, summary: 'the command line is wrong' },
  CREDENTIALS: { exitCode: 1, summary: 'S3 credentials are missing or rejected' },
  TARGET_UNREACHABLE: { exitCode: 1, summary: 'the target cannot be reached before the run' },
  TARGET_SETUP: { exitCode: 1, summary: 'preparing the target failed (bucket, directories, objects)' },
  ALL_ENDPOINTS_DOWN: { exitCode: 1, summary: 'every endpoint of the pool was ejected and health.stop_when_all_down is set' },
  RESULTS_WRITE: { exitCode: 1, summary: 'the results directory cannot be written' },
  WORKER_CRASHED: { exitCode: 1, summary: 'a worker thread died; this is a bug in iofleet' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Documented, stable exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  interrupted: 130,
} as const;

export class IofleetError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'IofleetError';
    this.code = code;
    this.hint = hint;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }
}

export function isIofleetError(value: unknown): value is IofleetError {
  return value instanceof IofleetError;
}

/**
 * How an error is printed: "iofleet: CODE: message" (and a "hint:" line). The code is on the line because
 * a failure before the run starts (credentials, an unreachable target, bad input) leaves no results
 * directory: a script can only tell these apart by the exit code and this printed code.
 */
export function formatError(error: IofleetError): string {
  return `iofleet: ${error.code}: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`;
}
