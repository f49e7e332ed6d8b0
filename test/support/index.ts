import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { LlmdValidationError, ReportedProblem } from '../../src/core/errors';
import { validateTree } from '../../src/synth/validate';
import { compareManifests, parseManifests } from '../../src/testing/semdiff';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface ReferenceCase {
  readonly name: string;
  readonly values: Record<string, unknown>;
  readonly expectedText: string;
  readonly expected: Record<string, unknown>[];
  /** The `helm template` command line that produced expected.yaml. */
  readonly command: string;
  /** Release name from the command line. */
  readonly release: string;
  /** Namespace from `-n`, or "default". */
  readonly namespace: string;
  /** `--set` arguments of the command line. */
  readonly sets: string[];
}

/** Names of the reference cases whose folder starts with `prefix`. */
export function caseNames(prefix: string): string[] {
  return fs.readdirSync(path.join(FIXTURES, 'cases')).filter((n) => n.startsWith(prefix)).sort();
}

export function loadCase(name: string): ReferenceCase {
  const dir = path.join(FIXTURES, 'cases', name);
  const command = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8').trim();
  const expectedText = fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8');
  const words = command.split(/\s+/);
  const nsIdx = words.indexOf('-n');
  const sets: string[] = [];
  words.forEach((w, i) => {
    if (w === '--set') sets.push(words[i + 1]);
  });
  return {
    name,
    values: (YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>,
    expectedText,
    expected: parseManifests(expectedText),
    command,
    release: words[2],
    namespace: nsIdx >= 0 ? words[nsIdx + 1] : 'default',
    sets,
  };
}

/** A fresh app and chart for a test. */
export function newChart(namespace?: string): { app: App; chart: Chart } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-test-')) });
  const chart = new Chart(app, 'test', namespace ? { namespace } : {});
  return { app, chart };
}

/** Validates the tree (throws on problems) and returns the chart's objects as plain JSON. */
export function synth(chart: Chart): Record<string, unknown>[] {
  validateTree(chart.node.root);
  return chart.toJson() as Record<string, unknown>[];
}

/**
 * What a refusal test expects of one reported problem. `allowed`, `value` and `why` may be
 * asymmetric matchers (`expect.stringContaining(...)`).
 */
export interface ExpectedProblem {
  /** The construct path the user wrote (`llm-d` for a stack, `test/ms`), or the values source (`values.yaml`, `--set a=b`). */
  readonly path: string;
  /** The user's prop path (`models[0].tensorParallelism`), or the values key. */
  readonly field: string;
  /** The value that was refused (`undefined` when the prop was missing). */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
  /** Why it is refused: compared only when given. */
  readonly why?: string;
}

/** What {@link refusalOf} and {@link expectRefusal} validate: an app (or any construct of it), or a build. */
export type Refusable = IConstruct | ((chart: Chart) => unknown);

/**
 * The problems of the LlmdValidationError that `subject` is refused with. A construct: its app is
 * validated. A function: it is called with a fresh chart (namespace llm-d, in a fresh app) and may
 * throw itself (a refusal at construction, `synthApp(app)`, a values reader); when it returns, the
 * fresh app is validated. Fails the test when nothing is refused, and when anything but an
 * LlmdValidationError is thrown: a plain Error with the right words is not a refusal.
 */
export function refusalOf(subject: Refusable): ReportedProblem[] {
  try {
    if (typeof subject === 'function') {
      const { app, chart } = newChart('llm-d');
      subject(chart);
      validateTree(app);
    } else {
      validateTree(subject.node.root);
    }
  } catch (e) {
    if (e instanceof LlmdValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a refusal (an LlmdValidationError), but the input was accepted');
}

/**
 * Asserts that `subject` (see {@link refusalOf}) is refused with exactly the `expected` problems,
 * in order: path, field, value and allowed of each, and why where the expectation gives it. A
 * missing or extra problem fails the test, as does a refusal that is not an LlmdValidationError.
 */
export function expectRefusal(subject: Refusable, expected: readonly ExpectedProblem[]): void {
  const found = refusalOf(subject).map((p, i) => {
    const shown: Record<string, unknown> = { path: p.path, field: p.field, value: p.value, allowed: p.allowed };
    if (expected[i]?.why !== undefined) shown.why = p.why;
    // A problem without a field is a message of a validation that is not this library's: show it.
    if (p.field === undefined) shown.message = p.message;
    return shown;
  });
  expect(found).toEqual(expected);
}

/**
 * Builds into a fresh chart (namespace llm-d) and validates the app: the structured problems of
 * the LlmdValidationError, or [] when the app is valid. Any other error fails the test.
 */
export function problemsFrom(build: (chart: Chart) => void): ReportedProblem[] {
  const { app, chart } = newChart('llm-d');
  build(chart);
  try {
    validateTree(app);
  } catch (e) {
    if (e instanceof LlmdValidationError) return [...e.problems];
    throw e;
  }
  return [];
}

/** Finds one object by kind and name, failing the test when it is absent. */
export function objectOf(objects: Record<string, unknown>[], kind: string, name?: string): Record<string, any> {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || (o.metadata as { name?: string })?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${(o.metadata as { name?: string })?.name}`).join(', ')}`);
  return found[0] as Record<string, any>;
}

/** Asserts the golden manifests are contained in ours (the parity rule), with a readable diff. */
export function expectContains(golden: Record<string, unknown>[] | string, ours: Record<string, unknown>[]): void {
  const r = compareManifests(golden, ours);
  if (!r.contained) {
    throw new Error(`${r.summary}\n${r.differences.slice(0, 40).join('\n')}`);
  }
}

/** The Markdown files of the documentation, relative to the repository root: README.md, docs/*.md, docs/constructs/*.md. */
export function documentationFiles(): string[] {
  const root = path.join(__dirname, '..', '..');
  const markdownIn = (dir: string): string[] => fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f));
  return ['README.md', ...markdownIn('docs'), ...markdownIn(path.join('docs', 'constructs'))];
}
