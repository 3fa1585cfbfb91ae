// wrk, the C reference client, on one URL. Its CPU comes from the shell that waits for it: bash's `times`
// prints the user and system time of the shell's reaped children (getrusage RUSAGE_CHILDREN), which is
// wrk's whole life, every thread, read after it exits.

import { runChildOk } from './child-process.js';

export interface WrkResult {
  opsPerSec: number;
  requests: number;
  /** Non-2xx responses plus socket errors: anything but a clean run makes the comparison void. */
  errors: number;
  cpuUs: number;
  cpuUsPerOp: number;
  startEpochMs: number;
  endEpochMs: number;
}

const WRAPPER = 'wrk "$@"; rc=$?; times; exit $rc';

export async function runWrk(url: string, options: { connections: number; threads: number; durationSec: number }): Promise<WrkResult> {
  const args = ['-c', WRAPPER, 'wrk', `-t${options.threads}`, `-c${options.connections}`, `-d${options.durationSec}s`, url];
  const result = await runChildOk('bash', args, { timeoutMs: (options.durationSec + 60) * 1000 });
  const out = result.stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const opsPerSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  // `times` prints two lines: the shell's own user/system time, then its children's.
  const timesLines = out.trim().split('\n').slice(-2);
  const childTimes = [...(timesLines[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => (Number(m[1]) * 60 + Number(m[2])) * 1e6);
  if (!Number.isFinite(requests) || !Number.isFinite(opsPerSec) || childTimes.length !== 2) {
    throw new Error(`cannot read wrk's output:\n${out}`);
  }
  const cpuUs = childTimes[0]! + childTimes[1]!;
  return {
    opsPerSec,
    requests,
    errors: non2xx + socketErrors,
    cpuUs,
    cpuUsPerOp: cpuUs / requests,
    startEpochMs: result.startEpochMs,
    endEpochMs: result.endEpochMs,
  };
}
