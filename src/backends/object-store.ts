// The one interface every storage backend implements (file, s3, null).
//
// A backend knows one endpoint root and speaks in logical keys relative to it: it joins root and key, it
// never picks endpoints and never records statistics. Hot-path methods take a reusable IoSlot (one per
// in-flight operation, allocated once) and report their outcome in it: they do not throw for a failed
// storage operation, they set `slot.outcome` (src/backends/outcome.ts). A throw from a hot-path method is
// a bug and is counted as `internal` by the engine.

import type { DataPattern } from '../workload/data-pattern.js';
import { FLAT_LAYOUT, keyName, type KeyLayout } from '../workload/key-layout.js';

/** One in-flight operation's input and output, reused from op to op (one per loop, allocated once). */
export class IoSlot {
  // ---- input: set by the engine before each call ----
  /**
   * The key's index in the run's key layout (its name is keyName(layout, keyIndex)), or -1 when the key
   * was set by name (a LIST prefix, tests). Stores that keep state per key (the file backend's kept fds)
   * look it up by this number, so an operation that needs no name builds none.
   */
  keyIndex = -1;
  /** get: first byte of a ranged read, or -1 for the whole object. */
  offsetBytes = -1;
  /** get: length of a ranged read (ignored when offsetBytes is -1); put: object size. */
  lengthBytes = 0;
  /** list: page size (S3 max-keys; the file backend lists one directory and stops after this many). */
  maxKeys = 1000;
  /** put: content source; get: what to verify against (see `verify`). */
  readonly pattern: DataPattern;
  /** Start offset of this key's content in the pattern (pattern.startFor(key)), computed by the engine. */
  patternStart = 0;
  /** get: check content (and, for whole-object reads, the length: `expectedBytes`) against the pattern. */
  verify = false;
  /** get without range: the object size the engine knows it wrote; -1 if unknown (no length check). */
  expectedBytes = -1;

  // ---- output: set by the backend ----
  /** Payload bytes moved (read for get, written for put); 0 for list, stat and delete. */
  bytes = 0;
  /** list: the entries the page returned (not bytes: a LIST moves no payload, and MiB/s must not count them). */
  entries = 0;
  /** stat: the object's size. list: 1 when there are more pages (truncated), else 0. */
  resultSize = 0;
  /** OUTCOME.* index; OUTCOME.ok (0) on success. */
  outcome = 0;
  /** HTTP status for s3 (0 when no response), 0 for file/null. For reporting redirects and errors. */
  status = 0;
  /** s3: redirects (301/302/307/308) this operation followed to reach its answer; 0 otherwise. */
  redirects = 0;

  private readonly layout: KeyLayout;
  /** The key's name once built (undefined: not yet, for keyIndex). */
  private name: string | undefined = '';

  constructor(pattern: DataPattern, layout: KeyLayout = FLAT_LAYOUT) {
    this.pattern = pattern;
    this.layout = layout;
  }

  /**
   * Logical key relative to the namespace root, e.g. "obj-42" or "d0/d3/f17"; for list, a prefix ("" or
   * "d0/"). Built on first use for a key set by index (a string, a hash and a write per op that a store
   * which never reads it, such as a kept-open file or null://, does not pay).
   */
  get key(): string {
    return (this.name ??= keyName(this.layout, this.keyIndex));
  }

  /** Sets the key by name (keyIndex becomes -1). */
  set key(name: string) {
    this.name = name;
    this.keyIndex = -1;
  }

  /** Sets the key by its index in the layout; its name is built when a store reads `key`. */
  setKeyIndex(index: number): void {
    this.keyIndex = index;
    this.name = undefined;
  }
}

/**
 * What a hot-path method returns when the operation already finished before it returned (blocking file
 * I/O, null://): the op loop sees this exact promise and goes on without an await. An await of a settled
 * promise still costs a microtask hop and an async resume per op, ~5% of a page-cache read (perf).
 */
export const SETTLED: Promise<void> = Promise.resolve();

/**
 * One request of a deleteMany, once it ended: it covered keys [first, first + count) of the call's list.
 * Valid only during the callback that receives it (a store may reuse the object).
 */
export interface DeleteRequest {
  first: number;
  count: number;
  /** One request for many keys (S3 DeleteObjects), rather than a delete of one object (a file's unlink). */
  isBatch: boolean;
  /** Keys of the request that were not deleted. */
  failed: number;
  /** OUTCOME of the request: ok when every key in it was deleted, else the class of the first failure. */
  outcome: number;
  latencyUs: number;
}

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
   * (bucket for s3, s3.create_bucket; the directory's last level for file, file.create_directory).
   * `writable` (default true): the run writes here (file checks the directory is writable; s3 learns it from the first
   * PUT). Fails fast with TARGET_UNREACHABLE / CREDENTIALS.
   */
  open(options: { createNamespace: boolean; writable?: boolean }): Promise<void>;
  /**
   * Deletes many keys (a file's unlink each, S3 DeleteObjects in batches of 1000), telling `onRequest` how
   * each request ended (cleanup records them as its operations). Returns how many keys were deleted and
   * how many failed. Directories the keys were in stay (pruneDirectories).
   */
  deleteMany(keys: readonly string[], onRequest?: (request: DeleteRequest) => void): Promise<{ deleted: number; failed: number }>;
  /**
   * File stores: removes these directories below the root (relative, any order) that are empty, children
   * before parents; a directory that is not empty stays. Stores without directories leave it out.
   */
  pruneDirectories?(directories: readonly string[]): void;
  /** True when the key exists (prepare.skip_existing). */
  exists(key: string): Promise<boolean>;
  close(): Promise<void>;
}
