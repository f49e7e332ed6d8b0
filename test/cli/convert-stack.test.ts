/**
 * `convert rngd-stack`: the Furiosa-LLM + llm-d guide's three charts' values (llm-d-infra,
 * inferencepool, the furiosa llm-d-modelservice) printed as ONE cdk8s app with one
 * RngdServingStack. Each printed program typechecks against the library (one TypeScript program,
 * zero diagnostics) and, run, synthesizes manifests that contain every object and field `helm
 * template` renders for the three charts (the parity rule of src/testing/semdiff.ts): for the
 * guide's values (examples/furiosa-llama-3.1-8b/helm-values, equal to the reference cases
 * *-seed000), and for the combinations under test/fixtures/cases-stack (rendered with the real
 * charts, see its README.md). Bad values are refused with the values flag, file and key of every
 * problem at once; hostile strings stay data in the printed program.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { compareManifests, ManifestComparison, parseManifests } from '../../src/testing/semdiff';
import { FIXTURES, loadCase } from '../support';
import { cli, CliResult, runPrintedApp } from './support';

const ROOT = path.join(__dirname, '..', '..');
const GUIDE_DIR = path.join(ROOT, 'examples', 'furiosa-llama-3.1-8b', 'helm-values');
const STACK_CASES = path.join(FIXTURES, 'cases-stack');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-convert-stack-'));

/** The guide's values files in examples/, and the reference case each must equal. */
const GUIDE_FILES: ReadonlyArray<readonly [string, string]> = [
  ['llm-d-infra.values.yaml', 'infra-seed000'],
  ['gaie.values.yaml', 'gaie-seed000'],
  ['ms.values.yaml', 'furiosa-seed000'],
];
const GUIDE_ARGS = ['--gateway-values', 'llm-d-infra.values.yaml', '--pool-values', 'gaie.values.yaml', '--model-values', 'ms.values.yaml'];

interface Converted {
  readonly result: CliResult;
  readonly file: string;
}

/** Every program printed by a successful convert here, typechecked together below. */
const printed = new Map<string, Converted>();

function convert(name: string, argv: readonly string[], cwd: string): Converted {
  const result = cli(['convert', 'rngd-stack', ...argv], cwd);
  if (result.code !== 0) throw new Error(`${name}: convert rngd-stack failed (${result.code}): ${result.stderr}`);
  const file = path.join(TMP, `${name}.ts`);
  fs.writeFileSync(file, result.stdout);
  const c = { result, file };
  printed.set(name, c);
  return c;
}

/** Runs a printed program as convert.test.ts does ('cdk8s-llm-d' served from src/); returns what it synthesized. */
function runProgram(c: Converted): Record<string, unknown>[] {
  const outdir = `${c.file}.out`;
  const written = runPrintedApp(c.result.stdout, c.file, outdir);
  expect(written).toEqual(['llm-d.k8s.yaml']);
  return parseManifests(fs.readFileSync(path.join(outdir, written[0]), 'utf8'));
}

/** The golden and our objects compared, with the differences in the message when not contained. */
function contained(golden: string, ours: Record<string, unknown>[]): ManifestComparison {
  const r = compareManifests(golden, ours);
  if (!r.contained) throw new Error(`${r.summary}\n${r.differences.slice(0, 40).join('\n')}`);
  expect(r.objectsFound).toBeGreaterThan(0);
  return r;
}

const stackCase = (name: string, file: string): string => fs.readFileSync(path.join(STACK_CASES, name, file), 'utf8');

test("the guide's values files in examples/ are the reference cases' values", () => {
  for (const [file, ref] of GUIDE_FILES) {
    expect(fs.readFileSync(path.join(GUIDE_DIR, file), 'utf8')).toBe(fs.readFileSync(path.join(FIXTURES, 'cases', ref, 'values.yaml'), 'utf8'));
    // The guide installs all three in the namespace llm-d.
    expect(loadCase(ref).namespace).toBe('llm-d');
  }
  expect(fs.readdirSync(GUIDE_DIR).sort()).toEqual(['README.md', ...GUIDE_FILES.map(([f]) => f)].sort());
  expect(fs.readFileSync(path.join(GUIDE_DIR, 'README.md'), 'utf8')).toContain(`cdk8s-llm-d convert rngd-stack -n llm-d \\\n  --gateway-values llm-d-infra.values.yaml \\\n  --pool-values gaie.values.yaml \\\n  --model-values ms.values.yaml`);
});

