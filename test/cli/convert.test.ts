/**
 * `convert` output is a program a team can commit: for every reference case (each chart must be
 * registered with the CLI), the generated TypeScript typechecks against the library (one
 * TypeScript program for all cases, 'cdk8s-llm-d' mapped to src/index.ts, zero diagnostics), and
 * running it synthesizes exactly the manifests `render` prints for the same values.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseManifests } from '../../src/testing/semdiff';
import { caseArgs, cli, CliCase, registeredCases, runPrintedApp } from './support';

const ROOT = path.join(__dirname, '..', '..');
// Every reference case; throws, failing the suite, naming any chart not registered with the CLI.
const CASES = registeredCases();
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-convert-'));

interface Converted {
  readonly c: CliCase;
  readonly file: string;
  readonly source: string;
  readonly rendered: unknown[];
}

const converted = new Map<string, Converted>();

beforeAll(() => {
  for (const c of CASES) {
    const conv = cli(['convert', c.chart, ...caseArgs(c)], c.dir);
    const rend = cli(['render', c.chart, ...caseArgs(c)], c.dir);
    if (conv.code !== 0 || rend.code !== 0) throw new Error(`${c.name}: convert/render failed: ${conv.stderr}${rend.stderr}`);
    const file = path.join(TMP, `${c.name}.ts`);
    fs.writeFileSync(file, conv.stdout);
    converted.set(c.name, { c, file, source: conv.stdout, rendered: parseManifests(rend.stdout) });
  }
});

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    rootDir: undefined,
    outDir: undefined,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT,
    // The generated files live outside the repository: map the package to its sources and
    // resolve other packages from the repository's node_modules.
    paths: { 'cdk8s-llm-d': ['src/index.ts'], '*': ['node_modules/*'] },
  };
}

test('every converted program typechecks against the library (one program, zero diagnostics)', () => {
  const files = [...converted.values()].map((x) => x.file);
  expect(files).toHaveLength(CASES.length);
  // A control in the same program: a prop the construct does not have must be reported, so the
  // check is known to see the props types.
  const first = [...converted.values()][0];
  const broken = path.join(TMP, 'control-broken.ts');
  fs.writeFileSync(broken, first.source.replace(/^(new \w+\(chart, '[^']*', \{)$/m, '$1\n  notAProp: 1,'));
  const program = ts.createProgram([...files, broken], compilerOptions());
  const format = (d: readonly ts.Diagnostic[]): string => ts.formatDiagnostics(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...files.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)))];
  expect(format(diagnostics)).toBe('');
  // The import really resolved to the library's sources.
  expect(program.getSourceFile(path.join(ROOT, 'src', 'index.ts'))).toBeDefined();
  expect(format(ts.getPreEmitDiagnostics(program, program.getSourceFile(broken)))).toContain("'notAProp' does not exist in type");
});

test('a provider prints as its PoolProvider call and is imported', () => {
  const gaie = [...converted.values()].find((x) => x.source.includes('new InferenceSchedulerPool('))!;
  expect(gaie.source).toMatch(/provider: PoolProvider\.(none\(\)|istio\(\{[^]*?\}\)|gke\(\{[^]*?\}\))/);
  expect(gaie.source).toContain("import { InferenceSchedulerPool, PoolProvider } from 'cdk8s-llm-d';");
});

describe('running a converted program synthesizes what render prints', () => {
  test.each(CASES.map((c) => [c.name] as const))('%s', (name) => {
    const x = converted.get(name)!;
    expect(x.source).toContain(`import { App, Chart } from 'cdk8s';\n`);
    expect(x.source).toMatch(/^import \{ \w+(, \w+)* \} from 'cdk8s-llm-d';$/m);
    const outdir = path.join(TMP, `out-${name}`);
    const written = runPrintedApp(x.source, x.file, outdir);
    expect(written).toEqual([`${x.c.ref.release}.k8s.yaml`]);
    const synthesized = parseManifests(fs.readFileSync(path.join(outdir, written[0]), 'utf8'));
    expect(synthesized.length).toBeGreaterThan(0);
    expect(synthesized).toEqual(x.rendered);
  });
});

test('the generated program names its source command and uses the release as chart and construct id', () => {
  const x = converted.get(CASES[0].name)!;
  const { release, namespace } = x.c.ref;
  expect(x.source).toContain(`//   cdk8s-llm-d convert ${x.c.chart} --release ${release} --namespace ${namespace} -f values.yaml`);
  expect(x.source).toContain(`const chart = new Chart(app, '${release}', { namespace: '${namespace}' });`);
  expect(x.source).toMatch(new RegExp(`^new \\w+\\(chart, '${release}', \\{$`, 'm'));
  expect(x.source.trimEnd().endsWith('app.synth();')).toBe(true);
});
