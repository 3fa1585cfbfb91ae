// The hot path of one worker thread: `concurrency` loops, each issuing one operation at a time against the
// store, until the phase's stop condition. Per operation it picks an op from the cumulative weight table,
// picks a key from the keyspace, fills a reusable IoSlot, awaits the store, and records the outcome into
// typed-array counters and an HDR histogram. No closures, no string-keyed maps, no Date, no events.
//
// Open loop (plan.rate): arrivals are scheduled by the arrival process; a free loop takes the next
// scheduled time, waits for it if it is in the future, and measures latency from the *scheduled* time. When
// every loop is busy the schedule slips, and that queueing shows in latency (no coordinated omission).

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { IoSlot, SETTLED } from '../backends/object-store.js';
import { OUTCOME, writeMayHaveLanded } from '../backends/outcome.js';
import type { OpPlan, RunPlan } from '../plan/run-plan.js';
import type { Recorder } from '../stats/recorder.js';
import type { PhaseName } from '../stats/stats-window.js';
import type { DataPattern } from '../workload/data-pattern.js';
import { KeyChooser } from '../workload/key-chooser.js';
import { leafDirectoryCount, leafDirectoryName } from '../workload/key-layout.js';
import type { Keyspace } from '../workload/keyspace.js';
import type { Rng } from '../workload/rng.js';
import { sizeBucketOf } from '../workload/size-buckets.js';
import { sampleSize } from '../workload/size-distribution.js';
import { KIND_DELETE, KIND_GET, KIND_LIST, KIND_PUT, KIND_STAT, PoolOp, callStore, type EndpointRouter } from './endpoint-router.js';
import type { PhaseEndReason } from './worker-protocol.js';
import type { WindowClock } from './window-clock.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** An open-loop operation that starts more than this after its scheduled time counts as late. */
export const LATE_THRESHOLD_US = 1000;
/** Let timers and messages run at least this often, even when every operation completes synchronously. */
const YIELD_EVERY_MS = 5;

const KIND_CODES = { get: KIND_GET, put: KIND_PUT, list: KIND_LIST, stat: KIND_STAT, delete: KIND_DELETE } as const;

/** beginOp's answers. */
const BEGUN = 0;
/** No key is usable now, but other loops hold some: wait for them. */
const NO_KEY_YET = 1;
const KEYSPACE_EXHAUSTED = 2;

/** What beginOp decided for a loop's operation (one per loop, reused). */
class NextOp {
  opIndex = 0;
  kind = 0;
  /** The key's keyspace id; -1 for none (LIST). */
  local = -1;
  /** Size bucket the op is recorded in. */
  bucket = 0;
}

export interface TimedPhase {
  phase: PhaseName;
  startPerfMs: number;
  /** performance.now() after which no operation starts; Infinity for none. */
  endPerfMs: number;
  /** Infinity for none. */
  opsLimit: number;
}

export class OpLoop {
  private readonly plan: RunPlan;
  private readonly router: EndpointRouter;
  private readonly keyspace: Keyspace;
  private readonly recorder: Recorder;
  private readonly clock: WindowClock;
  private readonly rng: Rng;
  private readonly pattern: DataPattern;
  private readonly slots: IoSlot[];
  private readonly kinds: Int8Array;
  private readonly cumulative: Float64Array;
  /** Op index to use when a picked op finds no key (a new-object PUT), or -1. */
  private readonly fallbackPut: number;
  private readonly leafCount: number;
  private readonly keyChooser: KeyChooser;
  /** plan.rate's arrival process, as a boolean (the plan's strings are not compared per op: see KeyChooser). */
  private readonly isPoisson: boolean;

  // Per-phase state
  private stopping = false;
  private reason: PhaseEndReason = 'complete';
  private issued = 0;
  private opsLimit = Infinity;
  private endPerfMs = Infinity;
  private nextArrivalMs = 0;
  private arrivalMeanMs = 0;
  private lastYieldMs = 0;
  private inFlight = 0;
  private internalErrorReported = false;
  onWarning: (message: string) => void = () => {};

