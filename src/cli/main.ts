/**
 * `cdk8s-llm-d`: render Helm chart values through the constructs, or convert them to TypeScript.
 *
 * Exit codes, the same for every command: 0 success; 1 differences (`diff`) or errors found
 * (`check`); 2 bad usage or bad input (unreadable file, unknown values key, wrong type,
 * unsupported feature, validation failure: nothing is printed on stdout); 3 unexpected internal
 * error. No message carries a stack trace or a JavaScript internal (set CDK8S_LLM_D_DEBUG=1 to
 * print the stack of an internal error).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliArgs, parseArgs, RNGD_STACK, UsageError } from './args';
import { applySet, mergeValues, parseValuesYaml, SetKind, SetSyntaxError, ValuesLimitError, VALUES_LIMITS, valuesTreeProblem, ValueSources, Values } from './values';
import { readBoundedText } from './read-input';
import { rngdStackToTypeScript, toTypeScriptLiteral } from './codegen';
import { commentLines } from '../core/comments';
import { LlmdValidationError, ReportedProblem, showValue } from '../core/errors';
import { helmChart, helmChartNames, HelmChartAdapter, ValuesWarning } from '../helm/registry';
import type { RngdStackChart } from '../helm/rngd-stack';
import '../helm/charts';

const EXIT_CODES = `Exit codes:
  0  success
  2  bad usage or bad input: unknown command, chart or flag, missing --release, unreadable values
     file, bad --set syntax, unknown values key, wrong value type, a chart feature this library
     deliberately does not support (the message says why), or failed validation. Each problem
     names the values key and the -f file or --set that set it; nothing is written to stdout.
  3  unexpected internal error (a bug: please report it with the command line)
  (1 is diff's "differences" and check's "errors found"; render, convert and migrate never exit 1)
`;

/** Exit code of an unexpected internal error (a bug), distinct from 1 (differences, findings) and 2 (bad input). */
const INTERNAL_ERROR = 3;

const VALUE_OPTIONS = `  --release, --name NAME   release name; object names derive from it like the chart's (required;
                           may also be given as the argument after <chart>, like helm)
  -n, --namespace NS       namespace of every namespaced object (default: default)
  -f, --values FILE        values file; repeat to merge: maps merge key by key, later files win,
                           lists are replaced, null removes the chart's default (like helm)
  --set a.b[0].c=v         override values with helm's syntax: dotted keys, [i] list indexes,
                           a=1,b=2 pairs, {x,y} lists, \\. and \\, escapes; true/false/null and
                           integers are typed, everything else is a string
  --set-string a=v         like --set, every value a string
  --set-file a=PATH        like --set, the value is the content of the file PATH
                           (applied like helm: -f files, then all --set, all --set-string,
                           all --set-file, each in command-line order)`;

const HELP = `cdk8s-llm-d: typed llm-d stacks for FuriosaAI RNGD, and a migration path from Helm values.

Usage:
  cdk8s-llm-d render  <chart> --release NAME [-n NS] -f values.yaml [-f more.yaml] [--set a.b=c ...] [-o DIR]
  cdk8s-llm-d convert <chart> --release NAME [-n NS] -f values.yaml [-f more.yaml] [--set a.b=c ...]
  cdk8s-llm-d convert rngd-stack [-n NS] --gateway-values F --pool-values F --model-values F
  cdk8s-llm-d migrate inferencepool -f values.yaml [-f more.yaml] [--set a.b=c ...]
  cdk8s-llm-d diff    OLD NEW
  cdk8s-llm-d check   DIR [-n NS] [--nodes FILE] [--previous DIR]
  cdk8s-llm-d <command> --help

Commands:
  render   Synthesize the manifests the constructs produce for these chart values (stdout, or a file with -o).
  convert  Print the equivalent TypeScript construct code, to commit instead of the values files.
  migrate  Print inferencepool v1.3.0 values as llm-d-router-gateway v0.10.0 values.
  diff     Compare two synth outputs (files or folders): objects added, removed, and fields changed.
  check    Check that a synth output (ours or helm template's) can start, run and upgrade on a cluster.

Charts:
  CHARTS

${EXIT_CODES}`;