describe("the guide's three charts as one RngdServingStack", () => {
  let c: Converted;
  let objects: Record<string, unknown>[];
  beforeAll(() => {
    c = convert('guide', ['-n', 'llm-d', ...GUIDE_ARGS], GUIDE_DIR);
    objects = runProgram(c);
  });

  test('prints one app with one RngdServingStack, no warning', () => {
    expect(c.result.stderr).toBe('');
    expect(c.result.stdout).toContain("import { App } from 'cdk8s';\nimport { PoolProvider, RngdServingStack } from 'cdk8s-llm-d';\n");
    expect(c.result.stdout.match(/^new \w+\(/gm)).toEqual(['new RngdServingStack(']);
    // The default release names are the guide's, written out in the header's command line.
    expect(c.result.stdout).toContain('//   cdk8s-llm-d convert rngd-stack --namespace llm-d --gateway-values llm-d-infra.values.yaml --gateway-release llm-d-infra --pool-values gaie.values.yaml --pool-release gaie --model-values ms.values.yaml --model-release ms\n');
    // The model's name, URI and token Secret come from modelArtifacts; the 1:1 engine options are typed.
    for (const line of ["model: 'furiosa-ai/Llama-3.1-8B-Instruct',", "uri: 'pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct',", "modelServiceRelease: 'ms',", "pool: 'gaie',", 'replicas: 2,', 'tensorParallelism: 8,']) {
      expect(c.result.stdout).toContain(line);
    }
    expect(c.result.stdout).toMatch(/hfTokenSecret: \{\n {4}name: 'hf-token-secret',\n {2}\}/);
  });

  test.each(GUIDE_FILES.map(([, ref]) => ref))('its output contains every object and field of %s', (ref) => {
    const r = contained(loadCase(ref).expectedText, objects);
    expect(r.objectsFound).toBe(r.objectsTotal);
    expect(r.leavesMatched).toBe(r.leavesTotal);
  });

  test('the figures of docs/cli.md: 17/17 objects, 290/290 fields of the three charts', () => {
    const all = compareManifests(GUIDE_FILES.map(([, ref]) => loadCase(ref).expectedText).join('\n---\n'), objects);
    expect([all.objectsFound, all.objectsTotal, all.leavesMatched, all.leavesTotal]).toEqual([17, 17, 290, 290]);
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8')).toContain('(17/17\nobjects, 290/290 fields');
  });
});

describe('other values: other releases and namespace, TP 16 x DP 2, 3 replicas (test/fixtures/cases-stack/other-releases)', () => {
  const dir = path.join(STACK_CASES, 'other-releases');
  let c: Converted;
  let objects: Record<string, unknown>[];
  beforeAll(() => {
    // The command line of the case's command.txt.
    const line = stackCase('other-releases', 'command.txt').split('\n').find((l) => l.startsWith('cdk8s-llm-d convert rngd-stack '))!;
    c = convert('other-releases', line.split(/\s+/).slice(3), dir);
    objects = runProgram(c);
  });

  test('the typed options and names carry the values', () => {
    expect(c.result.stderr).toBe('');
    for (const line of ["namespace: 'serving',", "releaseName: 'edge',", "modelServiceRelease: 'llama',", "pool: 'llama-pool',", 'replicas: 3,', 'tensorParallelism: 16,', 'dataParallelism: 2,', "name: 'hf-secret',"]) {
      expect(c.result.stdout).toContain(line);
    }
  });

  test.each(['llm-d-infra', 'gaie', 'ms'])('its output contains every object and field of %s.expected.yaml', (chart) => {
    contained(stackCase('other-releases', `${chart}.expected.yaml`), objects);
  });
});

describe("the charts' defaults where the stack deliberately differs (test/fixtures/cases-stack/chart-defaults)", () => {
  const dir = path.join(STACK_CASES, 'chart-defaults');
  let c: Converted;
  let objects: Record<string, unknown>[];
  beforeAll(() => {
    c = convert('chart-defaults', ['-n', 'llm-d', '--pool-values', 'gaie.values.yaml', '--model-values', 'ms.values.yaml'], dir);
    objects = runProgram(c);
  });

  test('a warning names each key where the stack renders otherwise', () => {
    expect(c.result.stderr.split('\n').filter((l) => l !== '')).toEqual([
      // Both keys are under modelArtifacts, which the file sets.
      'warning: [--model-values ms.values.yaml] modelArtifacts.labels: value {"llm-d.ai/inferenceServing":"true","llm-d.ai/model":"random_model"} is the chart\'s placeholder; RngdServingStack labels the model pods {"llm-d.ai/inferenceServing":"true","llm-d.ai/model":"Llama-3.1-8B-Instruct"} (from modelArtifacts.name) and selects them by llm-d.ai/inferenceServing',
      'warning: [--model-values ms.values.yaml] modelArtifacts.authSecretName: value "" is empty, but RngdServingStack gives its model servers a Hugging Face token from the Secret "hf-token-secret" (its hfTokenSecret default, which you create); set authSecretName to the Secret you use',
    ]);
  });

  test('its output contains the gateway and pool charts whole', () => {
    contained(stackCase('chart-defaults', 'llm-d-infra.expected.yaml'), objects);
    contained(stackCase('chart-defaults', 'gaie.expected.yaml'), objects);
  });

  test('and the model chart but for the listed exceptions: the model label the stack derives from the name', () => {
    const r = compareManifests(stackCase('chart-defaults', 'ms.expected.yaml'), objects);
    expect(r.missingObjects).toEqual([]);
    // The only differences: the chart's placeholder label (warned above). The token env the stack
    // adds (the other warning) is an addition, which the parity rule allows.
    expect(r.differences).toEqual([
      'Deployment/ms-llm-d-modelservice-decode.spec.selector.matchLabels.llm-d.ai/model: expected "random_model", got "Llama-3.1-8B-Instruct"',
      'Deployment/ms-llm-d-modelservice-decode.spec.template.metadata.labels.llm-d.ai/model: expected "random_model", got "Llama-3.1-8B-Instruct"',
    ]);
    expect(r.leavesTotal - r.leavesMatched).toBe(2);
    const env = (objects.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'ms-llm-d-modelservice-decode') as any).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } });
  });
});