  constructor(plan: RunPlan, workerIndex: number, router: EndpointRouter, keyspace: Keyspace, recorder: Recorder, clock: WindowClock, rng: Rng, pattern: DataPattern) {
    this.plan = plan;
    this.router = router;
    this.keyspace = keyspace;
    this.recorder = recorder;
    this.clock = clock;
    this.rng = rng;
    this.pattern = pattern;
    const concurrency = plan.concurrencyPerThread[workerIndex] ?? 1;
    this.slots = Array.from({ length: concurrency }, () => new IoSlot(pattern, plan.layout));
    this.kinds = Int8Array.from(plan.ops.map((op) => KIND_CODES[op.kind]));
    this.cumulative = Float64Array.from(plan.opCumulative);
    this.fallbackPut = plan.ops.findIndex((op) => op.kind === 'put' && !op.overwrite && op.weight > 0);
    this.leafCount = leafDirectoryCount(plan.layout);
    this.keyChooser = new KeyChooser(plan.keys);
    this.isPoisson = plan.rate?.arrival === 'poisson';
    if (plan.rate) this.arrivalMeanMs = (1000 * plan.threads) / plan.rate.opsPerSec;
  }

  /** Asks every loop to stop after its current operation. */
  stop(reason: PhaseEndReason): void {
    if (!this.stopping) this.reason = reason;
    this.stopping = true;
  }

  /** Runs the workload mix until the phase's time or op limit (or stop()). */
  async run(phase: TimedPhase): Promise<PhaseEndReason> {
    this.stopping = false;
    this.reason = phase.endPerfMs === Infinity ? 'ops' : 'duration';
    this.issued = 0;
    this.opsLimit = phase.opsLimit;
    this.endPerfMs = phase.endPerfMs;
    this.nextArrivalMs = phase.startPerfMs;
    this.lastYieldMs = performance.now();
    const loops: Promise<void>[] = [];
    for (let i = 0; i < this.slots.length; i++) loops.push(this.loop(this.slots[i]!));
    await Promise.all(loops);
    return this.reason;
  }

  private async loop(slot: IoSlot): Promise<void> {
    const plan = this.plan;
    const poolOp = new PoolOp(this.router.count);
    const router = this.router;
    const next = new NextOp();
    // The loop's latest clock read: the previous op's end, for the deadline check (ops run back to back;
    // a wait of any length reads the clock afresh).
    let lastMs = performance.now();
    while (!this.stopping) {
      if (this.issued >= this.opsLimit) {
        this.stop('ops');
        break;
      }
      const isOpenLoop = this.arrivalMeanMs > 0;
      let scheduledMs = 0;
      if (isOpenLoop) {
        scheduledMs = this.nextArrivalMs;
        this.nextArrivalMs += this.isPoisson ? this.rng.exponential() * this.arrivalMeanMs : this.arrivalMeanMs;
        if (scheduledMs >= this.endPerfMs) {
          this.stop('duration');
          break;
        }
        const waitMs = scheduledMs - performance.now();
        if (waitMs > 0) await sleep(waitMs);
        if (this.stopping) break;
      }
      if (lastMs >= this.endPerfMs) {
        this.stop('duration');
        break;
      }

      const begun = this.beginOp(slot, next);
      if (begun === KEYSPACE_EXHAUSTED) {
        this.stop('keyspace_exhausted');
        break;
      }
      if (begun === NO_KEY_YET) {
        await sleep(1); // another loop holds the only usable keys: let it finish
        lastMs = performance.now();
        continue;
      }
      const kind = next.kind;
      const op = plan.ops[next.opIndex]!;
      this.issued++;
      this.inFlight++;
      // The op is issued now: picking and filling it (the client's own work) is not in its latency.
      const issueMs = performance.now();
      // Open loop: latency runs from the scheduled start when the op went out late (coordinated
      // omission), and from its issue when the timer woke the loop early (a timer counts from the event
      // loop's cached time and rounds to whole ms, so it can fire up to ~1 ms before the schedule): an op
      // is never credited with time before it was sent.
      const startMs = isOpenLoop ? Math.min(scheduledMs, issueMs) : issueMs;
      if (isOpenLoop) {
        const slipUs = Math.max(0, Math.round((issueMs - scheduledMs) * 1000));
        this.recorder.recordSlip(slipUs, slipUs > LATE_THRESHOLD_US);
      }
      let endpoint = router.directEndpoint;
      let endMs = 0;
      try {
        if (op.useMultiEndpoint) {
          // The attempt loop runs here, not in an async router method: no promise of ours per op.
          for (let to = router.beginOp(poolOp, kind, slot, issueMs, next.local); to >= 0; ) {
            const attempt = callStore(router.storeOf(to), kind, slot);
            if (attempt !== SETTLED) await attempt;
            endMs = performance.now();
            to = router.afterAttempt(poolOp, slot, endMs);
          }
          endpoint = poolOp.endpoint;
        } else {
          const done = router.direct(kind, slot);
          if (done !== SETTLED) await done; // a finished op goes on at once (a yield below keeps the thread responsive)
          router.afterDirect(slot);
        }
      } catch (error) {
        if (op.useMultiEndpoint) {
          router.abandonAttempt(poolOp);
          endpoint = poolOp.endpoint;
        }
        slot.outcome = OUTCOME.internal;
        this.reportInternal(error);
      }
      // Still 0 when the op went direct or ended before any attempt: read the clock now.
      if (endMs === 0) endMs = performance.now();
      this.inFlight--;
      this.clock.advance(endMs);
      this.endOp(slot, next, endpoint < 0 ? 0 : endpoint, Math.round((endMs - startMs) * 1000));
      lastMs = endMs;
      if (endMs - this.lastYieldMs >= YIELD_EVERY_MS) {
        this.lastYieldMs = endMs;
        await yieldToEventLoop();
        lastMs = performance.now();
      }
    }
  }

