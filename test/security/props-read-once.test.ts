/**
 * Issue 29, item 6: props are read once into plain data. Values TypeScript's types allow but no one
 * means (getters, Proxies and `toString` answering differently on each read, cycles, array holes)
 * cannot make a construct validate one value and render another: every public construct copies
 * its props with `plainProps` (src/core/plain-props.ts) first and uses only the copy.
 */
import { App, Chart } from 'cdk8s';
import { LlmdValidationError, ReportedProblem } from '../../src/core/errors';
import { PLAIN_PROPS_LIMITS, plainProps } from '../../src/core/plain-props';
import { validateTree } from '../../src/synth/validate';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { AutoscalerEngine, ModelServerAutoscaler, ServingAlerts, ServingBenchmark, ServingDashboards, ServingDisruptionBudgets } from '../../src/operations';
import { BodyBasedRouter, InferenceRoute } from '../../src/routing';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { LlmdServingStack, RngdServingStack, ServingNetworkPolicies } from '../../src/stack';
import { ModelPvcDownloader } from '../../src/storage';
import { newChart } from '../support';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';
const ART = { name: MODEL, uri: `hf://${MODEL}` };

/** Plain objects and arrays (not class instances: constructs and the library's classes stay as they are). */
function isPlain(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}

/**
 * `value` behind Proxies (at every level of plain data) that count each read of a string key,
 * by prop path: `reads.get('models[0].model')`.
 */
function counting<T>(value: T, reads: Map<string, number>): T {
  const proxies = new WeakMap<object, unknown>();
  const wrap = (v: unknown, path: string): unknown => {
    if (!isPlain(v)) return v;
    const known = proxies.get(v);
    if (known) return known;
    const p = new Proxy(v, {
      get(target, key, receiver) {
        const r = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return r;
        const at = Array.isArray(target) && /^\d+$/.test(key) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
        reads.set(at, (reads.get(at) ?? 0) + 1);
        return wrap(r, at);
      },
    });
    proxies.set(v, p);
    return p;
  };
  return wrap(value, '') as T;
}

/** The paths read more than once. */
function readTwice(reads: ReadonlyMap<string, number>): string[] {
  return [...reads].filter(([, n]) => n > 1).map(([k, n]) => `${k} (${n} reads)`);
}

/**
 * `object` with `key` answering `answers[0]` on the first read, `answers[1]` on the second, and the
 * last answer on every read after.
 */
