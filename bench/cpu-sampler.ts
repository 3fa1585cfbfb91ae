// Samples another process's CPU time on a timer, so that the CPU it spent during any window (an iofleet
// run's measure phase, known only afterwards from results.json) can be read off later by interpolation.

import { readProcessCpuUs } from './proc-cpu.js';

const SAMPLE_INTERVAL_MS = 50;

export interface CpuSampler {
  /** CPU µs the process spent between two epoch times (linear between samples); NaN if not covered. */
  cpuUsBetween(startEpochMs: number, endEpochMs: number): number;
  stop(): void;
}

export function createCpuSampler(pid: number): CpuSampler {
  const timesMs: number[] = [];
  const cpuUs: number[] = [];
  const sample = (): void => {
    const value = readProcessCpuUs(pid);
    if (value === undefined) return;
    timesMs.push(Date.now());
    cpuUs.push(value);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  timer.unref();

  const at = (epochMs: number): number => {
    if (timesMs.length === 0 || epochMs < timesMs[0]! || epochMs > timesMs[timesMs.length - 1]!) return NaN;
    let hi = 1;
    while (hi < timesMs.length - 1 && timesMs[hi]! < epochMs) hi++;
    const lo = hi - 1;
    const span = timesMs[hi]! - timesMs[lo]!;
    if (span <= 0) return cpuUs[hi]!;
    return cpuUs[lo]! + ((cpuUs[hi]! - cpuUs[lo]!) * (epochMs - timesMs[lo]!)) / span;
  };

  return {
    cpuUsBetween(startEpochMs: number, endEpochMs: number): number {
      sample();
      return at(endEpochMs) - at(startEpochMs);
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
