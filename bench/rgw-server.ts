// The S3 server of the bench: a Ceph RGW from scripts/rgw.sh on its own directory and ports (so that it
// never meets the test suite's cluster), BlueStore for a realistic data path. Stopped at the end only if
// this bench started it (and then its directory is removed).

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runChildOk } from './child-process.js';
import { REPO_ROOT } from './repo-paths.js';

export interface RgwServer {
  /** AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION. */
  env: Readonly<Record<string, string>>;
  endpoint: string;
  /** The gateway process, for its CPU per op. */
  gatewayPid: number;
  /** True when this bench started it (and stop() will stop it). */
  startedHere: boolean;
  stop(): Promise<void>;
}

const SCRIPT = join(REPO_ROOT, 'scripts', 'rgw.sh');

export const BENCH_RGW_SETTINGS = {
  IOFLEET_RGW_DIR: '/tmp/iofleet-rgw-bench',
  IOFLEET_RGW_PORT: '7680',
  IOFLEET_RGW_MON_PORT: '3310',
  IOFLEET_RGW_STORE: 'bluestore',
} as const;

export async function startRgw(log: (line: string) => void): Promise<RgwServer> {
  const scriptEnv = { ...BENCH_RGW_SETTINGS };
  log(`starting Ceph RGW (${scriptEnv.IOFLEET_RGW_STORE}) in ${scriptEnv.IOFLEET_RGW_DIR} on 127.0.0.1:${scriptEnv.IOFLEET_RGW_PORT}...`);
  const result = await runChildOk('bash', [SCRIPT, 'start'], { env: scriptEnv, timeoutMs: 600_000 });
  const startedHere = !result.stderr.includes('already running');
  const env: Record<string, string> = {};
  for (const match of result.stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[match[1]!] = match[2]!;
  const endpoint = env.AWS_ENDPOINT_URL;
  if (endpoint === undefined) throw new Error(`rgw.sh start printed no AWS_ENDPOINT_URL:\n${result.stdout}\n${result.stderr}`);
  const gatewayPid = Number(readFileSync(join(scriptEnv.IOFLEET_RGW_DIR, 'run', 'client.rgw.gw0.pid'), 'utf8').trim());
  return {
    env,
    endpoint,
    gatewayPid,
    startedHere,
    async stop(): Promise<void> {
      if (!startedHere) {
        log(`leaving the RGW in ${scriptEnv.IOFLEET_RGW_DIR} running (it was running before the bench)`);
        return;
      }
      await runChildOk('bash', [SCRIPT, 'stop'], { env: scriptEnv, timeoutMs: 60_000 });
      // Test data only (its 20 GB BlueStore file is sparse, ~200 MB used); `start` would wipe it anyway.
      rmSync(scriptEnv.IOFLEET_RGW_DIR, { recursive: true, force: true });
      log(`stopped the RGW and removed ${scriptEnv.IOFLEET_RGW_DIR}`);
    },
  };
}
