/**
 * The published package in the cdk8s app a team already has: `npm pack` (which builds), then the
 * tarball installed with `npm install` into fresh apps that bring their own cdk8s (an older
 * release of our peer range than our devDependency), constructs, and cdk8s-plus-33, -28 or none.
 * In them: the examples, copied as they are, run with `cdk8s synth`; the app compiles with
 * `skipLibCheck: false`; `cdk8s-llm-d/testing` works without cdk8s-cli; npm reports no peer
 * conflict and one copy of constructs and cdk8s; and cdk8s-plus-28 interoperates too.
 *
 * ts-node, typescript, @types/node and cdk8s-cli come from this repository, as tools an app has
 * anyway: npx finds ts-node through a bin link in each example folder.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { App } from 'cdk8s';
import { parseManifests } from '../../src/testing/semdiff';

const ROOT = path.join(__dirname, '..', '..');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-packed-'));
const MODULES = path.join(ROOT, 'node_modules');
/** An older cdk8s of our peer range (^2.68.11) than our devDependency; it bundles yaml 2.5. */
const CDK8S = '2.68.100';
const versionOf = (pkg: string): string => (JSON.parse(fs.readFileSync(path.join(MODULES, pkg, 'package.json'), 'utf8')) as { version: string }).version;

type Obj = Record<string, any>;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (never rejects); `env` is the whole environment. */
function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * This environment without what ties a process to this repository: module paths, and the
 * variables `npm test` sets for its script (`npm_config_local_prefix` would make a nested
 * `npm install` install here). npm's own settings (registry, cache, CA) are kept.
 */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const tied = /^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_config_global$|npm_config_workspaces?$|npm_command$|INIT_CWD$|NODE_PATH$|NODE_OPTIONS$|JEST_|TS_NODE_)/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!tied.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** The tsconfig.json `cdk8s init typescript-app` writes, with @types/node from this repository and `skipLibCheck: false`. */
function appTsconfig(overrides: Obj = {}): Obj {
  return {
    compilerOptions: {
      alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true,
      lib: ['es2016'], module: 'CommonJS', noEmit: false, noEmitOnError: true, noFallthroughCasesInSwitch: true,
      noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true,
      resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true,
      target: 'ES2017',
      skipLibCheck: false,
      typeRoots: [path.join(MODULES, '@types')],
      types: ['node'],
      ...overrides,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'dist'],
  };
}

const apps = {
  /** cdk8s-plus-33, as `cdk8s init typescript-app` installs today: the examples run here. */
  plus33: path.join(WORK, 'app-plus-33'),
  /** No cdk8s-plus at all. */
  bare: path.join(WORK, 'app-bare'),
  /** cdk8s-plus-28. */
  plus28: path.join(WORK, 'app-plus-28'),
};

const timings: Record<string, number> = {};
async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = (Date.now() - t0) / 1000;
  }
}

function writeApp(dir: string, dependencies: Record<string, string>, tarball: string, files: Record<string, string>, tsconfig: Obj = appTsconfig()): void {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = { name: path.basename(dir), version: '1.0.0', private: true, dependencies: { cdk8s: CDK8S, constructs: '^10.3.0', ...dependencies, 'cdk8s-llm-d': `file:${tarball}` } };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
}

/** Copies the folder examples/<name> (its main.ts, cdk8s.yaml and any other file; not a dist/ of a local synth) into the app. */
function copyExample(app: string, name: string): string {
  const dir = path.join(app, name);
  const from = path.join(ROOT, 'examples', name);
  fs.cpSync(from, dir, { recursive: true, filter: (src) => !['dist', 'node_modules'].includes(path.relative(from, src).split(path.sep)[0]) });
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  fs.symlinkSync(path.join(MODULES, 'ts-node', 'dist', 'bin.js'), path.join(dir, 'node_modules', '.bin', 'ts-node'));
  return dir;
}

