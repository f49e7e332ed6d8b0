import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
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

/** Validation messages of the whole tree, without throwing. */
export function problemsOf(chart: Chart): string[] {
  return chart.node.root.node.findAll().flatMap((c) => c.node.validate().map((m) => `[${c.node.path}] ${m}`));
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
