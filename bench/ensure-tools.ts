// The reference tools (wrk, fio) come from Debian's packages: installed with apt-get when missing.

import { execFileSync } from 'node:child_process';
import { runChildOk } from './child-process.js';

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs the Debian packages of the commands that are missing (command name = package name here). */
export async function ensureTools(commands: readonly string[], log: (line: string) => void): Promise<void> {
  const missing = commands.filter((command) => !hasCommand(command));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${missing.join(', ')}: install them (apt-get install -y ${missing.join(' ')})`);
  log(`installing ${missing.join(', ')} with apt-get...`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await runChildOk('apt-get', ['update', '-qq'], { env, timeoutMs: 300_000 });
  await runChildOk('apt-get', ['install', '-y', '-qq', ...missing], { env, timeoutMs: 300_000 });
}
