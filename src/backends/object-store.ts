// The one interface every storage backend implements (file, s3, null).
//
// A backend knows one endpoint root and speaks in logical keys relative to it: it joins root and key, it
// never picks endpoints and never records statistics. Hot-path methods take a reusable IoSlot (one per
// in-flight operation, allocated once) and report their outcome in it: they do not throw for a failed
// storage operation, they set `slot.outcome` (src/backends/outcome.ts). A throw from a hot-path method is
// a bug and is counted as `internal` by the engine.

import type { DataPattern } from '../workload/data-pattern.js';

export interface IoSlot {
  // ---- input: set by the engine before each call ----
  /** Logical key relative to the namespace root, e.g. "obj-42" or "d0/d3/f17". For list: a prefix ("" or "d0/"). */
  key: string;
  /** get: first byte of a ranged read, or -1 for the whole object. */
  offsetBytes: number;
  /** get: length of a ranged read (ignored when offsetBytes is -1); put: object size. */
  lengthBytes: number;
  /** list: page size (S3 max-keys; the file backend lists one directory and stops after this many). */
  maxKeys: number;
  /** put: content source; get: what to verify against (see `verify`). */
  pattern: DataPattern;
  /** Start offset of this key's content in the pattern (pattern.startFor(key)), computed by the engine. */
  patternStart: number;
  /** get: check content (and, for whole-object reads, the length: `expectedBytes`) against the pattern. */
  verify: boolean;
  /** get without range: the object size the engine knows it wrote; -1 if unknown (no length check). */
  expectedBytes: number;

  // ---- output: set by the backend ----
  /** Payload bytes moved (read for get, written for put); entries returned for list; 0 for stat/delete. */
  bytes: number;
  /** stat: the object's size. list: 1 when there are more pages (truncated), else 0. */
  resultSize: number;
  /** OUTCOME.* index; OUTCOME.ok (0) on success. */
  outcome: number;
  /** HTTP status for s3 (0 when no response), 0 for file/null. For reporting redirects and errors. */
  status: number;
  /** s3: redirects (301/302/307/308) this operation followed to reach its answer; 0 otherwise. */
  redirects: number;
}

export function createIoSlot(pattern: DataPattern): IoSlot {
  return {
    key: '',
    offsetBytes: -1,
    lengthBytes: 0,
    maxKeys: 1000,
    pattern,
    patternStart: 0,
    verify: false,
    expectedBytes: -1,
    bytes: 0,
    resultSize: 0,
    outcome: 0,
    status: 0,
    redirects: 0,
  };
}

/**
 * What a hot-path method returns when the operation already finished before it returned (blocking file
 * I/O, null://): the op loop sees this exact promise and goes on without an await. An await of a settled
 * promise still costs a microtask hop and an async resume per op, ~5% of a page-cache read (perf).
 */
export const SETTLED: Promise<void> = Promise.resolve();

export interface ObjectStore {
  /** For messages and results: e.g. "file:///tmp/x/", "s3://bucket/prefix/ @ http://127.0.0.1:7480". */
  readonly description: string;

  // ---- hot path: outcome in the slot, never throw; SETTLED when done before returning ----
  get(slot: IoSlot): Promise<void>;
  put(slot: IoSlot): Promise<void>;
  list(slot: IoSlot): Promise<void>;
  stat(slot: IoSlot): Promise<void>;
  delete(slot: IoSlot): Promise<void>;

  // ---- set-up and tear-down: throw IofleetError with an actionable message ----
  /**
   * Checks that the target answers and the credentials work, and creates the namespace root when asked
   * (bucket for s3, directory for file). Fails fast with TARGET_UNREACHABLE / CREDENTIALS.
   */
  open(options: { createNamespace: boolean }): Promise<void>;
  /** Deletes many keys (S3 DeleteObjects in batches of 1000). Returns how many were deleted and how many failed. */
  deleteMany(keys: readonly string[]): Promise<{ deleted: number; failed: number }>;
  /** True when the key exists (prepare.skip_existing). */
  exists(key: string): Promise<boolean>;
  close(): Promise<void>;
}
