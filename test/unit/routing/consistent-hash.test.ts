import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExclusionSet, NO_EXCLUSIONS } from '../../../src/routing/exclusions.js';
import { hashKey } from '../../../src/routing/hash.js';
import { createStrategy } from '../../../src/routing/strategy.js';
import { FakeView, endpointUrls, strategyOptions } from './fake-view.js';

const KEYS = Int32Array.from({ length: 100_000 }, (_, i) => hashKey(`data/obj-${i}`));

test('consistent_hash maps the same key to the same endpoint every time, in any strategy instance', () => {
  const a = createStrategy('consistent_hash', strategyOptions(5));
  const b = createStrategy('consistent_hash', strategyOptions(5));
  const view = new FakeView(5);
  const seen = new Set<number>();
  for (let k = 0; k < 10_000; k++) {
    const first = a.pick(KEYS[k], view, NO_EXCLUSIONS);
    seen.add(first);
    assert.equal(a.pick(KEYS[k], view, NO_EXCLUSIONS), first);
    assert.equal(b.pick(KEYS[k], view, NO_EXCLUSIONS), first);
    assert.equal(a.owner(KEYS[k]), first);
  }
  assert.equal(seen.size, 5, 'keys are spread over every endpoint');
});

test('making an endpoint unavailable moves only its keys, spread over the others', () => {
  const count = 6;
  const strategy = createStrategy('consistent_hash', strategyOptions(count));
  const healthy = new FakeView(count);
  const oneDown = new FakeView(count).setDown(2);
  const receivers = new Set<number>();
  let movedCount = 0;
  for (const key of KEYS) {
    const before = strategy.pick(key, healthy, NO_EXCLUSIONS);
    const after = strategy.pick(key, oneDown, NO_EXCLUSIONS);
    if (before === 2) {
      assert.notEqual(after, 2);
      receivers.add(after);
      movedCount++;
    } else {
      assert.equal(after, before, 'a key of a healthy endpoint moved');
    }
  }
  assert.ok(movedCount > 0);
  // With 160 vnodes the ejected endpoint's arcs have many different successors: its load is shared.
  assert.equal(receivers.size, count - 1);
});

test('owner() ignores health: with namespace independent a key never moves', () => {
  const strategy = createStrategy('consistent_hash', strategyOptions(4));
  const down = new FakeView(4).setDown(0, 1, 2, 3);
  for (let k = 0; k < 1000; k++) {
    assert.equal(strategy.pick(KEYS[k], down, NO_EXCLUSIONS), -1);
    assert.equal(strategy.owner(KEYS[k]), strategy.pick(KEYS[k], new FakeView(4), NO_EXCLUSIONS));
  }
});

test('failover walks to the next distinct endpoint clockwise and returns -1 when all are tried', () => {
  const strategy = createStrategy('consistent_hash', strategyOptions(3));
  const view = new FakeView(3);
  const tried = new ExclusionSet(3);
  for (let k = 0; k < 200; k++) {
    tried.begin();
    const order: number[] = [];
    for (;;) {
      const e = strategy.pick(KEYS[k], view, tried);
      if (e === -1) break;
      assert.ok(!tried.has(e));
      order.push(e);
      tried.add(e);
    }
    assert.deepEqual([...order].sort(), [0, 1, 2]);
    assert.equal(order[0], strategy.owner(KEYS[k]));
  }
});

test('endpoint ids are the identity: the same URLs give the same owners whatever the order', () => {
  const urls = endpointUrls(4);
  const forward = createStrategy('consistent_hash', strategyOptions(4, { endpointIds: urls }));
  const backward = createStrategy('consistent_hash', strategyOptions(4, { endpointIds: [...urls].reverse() }));
  for (let k = 0; k < 5000; k++) assert.equal(urls[forward.owner(KEYS[k])], urls[3 - backward.owner(KEYS[k])]);
});