// Uses every entry point and the types an app names, without cdk8s-plus.
const BARE_MAIN = `import { App, Chart } from 'cdk8s';
import { IPodSelector, ISecretReference, RngdServingStack } from 'cdk8s-llm-d';
import { INFERENCEPOOL_CHART_DEFAULTS } from 'cdk8s-llm-d/helm';
import { checkApp, SystemFinding, validateManifests } from 'cdk8s-llm-d/testing';

const app = new App();
const refs = new Chart(app, 'refs');
const hfTokenSecret: ISecretReference = { name: 'team-hf' };
const stack = new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct' }], hfTokenSecret });
const gatewayPods: IPodSelector = stack.gateway;
const findings: SystemFinding[] = checkApp(app);
console.log(refs.node.id, gatewayPods.node.id, Object.keys(INFERENCEPOOL_CHART_DEFAULTS).length > 0, findings.length >= 0, validateManifests(stack.toJson()).length);
`;

// cdk8s-plus-28 with our constructs, at run time (JavaScript: the types of both ways are checked
// against cdk8s-plus-28 by test/interop/cdk8s-plus-peers.test.ts).
const PLUS28_MAIN = `const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const { RngdServingStack } = require('cdk8s-llm-d');

const app = new App();
const chart = new Chart(app, 'chat', { namespace: 'chat' });
const stack = new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct' }], hfTokenSecret: kplus.Secret.fromSecretName(chart, 'hf', 'team-hf') });
const chat = new kplus.Deployment(chart, 'web', { containers: [{ image: 'example/chat:1', portNumber: 3000 }] });
chat.connections.allowTo(stack.gateway);
chat.connections.allowFrom(stack.models[0].pool.endpointPicker, { isolation: kplus.PodConnectionsIsolation.POD });
new kplus.NetworkPolicy(chart, 'np', { selector: stack.models[0].modelService, metadata: { namespace: 'llm-d' }, ingress: { rules: [{ peer: chat }] } });
process.stdout.write(JSON.stringify({ secret: stack.hfTokenSecret.name, policies: chart.toJson().filter((o) => o.kind === 'NetworkPolicy') }));
`;

let tarball = '';

beforeAll(async () => {
  // lib/ is built by jest's global set-up (test/global-setup.js): `prepack` would build it again.
  const pack = await timed('npm pack', () => run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', WORK], ROOT, cleanEnv()));
  tarball = path.join(WORK, (JSON.parse(ok(pack, 'npm pack').stdout) as Array<{ filename: string }>)[0].filename);
  // A cdk8s init app has jest and its types: the examples' tests compile there too.
  writeApp(apps.plus33, { 'cdk8s-plus-33': versionOf('cdk8s-plus-33') }, tarball, {}, appTsconfig({ types: ['node', 'jest'] }));
  writeApp(apps.bare, {}, tarball, { 'main.ts': BARE_MAIN }, appTsconfig({ module: 'node16', moduleResolution: 'node16' }));
  writeApp(apps.plus28, { 'cdk8s-plus-28': versionOf('cdk8s-plus-28') }, tarball, { 'main.js': PLUS28_MAIN });
  const installs = await timed('npm install (3 apps, in parallel)', () =>
    Promise.all(Object.values(apps).map((dir) => run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir, cleanEnv()))));
  installs.forEach((r, i) => ok(r, `npm install in ${Object.values(apps)[i]}`));
}, 240_000);

afterAll(() => {
  console.log(`packed-app timings (s): ${JSON.stringify(timings)}`);
  fs.rmSync(WORK, { recursive: true, force: true });
});

const tsc = (dir: string): Promise<Run> => run(process.execPath, [path.join(MODULES, 'typescript', 'bin', 'tsc'), '-p', dir, '--noEmit'], dir, cleanEnv());

