// The real S3 server for integration tests: the one named by AWS_ENDPOINT_URL (and keys) when set, else
// the project's own Ceph RGW started (or found running) by scripts/rgw.sh.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RgwTarget {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** First start installs Ceph with apt-get (~30 s on a fresh machine); a running cluster answers in ~0.1 s. */
const START_TIMEOUT_MS = 10 * 60 * 1000;

let started: Promise<RgwTarget> | null = null;

export function ensureRgw(): Promise<RgwTarget> {
  const env = process.env;
  const endpoint = env['AWS_ENDPOINT_URL'];
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (endpoint && accessKeyId && secretAccessKey) {
    return Promise.resolve({ endpoint, accessKeyId, secretAccessKey, region: env['AWS_REGION'] || 'us-east-1' });
  }
  started ??= startRgw();
  return started;
}

function runRgwScript(command: 'start' | 'stop', env: Record<string, string> = {}): Promise<string> {
  const script = join(repoRoot(), 'scripts', 'rgw.sh');
  return new Promise<string>((resolve, reject) => {
    execFile('bash', [script, command], { timeout: START_TIMEOUT_MS, maxBuffer: 1 << 20, env: { ...process.env, ...env } }, (error, out, err) => {
      if (error) reject(new Error(`${script} ${command} failed: ${error.message}\n${err}`));
      else resolve(out);
    });
  });
}

/**
 * A cluster of the test's own (its own directory and ports), for tests that kill gateways or need
 * independent namespaces. `stop()` ends only its daemons.
 */
export async function startOwnRgw(options: { dir: string; port: number; monPort: number; gateways?: number; accessKey?: string; secretKey?: string }): Promise<
  RgwTarget & { dir: string; gatewayUrls: string[]; stop(): Promise<void> }
> {
  const env = {
    IOFLEET_RGW_DIR: options.dir,
    IOFLEET_RGW_PORT: String(options.port),
    IOFLEET_RGW_MON_PORT: String(options.monPort),
    IOFLEET_RGW_GATEWAYS: String(options.gateways ?? 1),
    ...(options.accessKey ? { IOFLEET_RGW_ACCESS_KEY: options.accessKey } : {}),
    ...(options.secretKey ? { IOFLEET_RGW_SECRET_KEY: options.secretKey } : {}),
  };
  const target = targetFromExports(await runRgwScript('start', env), options.dir);
  const gatewayUrls = Array.from({ length: options.gateways ?? 1 }, (_, i) => `http://127.0.0.1:${options.port + i}`);
  return { ...target, dir: options.dir, gatewayUrls, stop: async () => void (await runRgwScript('stop', env)) };
}

async function startRgw(): Promise<RgwTarget> {
  return targetFromExports(await runRgwScript('start'), 'scripts/rgw.sh');
}

function targetFromExports(stdout: string, source: string): RgwTarget {
  const exports = parseExports(stdout);
  const endpoint = exports.get('AWS_ENDPOINT_URL');
  const accessKeyId = exports.get('AWS_ACCESS_KEY_ID');
  const secretAccessKey = exports.get('AWS_SECRET_ACCESS_KEY');
  if (!endpoint || !accessKeyId || !secretAccessKey) throw new Error(`rgw.sh start (${source}) printed no endpoint and keys:\n${stdout}`);
  return { endpoint, accessKeyId, secretAccessKey, region: exports.get('AWS_REGION') || 'us-east-1' };
}

/** Environment for an iofleet child process that talks to this server. */
export function rgwEnv(target: RgwTarget): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: target.endpoint,
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    AWS_REGION: target.region,
  };
}

/** `export NAME=value` lines (values without spaces or quotes, as rgw.sh writes them). */
function parseExports(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const match of text.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(.*)$/gm)) values.set(match[1]!, match[2]!.trim());
  return values;
}

/** Tests run compiled from dist/test/...: the repository root is the nearest directory with package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** A fresh, valid S3 bucket name (3–63 of a-z 0-9 -) containing `label`, for one test's own bucket. */
export function uniqueBucketName(label: string): string {
  const cleaned = label.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'test';
  return `iofleet-${cleaned}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
