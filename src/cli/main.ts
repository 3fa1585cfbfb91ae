// The command line: argument parsing and wiring. The only module that touches `process` (argv, env,
// exit codes, signals, stdout).

import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { EXIT, IofleetError, formatError, isIofleetError } from '../errors.js';
import { PlacedConfigError, loadWorkloadFile, locateProblem } from '../config/load.js';
import { workloadJsonSchema } from '../config/schema.js';
import { compilePlan } from '../plan/compile-plan.js';
import type { RunPlan } from '../plan/run-plan.js';
import { readOpenFilesLimit } from './open-files-limit.js';
import { describePlan } from '../outputs/plan-description.js';
import { TOOL_VERSION } from '../version.js';
import { runWorkload } from './run-command.js';

const HELP = `iofleet ${TOOL_VERSION}: a storage benchmark for S3 object stores and file systems

Usage:
  iofleet run <workload.yaml> [--out DIR] [--dry-run]   run a workload, write a results directory
  iofleet validate <workload.yaml>                       check a workload and print the resolved plan
  iofleet schema                                         print the JSON Schema of workload files
  iofleet --help | --version

Options:
  --out DIR     results directory, new or empty (default results/<name>-<UTC timestamp>/)
  --dry-run     validate and print the plan; no I/O

Exit codes: 0 completed, 1 run failed (e.g. target unreachable), 2 usage or config error, 130 interrupted.
S3 credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), or a profile
(s3.profile, AWS_PROFILE) from ~/.aws/credentials and ~/.aws/config. Endpoint: s3.endpoint,
AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL.`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    throw new IofleetError('USAGE', (error as Error).message, 'see iofleet --help');
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const [command, file, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (extra.length > 0) throw new IofleetError('USAGE', `unexpected arguments: ${extra.join(' ')}`, 'see iofleet --help');

  switch (command) {
    case 'schema':
      process.stdout.write(JSON.stringify(workloadJsonSchema(), null, 2) + '\n');
      return EXIT.ok;
    case 'validate':
    case 'run': {
      if (file === undefined) throw new IofleetError('USAGE', `${command} needs a workload file: iofleet ${command} <workload.yaml>`);
      const loaded = loadWorkloadFile(file);
      let plan: RunPlan;
      try {
        plan = compilePlan(loaded.config, { env: process.env, cores: os.availableParallelism(), openFilesLimit: readOpenFilesLimit() });
      } catch (error) {
        if (!(error instanceof PlacedConfigError)) throw error;
        throw new IofleetError('CONFIG_INVALID', locateProblem(loaded, { path: error.path, message: error.message }), error.hint);
      }
      if (command === 'validate' || values['dry-run']) {
        process.stdout.write(describePlan(plan, file) + '\n');
        return EXIT.ok;
      }
      return runWorkload(loaded, plan, { outDir: values.out });
    }
    default:
      throw new IofleetError('USAGE', `unknown command "${command}"`, 'commands: run, validate, schema (see iofleet --help)');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isIofleetError(error)) {
      process.stderr.write(`${formatError(error)}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`iofleet: internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.runFailed;
    }
  },
);
