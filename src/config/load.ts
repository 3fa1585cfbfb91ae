// Loading a workload file: YAML → schema → cross-field checks. Every problem is reported at once, each as
// `file:line:col field: what is wrong (the fix)`, never as a stack trace and never as a silent default.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { IofleetError } from '../errors.js';
import { closestMatch } from './did-you-mean.js';
import { checkWorkloadSemantics } from './semantics.js';
import { knownKeysAt } from './schema-keys.js';
import { workloadSchema, type WorkloadConfig } from './schema.js';

export type ConfigPath = readonly (string | number)[];

/** One problem in a workload file, with where it is. */
export interface ConfigProblem {
  path: ConfigPath;
  message: string;
  /** Point at the key itself rather than its value (an unknown key: the key is what is wrong). */
  atKey?: boolean;
}

export interface LoadedWorkload {
  config: WorkloadConfig;
  /** The file as given (for messages and the results directory's copy). */
  fileName: string;
  sourceText: string;
}

export function loadWorkloadFile(fileName: string): LoadedWorkload {
  let sourceText: string;
  try {
    sourceText = readFileSync(fileName, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new IofleetError('CONFIG_READ', `${fileName}: cannot read the workload file (${reason})`);
  }
  return { config: parseWorkloadText(sourceText, fileName), fileName, sourceText };
}

/** Parses and validates workload text; throws IofleetError CONFIG_YAML / CONFIG_INVALID listing every problem. */
export function parseWorkloadText(sourceText: string, fileName: string): WorkloadConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(sourceText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => {
      const pos = lineCounter.linePos(error.pos[0]);
      return `${fileName}:${pos.line}:${pos.col} ${firstLine(error.message)}`;
    });
    throw new IofleetError('CONFIG_YAML', lines.join('\n'), 'fix the YAML syntax at the position shown');
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // e.g. an alias to an anchor that does not exist: the parser reports these only when resolving.
    throw new IofleetError('CONFIG_YAML', `${fileName}:1:1 ${firstLine((error as Error).message)}`, 'fix the YAML at the alias (*name) it names');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new IofleetError(
      'CONFIG_INVALID',
      `${fileName}:1:1 the workload file must be a mapping of keys (target:, workload:, ...)`,
      'see examples/quickstart.yaml',
    );
  }
  if (!('name' in data)) (data as Record<string, unknown>).name = defaultName(fileName);

  const parsed = workloadSchema.safeParse(data, { reportInput: true });
  const problems: ConfigProblem[] = parsed.success
    ? checkWorkloadSemantics(parsed.data)
    : parsed.error.issues.flatMap((issue) => problemsFromIssue(issue, data));
  if (problems.length > 0) {
    // In file order, as an editor lists them; one line per distinct problem.
    const located = problems.map((problem) => ({ offset: problemOffset(doc, problem), line: formatProblem(problem, doc, lineCounter, fileName) }));
    located.sort((a, b) => a.offset - b.offset);
    const lines = [...new Set(located.map(({ line }) => line))];
    // How the settings fit together (weights, ranges, endpoints) is checked once each one is valid.
    const hint = parsed.success ? undefined : 'fix these; how the settings fit together is checked once each one is valid';
    throw new IofleetError('CONFIG_INVALID', lines.join('\n'), hint);
  }
  return parsed.data as WorkloadConfig;
}

function defaultName(fileName: string): string {
  return (
    basename(fileName)
      .replace(/\.ya?ml$/i, '')
      .replace(/[^A-Za-z0-9._-]/g, '_') || 'workload'
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}

/**
 * A problem found after loading (by the plan, which knows the host: its open-file limit), placed in the
 * loaded file as the loader places its own: `file:line:col field: message`.
 */
export function locateProblem(loaded: LoadedWorkload, problem: ConfigProblem): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(loaded.sourceText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return formatProblem(problem, doc, lineCounter, loaded.fileName);
}

/** A CONFIG_INVALID found after loading, at `path` in the workload file; located by locateProblem. */
export class PlacedConfigError extends IofleetError {
  readonly path: ConfigPath;

  constructor(path: ConfigPath, message: string, hint?: string) {
    super('CONFIG_INVALID', message, hint);
    this.path = path;
  }
}

function formatProblem(problem: ConfigProblem, doc: Document, lineCounter: LineCounter, fileName: string): string {
  const offset = problemOffset(doc, problem);
  const pos = lineCounter.linePos(offset);
  const field = formatPath(problem.path);
  return `${fileName}:${pos.line}:${pos.col} ${field === '' ? '' : `${field}: `}${problem.message}`;
}

/** `workload[2].size.dist` */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  }
  return text;
}

/**
 * Source offset of the value at `path`; for a path that does not exist (a missing key), the offset of the
 * deepest ancestor that does. A path ending in an unknown key points at the key itself.
 */
function problemOffset(doc: Document, problem: ConfigProblem): number {
  if (problem.atKey === true && problem.path.length > 0) {
    const parent = problem.path.length === 1 ? doc.contents : doc.getIn(problem.path.slice(0, -1), true);
    if (isMap(parent)) {
      const name = problem.path[problem.path.length - 1];
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === name);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  return offsetOf(doc, problem.path);
}

function offsetOf(doc: Document, path: ConfigPath): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      return node.range[0] as number;
    }
    // A key with no value (`size:`) has a null node without a range: point at the key.
    if (depth > 0) {
      const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === path[depth - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
    }
  }
  return 0;
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