function changing<T extends object>(object: T, key: string, answers: readonly unknown[]): { value: T; reads: () => number } {
  let n = 0;
  const value = new Proxy(object, {
    get(target, k, receiver) {
      if (k !== key) return Reflect.get(target, k, receiver);
      n += 1;
      return answers[Math.min(n, answers.length) - 1];
    },
    has: (target, k) => k === key || Reflect.has(target, k),
    ownKeys: (target) => [...new Set([...Reflect.ownKeys(target), key])],
    getOwnPropertyDescriptor: (target, k) => (k === key ? { value: answers[0], enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(target, k)),
  });
  return { value, reads: () => n };
}

/** Validates the app and renders every chart (as synthApp does, in memory): the manifests, or the LlmdValidationError. */
function render(app: App): { manifests: string; error?: LlmdValidationError } {
  try {
    validateTree(app);
    return { manifests: JSON.stringify(app.charts.map((c) => c.toJson())) };
  } catch (e) {
    if (e instanceof LlmdValidationError) return { manifests: '', error: e };
    throw e;
  }
}

/** Builds, expecting an LlmdValidationError at construction or validation; its one problem. */
function refusal(build: (chart: Chart, app: App) => void): ReportedProblem {
  const { app, chart } = newChart('llm-d');
  let error: unknown;
  try {
    build(chart, app);
    validateTree(app);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LlmdValidationError);
  const e = error as LlmdValidationError;
  expect(e.message).not.toMatch(/\n\s+at /); // no stack trace
  expect(e.problems).toHaveLength(1);
  return e.problems[0];
}

// --- every public construct reads each prop once ------------------------------------------------

type Build = (chart: Chart, app: App, props: <T>(p: T) => T) => void;

const CONSTRUCTS: Array<[string, Build]> = [
  ['ModelPvcDownloader', (c, _a, p) => new ModelPvcDownloader(c, 'dl', p({ repoId: MODEL, name: 'dl', mountPath: '/models', hubCachePath: 'hub', env: [{ name: 'A', value: 'b' }], labels: { team: 'x' } }))],
  ['FuriosaModelService', (c, _a, p) => new FuriosaModelService(c, 'ms', p({ releaseName: 'ms', modelArtifacts: ART, decode: { replicas: 2, parallelism: { tensor: 4 }, containers: [{ env: [{ name: 'A', value: 'b' }] }] } }))],
  ['ModelService', (c, _a, p) => new ModelService(c, 'ms', p({ releaseName: 'ms', modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, decode: { replicas: 2 }, prefill: { create: true } }))],
  ['InferenceSchedulerPool', (c, _a, p) => new InferenceSchedulerPool(c, 'gaie', p({ name: 'gaie', selector: { app: 'vllm' }, targetPorts: [8000], epp: { replicas: 2, env: [{ name: 'A', value: 'b' }] } }))],
  ['IstioGieGateway', (c, _a, p) => new IstioGieGateway(c, 'gw', p({ releaseName: 'infra', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' as const }] }))],
  ['InferenceRoute', (c, _a, p) => {
    const gateway = new IstioGieGateway(c, 'gw', {});
    new InferenceRoute(c, 'route', p({ gateway, name: 'r', backends: [{ pool: InferenceRoute.poolRef({ name: 'gaie', namespace: 'llm-d', ports: [8000] }) }] }));
  }],
  ['BodyBasedRouter', (c, _a, p) => new BodyBasedRouter(c, 'bbr', p({ name: 'bbr', replicas: 2 }))],
  ['ServingNetworkPolicies', (c, _a, p) => new ServingNetworkPolicies(c, 'np', p({ namePrefix: 'llm-d', gateway: { podLabels: { gw: 'x' } }, endpointPickers: [], modelServers: [{ podLabels: { app: 'vllm' }, servingPort: 8000 }] }))],
  ['LlmdServingStack', (_c, a, p) => new LlmdServingStack(a, 'stack', p({ models: [{ model: MODEL, storage: { download: { env: [{ name: 'A', value: 'b' }] } } }, { model: 'org/other' }] }))],
  ['RngdServingStack', (_c, a, p) => new RngdServingStack(a, 'stack', p({ models: [{ model: MODEL, tensorParallelism: 4, storage: { download: { name: 'dl', env: [{ name: 'A', value: 'b' }] } } }], networkPolicies: true }))],
  ['ModelServerAutoscaler', (c, _a, p) => {
    const target = new FuriosaModelService(c, 'ms', { modelArtifacts: ART });
    new ModelServerAutoscaler(c, 'as', p({ target, engine: AutoscalerEngine.hpa(), minReplicas: 1, maxReplicas: 3 }));
  }],
  ['ServingAlerts', (c, _a, p) => {
    const ms = new FuriosaModelService(c, 'ms', { modelArtifacts: ART, decode: { monitoring: { podmonitor: { enabled: true } } } });
    new ServingAlerts(c, 'alerts', p({ name: 'alerts', modelServers: [ms], thresholds: { for: '10m' }, labels: { release: 'prom' } }));
  }],
  ['ServingDashboards', (c, _a, p) => {
    const ms = new FuriosaModelService(c, 'ms', { modelArtifacts: ART });
    new ServingDashboards(c, 'dash', p({ name: 'dash', modelServers: [ms], folder: 'llm-d' }));
  }],
  ['ServingBenchmark', (c, _a, p) => {
    const gateway = new IstioGieGateway(c, 'gw', {});
    new ServingBenchmark(c, 'bench', p({ gateway, model: MODEL, concurrencies: [1, 2] }));
  }],
  ['ServingDisruptionBudgets', (c, _a, p) => {
    const ms = new FuriosaModelService(c, 'ms', { modelArtifacts: ART });
    new ServingDisruptionBudgets(c, 'pdb', p({ modelServers: [ms], maxUnavailable: 1 }));
  }],
];

describe('every public construct reads each prop exactly once', () => {
  test.each(CONSTRUCTS)('%s', (_name, build) => {
    const reads = new Map<string, number>();
    const { app, chart } = newChart('llm-d');
    build(chart, app, (p) => counting(p, reads));
    const { error } = render(app);
    expect(error?.message).toBeUndefined();
    expect(reads.size).toBeGreaterThan(0);
    expect(readTwice(reads)).toEqual([]);
  });

  test('the copy is exact for ordinary props: the same manifests as without proxies', () => {
    for (const [, build] of CONSTRUCTS) {
      const plain = newChart('llm-d');
      build(plain.chart, plain.app, (p) => p);
      const proxied = newChart('llm-d');
      build(proxied.chart, proxied.app, (p) => counting(p, new Map()));
      expect(render(proxied.app).manifests).toEqual(render(plain.app).manifests);
    }
  });
});

// --- a value that changes between reads: validated and rendered as first read -------------------

interface ChangingCase {
  readonly name: string;
  /** Builds with the changing object standing for one prop (or props) object. */
  readonly build: (chart: Chart, app: App, changing: <T extends object>(o: T, key: string) => T) => void;
  readonly key: string;
  readonly valid: unknown;
  readonly hostile: unknown;
  /** How the valid value shows in the manifests. */
  readonly rendered: string;
  /** How the hostile one would. */
  readonly hostileRendered: string;
  /** The value the refusal of the hostile one names. @default hostile */
  readonly refused?: unknown;
}

const CHANGING: ChangingCase[] = [
  { name: 'ModelPvcDownloader repoId', build: (c, _a, ch) => new ModelPvcDownloader(c, 'dl', ch({ repoId: MODEL }, 'repoId')), key: 'repoId', valid: MODEL, hostile: 'x/y"; import os; os.system("id") #', rendered: MODEL, hostileRendered: 'os.system' },
  { name: 'FuriosaModelService modelArtifacts.uri', build: (c, _a, ch) => new FuriosaModelService(c, 'ms', { modelArtifacts: ch({ name: MODEL }, 'uri') }), key: 'uri', valid: `hf://${MODEL}`, hostile: 'pvc://evil/../../etc', rendered: `"args":["${MODEL}"`, hostileRendered: 'evil' },
  { name: 'ModelService modelArtifacts.name', build: (c, _a, ch) => new ModelService(c, 'ms', { modelArtifacts: ch({ uri: 'hf://org/m' } as never, 'name') }), key: 'name', valid: 'org/m', hostile: '', rendered: '"org/m"', hostileRendered: '""' },
  { name: 'InferenceSchedulerPool selector', build: (c, _a, ch) => new InferenceSchedulerPool(c, 'gaie', ch({}, 'selector')), key: 'selector', valid: { app: 'vllm' }, hostile: { app: 'Bad Value!' }, rendered: '"app":"vllm"', hostileRendered: 'Bad Value!', refused: 'Bad Value!' },
  { name: 'InferenceSchedulerPool targetPorts', build: (c, _a, ch) => new InferenceSchedulerPool(c, 'gaie', ch({ selector: { app: 'vllm' } }, 'targetPorts')), key: 'targetPorts', valid: [8001], hostile: [70000], rendered: '8001', hostileRendered: '70000', refused: 70000 },
  { name: 'LlmdServingStack models[0].model', build: (_c, a, ch) => new LlmdServingStack(a, 'stack', { models: [ch({} as never, 'model')] }), key: 'model', valid: MODEL, hostile: 'evil/model\nkind: Secret', rendered: MODEL, hostileRendered: 'kind: Secret', refused: 'evil/model\nkind: Secret' },
  { name: 'RngdServingStack models[0].storage.download', build: (_c, a, ch) => new RngdServingStack(a, 'stack', { models: [{ model: MODEL, storage: ch({}, 'download') }] }), key: 'download', valid: { name: 'dl-ok' }, hostile: { name: 'Dl_Bad!' }, rendered: 'dl-ok', hostileRendered: 'Dl_Bad!', refused: 'Dl_Bad!' },
  { name: 'ServingBenchmark concurrencies', build: (c, _a, ch) => new ServingBenchmark(c, 'b', ch({ gateway: new IstioGieGateway(c, 'gw', {}), model: MODEL }, 'concurrencies')), key: 'concurrencies', valid: [7], hostile: [-7], rendered: '7', hostileRendered: '-7', refused: -7 },
  { name: 'ServingDisruptionBudgets maxUnavailable', build: (c, _a, ch) => new ServingDisruptionBudgets(c, 'pdb', ch({ modelServers: [new FuriosaModelService(c, 'ms', { modelArtifacts: ART })] }, 'maxUnavailable')), key: 'maxUnavailable', valid: 2, hostile: -2, rendered: '"maxUnavailable":2', hostileRendered: '-2' },
  { name: 'ServingNetworkPolicies namePrefix', build: (c, _a, ch) => new ServingNetworkPolicies(c, 'np', ch({ gateway: { podLabels: { gw: 'x' } }, endpointPickers: [], modelServers: [{ podLabels: { app: 'vllm' }, servingPort: 8000 }] } as never, 'namePrefix')), key: 'namePrefix', valid: 'np-ok', hostile: 'Np_Bad!', rendered: 'np-ok', hostileRendered: 'Np_Bad!' },
];

describe('a prop that answers differently on each read is validated and rendered as first read', () => {
  test.each(CHANGING)('$name: valid first, hostile after: renders the valid value', (c) => {
    const { app, chart } = newChart('llm-d');
    let reads = (): number => 0;
    c.build(chart, app, (o, key) => {
      const ch = changing(o, key, [c.valid, c.hostile]);
      reads = ch.reads;
      return ch.value;
    });
    const { manifests, error } = render(app);
    expect(error?.message).toBeUndefined();
    expect(manifests).toContain(c.rendered);
    expect(manifests).not.toContain(c.hostileRendered);
    expect(reads()).toBe(1);
  });

  test.each(CHANGING)('$name: hostile first, valid after: refused with the hostile value', (c) => {
    const { app, chart } = newChart('llm-d');
    let error: unknown;
    try {
      c.build(chart, app, (o, key) => changing(o, key, [c.hostile, c.valid]).value);
      validateTree(app);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmdValidationError);
    const values = (error as LlmdValidationError).problems.map((p) => p.value);
    expect(values).toContainEqual(c.refused ?? c.hostile);
  });
});

// --- getters ------------------------------------------------------------------------------------

describe('getters run once', () => {
  test('a getter at every level of a stack\'s props runs once, and its first answer is the one used', () => {
    const count = new Map<string, number>();
    const getter = <T>(name: string, answers: readonly T[]) => () => {
      const n = (count.get(name) ?? 0) + 1;
      count.set(name, n);
      return answers[Math.min(n, answers.length) - 1];
    };
    const env = { name: 'A' } as { name: string; value: string };
    Object.defineProperty(env, 'value', { get: getter('env.value', ['first', 'second']), enumerable: true });
    const download = {} as { env: Array<{ name: string; value: string }> };
    Object.defineProperty(download, 'env', { get: getter('download.env', [[env], []]), enumerable: true });
    const model = { storage: { download } } as { model: string; storage: unknown };
    Object.defineProperty(model, 'model', { get: getter('model', [MODEL, 'evil/other']), enumerable: true });
    const models = [model];
    const props = {} as { models: typeof models; namespace: string };
    Object.defineProperty(props, 'models', { get: getter('models', [models, []]), enumerable: true });
    Object.defineProperty(props, 'namespace', { get: getter('namespace', ['llm-d', 'Evil_NS']), enumerable: true });

    const app = new App();
    new LlmdServingStack(app, 'stack', props as never);
    const { manifests, error } = render(app);
    expect(error?.message).toBeUndefined();
    expect(Object.fromEntries(count)).toEqual({ 'models': 1, 'namespace': 1, 'model': 1, 'download.env': 1, 'env.value': 1 });
    expect(manifests).toContain('"name":"A","value":"first"');
    expect(manifests).not.toContain('second');
    expect(manifests).not.toContain('evil/other');
    expect(manifests).not.toContain('Evil_NS');
  });

  test('a getter on an array item runs once', () => {
    let n = 0;
    const patterns: string[] = [];
    Object.defineProperty(patterns, 0, { get: () => (n++ === 0 ? '*.safetensors' : '../../etc/*'), enumerable: true, configurable: true });
    const { app, chart } = newChart('llm-d');
    new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, allowPatterns: patterns });
    const { manifests, error } = render(app);
    expect(error?.message).toBeUndefined();
    expect(n).toBe(1);
    expect(manifests).toContain('*.safetensors');
    expect(manifests).not.toContain('etc/*');
  });
});

// --- toString -----------------------------------------------------------------------------------

describe('a value whose toString answers differently is converted once', () => {
  test('a name built from it is the first answer, and validation judged that answer', () => {
    let calls = 0;
    const name = { length: 5, toString: () => (++calls === 1 ? 'dl-ok' : 'Bad Name') };
    const { app, chart } = newChart('llm-d');
    new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, name: name as unknown as string });
    const { manifests, error } = render(app);
    expect(error?.message).toBeUndefined();
    expect(calls).toBe(1);
    expect(manifests).toMatch(/"name":"dl-ok-[0-9a-f]{10}"/);
    expect(manifests).not.toContain('Bad Name');
  });

  test('hostile first: refused with that answer, and no object holds the later one', () => {
    let calls = 0;
    const name = { length: 8, toString: () => (++calls === 1 ? 'Bad Name' : 'dl-ok') };
    const p = refusal((chart) => new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, name: name as unknown as string }));
    expect(p).toMatchObject({ path: 'test/dl', field: 'name', value: 'Bad Name' });
    expect(calls).toBe(1);
  });

  test('an own valueOf gives the number once', () => {
    let calls = 0;
    const replicas = { valueOf: () => (++calls === 1 ? 3 : -1) };
    const { app, chart } = newChart('llm-d');
    new FuriosaModelService(chart, 'ms', { modelArtifacts: ART, decode: { replicas: replicas as unknown as number } });
    const { manifests, error } = render(app);
    expect(error?.message).toBeUndefined();
    expect(calls).toBe(1);
    expect(manifests).toContain('"replicas":3');
  });
});

