// How one DeleteObjects request ended, read from its response: how many of its keys were not deleted, and
// the outcome class the request is recorded under (ok when every key went).

import { OUTCOME, outcomeForHttpStatus, outcomeForSystemError } from '../outcome.js';
import { countOccurrences, s3ErrorCodeOfText } from './s3-xml.js';

export interface DeleteObjectsResult {
  failed: number;
  outcome: number;
}

/** `response.status` 0: no response (errorCode says why). */
export function deleteObjectsResult(response: { status: number; errorCode: string | undefined; body: string }, keyCount: number): DeleteObjectsResult {
  if (response.status === 0) return { failed: keyCount, outcome: outcomeForSystemError(response.errorCode) };
  if (response.status < 200 || response.status >= 300) {
    return { failed: keyCount, outcome: outcomeForHttpStatus(response.status, s3ErrorCodeOfText(response.body)) };
  }
  // Quiet mode: the response lists only the keys that were not deleted, each in an <Error> element (a
  // key that did not exist is deleted as far as S3 is concerned, and is not listed).
  const failed = Math.min(keyCount, countOccurrences(response.body, '<Error>'));
  return { failed, outcome: failed === 0 ? OUTCOME.ok : outcomeOfKeyError(s3ErrorCodeOfText(response.body)) };
}

/**
 * The class of a key the request could not delete: its <Error> carries an S3 code but no HTTP status
 * (the response's is 200), so the code alone decides.
 */
function outcomeOfKeyError(code: string | undefined): number {
  if (code === 'AccessDenied') return OUTCOME.auth;
  if (code === 'SlowDown') return OUTCOME.slow_down;
  if (code === 'InternalError' || code === 'ServiceUnavailable') return OUTCOME.http_5xx;
  return OUTCOME.http_4xx;
}
