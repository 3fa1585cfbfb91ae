import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, parseDurationMs, parseSizeBytes } from '../../../src/config/units.js';

test('sizes respect SI and IEC units', () => {
  assert.equal(parseSizeBytes(4096), 4096);
  assert.equal(parseSizeBytes('4096'), 4096);
  assert.equal(parseSizeBytes('4KiB'), 4096);
  assert.equal(parseSizeBytes('4KB'), 4000);
  assert.equal(parseSizeBytes('1MB'), 1_000_000);
  assert.equal(parseSizeBytes('1MiB'), 1_048_576);
  assert.equal(parseSizeBytes('1.5GiB'), 1.5 * 2 ** 30);
  assert.equal(parseSizeBytes('4k'), 4096);
  assert.equal(parseSizeBytes('4KB8'), undefined);
  assert.equal(parseSizeBytes('1.5B'), undefined, 'not a whole number of bytes');
  assert.equal(parseSizeBytes(-1), undefined);
  assert.equal(parseSizeBytes('lots'), undefined);
});

test('durations', () => {
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('30s'), 30_000);
  assert.equal(parseDurationMs('5m'), 300_000);
  assert.equal(parseDurationMs('1h'), 3_600_000);
  assert.equal(parseDurationMs(2), 2000);
  assert.equal(parseDurationMs('10 sec'), undefined);
  assert.equal(parseDurationMs('5'), undefined, 'a bare number in text has no unit');
});

test('formatBytes', () => {
  assert.equal(formatBytes(4096), '4 KiB');
  assert.equal(formatBytes(41_000_000), '39.1 MiB');
  assert.equal(formatBytes(12), '12 B');
});
