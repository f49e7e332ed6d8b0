#!/usr/bin/env node
/**
 * `cdk8s-llm-d`: render Helm chart values through the constructs, or convert them to TypeScript.
 *
 * Exit codes: 0 success; 2 bad usage or bad input (unknown values key, wrong type, unsupported
 * feature, validation failure: nothing is printed on stdout); 1 unexpected internal error.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CliArgs, parseArgs, UsageError } from './args';
import { applySet, mergeValues, SetSyntaxError, Values } from './values';
import { toTypeScriptLiteral } from './codegen';
import { LlmdValidationError } from '../core/errors';
import { helmChart, helmChartNames, HelmChartAdapter } from '../helm/registry';
import '../helm/charts';

const HELP = `cdk8s-llm-d: typed llm-d stacks for FuriosaAI RNGD, and a migration path from Helm values.

Usage:
  cdk8s-llm-d render  <chart> --release NAME [--namespace NS] -f values.yaml [-f more.yaml] [--set a.b=c ...] [-o DIR]
  cdk8s-llm-d convert <chart> --release NAME [--namespace NS] -f values.yaml [-f more.yaml] [--set a.b=c ...]
  cdk8s-llm-d <command> --help

Commands:
  render   Synthesize the manifests the constructs produce for these chart values (stdout, or files with -o).
  convert  Print the equivalent TypeScript construct code, to commit instead of the values files.

Charts:
${'  '}CHARTS

Exit codes:
  0  success
  2  bad usage or bad input: unknown values key, wrong type, unsupported feature, failed validation
     (the message names the key and file; nothing is written to stdout)
  1  unexpected internal error
`;

const COMMAND_HELP: Record<'render' | 'convert', string> = {
  render: `Usage: cdk8s-llm-d render <chart> --release NAME [--namespace NS] -f values.yaml [-f more.yaml] [--set a.b=c ...] [-o DIR]

Renders the chart's values through the cdk8s-llm-d constructs and prints the manifests as YAML.

Options:
  --release, --name NAME   release name; object names derive from it like the chart's (required)
  -n, --namespace NS       namespace of every namespaced object (default: default)
  -f, --values FILE        values file; repeat to merge (later files win, like helm)
  --set a.b[0].c=v         override a value (helm syntax; comma-separated pairs, {a,b} lists)
  --set-string a=v         override a value, always as a string
  -o, --output-dir DIR     write DIR/<release>.k8s.yaml instead of printing
  -h, --help               this help
`,
  convert: `Usage: cdk8s-llm-d convert <chart> --release NAME [--namespace NS] -f values.yaml [-f more.yaml] [--set a.b=c ...]

Prints a TypeScript cdk8s app that builds the same manifests with typed construct props.

Options:
  --release, --name NAME   release name (required)
  -n, --namespace NS       namespace (default: default)
  -f, --values FILE        values file; repeat to merge (later files win)
  --set a.b[0].c=v         override a value (helm syntax)
  --set-string a=v         override a value as a string
  -h, --help               this help
`,
};

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Reads, merges and overrides values exactly in the order helm does. */
export function loadValues(files: readonly string[], sets: CliArgs['sets'], cwd: string): Values {
  let values: Values = {};
  for (const f of files) {
    const file = path.resolve(cwd, f);
    let parsed: unknown;
    try {
      parsed = YAML.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`${f}: cannot read values: ${(e as Error).message.split('\n')[0]}`);
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${f}: values must be a map at the top level`);
    values = mergeValues(values, parsed as Values);
  }
  for (const s of sets) applySet(values, s.expr, s.forceString);
  return values;
}

function chartList(): string {
  return helmChartNames()
    .map((n) => `${n.padEnd(22)} ${helmChart(n)?.chart ?? ''}`)
    .join('\n  ');
}

function adapterFor(args: CliArgs): HelmChartAdapter {
  const adapter = helmChart(args.chart ?? '');
  if (!adapter) throw new UsageError(`unknown chart "${args.chart}"; charts: ${helmChartNames().join(', ')}`);
  if (!args.release) throw new UsageError(`--release is required (object names derive from it)`);
  return adapter;
}

/** Values as props; a validation error names the file(s) the values came from. */
function propsFrom(adapter: HelmChartAdapter, args: CliArgs, cwd: string): object {
  const values = loadValues(args.valueFiles, args.sets, cwd);
  try {
    return adapter.toProps(values, { release: args.release!, namespace: args.namespace });
  } catch (e) {
    if (e instanceof LlmdValidationError) {
      const sources = [...args.valueFiles, ...(args.sets.length ? ['--set'] : [])].join(', ') || '(no values)';
      throw new LlmdValidationError(e.problems.map((p) => ({ path: `${sources}`, message: p.message })));
    }
    throw e;
  }
}

function render(args: CliArgs, io: Io, cwd: string): void {
  const adapter = adapterFor(args);
  const props = propsFrom(adapter, args, cwd);
  // Loaded here so `--help` and errors in values stay fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App, Chart, Yaml } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateTree } = require('../core/validate') as typeof import('../core/validate');
  const app = new App({ outdir: args.outputDir ?? path.join(cwd, 'dist') });
  const chart = new Chart(app, args.release!, { namespace: args.namespace });
  adapter.create(chart, args.release!, props);
  validateTree(app);
  const text = Yaml.stringify(...chart.toJson());
  if (args.outputDir) {
    fs.mkdirSync(args.outputDir, { recursive: true });
    fs.writeFileSync(path.join(args.outputDir, `${args.release}.k8s.yaml`), text);
  } else {
    io.stdout(text);
  }
}

/** The TypeScript app `convert` prints. */
export function convertToTypeScript(adapter: HelmChartAdapter, props: object, release: string, namespace: string): string {
  return [
    `import { App, Chart } from 'cdk8s';`,
    `import { ${adapter.className} } from 'cdk8s-llm-d';`,
    ``,
    `// Converted from ${adapter.chart} values by \`cdk8s-llm-d convert\`.`,
    `const app = new App();`,
    `const chart = new Chart(app, ${toTypeScriptLiteral(release)}, { namespace: ${toTypeScriptLiteral(namespace)} });`,
    ``,
    `new ${adapter.className}(chart, ${toTypeScriptLiteral(release)}, ${toTypeScriptLiteral(props)});`,
    ``,
    `app.synth();`,
    ``,
  ].join('\n');
}

function convert(args: CliArgs, io: Io, cwd: string): void {
  const adapter = adapterFor(args);
  io.stdout(convertToTypeScript(adapter, propsFrom(adapter, args, cwd), args.release!, args.namespace));
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: readonly string[], io: Io, cwd = process.cwd()): number {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help' || args.help) {
      io.stdout(args.command === 'help' ? HELP.replace('CHARTS', chartList()) : COMMAND_HELP[args.command]);
      return 0;
    }
    if (args.command === 'render') render(args, io, cwd);
    else convert(args, io, cwd);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SetSyntaxError || e instanceof LlmdValidationError) {
      io.stderr(`cdk8s-llm-d: ${e.message}\n`);
      return 2;
    }
    io.stderr(`cdk8s-llm-d: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
