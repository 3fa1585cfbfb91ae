// consistent_hash: the owner of each key a worker uses, looked up once per key instead of once per
// operation. Routing a key means hashing its name (~15 ns for an 8-character "obj-N", more for tree
// layouts) and finding its point on the ring (a bucket table, a point array and an owner array: three
// reads far apart in memory); with 10,000 keys none of that stays in the L1 cache. Together that was the
// largest part of what consistent_hash added per op on a null:// pool (issue 4: ≥ 0.9× one endpoint). A
// key's name is a function of its keyspace id (workload/key-layout.ts) and the ring never changes during a
// run, so the owner is cached by keyspace id: one read, 4 bytes a key, growing with the keyspace.

import type { ConsistentHashStrategy } from './consistent-hash.js';
import { hashKey } from './hash.js';

const INITIAL_CAPACITY = 1024;

export class KeyOwnerCache {
  private readonly strategy: ConsistentHashStrategy;
  /** owner + 1 per keyspace id; 0 while not known. */
  private owners = new Int32Array(INITIAL_CAPACITY);

  constructor(strategy: ConsistentHashStrategy) {
    this.strategy = strategy;
  }

  /**
   * strategy.owner(hashKey(named.key)), where named.key is the name of keyspace id `keyId`; keyId -1 (no id)
   * looks it up every time. The name is read only when the owner is not known yet (an IoSlot builds it on
   * first read).
   */
  ownerOf(keyId: number, named: { readonly key: string }): number {
    if (keyId >= 0 && keyId < this.owners.length) {
      const known = this.owners[keyId]!;
      if (known !== 0) return known - 1;
    }
    const owner = this.strategy.owner(hashKey(named.key));
    if (keyId >= 0) this.remember(keyId, owner);
    return owner;
  }

  private remember(keyId: number, owner: number): void {
    if (keyId >= this.owners.length) {
      let capacity = this.owners.length * 2;
      while (capacity <= keyId) capacity *= 2;
      const owners = new Int32Array(capacity);
      owners.set(this.owners);
      this.owners = owners;
    }
    this.owners[keyId] = owner + 1;
  }
}
