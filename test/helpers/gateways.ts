// Controlling the gateways of a test's own RGW cluster: request counters from each gateway's admin
// socket, and kill / restart of one gateway (the real failure a client sees: connections refused).

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Requests gateway i has served so far (its own `rgw.req` perf counter). */
export function gatewayRequests(dir: string, gateway: number): number {
  const dump = execFileSync('ceph', ['--admin-daemon', join(dir, 'run', `client.rgw.gw${gateway}.asok`), 'perf', 'dump'], { encoding: 'utf8' });
  return (JSON.parse(dump) as { rgw: { req: number } }).rgw.req;
}

export function killGateway(dir: string, gateway: number): void {
  process.kill(Number(readFileSync(join(dir, 'run', `client.rgw.gw${gateway}.pid`), 'utf8')), 'SIGKILL');
}

/** Restarts a killed gateway and waits until it answers HTTP. */
export async function restartGateway(dir: string, gateway: number, url: string): Promise<void> {
  const started = spawnSync('radosgw', ['-c', join(dir, 'ceph.conf'), '-n', `client.rgw.gw${gateway}`], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`radosgw restart failed: ${started.stderr}`);
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`gateway ${gateway} did not answer after restart`);
}