  /**
   * Picks the loop's next op and its key, and fills the slot. A method of its own, too large for TurboFan
   * to inline into the loop, so that it is compiled with an inlining budget of its own (with the picking
   * inside the loop, the loop's budget ran out and the key pick, the random number generator and the slot
   * filling stayed calls; V8's flag --max-inlined-bytecode-size-cumulative=4000 showed what that cost:
   * null://, one endpoint, 5.4M -> 7.4M ops/s). Small per-kind fill methods and a Zipf pick kept apart
   * from the uniform one keep this within its budget.
   */
  private beginOp(slot: IoSlot, next: NextOp): number {
    const plan = this.plan;
    const keyspace = this.keyspace;
    let opIndex = this.pickOp();
    let kind = this.kinds[opIndex]!;
    let op = plan.ops[opIndex]!;
    let local = -1;
    if (kind === KIND_GET || kind === KIND_STAT) local = keyspace.pickForRead(this.keyChooser, this.rng);
    else if (kind === KIND_DELETE || (kind === KIND_PUT && op.overwrite)) local = keyspace.pickForWrite(this.keyChooser, this.rng);
    if (local === -1 && kind !== KIND_LIST && !(kind === KIND_PUT && !op.overwrite)) {
      // No key is usable right now (all busy, or none left).
      if (this.fallbackPut < 0) return this.inFlight === 0 && keyspace.liveCount === 0 ? KEYSPACE_EXHAUSTED : NO_KEY_YET;
      opIndex = this.fallbackPut;
      op = plan.ops[opIndex]!;
      kind = KIND_PUT;
    }
    if (kind === KIND_PUT && !op.overwrite) local = keyspace.allocate();
    next.opIndex = opIndex;
    next.kind = kind;
    next.local = local;
    next.bucket = this.fillSlot(slot, kind, op, local);
    return BEGUN;
  }

  /** The op is done: its key is released (or committed) and its outcome recorded. */
  private endOp(slot: IoSlot, next: NextOp, endpoint: number, latencyUs: number): void {
    this.finishKey(slot, next.kind, next.local);
    this.recorder.record(this.plan.ops[next.opIndex]!.label, next.bucket, endpoint, slot.outcome, slot.bytes, latencyUs);
  }