describe('hostile strings stay data in the printed program', () => {
  // Quotes, every line terminator TypeScript or YAML honours, a comment end, backticks, `${`.
  const HOSTILE = "it's a \"test\"\\n\nprocess.exit(9)\u2028// ${x} */ `${process.exit(7)}` \u0085\u2029\r\t`";
  /** A YAML double-quoted scalar holding `s` exactly: every non-ASCII character as an escape. */
  const yamlQuoted = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const dir = path.join(TMP, 'hostile');
  // The file name is in the header comment of the program (its `*/` makes a folder `ms '*`).
  const msFile = "ms '*/`${x}`\n.yaml";
  let c: Converted;
  let objects: Record<string, unknown>[];
  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    const ms = YAML.parse(fs.readFileSync(path.join(GUIDE_DIR, 'ms.values.yaml'), 'utf8')) as any;
    const text = fs.readFileSync(path.join(GUIDE_DIR, 'ms.values.yaml'), 'utf8')
      .replace('      mountModelVolume: true\n', `      mountModelVolume: true\n      env:\n        - name: HOSTILE\n          value: ${yamlQuoted(HOSTILE)}\n`)
      .replace('decode:\n', `decode:\n  podAnnotations:\n    example.com/note: ${yamlQuoted(HOSTILE)}\n`);
    expect((YAML.parse(text) as any).decode.containers[0].env[0].value).toBe(HOSTILE);
    expect(ms.decode.containers[0].env).toBeUndefined();
    fs.mkdirSync(path.dirname(path.join(dir, msFile)), { recursive: true });
    fs.writeFileSync(path.join(dir, msFile), text);
    for (const f of ['llm-d-infra.values.yaml', 'gaie.values.yaml']) fs.copyFileSync(path.join(GUIDE_DIR, f), path.join(dir, f));
    c = convert('hostile', ['-n', 'llm-d', '--gateway-values', 'llm-d-infra.values.yaml', '--pool-values', 'gaie.values.yaml', '--model-values', msFile], dir);
    objects = runProgram(c);
  });

  test('the header stays comment lines and no raw line terminator is printed', () => {
    const lines = c.result.stdout.split('\n');
    const header = lines.slice(0, lines.findIndex((l) => l.startsWith('import ')));
    expect(header.length).toBe(7);
    expect(header.every((l) => l.startsWith('//'))).toBe(true);
    // No line terminator of TypeScript but the program's own line ends (NEL is none: it may stay in a literal).
    expect(c.result.stdout).not.toMatch(/[\u2028\u2029\r]/);
    const out = ts.transpileModule(c.result.stdout, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
    expect(out.diagnostics ?? []).toEqual([]);
  });

  test('the value round-trips: the synthesized env and annotation hold it unchanged', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'ms-llm-d-modelservice-decode') as any;
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'HOSTILE', value: HOSTILE });
    expect(deployment.spec.template.metadata.annotations['example.com/note']).toBe(HOSTILE);
  });
});

