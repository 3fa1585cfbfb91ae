// Messages between the main thread and its worker threads. Plain data only (structured clone).

import type { S3Credentials } from '../backends/s3/credentials.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { PhaseName, StatsWindow } from '../stats/stats-window.js';

export interface WorkerInit {
  plan: RunPlan;
  workerIndex: number;
  /** Per endpoint (index as in plan.endpoints): S3 credentials, undefined for file/null endpoints. */
  credentials: (S3Credentials | undefined)[];
  /** Endpoint health shared by every thread (routing/circuit-breaker.ts); undefined without a pool. */
  breakerState: SharedArrayBuffer | undefined;
  /** Epoch ms that breaker times count from. */
  epochMs: number;
}

/** main → worker */
export type ToWorker =
  | {
      type: 'phase';
      phase: PhaseName;
      /** Epoch ms at which every worker starts the phase together; windows are seconds from here. */
      startEpochMs: number;
      /** Epoch ms after which no new operation starts; 0: no time limit. */
      endEpochMs: number;
      /** This worker's share of the op limit (may be 0); Infinity: no limit. */
      opsLimit: number;
    }
  | { type: 'stop' }
  | { type: 'exit' };

/** Why a worker ended a phase. */
export type PhaseEndReason = 'duration' | 'ops' | 'stopped' | 'keyspace_exhausted' | 'complete';

/** worker → main */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'window'; workerIndex: number; window: StatsWindow }
  | {
      type: 'phase-done';
      workerIndex: number;
      phase: PhaseName;
      /** Number of windows sent for this phase (seq 0..windows-1). */
      windows: number;
      endEpochMs: number;
      reason: PhaseEndReason;
      /** prepare: objects that exist after it; cleanup: objects deleted / failed. */
      objects: number;
      failedObjects: number;
      bytes: number;
      /** prepare: objects found already there and not written (skip_existing); cleanup: those left in place. */
      preexistingObjects: number;
      /** prepare (skip_existing): of the objects already there, those with another size than this prepare gives their key (kept, read as they are). */
      otherSizeObjects: number;
      /** Objects this run created that may still be on the target when the phase ended (what cleanup would delete). */
      createdObjectsLeft: number;
    }
  | { type: 'warning'; workerIndex: number; message: string }
  /** A circuit-breaker transition this worker made (each is made by exactly one thread). */
  | { type: 'endpoint-event'; kind: 'eject' | 'readmit'; endpoint: number; atEpochMs: number }
  | { type: 'fatal'; workerIndex: number; code: string; message: string; hint: string | undefined };