const COMMAND_HELP: Record<'render' | 'convert' | 'migrate' | 'diff' | 'check', string> = {
  check: `Usage: cdk8s-llm-d check DIR [-n NS] [--nodes FILE] [--previous DIR]

Runs the system model over a synth output (a folder or a YAML file: the dist/ of a synth, or
helm template output) and prints what would keep the stack from starting, running or upgrading:
pods no node can take at their workload's largest size (replicas or autoscaler maximum),
ReadWriteOnce claims shared across nodes, servers that start before the Job filling their claim
is done, images run as a UID they cannot resolve, and, with --previous, changes the API server
refuses to apply in place.

Options:
  -n, --namespace NS namespace of objects that name none, as \`kubectl apply -n\` (default: default)
  --nodes FILE       the cluster's nodes: \`kubectl get nodes -o yaml\` output, or
                     pools: [{ name, count, allocatable: { cpu, memory, furiosa.ai/rngd }, labels, taints }]
                     (default: as many nodes as needed, 8 devices each; node counts not checked)
  --previous DIR     the output deployed now, to check the upgrade to DIR
  -h, --help         this help

Exit codes:
  0  no errors (warnings may be printed)
  1  errors found (each names the object, its file, the field and the way out)
  2  bad usage or bad input: a path missing, not a file or folder (a device, FIFO or socket), larger
     than 64 MiB in all, not YAML, nested too deeply or an alias bomb
  3  unexpected internal error (a bug: please report it with the command line)`,
  diff: `Usage: cdk8s-llm-d diff OLD NEW

Compares two synth outputs, each a YAML file or a folder of them (e.g. the dist/ of the main
branch and of a pull request): lists the objects added (+) and removed (-), and for each changed
object (~) the fields that change, old -> new (image tags, replicas, args, ...), each value whole
or, when long, around the part that differs; a multi-line value by its changed lines (-/+ with
line numbers). Lists of named items (containers, env, ports, volumes) are matched by name.
A change the API server refuses to apply in place (a Deployment's selector, a Job's template, a
smaller PVC, ...) is marked "!" with the way through, and counted in the summary.

Exit codes:
  0  no differences
  1  differences (the report is on stdout)
  2  bad usage or bad input: a path missing, not a file or folder (a device, FIFO or socket), larger
     than 64 MiB in all, not YAML, nested too deeply or an alias bomb (nothing on stdout)
  3  unexpected internal error (a bug: please report it with the command line)`,
  migrate: `Usage: cdk8s-llm-d migrate inferencepool -f values.yaml [-f more.yaml] [--set a.b=c ...]

Prints the values of the Inference Extension inferencepool chart v1.3.0 as values of the
llm-d-router-gateway chart v0.10.0: every key moved (inferenceExtension.* -> router.epp.*,
inferencePool.* -> router.modelServers.*, ...), the EPP *-metric flags moved into a
core-metrics-extractor engineConfigs entry of the config file (the EPP exits on those flags since
v0.9.0), an image that cannot read llm-d.ai configs replaced. Each decision is a comment at the
top. Render the result with \`cdk8s-llm-d render llm-d-router-gateway\`.

Options:
${VALUE_OPTIONS.split('\n').filter((l, i, all) => !l.includes('--release') && !(i > 0 && all[i - 1].includes('--release'))).join('\n')}
  -h, --help               this help

${EXIT_CODES}`,
  render: `Usage: cdk8s-llm-d render <chart> --release NAME [-n NS] -f values.yaml [-f more.yaml] [--set a.b=c ...] [-o DIR]

Renders the chart's values through the cdk8s-llm-d constructs and prints the manifests as YAML
(like \`helm template\`; compare with the chart's output to see that nothing changed).

Charts:
  CHARTS

Options:
${VALUE_OPTIONS}
  -o, --output-dir DIR     write DIR/<release>.k8s.yaml instead of printing to stdout
  -h, --help               this help

${EXIT_CODES}`,
  convert: `Usage: cdk8s-llm-d convert <chart> --release NAME [-n NS] -f values.yaml [-f more.yaml] [--set a.b=c ...]
       cdk8s-llm-d convert rngd-stack [-n NS] --gateway-values F --pool-values F --model-values F
                   [--gateway-release llm-d-infra] [--pool-release gaie] [--model-release ms]

Prints a TypeScript cdk8s app (main.ts) that builds the same manifests as \`render\` with the
construct and its typed props, so a team can commit code instead of values files.

Charts:
  CHARTS

Options:
${VALUE_OPTIONS}
  -h, --help               this help

rngd-stack: the Furiosa-LLM + llm-d guide's three charts as ONE RngdServingStack app, whose output
contains what llm-d-infra, inferencepool and the furiosa llm-d-modelservice render:
  --gateway-values FILE    llm-d-infra values; each values flag repeats to merge like -f
  --pool-values FILE       inferencepool values
  --model-values FILE      furiosa llm-d-modelservice values (required)
  --gateway-release NAME   the releases of the guide's helm install (object names derive from
  --pool-release NAME      them): llm-d-infra, gaie and ms unless given
  --model-release NAME
  -n, --namespace NS       namespace of the stack (the three charts')
Where the stack deliberately renders otherwise than a chart, a warning names the values key.

${EXIT_CODES}`,
};

