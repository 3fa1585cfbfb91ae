// `npm run bench [-- --only s3|sdk|file|null|pool] [--quick] [--rounds N]`: iofleet against reference tools,
// side by side in one run on this machine, as a table of ratios (stdout and bench/results/latest.md).
//
//   s3    S3 4 KiB GET ops/s on Ceph RGW, iofleet vs wrk on a presigned URL (16 and 64 connections)
//   sdk   S3 4 KiB GET client CPU per op, iofleet vs a plain @aws-sdk/client-s3 loop
//   file  4 KiB random reads from the page cache and 1 MiB writes, iofleet vs fio, with bare Node floors
//   null  null:// ops/s on one core: the engine's ceiling
//   pool  null:// with an 8-endpoint pool per strategy, as a ratio to one endpoint (routing's cost)
//
// Speed on these shared machines drifts by 2× between runs: only ratios measured in the same run, with
// contenders interleaved, mean anything (see /work/shared/MEASURING.md and docs/benchmarks.md).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { USAGE, parseBenchOptions, type BenchOptions } from './bench-options.js';
import { ensureTools } from './ensure-tools.js';
import { runFileReadSection } from './file-read-section.js';
import { runFileWriteSection } from './file-write-section.js';
import { hostFacts } from './host-facts.js';
import { createIofleetSnapshot } from './iofleet-snapshot.js';
import { runNullPoolSection } from './null-pool-section.js';
import { runNullSection } from './null-section.js';
import { formatReport, type SectionResult } from './report.js';
import { REPO_ROOT } from './repo-paths.js';
import { startRgw, type RgwServer } from './rgw-server.js';
import { runS3Section } from './s3-section.js';
import { runSdkSection } from './sdk-section.js';

const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

async function main(options: BenchOptions): Promise<number> {
  const startedMs = performance.now();
  const facts = hostFacts();
  const workDir = mkdtempSync(join(tmpdir(), 'iofleet-bench-'));
  const context: BenchContext = { options, workDir, log, iofleetBin: createIofleetSnapshot(join(workDir, 'iofleet')) };
  const sections: SectionResult[] = [];
  let rgw: RgwServer | undefined;
  let failed = false;

  const cleanUp = async (): Promise<void> => {
    const server = rgw;
    rgw = undefined;
    await server?.stop().catch((error: unknown) => log(`stopping the RGW failed: ${String(error)}`));
    rmSync(workDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const attempt = async (title: string, run: () => Promise<SectionResult>): Promise<void> => {
    try {
      sections.push(await run());
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      log(`${title} failed: ${message}`);
      sections.push({ title: `${title} (FAILED)`, rows: [], lines: [`failed: ${message.split('\n').join(' ')}`] });
    }
  };

  try {
    const has = (name: string): boolean => options.sections.has(name as never);
    const tools = [...(has('s3') ? ['wrk'] : []), ...(has('file') ? ['fio'] : [])];
    await ensureTools(tools, log);
    if (has('s3') || has('sdk')) {
      await attempt('S3 server', async () => {
        rgw = await startRgw(log);
        return { title: 'S3 server', rows: [], lines: [] };
      });
      sections.pop(); // only its failure is worth a section
    }
    if (has('s3') && rgw) await attempt('S3 GET: iofleet vs wrk', () => runS3Section(context, rgw!));
    if (has('sdk') && rgw) await attempt('S3 GET client CPU: iofleet vs AWS SDK v3', () => runSdkSection(context, rgw!));
    if (has('file')) {
      await attempt('File: 4 KiB random read', () => runFileReadSection(context));
      await attempt('File: 1 MiB write', () => runFileWriteSection(context));
    }
    if (has('null')) await attempt('null:// engine ceiling', () => runNullSection(context));
    if (has('pool')) await attempt('null:// endpoint pool vs one endpoint', () => runNullPoolSection(context));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }

  const minutes = ((performance.now() - startedMs) / 60_000).toFixed(1);
  const mode = `${options.isQuick ? 'quick' : 'full'} (${options.rounds} round(s), sections: ${[...options.sections].join(', ')}, ${minutes} min)`;
  const report = formatReport(sections, facts, mode);
  process.stdout.write(report + '\n');
  const resultsDir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), report + '\n');
  log(`report written to bench/results/latest.md`);
  return failed ? 1 : 0;
}

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
if (options.isHelp) {
  process.stdout.write(USAGE + '\n');
} else {
  main(options).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