// --- cycles, holes and bounds -------------------------------------------------------------------

describe('cycles and holes are refused with the field named', () => {
  test('a model that refers back to itself', () => {
    const model: Record<string, unknown> = { model: MODEL };
    model.routing = { back: model };
    const p = refusal((_c, app) => new LlmdServingStack(app, 'stack', { models: [model as never] }));
    expect(p).toMatchObject({
      path: 'stack',
      field: 'models[0].routing.back',
      value: { $ref: 'models[0]' },
      why: 'a cycle: the value refers back to models[0]',
      allowed: 'plain data without cycles (each object and array holds only values below it)',
    });
    expect(p.message).toBe('models[0].routing.back: value {"$ref":"models[0]"} is not allowed (a cycle: the value refers back to models[0]); allowed: plain data without cycles (each object and array holds only values below it)');
  });

  test('a cycle in a passthrough field (labels of the downloader, through the stack)', () => {
    const labels: Record<string, unknown> = { team: 'a' };
    labels.self = labels;
    const p = refusal((_c, app) => new RngdServingStack(app, 'stack', { models: [{ model: MODEL, storage: { download: { labels: labels as never } } }] }));
    expect(p).toMatchObject({ path: 'stack', field: 'models[0].storage.download.labels.self', why: 'a cycle: the value refers back to models[0].storage.download.labels' });
  });

  test('an array that holds itself', () => {
    const args: unknown[] = ['--a'];
    args.push(args);
    const p = refusal((chart) => new FuriosaModelService(chart, 'ms', { modelArtifacts: ART, decode: { containers: [{ args: args as string[] }] } }));
    expect(p).toMatchObject({ path: 'test/ms', field: 'decode.containers[0].args[1]', value: { $ref: 'decode.containers[0].args' } });
  });

  test('the same object twice (not a cycle) is accepted, read once', () => {
    let reads = 0;
    const shared = { get value() { reads += 1; return 'v'; }, name: 'A' };
    const { app } = newChart('llm-d');
    new RngdServingStack(app, 'stack', { models: [{ model: MODEL, storage: { download: { env: [shared] } } }, { model: 'org/other', storage: { download: { env: [shared] } } }] });
    expect(render(app).error?.message).toBeUndefined();
    expect(reads).toBe(1);
  });

  test('a sparse array', () => {
    // eslint-disable-next-line no-sparse-arrays
    const env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }, , { name: 'E', value: '5' }];
    const p = refusal((_c, app) => new LlmdServingStack(app, 'stack', { models: [{ model: MODEL, storage: { download: { env: env as never } } }] }));
    expect(p).toMatchObject({
      path: 'stack',
      field: 'models[0].storage.download.env[3]',
      value: undefined,
      why: 'a sparse array: index 3 is a hole',
      allowed: 'an array without holes: every index from 0 to 4 set (remove the entry, or set it)',
    });
  });

  test('a hole from a length set past the items', () => {
    const tolerations: unknown[] = [{ key: 'a', operator: 'Exists' }];
    tolerations.length = 3;
    const p = refusal((chart) => new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'vllm' }, epp: { tolerations: tolerations as never } }));
    expect(p).toMatchObject({ path: 'test/gaie', field: 'epp.tolerations[1]', why: 'a sparse array: index 1 is a hole' });
  });

  test('nesting deeper than the limit', () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < PLAIN_PROPS_LIMITS.maxDepth; i++) deep = { d: deep };
    const p = refusal((chart) => new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, labels: deep as never }));
    expect(p).toMatchObject({ path: 'test/dl', field: `labels${'.d'.repeat(PLAIN_PROPS_LIMITS.maxDepth)}`, why: `nested deeper than ${PLAIN_PROPS_LIMITS.maxDepth} levels`, allowed: `objects and arrays nested at most ${PLAIN_PROPS_LIMITS.maxDepth} levels deep` });
  });

  test('more entries than the limit', () => {
    const args = new Array<string>(PLAIN_PROPS_LIMITS.maxEntries).fill('x');
    const p = refusal((chart) => new FuriosaModelService(chart, 'ms', { modelArtifacts: ART, decode: { containers: [{ args }] } }));
    // modelArtifacts, its name and uri, decode, containers, containers[0] and args are 7 entries before the items.
    expect(p).toMatchObject({ path: 'test/ms', field: `decode.containers[0].args[${PLAIN_PROPS_LIMITS.maxEntries - 7}]`, allowed: `at most ${PLAIN_PROPS_LIMITS.maxEntries} keys and array items in all` });
  });

  test('a getter that throws is refused with its message, without a stack', () => {
    const props = { repoId: MODEL, get name(): string { throw new Error('no name today\n    at somewhere (file.js:1:1)'); } };
    const p = refusal((chart) => new ModelPvcDownloader(chart, 'dl', props));
    expect(p).toMatchObject({ path: 'test/dl', field: 'name', why: 'reading the property threw: no name today at somewhere (file.js:1:1)' });
    expect(p.message).not.toContain('\n');
  });
});

