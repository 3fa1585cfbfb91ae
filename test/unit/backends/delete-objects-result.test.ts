// How a DeleteObjects response becomes a recorded request: its failed keys and its outcome class.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUTCOMES } from '../../../src/backends/outcome.js';
import { deleteObjectsResult } from '../../../src/backends/s3/delete-objects-result.js';

const named = (response: { status: number; errorCode?: string; body?: string }, keys: number) => {
  const { failed, outcome } = deleteObjectsResult({ errorCode: undefined, body: '', ...response }, keys);
  return { failed, outcome: OUTCOMES[outcome] };
};

const keyError = (key: string, code: string) => `<Error><Key>${key}</Key><Code>${code}</Code><Message>m</Message></Error>`;

test('200 with nothing listed (quiet mode): every key went', () => {
  assert.deepEqual(named({ status: 200, body: '<?xml version="1.0"?><DeleteResult></DeleteResult>' }, 1000), { failed: 0, outcome: 'ok' });
});

test('200 listing keys that were not deleted: those count as failed, the first code gives the class', () => {
  const body = `<DeleteResult>${keyError('a', 'AccessDenied')}${keyError('b', 'InternalError')}</DeleteResult>`;
  assert.deepEqual(named({ status: 200, body }, 1000), { failed: 2, outcome: 'auth' });
  assert.deepEqual(named({ status: 200, body: `<DeleteResult>${keyError('a', 'SlowDown')}</DeleteResult>` }, 5), { failed: 1, outcome: 'slow_down' });
  assert.deepEqual(named({ status: 200, body: `<DeleteResult>${keyError('a', 'InternalError')}</DeleteResult>` }, 5), { failed: 1, outcome: 'http_5xx' });
  assert.deepEqual(named({ status: 200, body: `<DeleteResult>${keyError('a', 'InvalidArgument')}</DeleteResult>` }, 5), { failed: 1, outcome: 'http_4xx' });
  // Never more failed keys than the request had.
  assert.deepEqual(named({ status: 200, body: keyError('a', 'AccessDenied').repeat(3) }, 2), { failed: 2, outcome: 'auth' });
});

test('any 2xx is read the same way', () => {
  assert.deepEqual(named({ status: 204, body: '' }, 3), { failed: 0, outcome: 'ok' });
});

test('a refused request or no response: every key failed, classed by status or error', () => {
  assert.deepEqual(named({ status: 404, body: '<Error><Code>NoSuchBucket</Code></Error>' }, 3), { failed: 3, outcome: 'not_found' });
  assert.deepEqual(named({ status: 403, body: '<Error><Code>AccessDenied</Code></Error>' }, 3), { failed: 3, outcome: 'auth' });
  assert.deepEqual(named({ status: 503, body: '<Error><Code>SlowDown</Code></Error>' }, 3), { failed: 3, outcome: 'slow_down' });
  assert.deepEqual(named({ status: 0, errorCode: 'ECONNREFUSED' }, 3), { failed: 3, outcome: 'connect_refused' });
});
