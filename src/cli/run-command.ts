// `iofleet run`: checks the target, starts the engine, fans its output to the console and the results
// directory, and turns Ctrl-C / SIGTERM into a graceful stop (a second one exits at once).

import { join } from 'node:path';
import type { LoadedWorkload } from '../config/load.js';
import { fileSystemFacts } from '../backends/file/file-system-facts.js';
import { createStore } from '../engine/create-store.js';
import { checkNewKeysAreFree } from '../engine/new-keys-check.js';
import { startEngine, type EndpointEvent, type PhaseResult, type RunObserver } from '../engine/run-engine.js';
import type { S3Credentials } from '../backends/s3/credentials.js';
import { EXIT, IofleetError, formatError, isIofleetError } from '../errors.js';
import { ConsoleOutput, type ConsoleSink } from '../outputs/console-output.js';
import { fileSystemNotes } from '../outputs/file-system-notes.js';
import { AGENTS_NOT_RUN_HERE, keepOpenCapNote, planNotes } from '../outputs/plan-description.js';
import { checkResultsDirectoryIsFresh } from '../outputs/fresh-results-directory.js';
import { ResultsDirectory } from '../outputs/results-directory.js';
import type { RunPlan } from '../plan/run-plan.js';
import { writesToTarget } from '../plan/writes-to-target.js';
import type { CellTotals } from '../stats/cell-totals.js';
import type { PhaseName } from '../stats/stats-window.js';

export async function runWorkload(loaded: LoadedWorkload, plan: RunPlan, options: { outDir: string | undefined }): Promise<number> {
  const outDir = options.outDir ?? join('results', `${plan.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  checkResultsDirectoryIsFresh(outDir, options.outDir === undefined ? 'results directory' : '--out');
  const credentials = await resolveCredentials(plan);
  const unreachable = await checkEndpoints(plan, credentials);
  const overwriteWarning = await checkNewKeysAreFree(plan, credentials);

  const results = new ResultsDirectory(outDir, plan, loaded.config);
  const sink = createConsoleSink(results);
  const consoleOutput = new ConsoleOutput(plan, sink);
  sink.line(`iofleet: ${plan.name} → ${plan.targetUri}; results in ${outDir}/`);
  for (const message of unreachable) consoleOutput.warning(message);
  if (overwriteWarning !== undefined) consoleOutput.warning(overwriteWarning);
  if (plan.target.kind === 'file') {
    // Information only: a file system that will not say (statfs can fail on NFS where the cached stat
    // of the check above did not) is noted and the run goes on.
    const facts = plan.endpoints.map((endpoint) => {
      if (endpoint.fileRoot === undefined) return undefined;
      try {
        return fileSystemFacts(endpoint.fileRoot);
      } catch (error) {
        consoleOutput.warning(`file system of ${endpoint.id} unknown: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        return undefined;
      }
    });
    results.fileSystems(facts);
    const notes = fileSystemNotes(plan, facts);
    for (const line of notes.lines) sink.line(line);
    for (const message of notes.warnings) consoleOutput.warning(message);
  }
  const keepOpenCap = keepOpenCapNote(plan);
  if (keepOpenCap !== undefined) consoleOutput.warning(`file.keep_open: ${plan.fileKeepOpen.fdsPerThread} files per worker thread, ${keepOpenCap}`);
  for (const note of planNotes(plan)) consoleOutput.warning(note);
  if (plan.threadsCapReason !== undefined) consoleOutput.warning(plan.threadsCapReason);
  if (plan.agents.length > 0) consoleOutput.warning(`agents: ${plan.agents.length} configured, not used: ${AGENTS_NOT_RUN_HERE}`);

  let failure: IofleetError | undefined;
  let lastPhase: PhaseResult | undefined;
  const engine = startEngine(
    plan,
    credentials,
    fanOut([consoleOutput, results], {
      phaseEnded(result) {
        lastPhase = result;
        if (result.phase === 'prepare' && plan.prepare.count > 0 && result.objects === 0 && result.reason !== 'stopped') {
          failure = new IofleetError('TARGET_SETUP', `prepare could not create any of the ${plan.prepare.count} objects`, 'see the errors above (credentials, permissions, space)');
          engine.stop();
        }
      },
      endpointEvent(event) {
        if (event.kind === 'all_down' && plan.routing?.stopWhenAllDown && failure === undefined) {
          failure = new IofleetError('ALL_ENDPOINTS_DOWN', `all ${plan.routing.poolEndpoints.length} endpoints were ejected; stopped (health.stop_when_all_down)`, 'see events.tsv and endpoint_stats.tsv for when and why');
          engine.stop();
        }
      },
    }),
  );

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      sink.line(`${signal} again: exiting at once`);
      // What the phases so far measured is already in results.json; only its status is still "running",
      // and what is left is known only up to the last phase that ended.
      try {
        if (plan.cleanup && lastPhase !== undefined) results.cleanupSkipped('interrupted', lastPhase, true);
        results.finish('interrupted');
      } catch {
        // Exiting at once was asked for: a results directory that cannot be written must not stop that.
      }
      process.exit(EXIT.interrupted);
    }
    interrupted = true;
    sink.line(`${signal}: stopping (waiting briefly for operations in flight; again to exit at once)`);
    engine.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await engine.done;
  } catch (error) {
    if (!isIofleetError(error)) throw error;
    failure ??= error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  // A stopped run never reaches its cleanup phase, or stops inside it: what it leaves must not go unsaid.
  // (A cleanup stopped part way says what is left in its own end-of-phase line; results.json gets the
  // same record either way.)
  if (plan.cleanup && lastPhase !== undefined && (failure || interrupted)) {
    const because = failure ? 'failed' : 'interrupted';
    const isInCleanup = lastPhase.phase === 'cleanup';
    if (!isInCleanup) consoleOutput.cleanupSkipped(`the run ${because === 'failed' ? 'failed' : 'was interrupted'}`, lastPhase);
    if (!isInCleanup || lastPhase.reason === 'stopped') results.cleanupSkipped(because, lastPhase);
  }
  if (failure) {
    results.finish('failed', { code: failure.code, message: failure.message });
    sink.line(formatError(failure));
    sink.line(`Partial results in ${outDir}/`);
    return failure.exitCode;
  }
  if (interrupted) {
    results.finish('interrupted');
    sink.line(`Interrupted; partial results in ${outDir}/`);
    return EXIT.interrupted;
  }
  results.finish('completed');
  sink.line(`Results in ${outDir}/`);
  return EXIT.ok;
}