/** Where the CLI writes; tests pass buffers, {@link main} passes the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Merged values and, for each key path, the `-f` file or `--set` that last set it. */
export interface LoadedValues {
  readonly values: Values;
  readonly sources: ValueSources;
  /** Every source given, in the order applied (for messages about keys no source set). */
  readonly labels: readonly string[];
}

/** Order in which helm applies the override flags, whatever their order on the command line. */
const SET_ORDER: readonly SetKind[] = ['set', 'set-string', 'set-file'];

/**
 * Reads, merges and overrides values in the order `helm template` does: `-f` files in order,
 * then every `--set`, then every `--set-string`, then every `--set-file` (each group in order).
 * `flag` names the files' flag in messages (`--model-values` for `convert rngd-stack`).
 */
export function loadValues(files: readonly string[], sets: CliArgs['sets'], cwd: string, flag = '-f'): LoadedValues {
  const sources = new ValueSources();
  const labels: string[] = [];
  let values: Values = {};
  for (const f of files) {
    const file = path.resolve(cwd, f);
    const text = readBoundedText(file, VALUES_LIMITS.maxFileBytes, (why) => new UsageError(`${flag} ${f}: ${why === 'no such file' ? 'no such values file' : why}`));
    let parsed: unknown;
    try {
      parsed = parseValuesYaml(text);
    } catch (e) {
      if (e instanceof ValuesLimitError) throw new UsageError(`${flag} ${f}: ${e.message}`);
      throw new UsageError(`${flag} ${f}: not valid YAML: ${yamlErrorLine(e as Error)}`);
    }
    labels.push(f);
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${flag} ${f}: values must be a map at the top level, not ${Array.isArray(parsed) ? 'a list' : typeof parsed}`);
    values = mergeValues(values, parsed as Values, sources, f);
  }
  const readFile = (file: string): string => readBoundedText(path.resolve(cwd, file), VALUES_LIMITS.maxFileBytes, (why) => new SetSyntaxError(why === 'no such file' ? `cannot read file "${file}"` : `file "${file}": ${why}`));
  for (const kind of SET_ORDER) {
    for (const s of sets.filter((x) => x.kind === kind)) {
      const label = `--${kind} ${s.expr}`;
      labels.push(label);
      applySet(values, s.expr, kind, { sources, label }, readFile);
    }
  }
  const problem = valuesTreeProblem(values);
  if (problem) throw new UsageError(problem);
  return { values, sources, labels };
}

/**
 * Relabels an adapter's problems with the source of each key: the `-f` file or `--set` that
 * set it (or set something below it); for a key no source set (a chart default, or a required
 * key left out), the sources that were given.
 */
export function withValueSources(e: LlmdValidationError, loaded: LoadedValues): LlmdValidationError {
  return new LlmdValidationError(e.problems.map((p) => ({ ...p, path: whereSet(p.field, loaded) })));
}

/** The `-f` files and `--set`s that set the key `field` (or below it), or which sources did not. */
function whereSet(field: string | undefined, loaded: LoadedValues): string {
  const given = loaded.labels.length > 0 ? loaded.labels.join(', ') : undefined;
  const found = field === undefined ? [] : loaded.sources.sourcesOf(field);
  if (found.length > 0) return found.join(', ');
  if (given === undefined) return 'no values given';
  return field === undefined ? given : `not set by ${given}`;
}

/** The first line of a YAML error and, when the message has it, the offending line of the file. */
function yamlErrorLine(e: Error): string {
  const lines = e.message.split('\n').filter((l) => l.trim() !== '');
  const first = lines[0].replace(/:$/, '');
  const source = lines.slice(1).find((l) => !/^\s*\^+\s*$/.test(l));
  return source ? `${first}: ${source.trim()}` : first;
}

function chartList(): string {
  return helmChartNames()
    .map((n) => `${n.padEnd(22)} ${helmChart(n)?.chart ?? ''}`)
    .join('\n  ');
}

/** Charts as Helm names them -> the CLI's name. */
const CHART_ALIASES: Readonly<Record<string, string>> = {
  'llm-d-modelservice': 'modelservice',
  'furiosa-llm-d-modelservice': 'furiosa-modelservice',
  'gateway-api-inference-extension': 'inferencepool',
  'llm-d-router': 'llm-d-router-gateway',
};

function adapterFor(args: CliArgs): HelmChartAdapter {
  const adapter = helmChart(args.chart ?? '');
  if (!adapter) {
    const hint = CHART_ALIASES[args.chart ?? ''] ?? helmChartNames().find((n) => n.includes(args.chart ?? '\0') || (args.chart ?? '').includes(n));
    throw new UsageError(`unknown chart "${args.chart}"${hint ? ` (did you mean "${hint}"?)` : ''}; charts: ${helmChartNames().join(', ')}`);
  }
  if (!args.release) throw new UsageError(`--release is required (object names derive from it)`);
  return adapter;
}

/** Whether `values` holds something at the key path `field` (`a.b[0].c`). */
function hasValueAt(values: Values, field: string): boolean {
  let cur: unknown = values;
  for (const part of field.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      if (!Array.isArray(cur)) return false;
      cur = cur[Number(part.slice(1, -1))];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !(part in cur)) return false;
      cur = (cur as Values)[part];
    }
  }
  return cur !== undefined;
}

/**
 * Relabels a problem or warning the constructs found after the values became props: the
 * construct path stays, and when the problem's field is also a values key that a source set
 * (the props of a chart mirror its values), that source is named too.
 */
function withConstructSource(p: ReportedProblem, loaded: LoadedValues, sourcePrefix = ''): ReportedProblem {
  const field = p.field;
  const found = field !== undefined && hasValueAt(loaded.values, field) ? loaded.sources.sourcesOf(field) : [];
  if (found.length > 0) return { ...p, path: `${p.path}, from ${sourcePrefix}${found.join(', ')}` };
  // A rule on the rendered object names a manifest field: name the values keys that hold the value.
  const keys = keysHoldingValueOf(loaded.values, p);
  if (keys.length === 0 || keys.length > 3) return p;
  return { ...p, path: `${p.path}, from ${keys.map((k) => `${k} (${sourcePrefix}${loaded.sources.sourcesOf(k).join(', ')})`).join(', ')}` };
}

function withConstructSources(e: LlmdValidationError, loaded: LoadedValues): LlmdValidationError {
  return new LlmdValidationError(e.problems.map((p) => withConstructSource(p, loaded)));
}

/**
 * Values keys that likely set the value of a problem found on a rendered object: keys holding the
 * same scalar whose last segment is the field's (`...limits.memory`); for strings, any key holding
 * it when none has the same last segment. Nothing for objects, empty strings and booleans.
 */
function keysHoldingValueOf(values: Values, p: { readonly field?: string; readonly value?: unknown }): string[] {
  const last = (k: string): string => k.replace(/\[\d+\]$/, '').split('.').pop() ?? '';
  const all = keysHolding(values, p.value);
  const same = all.filter((k) => p.field !== undefined && last(k) === last(p.field));
  return same.length > 0 || typeof p.value !== 'string' ? same : all;
}

/** Values key paths whose scalar value is `value` (nothing for objects, empty strings and booleans, which say too little). */
function keysHolding(values: Values, value: unknown): string[] {
  if (!((typeof value === 'string' && value !== '') || typeof value === 'number')) return [];
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (out.length > 3) return;
    if (v === value) out.push(at);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, at === '' ? k : `${at}.${k}`);
  };
  walk(values, '');
  return out;
}

/** Prints a warning about a values key, naming the file or `--set` that set it. */
function valuesWarning(io: CliIo, loaded: LoadedValues): (w: ValuesWarning) => void {
  return (w) => io.stderr(`warning: [${whereSet(w.field, loaded)}] ${w.field}: value ${showValue(w.value)} ${w.message}\n`);
}

/**
 * Values -> props (adapter) -> constructs, validated: what `render` prints and what `convert`'s
 * program builds. Every problem names its values key and the file or `--set` that set it.
 */
function build(adapter: HelmChartAdapter, args: CliArgs, io: CliIo, cwd: string): { props: object; manifests: unknown[] } {
  const loaded = loadValues(args.valueFiles, args.sets, cwd);
  let props: object;
  try {
    props = adapter.toProps(loaded.values, { release: args.release!, namespace: args.namespace, warn: valuesWarning(io, loaded) });
  } catch (e) {
    if (e instanceof LlmdValidationError) throw withValueSources(e, loaded);
    throw e;
  }
  // Loaded only now, so `--help` and errors in values stay fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validatedChartManifests } = require('../synth/validate') as typeof import('../synth/validate');
  // Never synthesized to disk: render writes its own file, so the outdir is unused.
  const app = new App({ outdir: path.join(cwd, 'dist') });
  const chart = new Chart(app, args.release!, { namespace: args.namespace });
  try {
    const construct = adapter.create(chart, args.release!, props);
    adapter.addCompanions?.(chart, args.release!, construct, loaded.values, { release: args.release!, namespace: args.namespace, warn: valuesWarning(io, loaded) });
    // The chart's output is kept as it renders: what the system model finds there, and what
    // server-side apply would reject (list-map duplicates the chart writes), is a warning.
    const manifests = validatedChartManifests(chart, (w) => io.stderr(`warning: [${withConstructSource(w, loaded).path}] ${w.message}\n`), { keepChartOutput: true });
    return { props, manifests };
  } catch (e) {
    if (e instanceof LlmdValidationError) throw withConstructSources(e, loaded);
    throw e;
  }
}

function render(args: CliArgs, io: CliIo, cwd: string): void {
  const adapter = adapterFor(args);
  const dir = args.outputDir === undefined ? undefined : path.resolve(cwd, args.outputDir);
  // Checked before the values are read: a usage error says nothing else.
  if (dir !== undefined && fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`-o ${args.outputDir}: exists and is not a directory (-o names a folder; the file is <release>.k8s.yaml in it)`);
  const { manifests } = build(adapter, args, io, cwd);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringifyManifests } = require('../core/manifest-yaml') as typeof import('../core/manifest-yaml');
  const text = stringifyManifests(...manifests);
  if (dir !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { writeFilesAtomically } = require('../core/atomic-write') as typeof import('../core/atomic-write');
    try {
      // Written next to the folder, then moved in: a failure leaves the folder as it was.
      writeFilesAtomically(dir, [[`${args.release}.k8s.yaml`, text]]);
    } catch (e) {
      throw new UsageError(`-o ${args.outputDir}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    io.stderr(`wrote ${path.join(args.outputDir!, `${args.release}.k8s.yaml`)}: ${objectSummary(manifests as Array<{ kind?: string }>)}\n`);
  } else {
    io.stdout(text);
  }
}

