// A growable set of small non-negative integers, one bit each: the keyspace's per-key yes/no facts
// (such as "existed before the run") cost 125 KB for a million keys, not a million entries.

export class BitSet {
  private words: Uint32Array;

  constructor(initialCapacity: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(initialCapacity / 32)));
  }

  has(index: number): boolean {
    const word = index >>> 5;
    return word < this.words.length && (this.words[word]! & (1 << (index & 31))) !== 0;
  }

  add(index: number): void {
    const word = index >>> 5;
    if (word >= this.words.length) this.grow(word + 1);
    this.words[word]! |= 1 << (index & 31);
  }

  private grow(minWords: number): void {
    const words = new Uint32Array(Math.max(minWords, this.words.length * 2));
    words.set(this.words);
    this.words = words;
  }
}