test('every printed program typechecks against the library (one program, zero diagnostics)', () => {
  expect([...printed.keys()].sort()).toEqual(['chart-defaults', 'guide', 'hostile', 'other-releases']);
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    rootDir: undefined,
    outDir: undefined,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT,
    // The printed files live outside the repository: the package maps to its sources.
    paths: { 'cdk8s-llm-d': ['src/index.ts'], '*': ['node_modules/*'] },
  };
  // A control in the same program: a prop the stack does not have must be reported.
  const broken = path.join(TMP, 'control-broken.ts');
  fs.writeFileSync(broken, printed.get('guide')!.result.stdout.replace("new RngdServingStack(app, 'llm-d', {\n", "new RngdServingStack(app, 'llm-d', {\n  notAProp: 1,\n"));
  const files = [...printed.values()].map((x) => x.file);
  const program = ts.createProgram([...files, broken], options);
  const format = (d: readonly ts.Diagnostic[]): string => ts.formatDiagnostics(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...files.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)))];
  expect(format(diagnostics)).toBe('');
  expect(format(ts.getPreEmitDiagnostics(program, program.getSourceFile(broken)))).toContain("'notAProp' does not exist in type");
});

describe('refused: every problem at once, each with its values flag, file and key; nothing printed', () => {
  const dir = path.join(TMP, 'refused');
  const write = (name: string, text: string): string => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };
  const refused = (argv: string[]): string => {
    const r = cli(['convert', 'rngd-stack', ...argv], dir);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('internal error');
    return r.stderr;
  };
  const guide = (f: string): string => fs.readFileSync(path.join(GUIDE_DIR, f), 'utf8');

  test('bad values in each of the three files', () => {
    const err = refused([
      '--gateway-values', write('infra.yaml', guide('llm-d-infra.values.yaml')), '--gateway-values', write('infra-bad.yaml', 'gateway:\n  gatewayClassName: kgateway\n'),
      '--pool-values', write('gaie.yaml', guide('gaie.values.yaml').replace('modelServerType: vllm', 'modelServerType: furiosa')),
      '--model-values', write('ms.yaml', guide('ms.values.yaml').replace('replicas: 2', 'replicas: two')),
    ]);
    expect(err).toMatch(/^cdk8s-llm-d: 3 problem\(s\) in the input:\n/);
    expect(err).toContain('  [--gateway-values infra-bad.yaml] gateway.gatewayClassName: value "kgateway" is not allowed');
    expect(err).toContain('  [--pool-values gaie.yaml] inferencePool.modelServerType: value "furiosa" is not allowed; allowed: vllm, triton-tensorrt-llm');
    expect(err).toContain('  [--model-values ms.yaml] decode.replicas: value "two" is not allowed');
  });

  test('the furiosa-hf-dp case (hf:// with an emptyDir size, a model label of its own): the model chart\'s output is contained', () => {
    const file = path.join(FIXTURES, 'cases', 'furiosa-hf-dp', 'values.yaml');
    const c = convert('hf-dp', ['-n', loadCase('furiosa-hf-dp').namespace, '--pool-values', write('gaie.yaml', guide('gaie.values.yaml')), '--model-values', file], dir);
    expect(c.result.stdout).toContain("size: '40Gi',");
    const r = contained(loadCase('furiosa-hf-dp').expectedText, runProgram(c));
    expect(r.leavesMatched).toBe(r.leavesTotal);
  });

  test('a required key no file set names the flag and the files given', () => {
    const err = refused(['--pool-values', write('empty-pool.yaml', 'inferenceExtension:\n  replicas: 1\n'), '--model-values', write('ms.yaml', guide('ms.values.yaml'))]);
    expect(err).toContain('[--pool-values: not set by empty-pool.yaml] inferencePool.modelServers.matchLabels: value undefined is not allowed');
  });

  test('a problem the stack finds after the values became props names the file and key that set the value', () => {
    const err = refused(['--pool-values', write('gaie.yaml', guide('gaie.values.yaml')), '--model-values', write('ms-big.yaml', guide('ms.values.yaml').replace('replicas: 2', 'replicas: 3000000000'))]);
    expect(err).toContain('3000000000');
    expect(err).toContain('decode.replicas (--model-values ms-big.yaml)');
  });

  test.each<[string, string[], string]>([
    ['-f', ['-f', 'x.yaml', '--model-values', 'ms.yaml'], 'convert rngd-stack takes no -f: give each chart\'s values with --gateway-values, --pool-values and --model-values'],
    ['--set', ['--set', 'a=b', '--model-values', 'ms.yaml'], 'convert rngd-stack takes no --set'],
    ['--release', ['--release', 'x', '--model-values', 'ms.yaml'], 'convert rngd-stack takes no --release'],
    ['no --model-values', ['--pool-values', 'gaie.yaml'], 'convert rngd-stack needs --model-values FILE'],
    ['a missing file', ['--model-values', 'nope.yaml'], 'cdk8s-llm-d: --model-values nope.yaml: no such values file'],
    ['a file that is not YAML', ['--model-values', 'ms.yaml', '--pool-values', 'bad.txt'], 'cdk8s-llm-d: --pool-values bad.txt: not valid YAML'],
  ])('usage: %s', (_name, argv, message) => {
    write('ms.yaml', guide('ms.values.yaml'));
    write('bad.txt', 'a: [\n');
    expect(refused(argv)).toContain(message);
  });

  test('the stack flags belong to convert rngd-stack only', () => {
    const r = cli(['convert', 'furiosa-modelservice', '--release', 'ms', '--model-values', 'ms.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cdk8s-llm-d: --model-values is only accepted by convert rngd-stack\n');
  });
});

test('convert --help shows the rngd-stack form', () => {
  const r = cli(['convert', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('cdk8s-llm-d convert rngd-stack [-n NS] --gateway-values F --pool-values F --model-values F');
  for (const flag of ['--gateway-values FILE', '--pool-values FILE', '--model-values FILE', '--gateway-release NAME', '--pool-release NAME', '--model-release NAME']) expect(r.stdout).toContain(flag);
  expect(cli(['convert', 'rngd-stack', '-h']).stdout).toBe(r.stdout);
  expect(cli(['--help']).stdout).toContain('cdk8s-llm-d convert rngd-stack');
});