/** `12 objects (3 Deployment, 2 Service, ...)`, most frequent kind first. */
function objectSummary(objects: ReadonlyArray<{ kind?: string }>): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(String(o.kind), (counts.get(String(o.kind)) ?? 0) + 1);
  const kinds = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${n} ${k}`);
  return `${objects.length} objects (${kinds.join(', ')})`;
}

/** The command line `convert` was given, for the header of the generated file. */
function commandLine(args: CliArgs): string {
  const parts = ['cdk8s-llm-d', 'convert', args.chart ?? '', '--release', args.release ?? '', '--namespace', args.namespace];
  for (const f of args.valueFiles) parts.push('-f', f);
  for (const s of args.sets) parts.push(`--${s.kind}`, s.expr);
  return shellLine(parts);
}

/** Words as a shell command line. It goes into a `//` comment of the generated program (escaped there by commentSafe). */
function shellLine(parts: readonly string[]): string {
  const q = (x: string): string => (/^[\w@%+=:,./-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`);
  return parts.map(q).join(' ');
}

/**
 * The TypeScript cdk8s app `convert` prints: one chart named after the release, one construct
 * with the props the adapter derived from the values (plain data, and calls such as
 * `PoolProvider.istio({...})` for the values that are not).
 */
export function convertToTypeScript(adapter: HelmChartAdapter, props: object, release: string, namespace: string, command?: string): string {
  const imports = new Set<string>([adapter.className]);
  const propsLiteral = toTypeScriptLiteral(props, 0, imports);
  // Every comment line goes through the one escaping rule: no value may end the comment.
  const header = commentLines('// ', [
    ...(command ? [`Converted from ${adapter.chart} values by:`, `  ${command}`] : [`Converted from ${adapter.chart} values by \`cdk8s-llm-d convert\`.`]),
    `The props are plain data: edit them here instead of the values files. Synthesizing this app`,
    `(e.g. \`cdk8s synth\` with app "npx ts-node main.ts") writes dist/${release}.k8s.yaml: the`,
    `manifests \`cdk8s-llm-d render\` prints for the same values.`,
  ]);
  return [
    ...header,
    `import { App, Chart } from 'cdk8s';`,
    `import { ${[...imports].sort().join(', ')} } from 'cdk8s-llm-d';`,
    ``,
    `const app = new App();`,
    `const chart = new Chart(app, ${toTypeScriptLiteral(release)}, { namespace: ${toTypeScriptLiteral(namespace)} });`,
    ``,
    `new ${adapter.className}(chart, ${toTypeScriptLiteral(release)}, ${propsLiteral});`,
    ``,
    `app.synth();`,
    ``,
  ].join('\n');
}

