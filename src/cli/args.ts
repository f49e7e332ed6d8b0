/** Command-line parsing of `cdk8s-llm-d`; no Kubernetes logic here. */
import type { SetKind } from './values';

export type Command = 'render' | 'convert' | 'migrate' | 'diff' | 'check' | 'help';

export interface CliArgs {
  readonly command: Command;
  /** Chart name (`furiosa-modelservice`, `inferencepool`, `llm-d-infra`). */
  readonly chart?: string;
  readonly release?: string;
  readonly namespace: string;
  /** `-f/--values` files, in order (later wins). */
  readonly valueFiles: string[];
  /** `--set` / `--set-string` / `--set-file` expressions, in command-line order. */
  readonly sets: Array<{ readonly expr: string; readonly kind: SetKind }>;
  /** `-o/--output-dir` for render. */
  readonly outputDir?: string;
  /** `--help` was given (for the command, or overall). */
  readonly help: boolean;
  /** The two outputs `diff` compares. */
  readonly paths?: readonly [string, string];
  /** `check`: the output to check. */
  readonly checkDir?: string;
  /** `check --nodes`: the node inventory file. */
  readonly nodesFile?: string;
  /** `check --previous`: the output deployed now. */
  readonly previousDir?: string;
  /** `convert rngd-stack`: the values files and release name of each of the guide's three charts. */
  readonly stack?: StackArgs;
}

/** The chart argument of `convert` that reads the guide's three charts' values into one RngdServingStack. */
export const RNGD_STACK = 'rngd-stack';

/** `convert rngd-stack` flags: per chart of the guide, its values files (in order) and release name. */
export interface StackArgs {
  readonly gatewayValues: readonly string[];
  readonly poolValues: readonly string[];
  readonly modelValues: readonly string[];
  readonly gatewayRelease?: string;
  readonly poolRelease?: string;
  readonly modelRelease?: string;
}

/** Usage error: wrong flags or arguments. Exit code 2. */
export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    // `help render` is `render --help`.
    const topic = rest[0];
    if (topic === 'render' || topic === 'convert' || topic === 'migrate' || topic === 'diff' || topic === 'check') return { command: topic, namespace: 'default', valueFiles: [], sets: [], help: true };
    if (topic !== undefined) throw new UsageError(`unknown command "${topic}"; commands: render, convert, migrate, diff, check (see --help)`);
    return { command: 'help', namespace: 'default', valueFiles: [], sets: [], help: true };
  }
  if (first === 'diff') return parseDiffArgs(rest);
  if (first === 'check') return parseCheckArgs(rest);
  if (first !== 'render' && first !== 'convert' && first !== 'migrate') throw new UsageError(`unknown command "${first}"; commands: render, convert, migrate, diff, check (see --help)`);
  let chart: string | undefined;
  let release: string | undefined;
  let namespace = 'default';
  let outputDir: string | undefined;
  let help = false;
  const valueFiles: string[] = [];
  const sets: Array<{ expr: string; kind: SetKind }> = [];
  const stackValues: Record<string, string[]> = { '--gateway-values': [], '--pool-values': [], '--model-values': [] };
  const stackReleases: Record<string, string> = {};
  const stackFlags: string[] = [];
  for (const { a, flag, value } of flags(rest)) {
    switch (flag) {
      case '--gateway-values':
      case '--pool-values':
      case '--model-values':
        stackFlags.push(flag);
        stackValues[flag].push(value());
        break;
      case '--gateway-release':
      case '--pool-release':
      case '--model-release':
        stackFlags.push(flag);
        stackReleases[flag] = value();
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      case '--release':
      case '--name':
        release = value();
        break;
      case '-n':
      case '--namespace':
        namespace = value();
        break;
      case '-f':
      case '--values':
        valueFiles.push(value());
        break;
      case '--set':
      case '--set-string':
      case '--set-file':
        sets.push({ expr: value(), kind: flag.slice(2) as SetKind });
        break;
      case '-o':
      case '--output-dir':
        if (first !== 'render') throw new UsageError(`${flag} is only accepted by render`);
        outputDir = value();
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown flag "${a}" (see ${first} --help)`);
        if (chart === undefined) chart = a;
        else if (release === undefined) release = a;
        else throw new UsageError(`unexpected argument "${a}"`);
    }
  }
  if (!help && chart === undefined) throw new UsageError(`${first} needs a chart name (see ${first} --help)`);
  if (first === 'convert' && chart === RNGD_STACK) {
    const chartFlag = valueFiles.length > 0 ? '-f' : sets.length > 0 ? `--${sets[0].kind}` : release !== undefined ? '--release' : undefined;
    if (chartFlag) throw new UsageError(`convert ${RNGD_STACK} takes no ${chartFlag}: give each chart's values with --gateway-values, --pool-values and --model-values, and its release with --gateway-release, --pool-release and --model-release (see convert --help)`);
    const stack: StackArgs = {
      gatewayValues: stackValues['--gateway-values'],
      poolValues: stackValues['--pool-values'],
      modelValues: stackValues['--model-values'],
      gatewayRelease: stackReleases['--gateway-release'],
      poolRelease: stackReleases['--pool-release'],
      modelRelease: stackReleases['--model-release'],
    };
    return { command: first, chart, namespace, valueFiles, sets, help, stack };
  }
  if (stackFlags.length > 0) throw new UsageError(`${stackFlags[0]} is only accepted by convert ${RNGD_STACK}`);
  return { command: first, chart, release, namespace, valueFiles, sets, outputDir, help };
}

function parseDiffArgs(rest: readonly string[]): CliArgs {
  const help = rest.includes('-h') || rest.includes('--help');
  const flag = rest.find((a) => a.startsWith('-') && a !== '-h' && a !== '--help');
  if (flag) throw new UsageError(`unknown flag "${flag}" (see diff --help)`);
  const paths = rest.filter((a) => !a.startsWith('-'));
  if (!help && paths.length !== 2) throw new UsageError('diff needs two paths: OLD NEW (files or folders of synth output)');
  return { command: 'diff', namespace: 'default', valueFiles: [], sets: [], help, ...(paths.length === 2 ? { paths: [paths[0], paths[1]] as const } : {}) };
}

function parseCheckArgs(rest: readonly string[]): CliArgs {
  let help = false;
  let nodesFile: string | undefined;
  let previousDir: string | undefined;
  let namespace = 'default';
  const dirs: string[] = [];
  for (const { a, flag, value } of flags(rest)) {
    if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '--nodes') nodesFile = value();
    else if (flag === '--previous') previousDir = value();
    else if (flag === '-n' || flag === '--namespace') namespace = value();
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown flag "${a}" (see check --help)`);
    else dirs.push(a);
  }
  if (!help && dirs.length !== 1) throw new UsageError('check needs one path: the synth output to check (a folder or a YAML file)');
  return { command: 'check', namespace, valueFiles: [], sets: [], help, checkDir: dirs[0], nodesFile, previousDir };
}

/**
 * The arguments one by one: `--flag=value` split, and `value()` to take the flag's value (inline,
 * or the next argument, which must not look like a flag).
 */
function* flags(rest: readonly string[]): Generator<{ a: string; flag: string; value: () => string }> {
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = rest[++i];
      if (v === undefined || (v.startsWith('-') && v.length > 1)) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    yield { a, flag, value };
  }
}