  private pickOp(): number {
    const cumulative = this.cumulative;
    if (cumulative.length === 1) return 0; // a one-op mix draws no random number
    const u = this.rng.next();
    for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]!) return i;
    return cumulative.length - 1;
  }

  /**
   * Sets the slot up for one operation; returns its size bucket. One small method per kind: TurboFan
   * inlines by bytecode size, and a mix's hot kinds then fit in beginOp's budget with the key pick.
   */
  private fillSlot(slot: IoSlot, kind: number, op: OpPlan, local: number): number {
    slot.outcome = OUTCOME.ok;
    slot.bytes = 0;
    slot.status = 0;
    slot.offsetBytes = -1;
    slot.expectedBytes = -1;
    slot.verify = false;
    switch (kind) {
      case KIND_GET:
        return this.fillGet(slot, op, local);
      case KIND_PUT:
        return this.fillPut(slot, op, local);
      case KIND_LIST:
        return this.fillList(slot, op);
      default:
        return this.fillStatOrDelete(slot, kind, local);
    }
  }

  private fillGet(slot: IoSlot, op: OpPlan, local: number): number {
    slot.setKeyIndex(this.keyspace.globalIndex(local));
    const sizeBytes = this.keyspace.sizeOf(local);
    slot.expectedBytes = sizeBytes;
    slot.verify = this.plan.verify;
    // Where the key's content starts in the pattern: only a PUT's body and a verified GET need it (a hash
    // of the key name per op).
    if (slot.verify) slot.patternStart = this.pattern.startFor(slot.key);
    if (op.rangeBytes > 0 && sizeBytes > 0) {
      const length = Math.min(op.rangeBytes, sizeBytes);
      slot.offsetBytes = this.rng.below(Math.floor(sizeBytes / length)) * length;
      slot.lengthBytes = length;
      return sizeBucketOf(length);
    }
    return sizeBucketOf(sizeBytes);
  }

  private fillPut(slot: IoSlot, op: OpPlan, local: number): number {
    slot.setKeyIndex(this.keyspace.globalIndex(local));
    slot.patternStart = this.pattern.startFor(slot.key);
    slot.lengthBytes = sampleSize(op.size, this.rng);
    return sizeBucketOf(slot.lengthBytes);
  }

  private fillList(slot: IoSlot, op: OpPlan): number {
    slot.key = op.listPrefix ?? (this.leafCount > 1 ? leafDirectoryName(this.plan.layout, this.rng.below(this.leafCount)) : '');
    slot.maxKeys = op.maxKeys;
    return 0;
  }

  private fillStatOrDelete(slot: IoSlot, kind: number, local: number): number {
    slot.setKeyIndex(this.keyspace.globalIndex(local));
    const sizeBytes = this.keyspace.sizeOf(local);
    slot.expectedBytes = sizeBytes;
    if (kind === KIND_DELETE) this.keyspace.beginDelete(local);
    return sizeBucketOf(sizeBytes);
  }

  private finishKey(slot: IoSlot, kind: number, local: number): void {
    const ok = slot.outcome === OUTCOME.ok;
    switch (kind) {
      case KIND_GET:
        this.keyspace.releaseRead(local);
        // A ranged read within the object must return exactly the range (the store checks whole objects).
        if (ok && slot.verify && slot.offsetBytes >= 0 && slot.bytes !== slot.lengthBytes) slot.outcome = OUTCOME.verify_mismatch;
        break;
      case KIND_STAT:
        this.keyspace.releaseRead(local);
        if (ok && this.plan.verify && slot.resultSize !== slot.expectedBytes) slot.outcome = OUTCOME.verify_mismatch;
        break;
      case KIND_PUT:
        this.keyspace.commitWrite(local, ok, slot.lengthBytes, ok || writeMayHaveLanded(slot.outcome));
        break;
      case KIND_DELETE:
        this.keyspace.commitDelete(local, ok);
        break;
    }
  }

  private reportInternal(error: unknown): void {
    if (this.internalErrorReported) return;
    this.internalErrorReported = true;
    this.onWarning(`internal error in an operation (counted as "internal"; further ones are counted silently): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