function convert(args: CliArgs, io: CliIo, cwd: string): void {
  if (args.chart === RNGD_STACK) return convertStack(args, io, cwd);
  const adapter = adapterFor(args);
  // Built, validated and rendered like render, so a program that would fail to synthesize is never printed.
  const { props } = build(adapter, args, io, cwd);
  io.stdout(convertToTypeScript(adapter, props, args.release!, args.namespace, commandLine(args)));
}

/** Id of the RngdServingStack `convert rngd-stack` prints (its output is dist/<id>.k8s.yaml). */
const STACK_ID = 'llm-d';
const STACK_CHARTS: readonly RngdStackChart[] = ['gateway', 'pool', 'model'];

/**
 * `convert rngd-stack`: the guide's three charts' values (each chart's files merged like -f) as one
 * RngdServingStack app. The mapping is src/helm/rngd-stack.ts; here the files are read, every
 * problem is named by its values flag, file and key, and the stack is built and validated before
 * the program is printed.
 */
function convertStack(args: CliArgs, io: CliIo, cwd: string): void {
  const s = args.stack!;
  if (s.modelValues.length === 0) throw new UsageError(`convert ${RNGD_STACK} needs --model-values FILE (the furiosa llm-d-modelservice values; see convert --help)`);
  const files: Record<RngdStackChart, readonly string[]> = { gateway: s.gatewayValues, pool: s.poolValues, model: s.modelValues };
  const loaded = Object.fromEntries(STACK_CHARTS.map((c) => [c, loadValues(files[c], [], cwd, `--${c}-values`)])) as Record<RngdStackChart, LoadedValues>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GUIDE_RELEASES, RngdStackValuesError, rngdServingStackPropsFromValues } = require('../helm/rngd-stack') as typeof import('../helm/rngd-stack');
  const releases = { gateway: s.gatewayRelease ?? GUIDE_RELEASES.gateway, pool: s.poolRelease ?? GUIDE_RELEASES.pool, model: s.modelRelease ?? GUIDE_RELEASES.model };
  // `--model-values ms.yaml`, or `--model-values: not set by ms.yaml` for a key no file set.
  const where = (chart: RngdStackChart, field: string | undefined): string => {
    const found = field === undefined ? [] : loaded[chart].sources.sourcesOf(field);
    return found.length > 0 ? `--${chart}-values ${found.join(', ')}` : `--${chart}-values: ${whereSet(field, loaded[chart])}`;
  };
  let props: object;
  try {
    props = rngdServingStackPropsFromValues({
      namespace: args.namespace,
      gateway: { values: loaded.gateway.values, release: releases.gateway },
      pool: { values: loaded.pool.values, release: releases.pool },
      model: { values: loaded.model.values, release: releases.model },
      warn: (chart, w: ValuesWarning) => io.stderr(`warning: [${where(chart, w.field)}] ${w.field}: value ${showValue(w.value)} ${w.message}\n`),
    });
  } catch (e) {
    if (e instanceof RngdStackValuesError) throw new LlmdValidationError(e.byChart.map(({ chart, problem }) => ({ ...problem, path: where(chart, problem.field) })));
    throw e;
  }
  // Built and validated like render, so a program that would fail to synthesize is never printed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RngdServingStack } = require('../stack/rngd-serving-stack') as typeof import('../stack/rngd-serving-stack');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validatedChartManifests } = require('../synth/validate') as typeof import('../synth/validate');
  const app = new App({ outdir: path.join(cwd, 'dist') });
  // A problem found on the built objects: the values key (model chart first) that holds its value.
  const stackSource = (p: ReportedProblem): ReportedProblem => [...STACK_CHARTS].reverse().map((c) => withConstructSource(p, loaded[c], `--${c}-values `)).find((x) => x !== p) ?? p;
  try {
    const stack = new RngdServingStack(app, STACK_ID, props as import('../stack/rngd-serving-stack').RngdServingStackProps);
    validatedChartManifests(stack, (w) => io.stderr(`warning: [${stackSource(w).path}] ${w.message}\n`), { keepChartOutput: true });
  } catch (e) {
    if (e instanceof LlmdValidationError) throw new LlmdValidationError(e.problems.map(stackSource));
    throw e;
  }
  io.stdout(rngdStackToTypeScript(props, STACK_ID, stackCommandLine(args, files, releases)));
}

