import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignedScratch } from '../../../src/backends/aligned-scratch.js';

// JavaScript cannot see addresses; what it can see is that the slices come from one WebAssembly memory
// (mapped page-aligned, unlike malloc'd ArrayBuffers) at offsets that are whole pages into it.
describe('alignedScratch', () => {
  // A WebAssembly memory is whole 64 KiB pages long (a necessary sign, not a proof, of where it came from).
  const isWholeWasmPages = (buffer: ArrayBufferLike): boolean => buffer.byteLength > 0 && buffer.byteLength % 65536 === 0;

  it('hands out non-overlapping slices of one arena, each starting on a page', () => {
    const first = alignedScratch(1000);
    const second = alignedScratch(64 * 1024);
    const third = alignedScratch(5000);
    for (const slice of [first, second, third]) {
      assert.equal(slice.buffer, first.buffer, 'one arena');
      assert.equal(slice.byteOffset % 4096, 0, `offset ${slice.byteOffset} is not a page boundary`);
    }
    assert.ok(isWholeWasmPages(first.buffer));
    assert.deepEqual(
      [first.length, second.length, third.length],
      [1000, 64 * 1024, 5000],
    );
    // Each slice starts past the end of the one before: writing one leaves the others alone.
    assert.ok(second.byteOffset >= first.byteOffset + first.length);
    assert.ok(third.byteOffset >= second.byteOffset + second.length);
    first.fill(1);
    second.fill(2);
    third.fill(3);
    assert.ok(first.every((byte) => byte === 1) && second.every((byte) => byte === 2) && third.every((byte) => byte === 3));
  });

  it('gives a plain buffer of the right size when the arena is full', () => {
    const arena = alignedScratch(4096).buffer;
    const tooBig = alignedScratch(arena.byteLength);
    assert.notEqual(tooBig.buffer, arena);
    assert.equal(tooBig.length, arena.byteLength);
  });
});
