import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countOf, formatLatencyUs } from '../../../src/outputs/format.js';

describe('countOf', () => {
  it('uses the singular for exactly one, the plural otherwise', () => {
    assert.equal(countOf(1, 'thread'), '1 thread');
    assert.equal(countOf(0, 'object'), '0 objects');
    assert.equal(countOf(2, 'object'), '2 objects');
    assert.equal(countOf(10000, 'object'), '10000 objects');
  });
});

describe('formatLatencyUs', () => {
  it('picks the unit by magnitude and keeps three significant digits from 1 ms', () => {
    assert.equal(formatLatencyUs(0), '-');
    assert.equal(formatLatencyUs(999.4), '999µs');
    assert.equal(formatLatencyUs(3550), '3.55ms');
    assert.equal(formatLatencyUs(17_040), '17.0ms');
    assert.equal(formatLatencyUs(2_500_000), '2.50s');
  });
});