// --- the helper itself --------------------------------------------------------------------------

describe('plainProps', () => {
  const scope = newChart().chart;

  test('copies plain data and keeps everything else', () => {
    class Thing { constructor(public readonly x = 1) {} }
    const thing = new Thing();
    const fn = (): number => 1;
    const date = new Date(0);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const input = { s: 'a', n: 1, b: true, u: undefined, nul: null, list: [1, { k: 'v' }], thing, fn, date, scope, bare };
    const out = plainProps(scope, input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(out.list).not.toBe(input.list);
    expect(out.thing).toBe(thing);
    expect(out.fn).toBe(fn);
    expect(out.date).toBe(date);
    expect(out.scope).toBe(scope);
    expect(Object.getPrototypeOf(out.bare)).toBeNull();
    expect('u' in out).toBe(true);
  });

  test('symbol keys, non-enumerable properties and an array\'s other keys are left out', () => {
    const sym = Symbol('s');
    const input: Record<string | symbol, unknown> = { a: 1, [sym]: 2 };
    Object.defineProperty(input, 'hidden', { value: 3, enumerable: false });
    const list = Object.assign([1, 2], { extra: 'x' });
    const out = plainProps(scope, { input, list }) as { input: Record<string | symbol, unknown>; list: unknown[] };
    expect(Reflect.ownKeys(out.input)).toEqual(['a']);
    expect(Object.keys(out.list)).toEqual(['0', '1']);
  });

  test('a __proto__ key (as JSON.parse makes) stays a key, never the prototype', () => {
    const input = JSON.parse('{"labels": {"__proto__": {"polluted": "yes"}}}') as { labels: Record<string, unknown> };
    const out = plainProps(scope, input);
    expect(Object.getPrototypeOf(out.labels)).toBe(Object.prototype);
    expect(Object.keys(out.labels)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('refused before super(): reported at the path the construct would have', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    expect(() => plainProps(scope, cyclic, 'child')).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path: 'test/child', field: 'me', value: { $ref: '(the props)' } })] }));
  });
});
