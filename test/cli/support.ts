/** Helpers shared by the CLI tests: the reference cases with the chart that rendered each, and running the CLI. */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { runCli } from '../../src/cli/main';
import { helmChartNames } from '../../src/helm/registry';
import '../../src/helm/charts';
import { caseNames, FIXTURES, loadCase, ReferenceCase } from '../support';

/** Reference case folder prefix -> the CLI chart name whose `helm template` produced it. */
export const CASE_PREFIX_CHART: Readonly<Record<string, string>> = {
  'furiosa-': 'furiosa-modelservice',
  'gaie-': 'inferencepool',
  'router-gateway-': 'llm-d-router-gateway',
  'router-standalone-': 'llm-d-router-standalone',
  'infra-': 'llm-d-infra',
  'upstream-': 'modelservice',
  'bbr-': 'body-based-routing',
};

export interface CliCase {
  readonly name: string;
  readonly chart: string;
  readonly ref: ReferenceCase;
  /** Folder of the case (values.yaml is there). */
  readonly dir: string;
}

/** The charts the reference cases were rendered with: each must be registered with the CLI. */
export const REFERENCE_CHARTS: readonly string[] = [...new Set(Object.values(CASE_PREFIX_CHART))].sort();

/**
 * Every reference case with the chart that rendered it, whether or not that chart is registered
 * with the CLI (so a test over these fails for an unregistered chart instead of shrinking).
 * Throws for a case folder whose prefix names no chart.
 */
export function referenceCases(): CliCase[] {
  return caseNames('').map((name) => {
    const prefix = Object.keys(CASE_PREFIX_CHART).find((p) => name.startsWith(p));
    if (prefix === undefined) throw new Error(`reference case ${name}: no chart for its folder prefix; add the prefix to CASE_PREFIX_CHART in test/cli/support.ts`);
    return { name, chart: CASE_PREFIX_CHART[prefix], ref: loadCase(name), dir: path.join(FIXTURES, 'cases', name) };
  });
}

/** `chart (case, ...)` for each chart of the reference cases that is not registered with the CLI. */
export function unregisteredCharts(cases: readonly CliCase[] = referenceCases()): string[] {
  const registered = new Set(helmChartNames());
  return REFERENCE_CHARTS.filter((chart) => !registered.has(chart)).map((chart) => `${chart} (${cases.filter((c) => c.chart === chart).map((c) => c.name).join(', ')})`);
}

/**
 * Every reference case, for tests that need each case's chart registered. Throws naming the
 * charts that are not registered (src/helm/charts.ts), so unregistering a chart fails these tests
 * rather than quietly leaving its cases out.
 */
export function registeredCases(): CliCase[] {
  const cases = referenceCases();
  const missing = unregisteredCharts(cases);
  if (missing.length > 0) throw new Error(`reference cases of charts not registered with the CLI (src/helm/charts.ts): ${missing.join('; ')}`);
  return cases;
}

/** The case's `helm template` command line as CLI arguments (after `render <chart>`), values file relative to the case folder. */
export function caseArgs(c: CliCase): string[] {
  return ['--release', c.ref.release, '--namespace', c.ref.namespace, '-f', 'values.yaml', ...c.ref.sets.flatMap((s) => ['--set', s])];
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process. */
export function cli(argv: readonly string[], cwd = process.cwd()): CliResult {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, cwd);
  return { code, stdout, stderr };
}

/**
 * Runs a program `convert` printed, as `cdk8s synth` would (CDK8S_OUTDIR = `outdir`), with its
 * imports served from this test's module registry ('cdk8s-llm-d' from src/); returns the names of
 * the manifest files it wrote.
 */
export function runPrintedApp(source: string, file: string, outdir: string): string[] {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: file }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const req = (id: string): unknown => (id === 'cdk8s-llm-d' ? require('../../src') : require(id));
  const mod = { exports: {} };
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    new Function('require', 'module', 'exports', js)(req, mod, mod.exports);
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
  }
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml'));
}
