import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { FakeView, strategyOptions } from './fake-view.js';

test('first always picks the first available endpoint', () => {
  const strategy = createStrategy('first', strategyOptions(3));
  const view = new FakeView(3);
  for (let i = 0; i < 5; i++) assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 0);
});

test('first moves to the second when the first is unavailable, and back when it returns', () => {
  const strategy = createStrategy('first', strategyOptions(3));
  const view = new FakeView(3).setDown(0);
  for (let i = 0; i < 5; i++) assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 1);
  view.setDown(1);
  assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 2);
  view.setDown(2);
  assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), -1);
  view.up[0] = 1;
  assert.equal(strategy.pick(0, view, NO_EXCLUSIONS), 0);
});

test('first fails over to the next endpoint when the primary was already tried', () => {
  const strategy = createStrategy('first', strategyOptions(3));
  const tried = new ExclusionSet(3);
  tried.begin();
  tried.add(0);
  assert.equal(strategy.pick(0, new FakeView(3), tried), 1);
});
