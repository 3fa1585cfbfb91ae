// The target URI of a workload: the logical namespace root. Parsed once, at plan time.

import { fileURLToPath } from 'node:url';
import { parseDurationMs } from './units.js';

export type Target =
  | { kind: 's3'; bucket: string; /** "" or ending with "/" */ prefix: string }
  | { kind: 'file'; /** absolute directory path, ending with "/" */ root: string }
  /** latencyMs: every operation takes this long (a known delay, for testing the engine's timing). */
  | { kind: 'null'; latencyMs: number };

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The parsed target, or a message saying what is wrong with it and how to write it. */
export function parseTarget(text: string): Target | string {
  const examples = '(examples: s3://bucket/prefix/, file:///data/bench/, null://)';
  if (text === 'null://' || text === 'null:') return { kind: 'null', latencyMs: 0 };
  if (text.startsWith('null://?')) {
    const latency = new URLSearchParams(text.slice('null://?'.length)).get('latency');
    const latencyMs = latency === null ? undefined : parseDurationMs(latency);
    if (latencyMs === undefined) return `"${text}": the only null:// option is latency, e.g. null://?latency=5ms`;
    return { kind: 'null', latencyMs };
  }
  if (text.startsWith('s3://')) {
    const rest = text.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    let prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/{2,}/g, '/');
    if (prefix.startsWith('/')) prefix = prefix.slice(1);
    if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
    if (!BUCKET_NAME.test(bucket)) {
      return `"${bucket}" is not a valid bucket name (3-63 lower-case letters, digits, "." and "-") ${examples}`;
    }
    return { kind: 's3', bucket, prefix };
  }
  if (text.startsWith('file://')) {
    let root: string;
    try {
      root = fileURLToPath(text);
    } catch {
      return `"${text}" is not a file URL: use an absolute path, file:///data/bench/ ${examples}`;
    }
    root = root.replace(/\/{2,}/g, '/');
    if (!root.endsWith('/')) root += '/';
    return { kind: 'file', root };
  }
  return `"${text}" is not a supported target ${examples}`;
}