/** Credentials per endpoint (S3 only), resolved once per profile. */
async function resolveCredentials(plan: RunPlan): Promise<(S3Credentials | undefined)[]> {
  if (plan.target.kind !== 's3') return plan.endpoints.map(() => undefined);
  const { resolveS3Credentials } = await import('../backends/s3/credentials.js');
  const byProfile = new Map<string | undefined, Promise<S3Credentials>>();
  return Promise.all(
    plan.endpoints.map((endpoint) => {
      const profile = endpoint.s3!.profile;
      let credentials = byProfile.get(profile);
      if (credentials === undefined) byProfile.set(profile, (credentials = resolveS3Credentials(profile === undefined ? {} : { profile })));
      return credentials;
    }),
  );
}

/**
 * Fails fast, before any results directory exists, when the target cannot be used at all: the target's
 * own endpoint must answer, and of a pool at least one endpoint. Pool endpoints that do not answer are
 * returned as warnings (the run starts; the breaker ejects them and the probe readmits them), except file
 * endpoints (see below). Creates the bucket (or, with file.create_directory, the directory) on every
 * endpoint that answers: in an independent namespace each needs one.
 */
async function checkEndpoints(plan: RunPlan, credentials: (S3Credentials | undefined)[]): Promise<string[]> {
  const failures: { endpoint: number; error: IofleetError }[] = [];
  for (let endpoint = 0; endpoint < plan.endpoints.length; endpoint++) {
    const store = await createStore(plan, endpoint, credentials[endpoint], 1);
    try {
      await store.open({ createNamespace: plan.s3 ? plan.s3.createBucket : plan.fileCreateDirectory, writable: writesToTarget(plan) });
    } catch (error) {
      if (!isIofleetError(error)) throw error;
      failures.push({ endpoint, error });
    } finally {
      await store.close();
    }
  }
  // A file endpoint that cannot be used is a missing, mistyped or read-only directory, not a gateway that
  // is briefly down: starting without it would benchmark fewer mounts than the workload names.
  const fatal = failures.find(({ endpoint, error }) => !plan.endpoints[endpoint]!.inPool || error.code === 'CREDENTIALS' || plan.endpoints[endpoint]!.kind === 'file');
  if (fatal) throw fatal.error;
  if (plan.routing && failures.length === plan.routing.poolEndpoints.length) {
    const each = failures.map(({ endpoint, error }) => `${plan.endpoints[endpoint]!.id}: ${error.message}`).join('; ');
    throw new IofleetError(
      'TARGET_UNREACHABLE',
      `none of the ${plan.routing.poolEndpoints.length} pool endpoints answers (${each})`,
      'check multi_endpoint.endpoints in the workload file, and that the servers are running and reachable',
    );
  }
  // The run starts with the endpoint in the pool: its first ops fail (and count) until the breaker ejects
  // it, and the probe readmits it once it answers. Saying "starting without it" would promise otherwise.
  return failures.map(
    ({ endpoint, error }) =>
      `endpoint ${plan.endpoints[endpoint]!.id} does not answer (${error.message}); it stays in the pool: its ops fail until the breaker ejects it, and the probe readmits it when it answers`,
  );
}

function createConsoleSink(results: ResultsDirectory): ConsoleSink {
  const isTty = process.stdout.isTTY === true;
  let statusShown = false;
  return {
    isTty,
    line(text: string): void {
      if (statusShown) process.stdout.write('\r\x1b[2K');
      statusShown = false;
      process.stdout.write(text + '\n');
      results.appendConsole(text);
    },
    status(text: string): void {
      process.stdout.write(`\r\x1b[2K${text}`);
      statusShown = text !== '';
    },
  };
}

/** One observer that forwards to several, then to the run's own decisions (`decide`). */
function fanOut(observers: readonly RunObserver[], decide: Pick<RunObserver, 'phaseEnded' | 'endpointEvent'>): RunObserver {
  return {
    phaseStarted: (phase: PhaseName, startEpochMs: number) => observers.forEach((o) => o.phaseStarted(phase, startEpochMs)),
    secondMerged: (phase: PhaseName, seq: number, second: CellTotals, durationMs: number) => observers.forEach((o) => o.secondMerged(phase, seq, second, durationMs)),
    phaseEnded: (result: PhaseResult) => {
      observers.forEach((o) => o.phaseEnded(result));
      decide.phaseEnded(result);
    },
    warning: (message: string) => observers.forEach((o) => o.warning(message)),
    endpointEvent: (event: EndpointEvent) => {
      observers.forEach((o) => o.endpointEvent(event));
      decide.endpointEvent(event);
    },
  };
}