/** The command line `convert rngd-stack` was given, release names written out. */
function stackCommandLine(args: CliArgs, files: Record<RngdStackChart, readonly string[]>, releases: Record<RngdStackChart, string>): string {
  const parts = ['cdk8s-llm-d', 'convert', RNGD_STACK, '--namespace', args.namespace];
  for (const c of STACK_CHARTS) parts.push(...files[c].flatMap((f) => [`--${c}-values`, f]), `--${c}-release`, releases[c]);
  return shellLine(parts);
}

function migrate(args: CliArgs, io: CliIo, cwd: string): void {
  if (args.chart !== 'inferencepool') throw new UsageError(`migrate reads inferencepool values only, not "${args.chart}"`);
  const loaded = loadValues(args.valueFiles, args.sets, cwd);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { migrateInferencePoolValues } = require('../helm/migrate-inferencepool') as typeof import('../helm/migrate-inferencepool');
  let migrated: ReturnType<typeof migrateInferencePoolValues>;
  try {
    migrated = migrateInferencePoolValues(loaded.values);
  } catch (e) {
    if (e instanceof LlmdValidationError) throw withValueSources(e, loaded);
    throw e;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DEFAULT_YAML, stringifyYaml } = require('../core/manifest-yaml') as typeof import('../core/manifest-yaml');
  const header = commentLines('# ', ['llm-d-router-gateway v0.10.0 values, migrated from inferencepool v1.3.0 by cdk8s-llm-d migrate', ...migrated.notes.map((n) => `- ${n}`)]);
  io.stdout(`${header.join('\n')}\n${stringifyYaml(migrated.values, DEFAULT_YAML)}`);
}