type Issue = z.core.$ZodIssue;

function problemsFromIssue(issue: Issue, data: unknown, basePath: ConfigPath = []): ConfigProblem[] {
  const path = [...basePath, ...(issue.path as (string | number)[])];
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const suggestion = closestMatch(key, knownKeysAt(workloadSchema, path));
        const home = suggestion ? undefined : sectionKnowing(key, path);
        const fix = suggestion
          ? `did you mean "${suggestion}"?`
          : home
            ? `did you mean ${home}.${key}? (${home}: { ${key}: ... })`
            : `known keys: ${knownKeysAt(workloadSchema, path).join(', ')}`;
        return { path: [...path, key], message: `unknown key "${key}" (${fix})`, atKey: true };
      });
    case 'invalid_union':
      return problemsFromUnion(issue, data, path);
    case 'invalid_value': {
      const options = issue.values.map((option) => String(option));
      const suggestion = typeof value === 'string' ? closestMatch(value, options) : undefined;
      return [
        {
          path,
          message:
            `${describeValue(value)} is not one of: ${options.join(', ')}` +
            (suggestion ? ` (did you mean "${suggestion}"?)` : ''),
        },
      ];
    }
    case 'invalid_type':
      if (value === undefined) return [{ path, message: `is required (expected ${article(issue.expected)})` }];
      if (issue.expected === 'int' && typeof value === 'number') {
        return [{ path, message: `${value} is not a whole number: use one, e.g. ${Math.max(1, Math.round(value))}` }];
      }
      return [{ path, message: `expected ${article(issue.expected)}, got ${describeValue(value)}` }];
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      const exclusive = issue.code === 'too_small' ? 'greater than' : 'less than';
      const limit = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      if (issue.origin === 'array') return [{ path, message: `needs ${bound} ${limit} ${limit === '1' ? 'entry' : 'entries'}` }];
      const rule = `${issue.inclusive ? bound : exclusive} ${limit}`;
      return [{ path, message: `${describeValue(value)} is out of range: must be ${rule}` }];
    }
    case 'invalid_format':
    case 'not_multiple_of':
    case 'custom':
    default:
      return [{ path, message: issue.message }];
  }
}

function article(expected: string): string {
  const noun = expected === 'object' ? 'mapping' : expected === 'array' ? 'list' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * A top-level key that is unknown there but known one level down (`tree:` for `prepare: { tree: ... }`):
 * the section it belongs to, so the message can say where to move it.
 */
function sectionKnowing(key: string, path: ConfigPath): string | undefined {
  if (path.length !== 0) return undefined;
  return knownKeysAt(workloadSchema, []).find((section) => knownKeysAt(workloadSchema, [section]).includes(key));
}

/**
 * A value matched no branch of a union. Object branches told apart by a literal key (`dist: fixed |
 * uniform | ...`) whose key matched none: report that key once, with every allowed value. Otherwise
 * report the branch the user was evidently writing: one whose type matched (its problems lie below the
 * value's root, or are not about the value's type or literal), with the fewest problems.
 */
function problemsFromUnion(issue: Issue & { code: 'invalid_union' }, data: unknown, path: ConfigPath): ConfigProblem[] {
  const branches = issue.errors.filter((errors) => errors.length > 0);
  const isRootMismatch = (inner: Issue): boolean =>
    inner.path.length === 0 && (inner.code === 'invalid_type' || inner.code === 'invalid_union' || inner.code === 'invalid_value');
  const typeMatched = branches.filter((errors) => errors.some((inner) => !isRootMismatch(inner)));
  const discriminatorIssue = (errors: Issue[]): (Issue & { code: 'invalid_value' }) | undefined =>
    errors.find((inner): inner is Issue & { code: 'invalid_value' } => inner.code === 'invalid_value' && inner.path.length === 1);
  const mismatches = typeMatched.map(discriminatorIssue);
  const key = mismatches[0]?.path[0];
  if (typeMatched.length > 1 && mismatches.every((inner) => inner !== undefined && inner.path[0] === key)) {
    const values = mismatches.flatMap((inner) => inner!.values);
    return problemsFromIssue({ ...mismatches[0]!, path: [key!], values } as Issue, data, path);
  }
  const candidates = typeMatched.filter((errors) => discriminatorIssue(errors) === undefined);
  if (typeMatched.length > 0) {
    const best = (candidates.length > 0 ? candidates : typeMatched).reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((inner) => problemsFromIssue(inner, data, path));
  }
  const expectations = [...new Set(branches.flatMap((errors) => errorExpectations(errors[0]!)))];
  const value = valueAt(data, path);
  const expected = expectations.join(' or ');
  // `threads: 2.5` against "auto" | an integer: the number was meant, only not whole.
  if (typeof value === 'number' && expectations.includes(article('int'))) {
    const others = expectations.filter((expectation) => expectation !== article('int')).join(' or ');
    return [{ path, message: `${value} is not a whole number: use one (e.g. ${Math.max(1, Math.round(value))}), or ${others}` }];
  }
  return [{ path, message: `expected ${expected}, got ${describeValue(value)}` }];
}

function errorExpectations(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [article(issue.expected)];
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v));
  if (issue.code === 'invalid_union') return issue.errors.flatMap((errors) => (errors[0] ? errorExpectations(errors[0]) : []));
  return ['another value'];
}
