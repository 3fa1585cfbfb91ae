// Page-aligned scratch buffers for the buffers the kernel copies into on every operation: the sync file
// backend's read buffer and the HTTP client's socket read buffer, one of each per worker thread.
//
// Why: the kernel's copy to user memory is slower into a destination that is not cache-line aligned, and
// Node's Buffers are not: a large Buffer.allocUnsafe is a glibc malloc, 16 bytes past a page boundary.
// Measured on this machine (2 worker threads, 4 KiB preads from the page cache, 3 interleaved rounds):
// 1.51-1.57M reads/s into a page-aligned buffer, 1.28-1.45M into one 16 bytes past a page (system CPU
// 0.95-0.99 vs 1.05-1.17 µs per read); iofleet's file keep_open GETs: 1.80 vs 1.89 µs of CPU per op.
// fio aligns its buffers to the page for the same reason.
//
// Node has no aligned allocation, but a WebAssembly memory is mapped whole pages at a time. Each one
// reserves about 10 GiB of address space for V8's guard regions (address space only, never memory), so a
// thread takes one arena, lazily, and hands out page-aligned slices of it; a request the arena cannot hold
// gets an ordinary Buffer (correct, only slower).

const PAGE_BYTES = 4096;
const WASM_PAGE_BYTES = 65536;
/** Room for the file read buffer (1 MiB) and the socket read buffer (64 KiB), with slack. */
const ARENA_BYTES = 2 * 1024 * 1024;

let arena: Buffer | undefined;
let hasTriedArena = false;
let arenaUsedBytes = 0;

/** A buffer of `bytes` whose first byte is page-aligned (on this thread, for as long as the thread lives). */
export function alignedScratch(bytes: number): Buffer {
  if (!hasTriedArena) {
    hasTriedArena = true;
    arena = createArena();
  }
  const start = arenaUsedBytes;
  if (arena === undefined || start + bytes > ARENA_BYTES) return Buffer.allocUnsafe(bytes);
  arenaUsedBytes = start + Math.ceil(bytes / PAGE_BYTES) * PAGE_BYTES;
  return arena.subarray(start, start + bytes);
}

function createArena(): Buffer | undefined {
  try {
    const pages = ARENA_BYTES / WASM_PAGE_BYTES;
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
  } catch {
    return undefined; // no address space for it (e.g. ulimit -v): plain buffers
  }
}