describe('cdk8s synth of the examples, copied into the app as they are', () => {
  const synthEnv = () => cleanEnv({ TS_NODE_TRANSPILE_ONLY: 'true' }); // types: see the tsc test

  /** The files and objects `buildApp(outdir).app.synth()` writes in this repository (sources, our cdk8s). */
  function inRepo(example: string): ReturnType<typeof readOutput> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildApp } = require(`../../examples/${example}/main`) as { buildApp: (outdir: string) => { app: App } };
    const outdir = fs.mkdtempSync(path.join(WORK, `repo-${example}-`));
    buildApp(outdir).app.synth();
    return readOutput(outdir);
  }

  /** The files written, and the objects of the manifests (parsed) or the text of other files. */
  function readOutput(dir: string): { files: string[]; objects: Obj[]; texts: Record<string, string> } {
    const files = fs.readdirSync(dir).sort();
    const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
    const objects = files.filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => parseManifests(read(f)));
    return { files, objects, texts: Object.fromEntries(files.filter((f) => !f.endsWith('.k8s.yaml')).map((f) => [f, read(f)])) };
  }

  test.each([
    ['furiosa-llama-3.1-8b', ['0000-llm-d-prerequisites.k8s.yaml', '0001-llm-d.k8s.yaml', 'istiod-values.yaml', 'llm-d.README.md']],
    ['with-cdk8s-plus', ['chat.k8s.yaml', 'llm-d.README.md', 'llm-d.k8s.yaml']],
  ])('examples/%s', async (example, files) => {
    const dir = copyExample(apps.plus33, example);
    const synth = await timed(`cdk8s synth ${example}`, () => run(path.join(MODULES, '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], dir, synthEnv()));
    ok(synth, `cdk8s synth in ${dir}`);
    const out = readOutput(path.join(dir, 'dist'));
    expect(out.files).toEqual(files);
    expect(out.objects.length).toBeGreaterThan(10);
    // What app.synth() writes with our cdk8s from the sources, it writes with the app's cdk8s from the package.
    const expected = inRepo(example);
    expect(out.files).toEqual(expected.files);
    expect(out.objects).toEqual(expected.objects);
    expect(out.texts).toEqual(expected.texts);
  }, 120_000);

  // The README's app (main.ts, main.test.ts) and the network-policy example, as a team runs them:
  // `cdk8s synth`, then jest (their snapshot tests and the system model's findings).
  test('examples/app, the README\'s app: cdk8s synth writes the stack and its description', async () => {
    const dir = copyExample(apps.plus33, 'app');
    ok(await timed('cdk8s synth app', () => run(path.join(MODULES, '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], dir, synthEnv())), `cdk8s synth in ${dir}`);
    const out = readOutput(path.join(dir, 'dist'));
    expect(out.files).toEqual(['llm-d.README.md', 'llm-d.k8s.yaml']);
    expect(out.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual(['gaie-epp', 'ms-llm-d-modelservice-decode']);
  }, 120_000);

  test.each(['app', 'with-cdk8s-plus'])('examples/%s: its jest test passes in the app, snapshot written', async (example) => {
    const dir = fs.existsSync(path.join(apps.plus33, example)) ? path.join(apps.plus33, example) : copyExample(apps.plus33, example);
    const config = { rootDir: dir, testEnvironment: 'node', testMatch: ['<rootDir>/*.test.ts'], transform: { '^.+\\.ts$': [path.join(MODULES, 'ts-jest'), { isolatedModules: true }] } };
    const r = await timed(`jest ${example}`, () => run(process.execPath, [path.join(MODULES, 'jest', 'bin', 'jest.js'), '--ci=false', '--config', JSON.stringify(config)], dir, cleanEnv()));
    ok(r, `jest in ${dir}`);
    expect(r.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(r.stderr).toMatch(/Snapshots:\s+1 written/);
    expect(fs.readdirSync(path.join(dir, '__snapshots__'))).toEqual(['main.test.ts.snap']);
  }, 120_000);

  test('the app does not have cdk8s-plus-28 (the cdk8s-plus example ran without it)', () => {
    expect(fs.existsSync(path.join(apps.plus33, 'node_modules', 'cdk8s-plus-28'))).toBe(false);
    expect(fs.existsSync(path.join(apps.plus33, 'node_modules', 'cdk8s-plus-33'))).toBe(true);
  });
});

describe('tsc, skipLibCheck false', () => {
  // The two apps are compiled in parallel (each takes 5-10 s of CPU).
  let results: Record<'plus33' | 'bare', Run>;
  beforeAll(async () => {
    for (const example of ['furiosa-llama-3.1-8b', 'with-cdk8s-plus', 'app']) if (!fs.existsSync(path.join(apps.plus33, example))) copyExample(apps.plus33, example);
    const [plus33, bare] = await timed('tsc (2 apps, in parallel)', () => Promise.all([tsc(apps.plus33), tsc(apps.bare)]));
    results = { plus33, bare };
  }, 120_000);

  test('the app with cdk8s-plus-33 and the two examples (CommonJS resolution: typesVersions)', () => {
    expect(results.plus33.stdout + results.plus33.stderr).toBe('');
    expect(results.plus33.code).toBe(0);
  });

  test('an app without any cdk8s-plus, on every entry point (node16 resolution: package.json exports)', () => {
    expect(fs.existsSync(path.join(apps.bare, 'node_modules', 'cdk8s-plus-33'))).toBe(false);
    expect(results.bare.stdout + results.bare.stderr).toBe('');
    expect(results.bare.code).toBe(0);
  });
});

test('cdk8s-llm-d/testing runs in an app without cdk8s-cli', async () => {
  const script = `
let cli = true;
try { require.resolve('cdk8s-cli'); } catch { cli = false; }
const { App } = require('cdk8s');
const { RngdServingStack } = require('cdk8s-llm-d');
const testing = require('cdk8s-llm-d/testing');
const app = new App();
const stack = new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct' }] });
const schema = testing.validateManifests(stack.toJson());
const bad = testing.validateManifests([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }]);
const system = testing.checkApp(app).filter((f) => f.severity === 'error');
process.stdout.write(JSON.stringify({ cli, schema: schema.length, bad: bad.length > 0, system: system.length }));
`;
  const r = ok(await timed('testing entry point', () => run(process.execPath, ['-e', script], apps.bare, cleanEnv())), 'node -e (testing)');
  expect(JSON.parse(r.stdout)).toEqual({ cli: false, schema: 0, bad: true, system: 0 });
}, 60_000);

describe('npm: no peer-dependency conflict, one constructs and one cdk8s', () => {
  test.each(Object.entries(apps))('%s', async (_name, dir) => {
    // Exit code 0: no missing, invalid (peer range not met) or extraneous package.
    const ls = await run('npm', ['ls', '--all', '--parseable'], dir, cleanEnv());
    expect({ code: ls.code, stderr: ls.stderr }).toEqual({ code: 0, stderr: '' });
    const copies = (name: string): string[] => ls.stdout.split('\n').filter((p) => p.endsWith(`${path.sep}node_modules${path.sep}${name}`));
    expect(copies('constructs')).toEqual([path.join(dir, 'node_modules', 'constructs')]);
    expect(copies('cdk8s')).toEqual([path.join(dir, 'node_modules', 'cdk8s')]);
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'cdk8s', 'package.json'), 'utf8')) as { version: string }).version).toBe(CDK8S);
  }, 60_000);
});

test('an app on cdk8s-plus-28 wires its workload to our constructs', async () => {
  const r = ok(await timed('node plus28', () => run(process.execPath, ['main.js'], apps.plus28, cleanEnv())), 'node main.js');
  const { secret, policies } = JSON.parse(r.stdout) as { secret: string; policies: Obj[] };
  expect(secret).toBe('team-hf');
  const GATEWAY = { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'llm-d-infra-inference-gateway' } };
  expect(policies.map((p) => [p.metadata.namespace, p.spec.policyTypes])).toEqual([
    ['chat', ['Egress']],
    ['llm-d', ['Ingress']],
    ['chat', ['Ingress']],
    ['llm-d', ['Ingress']],
  ]);
  expect(policies[0].spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'llm-d' } }, podSelector: GATEWAY }]);
  expect(policies[1].spec.podSelector).toEqual(GATEWAY);
  expect(policies[2].spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { inferencepool: 'gaie-epp' } });
  expect(fs.existsSync(path.join(apps.plus28, 'node_modules', 'cdk8s-plus-33'))).toBe(false);
}, 60_000);
