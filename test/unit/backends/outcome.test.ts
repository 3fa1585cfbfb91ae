// System errors as outcome classes: an errno is the system's answer (counted as such), only an exception
// without one, or an fd iofleet lost, is iofleet's own ("internal").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUTCOMES, outcomeForSystemError } from '../../../src/backends/outcome.js';

const name = (code: string | undefined): string => OUTCOMES[outcomeForSystemError(code)]!;

test('errno codes map to their classes; unlisted ones are io_error, not internal', () => {
  assert.equal(name('ENOENT'), 'not_found');
  assert.equal(name('ENOTDIR'), 'not_found');
  assert.equal(name('ECONNREFUSED'), 'connect_refused');
  assert.equal(name('ENOSPC'), 'io_error');
  for (const code of ['EBUSY', 'ETXTBSY', 'EDQUOT', 'ENAMETOOLONG', 'ELOOP', 'EFBIG']) assert.equal(name(code), 'io_error', code);
});

test('an fd iofleet lost, a Node error code or none at all: internal', () => {
  assert.equal(name('EBADF'), 'internal');
  assert.equal(name('ERR_INVALID_ARG_TYPE'), 'internal');
  assert.equal(name(undefined), 'internal');
});
