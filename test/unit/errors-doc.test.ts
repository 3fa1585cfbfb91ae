// docs/errors.md documents every error code and every outcome class (fastify keeps its catalogue
// complete the same way).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OUTCOMES } from '../../src/backends/outcome.js';
import { ERROR_CODES } from '../../src/errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

test('every error code is documented with its exit code', () => {
  for (const [code, { exitCode }] of Object.entries(ERROR_CODES)) {
    assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${exitCode} \\|`), `${code} (exit ${exitCode}) missing from docs/errors.md`);
  }
});

test('every outcome class is documented', () => {
  for (const outcome of OUTCOMES) assert.match(doc, new RegExp(`\\| \`${outcome}\` \\|`), `${outcome} missing from docs/errors.md`);
});
