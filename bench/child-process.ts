// Runs one program to completion and collects its output: every contender in the bench (iofleet's CLI,
// wrk, fio, the SDK loop, the Node floors) is a separate process, so that each one's CPU is its own.

import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
  startEpochMs: number;
  endEpochMs: number;
}

export interface ChildOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Kill the child (SIGKILL) after this long; default 5 minutes. */
  timeoutMs?: number;
}

export function runChild(command: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const startEpochMs = Date.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${command}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1, startEpochMs, endEpochMs: Date.now() });
    });
  });
}

/** Runs the program and fails with its output when it does not exit with 0. */
export async function runChildOk(command: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildResult> {
  const result = await runChild(command, args, options);
  if (result.code !== 0) {
    const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${output}`);
  }
  return result;
}

/** The last line of the output that parses as JSON (the contract of the bench's own child programs). */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line.startsWith('{')) return JSON.parse(line) as T;
  }
  throw new Error(`no JSON result in the output:\n${stdout.slice(-2000)}`);
}
