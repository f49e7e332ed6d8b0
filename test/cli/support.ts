/** Helpers shared by the CLI tests: which reference cases belong to a registered chart, and running the CLI. */
import * as path from 'path';
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

function chartOfCase(name: string): string | undefined {
  const prefix = Object.keys(CASE_PREFIX_CHART).find((p) => name.startsWith(p));
  return prefix === undefined ? undefined : CASE_PREFIX_CHART[prefix];
}

/** Every reference case, with its chart and whether that chart is registered with the CLI. */
export function allCases(): Array<{ name: string; chart: string | undefined; registered: boolean }> {
  const registered = new Set(helmChartNames());
  return caseNames('').map((name) => {
    const chart = chartOfCase(name);
    return { name, chart, registered: chart !== undefined && registered.has(chart) };
  });
}

/** The reference cases whose chart is registered with the CLI. */
export function registeredCases(): CliCase[] {
  return allCases()
    .filter((c) => c.registered)
    .map((c) => ({ name: c.name, chart: c.chart!, ref: loadCase(c.name), dir: path.join(FIXTURES, 'cases', c.name) }));
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
