// Outcomes are data: every operation ends with one of these classes, recorded as a small integer on the
// hot path and named only when results are written. Order matters (indices are stored in typed arrays
// and in results files through their names, never through their indices).

import { HTTP_ERROR } from './http/http1-exchange.js';

export const OUTCOMES = [
  'ok',
  'not_found', // 404 / ENOENT
  'connect_refused', // ECONNREFUSED: nothing listens at the endpoint
  'connect_reset', // ECONNRESET / EPIPE / socket closed mid-request
  'timeout', // no response (or no progress) within the timeout
  'auth', // 401 / 403: credentials or signature rejected
  'slow_down', // 503 SlowDown / 429: the server asks the client to back off
  'http_4xx', // any other 4xx
  'http_5xx', // any other 5xx
  'verify_mismatch', // GET content or length differs from what was written
  'io_error', // any other local I/O error (file backend: EIO, ENOSPC, EACCES, ...)
  'internal', // a bug in iofleet or an unexpected exception: counted, never thrown through the engine
  // Endpoint pool outcomes (the per-attempt classes are kept per endpoint as failed attempts):
  'all_endpoints_failed', // failover tried every available endpoint and each attempt failed
  'max_attempts_exceeded', // failover stopped at failover.max_attempts with endpoints left untried
  'no_endpoint_available', // every endpoint was ejected (or at max_in_flight) when the op started
  'owner_down', // namespace: independent: the endpoint that holds the key is ejected (no failover)
] as const;

export type OutcomeName = (typeof OUTCOMES)[number];

/** Integer codes for the hot path: OUTCOME.ok === 0, OUTCOME.not_found === 1, ... */
export const OUTCOME = Object.freeze(
  Object.fromEntries(OUTCOMES.map((name, index) => [name, index])) as { readonly [K in OutcomeName]: number },
);

export const OUTCOME_COUNT = OUTCOMES.length;

/** Maps an HTTP status (and S3 error code, when known) to an outcome class. */
export function outcomeForHttpStatus(status: number, s3Code?: string): number {
  if (status >= 200 && status < 300) return OUTCOME.ok;
  if (status === 404) return OUTCOME.not_found;
  if (status === 401 || status === 403) return OUTCOME.auth;
  if (status === 429 || s3Code === 'SlowDown' || (status === 503 && s3Code === undefined)) return OUTCOME.slow_down;
  if (status >= 500) return OUTCOME.http_5xx;
  return OUTCOME.http_4xx;
}

/**
 * Whether a write that failed with this outcome may still have stored its object. Refused before the
 * data could land (nothing listening, credentials or request rejected, a missing directory, never sent):
 * no. Anything that could have failed after the server or the file system took the data (a timeout, a
 * reset, a 5xx, a local I/O error part way through): yes, and cleanup must try to delete it.
 */
export function writeMayHaveLanded(outcome: number): boolean {
  return !(
    outcome === OUTCOME.not_found ||
    outcome === OUTCOME.connect_refused ||
    outcome === OUTCOME.auth ||
    outcome === OUTCOME.http_4xx ||
    outcome === OUTCOME.slow_down ||
    outcome === OUTCOME.no_endpoint_available ||
    outcome === OUTCOME.owner_down
  );
}

/** Maps a Node system error (err.code) to an outcome class. */
export function outcomeForSystemError(code: string | undefined): number {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ESTALE': // NFS: the file was removed on the server while an fd to it was open (file keep_open)
      return OUTCOME.not_found;
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return OUTCOME.connect_refused;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case HTTP_ERROR.connectionClosed: // the response ended before it was complete
    case HTTP_ERROR.protocol: // an unreadable response: the connection is dropped like a reset one
    case HTTP_ERROR.poolClosed:
      return OUTCOME.connect_reset;
    case 'ETIMEDOUT':
    case HTTP_ERROR.connectTimeout:
    case HTTP_ERROR.responseTimeout:
    case 'ABORT_ERR':
      return OUTCOME.timeout;
    case 'EACCES':
    case 'EPERM':
    case 'EIO':
    case 'ENOSPC':
    case 'EROFS':
    case 'EISDIR':
    case 'EMFILE':
    case 'ENFILE':
      return OUTCOME.io_error;
    case 'EBADF': // an fd iofleet closed or lost: iofleet's bug
      return OUTCOME.internal;
    default:
      // Any other errno is the system's answer to a file operation (EBUSY, EDQUOT, ENAMETOOLONG, ...);
      // only an exception without one is iofleet's own.
      return code !== undefined && /^E[A-Z0-9]+$/.test(code) ? OUTCOME.io_error : OUTCOME.internal;
  }
}