/** Runs the CLI with `argv` (without `node` and the script); returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo, cwd = process.cwd()): number {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout(HELP.replace('CHARTS', chartList()));
      return 0;
    }
    if (args.help) {
      io.stdout(COMMAND_HELP[args.command].replace('CHARTS', chartList()));
      return 0;
    }
    if (args.command === 'diff') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { diffOutputs } = require('./diff') as typeof import('./diff');
      const [a, b] = args.paths!;
      const r = diffOutputs(path.resolve(cwd, a), path.resolve(cwd, b), [a, b]);
      io.stdout(r.text);
      return r.differs ? 1 : 0;
    }
    if (args.command === 'check') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkOutputs } = require('./check') as typeof import('./check');
      const r = checkOutputs({
        namespace: args.namespace,
        dir: path.resolve(cwd, args.checkDir!),
        dirLabel: args.checkDir!,
        ...(args.nodesFile ? { nodes: { file: path.resolve(cwd, args.nodesFile), label: args.nodesFile } } : {}),
        ...(args.previousDir ? { previous: { dir: path.resolve(cwd, args.previousDir), label: args.previousDir } } : {}),
      });
      io.stdout(r.text);
      return r.errors > 0 ? 1 : 0;
    }
    if (args.command === 'render') render(args, io, cwd);
    else if (args.command === 'migrate') migrate(args, io, cwd);
    else convert(args, io, cwd);
    return 0;
  } catch (e) {
    if (e instanceof LlmdValidationError) {
      // Its message already starts with "cdk8s-llm-d: " and lists every problem.
      io.stderr(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof SetSyntaxError || e instanceof ValuesLimitError || (e instanceof Error && e.name === 'YamlWriteError')) {
      io.stderr(`cdk8s-llm-d: ${e.message}\n`);
      return 2;
    }
    // A bug: no stack trace or JavaScript message for the user unless asked for.
    const details = process.env.CDK8S_LLM_D_DEBUG ? `\n${(e as Error)?.stack ?? String(e)}` : ' (set CDK8S_LLM_D_DEBUG=1 to print the details)';
    io.stderr(`cdk8s-llm-d: internal error: a bug, please report it with the command line${details}\n`);
    return INTERNAL_ERROR;
  }
}

/**
 * Entry point of the `cdk8s-llm-d` executable (`lib/cli.js` calls it): runs the CLI on the
 * process arguments and sets the process exit code.
 */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  process.exitCode = runCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
