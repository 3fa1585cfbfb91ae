// Cuts a worker's recording into 1 s windows aligned to the phase start shared by all workers (so that
// window n of every worker covers the same second and the main thread can add them up exactly). The op
// loop calls `advance` with the time each operation ends; a timer calls it too, for seconds in which no
// operation ends (a stalled server must still produce rows).

import { performance } from 'node:perf_hooks';
import type { Recorder } from '../stats/recorder.js';
import type { PhaseName, StatsWindow } from '../stats/stats-window.js';

export const WINDOW_MS = 1000;

export class WindowClock {
  private readonly recorder: Recorder;
  private readonly send: (window: StatsWindow) => void;
  private phase: PhaseName = 'prepare';
  private seq = 0;
  private nextBoundaryMs = Infinity;

  constructor(recorder: Recorder, send: (window: StatsWindow) => void) {
    this.recorder = recorder;
    this.send = send;
  }

  begin(phase: PhaseName, startPerfMs: number): void {
    this.phase = phase;
    this.seq = 0;
    this.nextBoundaryMs = startPerfMs + WINDOW_MS;
  }

  /** Sends every window that ended before nowMs. */
  advance(nowMs: number): void {
    while (nowMs >= this.nextBoundaryMs) this.flush();
  }

  /** Sends the current (partial) window and closes the phase; returns the number of windows sent. */
  finish(): number {
    const windowStartMs = this.nextBoundaryMs - WINDOW_MS;
    this.flush(Math.min(WINDOW_MS, Math.max(1, performance.now() - windowStartMs)));
    this.nextBoundaryMs = Infinity;
    return this.seq;
  }

  private flush(durationMs = WINDOW_MS): void {
    const window = this.recorder.takeWindow(this.phase, this.seq++);
    window.durationMs = durationMs;
    this.send(window);
    this.nextBoundaryMs += WINDOW_MS;
  }
}
