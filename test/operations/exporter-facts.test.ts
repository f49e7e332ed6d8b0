/**
 * Exporter facts: every series an alert, dashboard panel or autoscaler of this library reads is
 * one the exporter it comes from exports, at the release the objects pin, with the labels the
 * query selects or groups by. The facts are test fixtures written from upstream sources
 * (test/fixtures/exporters/*.json, each naming its repository, tag or commit and paths, or the
 * documentation page): nothing here is taken from src, so a wrong metric name in src fails here.
 *
 * The queries are read back from synthesized apps (PrometheusRule expressions, KEDA triggers,
 * HPA Pods metrics, Grafana dashboard targets) with an independent PromQL reader; which release of
 * an exporter a query meets is read from the images of the app's serving workloads.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { buildApp as productionApp } from '../../examples/furiosa-production/main';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { DEFAULT_FURIOSA_LLM_IMAGE } from '../../src/model-service/furiosa-rules';
import { DEFAULT_VLLM_IMAGE } from '../../src/model-service/model-service-rules';
import { AutoscalerEngine, AutoscalingSignal, ModelServerAutoscaler, ServingAlerts, ServingDashboards } from '../../src/operations';
import { InferenceSchedulerPool, SchedulerRelease } from '../../src/scheduler';
import { DEFAULT_EPP_IMAGE } from '../../src/scheduler/pool-options';
import { LlmdServingStack, ModelServerEngine, RngdServingStack } from '../../src/stack';
import { EXTERNAL_SERIES_PREFIXES } from '../../src/system/metrics';
import { FIXTURES } from '../support';
import { parsePromQL, PromNode } from '../support/promql';

type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// The facts
// ---------------------------------------------------------------------------------------------

type Family = 'vllm' | 'furiosa-llm' | 'endpoint-picker';

interface SeriesFact {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** The exporter's labels; null when upstream does not say. */
  readonly labels: readonly string[] | null;
  /** Set when the labels are not a closed list (an info series). */
  readonly openLabels?: string;
  /** Set when the series is exported only under a condition (a plugin, a flag). */
  readonly condition?: string;
}

interface ExporterFacts {
  readonly file: string;
  readonly exporter: string;
  readonly family: Family;
  readonly release: string;
  readonly images: readonly string[];
  readonly source: Json;
  readonly series: ReadonlyMap<string, SeriesFact>;
}

const EXPORTERS_DIR = path.join(FIXTURES, 'exporters');

function loadFacts(): ExporterFacts[] {
  const raw = new Map<string, Json>(fs.readdirSync(EXPORTERS_DIR).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(fs.readFileSync(path.join(EXPORTERS_DIR, f), 'utf8'))]));
  const seriesOf = (file: string, seen: string[] = []): SeriesFact[] => {
    if (seen.includes(file)) throw new Error(`include cycle: ${[...seen, file].join(' -> ')}`);
    const f = raw.get(file);
    if (!f) throw new Error(`${seen[seen.length - 1]} includes ${file}, which is not a fixture`);
    return [...(f.includes ?? []).flatMap((i: string) => seriesOf(i, [...seen, file])), ...f.series];
  };
  return [...raw].map(([file, f]) => ({ file, exporter: f.exporter, family: f.family, release: f.release, images: f.images, source: f.source, series: new Map(seriesOf(file).map((s) => [s.name, s])) }));
}

const FACTS = loadFacts();

/** Which exporter a series name belongs to, by the prefixes upstream names them with. */
const FAMILY_PREFIXES: ReadonlyArray<readonly [Family, readonly string[]]> = [
  ['vllm', ['vllm:']],
  ['furiosa-llm', ['furiosa_llm_']],
  ['endpoint-picker', ['inference_objective_', 'inference_pool_', 'inference_extension_', 'inference_model_', 'llm_d_epp_', 'llm_d_inference_scheduler_']],
];
const familyOfSeries = (name: string): Family | undefined => FAMILY_PREFIXES.find(([, ps]) => ps.some((p) => name.startsWith(p)))?.[0];

/** Images of an exporter family, to catch a pin no fixture covers (a new release needs its facts). */
const FAMILY_IMAGES: ReadonlyArray<readonly [Family, RegExp]> = [
  ['vllm', /(^|\/)(vllm-openai|vllm-tpu|llm-d-(cuda|xpu|cpu|rocm|hpu|aws|gke))(:|@)/],
  ['furiosa-llm', /(^|\/)furiosa-llm(:|@)/],
  ['endpoint-picker', /(^|\/)(epp|llm-d-inference-scheduler|llm-d-router-endpoint-picker)(:|@)/],
];

/** Series no exporter of the app makes: Prometheus itself. kube-state-metrics, kubelet/cAdvisor and node-exporter go by src's declared prefixes. */
const PROMETHEUS_SERIES = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);
const isExternal = (name: string): boolean => PROMETHEUS_SERIES.has(name) || EXTERNAL_SERIES_PREFIXES.some((p) => name.startsWith(p));

/**
 * Labels Prometheus puts on every series of a PodMonitor or ServiceMonitor target (the Prometheus
 * Operator's relabelling). An exporter label of the same name is renamed `exported_<name>` under
 * the default honor_labels: false, so the target's wins.
 */
const TARGET_LABELS = new Set(['namespace', 'pod', 'container', 'service', 'endpoint', 'job', 'instance']);

// ---------------------------------------------------------------------------------------------
// The queries of an app
// ---------------------------------------------------------------------------------------------

interface Consumer {
  readonly kind: string;
  readonly where: string;
  readonly query: string;
  readonly tree: PromNode;
}

function dashboardExprs(json: unknown, out: string[]): void {
  if (Array.isArray(json)) json.forEach((x) => dashboardExprs(x, out));
  else if (typeof json === 'object' && json !== null) {
    for (const [k, v] of Object.entries(json)) {
      if (k === 'expr' && typeof v === 'string') out.push(v);
      else dashboardExprs(v, out);
    }
  }
}

function consumersOf(objects: readonly Json[]): Consumer[] {
  const out: Consumer[] = [];
  const add = (o: Json, where: string, query: string, tree?: PromNode) => out.push({ kind: o.kind, where: `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name} ${where}`, query, tree: tree ?? parsePromQL(query) });
  for (const o of objects) {
    if (o.kind === 'PrometheusRule') {
      (o.spec?.groups ?? []).forEach((g: Json, i: number) => (g.rules ?? []).forEach((r: Json, j: number) => add(o, `groups[${i}].rules[${j}] (${r.alert ?? r.record})`, String(r.expr))));
    } else if (o.kind === 'ScaledObject') {
      (o.spec?.triggers ?? []).forEach((t: Json, i: number) => {
        if (t.type === 'prometheus') add(o, `triggers[${i}]`, String(t.metadata.query));
      });
    } else if (o.kind === 'HorizontalPodAutoscaler') {
      (o.spec?.metrics ?? []).forEach((m: Json, i: number) => {
        const metric = m.pods?.metric ?? m.object?.metric ?? m.external?.metric;
        if (!metric) return;
        const matchers = Object.entries((metric.selector?.matchLabels ?? {}) as Record<string, string>).map(([label, value]) => ({ label, op: '=' as const, value }));
        add(o, `metrics[${i}] (a ${m.type} metric the adapter serves from the series of that name)`, metric.name, { type: 'selector', metric: metric.name, matchers });
      });
    } else if (o.kind === 'ConfigMap' && o.metadata?.labels?.grafana_dashboard !== undefined) {
      for (const [key, text] of Object.entries((o.data ?? {}) as Record<string, string>)) {
        const exprs: string[] = [];
        dashboardExprs(JSON.parse(text), exprs);
        exprs.forEach((e, i) => add(o, `${key} target ${i}`, e));
      }
    }
  }
  return out;
}

/** Series recorded by the app's own recording rules. */
const recordedBy = (objects: readonly Json[]): Set<string> => new Set(objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o.spec?.groups ?? []).flatMap((g: Json) => (g.rules ?? []).map((r: Json) => r.record).filter(Boolean))));

interface Read {
  readonly series: string;
  /** Labels the query selects on or groups by for this series. */
  readonly labels: readonly string[];
}

/** Every series a query reads, with the labels it matches on and the `by` labels of the aggregations above it. */
function readsOf(node: PromNode, grouping: readonly string[] = []): Read[] {
  switch (node.type) {
    case 'selector':
      return [{ series: node.metric, labels: [...new Set([...node.matchers.map((m) => m.label), ...grouping])] }];
    case 'subquery':
      return readsOf(node.expr, grouping);
    case 'call':
      return node.args.flatMap((a) => readsOf(a, grouping));
    case 'aggregate':
      // Labels an outer aggregation groups by must survive the inner one: the inner `by` is what reaches the series.
      return readsOf(node.expr, node.by ?? []);
    case 'binary':
      return [...readsOf(node.lhs, grouping), ...readsOf(node.rhs, grouping)];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// The app's pins
// ---------------------------------------------------------------------------------------------

/** Images of the app's serving containers: workloads that keep running (a Job runs a server image to download, and exports nothing). */
function servingImages(objects: readonly Json[]): string[] {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) {
        if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) v.forEach((c: Json) => typeof c?.image === 'string' && out.add(c.image));
        else walk(v);
      }
    }
  };
  objects.filter((o) => !['Job', 'CronJob'].includes(o.kind)).forEach((o) => walk(o.spec));
  return [...out];
}

interface Pins {
  /** Fixture files per family, from the images pinned. */
  readonly byFamily: ReadonlyMap<Family, readonly ExporterFacts[]>;
  /** Images of an exporter family that no fixture covers. */
  readonly uncovered: readonly string[];
}

function pinsOf(objects: readonly Json[]): Pins {
  const byFamily = new Map<Family, ExporterFacts[]>();
  const uncovered: string[] = [];
  for (const image of servingImages(objects)) {
    const facts = FACTS.filter((f) => f.images.includes(image));
    for (const f of facts) byFamily.set(f.family, [...(byFamily.get(f.family) ?? []).filter((x) => x !== f), f]);
    if (facts.length === 0 && FAMILY_IMAGES.some(([, re]) => re.test(image))) uncovered.push(image);
  }
  return { byFamily, uncovered };
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** The fact for a series name as a query reads it: the series itself, or the histogram a _bucket/_sum/_count belongs to. */
function factFor(facts: ExporterFacts, name: string): { fact: SeriesFact; extraLabels: readonly string[] } | undefined {
  const direct = facts.series.get(name);
  if (direct && direct.type !== 'histogram') return { fact: direct, extraLabels: [] };
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const h = facts.series.get(name.slice(0, -suffix.length));
    if (h?.type === 'histogram') return { fact: h, extraLabels: suffix === '_bucket' ? ['le'] : [] };
  }
  return undefined;
}

/** Why a read is not served by an exporter release, or undefined when it is. */
function readProblem(facts: ExporterFacts, read: Read): string | undefined {
  const where = `${facts.exporter} ${facts.release} (${facts.file})`;
  const found = factFor(facts, read.series);
  if (!found) {
    const bare = facts.series.get(read.series);
    return bare?.type === 'histogram' ? `${read.series} is a histogram in ${where}: read ${read.series}_bucket, _sum or _count` : `${where} exports no series ${read.series}`;
  }
  const { fact, extraLabels } = found;
  if (fact.condition) return `${where} exports ${fact.name} only when ${fact.condition}`;
  const missing = read.labels.filter((l) => !TARGET_LABELS.has(l) && !extraLabels.includes(l) && !(fact.labels ?? []).includes(l) && !fact.openLabels);
  if (missing.length === 0) return undefined;
  return fact.labels === null
    ? `${read.series} is read by the labels ${missing.join(', ')}, but ${where} does not say which labels it has`
    : `${read.series} has no label ${missing.join(', ')} in ${where} (it has ${[...fact.labels, ...extraLabels].join(', ') || 'none'}; a scrape adds ${[...TARGET_LABELS].join(', ')})`;
}

interface Report {
  readonly consumers: readonly Consumer[];
  readonly used: ReadonlySet<string>;
  readonly problems: readonly string[];
}

function check(objects: readonly Json[]): Report {
  const consumers = consumersOf(objects);
  const recorded = recordedBy(objects);
  const pins = pinsOf(objects);
  const problems: string[] = pins.uncovered.map((image) => `no exporter facts for the pinned image ${image}: add a fixture under test/fixtures/exporters from its upstream release`);
  const used = new Set<string>();
  for (const c of consumers) {
    for (const read of readsOf(c.tree)) {
      if (isExternal(read.series) || recorded.has(read.series)) continue;
      const family = familyOfSeries(read.series);
      if (!family) {
        problems.push(`${c.where} reads ${read.series}, which is neither an exporter's series nor declared external (${c.query})`);
        continue;
      }
      const releases = pins.byFamily.get(family) ?? [];
      if (releases.length === 0) problems.push(`${c.where} reads ${read.series}, but the app pins no ${family} image with exporter facts (${c.query})`);
      for (const facts of releases) {
        used.add(facts.file);
        const why = readProblem(facts, read);
        if (why) problems.push(`${c.where}: ${why} (query: ${c.query})`);
      }
    }
  }
  return { consumers, used, problems };
}

// ---------------------------------------------------------------------------------------------
// The apps: every engine, every endpoint-picker release, every kind of query
// ---------------------------------------------------------------------------------------------

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-facts-'));
const objectsOf = (app: App): Json[] => app.charts.flatMap((c) => c.toJson() as Json[]);
const KEDA = AutoscalerEngine.keda({ prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090' });
const MODEL = { name: 'o/m', uri: 'hf://o/m' };

const constructsApp = (build: (chart: Chart) => void): Json[] => {
  const app = new App({ outdir: tmp() });
  build(new Chart(app, 'test', { namespace: 'llm-d' }));
  return objectsOf(app);
};

interface Scenario {
  readonly name: string;
  readonly build: () => Json[];
  /** The fixtures the app's queries must be checked against: what the scenario is for. */
  readonly expects: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'examples/furiosa-production: furiosa-llm, llm-d-inference-scheduler (guide pins), KEDA on the queue per pod, alerts, dashboards',
    build: () => objectsOf(productionApp(tmp()).app),
    expects: ['furiosa-llm-2026.1.json', 'llm-d-inference-scheduler-v0.5.0.json'],
  },
  {
    name: 'RngdServingStack on llm-d-router v0.10: KEDA on the pool queue, alerts, dashboards',
    build: () => {
      const app = new App({ outdir: tmp() });
      new RngdServingStack(app, 'llm-d', {
        namespace: 'llm-d',
        release: SchedulerRelease.LLM_D_ROUTER_V0_10,
        models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', tensorParallelism: 8, image: DEFAULT_FURIOSA_LLM_IMAGE, names: { pool: 'gaie-llama' } }],
        operations: { autoscaling: { engine: KEDA, signal: AutoscalingSignal.poolQueue('gaie-llama', 4), maxReplicas: 4 }, alerts: true, dashboards: true },
      });
      return objectsOf(app);
    },
    expects: ['furiosa-llm-2026.1.json', 'llm-d-router-v0.10.0.json'],
  },
  {
    name: 'LlmdServingStack, vLLM on llm-d-router v0.10: HPA on the queue per pod, alerts, dashboards',
    build: () => {
      const app = new App({ outdir: tmp() });
      new LlmdServingStack(app, 'llm-d', {
        namespace: 'llm-d',
        release: SchedulerRelease.LLM_D_ROUTER_V0_10,
        models: [{ model: 'meta-llama/Llama-3.1-8B-Instruct', engine: ModelServerEngine.vllm({ decode: { parallelism: { tensor: 1 } } }) }],
        operations: { autoscaling: { engine: AutoscalerEngine.hpa(), signal: AutoscalingSignal.queuePerPod(4), maxReplicas: 4 }, alerts: true, dashboards: true },
      });
      return objectsOf(app);
    },
    expects: ['vllm-v0.11.2.json', 'llm-d-router-v0.10.0.json'],
  },
  {
    name: 'constructs: FuriosaModelService, the default pool (GAIE EPP v1.3.0), KEDA on KV-cache use, alerts, dashboards',
    build: () => constructsApp((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { monitoring: { podmonitor: { enabled: true } } } });
      const pool = new InferenceSchedulerPool(chart, 'gaie', { monitoring: { enabled: true } }).addModelServer(ms);
      new ModelServerAutoscaler(chart, 'scale', { target: ms, engine: KEDA, signal: AutoscalingSignal.kvCacheUsage(0.8), maxReplicas: 4 });
      new ServingAlerts(chart, 'alerts', { name: 'llm-d-serving', modelServers: [ms], pools: [pool], downloaderJobs: ['dl'] });
      new ServingDashboards(chart, 'dash', { name: 'llm-d', modelServers: [ms], pools: [pool] });
    }),
    expects: ['furiosa-llm-2026.1.json', 'gaie-epp-v1.3.0.json'],
  },
  {
    name: 'constructs: vLLM ModelService (default image), the default pool (GAIE EPP v1.3.0), KEDA on the pool queue, alerts, dashboards',
    build: () => constructsApp((chart) => {
      const ms = new ModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { monitoring: { podmonitor: { enabled: true } } } });
      const pool = new InferenceSchedulerPool(chart, 'gaie', { monitoring: { enabled: true } }).addModelServer(ms);
      new ModelServerAutoscaler(chart, 'scale', { target: ms, engine: KEDA, signal: AutoscalingSignal.poolQueue(pool, 3), maxReplicas: 4 });
      new ServingAlerts(chart, 'alerts', { name: 'llm-d-serving', modelServers: [ms], pools: [pool] });
      new ServingDashboards(chart, 'dash', { name: 'llm-d', modelServers: [ms], pools: [pool] });
    }),
    expects: ['vllm-v0.11.2.json', 'gaie-epp-v1.3.0.json'],
  },
];

// ---------------------------------------------------------------------------------------------

describe('exporter facts (test/fixtures/exporters)', () => {
  test.each(FACTS.map((f) => [f.file, f] as const))('%s names its upstream source and lists typed series', (file, f) => {
    expect(file).toMatch(/^[a-z0-9.-]+-v?\d[\w.]*\.json$/);
    expect(f.source).toBeDefined();
    expect(JSON.stringify(f.source)).toMatch(/https:\/\/(github\.com|developer\.furiosa\.ai)\//);
    expect(f.images.length).toBeGreaterThan(0);
    expect(f.series.size).toBeGreaterThan(0);
    for (const s of f.series.values()) {
      expect(['counter', 'gauge', 'histogram']).toContain(s.type);
      expect(familyOfSeries(s.name)).toBe(f.family);
      if (s.type === 'counter') expect(s.name).toMatch(/_total$/);
    }
  });

  test('every exporter image src pins by default has facts: a new pin needs the new release\'s fixture', () => {
    const pinned = [
      DEFAULT_VLLM_IMAGE,
      DEFAULT_FURIOSA_LLM_IMAGE,
      `${DEFAULT_EPP_IMAGE.hub}/${DEFAULT_EPP_IMAGE.name}:${DEFAULT_EPP_IMAGE.tag}`,
      ...[SchedulerRelease.GUIDE_PINS, SchedulerRelease.LLM_D_ROUTER_V0_10].map((r) => `${r.image.hub}/${r.image.name}:${r.image.tag}`),
    ];
    expect(pinned.filter((image) => !FACTS.some((f) => f.images.includes(image)))).toEqual([]);
  });
});

describe('every series a query reads is one its exporter exports, at the release the app pins', () => {
  const reports = new Map<string, Report>();
  const reportOf = (s: Scenario): Report => {
    if (!reports.has(s.name)) reports.set(s.name, check(s.build()));
    return reports.get(s.name)!;
  };

  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const report = reportOf(s);
    expect(report.problems).toEqual([]);
    expect([...report.used].sort()).toEqual([...s.expects].sort());
    expect(report.consumers.length).toBeGreaterThanOrEqual(4);
  });

  test('the apps cover every fixture and every kind of query', () => {
    const all = SCENARIOS.map(reportOf);
    expect(new Set(all.flatMap((r) => [...r.used]))).toEqual(new Set(FACTS.map((f) => f.file)));
    expect(new Set(all.flatMap((r) => r.consumers.map((c) => c.kind)))).toEqual(new Set(['PrometheusRule', 'ScaledObject', 'HorizontalPodAutoscaler', 'ConfigMap']));
  });
});

describe('the check itself', () => {
  const facts = (file: string): ExporterFacts => FACTS.find((f) => f.file === file)!;

  test.each([
    ['a misspelt series', 'sum(vllm:num_request_waiting{namespace="a"})', 'vllm-v0.11.2.json', /exports no series vllm:num_request_waiting/],
    ['a histogram read by its bare name', 'inference_objective_request_duration_seconds', 'gaie-epp-v1.3.0.json', /is a histogram/],
    ['a label the exporter does not have', 'inference_pool_ready_pods{pool="x"}', 'gaie-epp-v1.3.0.json', /has no label pool/],
    ['a grouping label the exporter does not have', 'sum by (reason) (rate(inference_extension_scheduler_attempts_total[5m]))', 'gaie-epp-v1.3.0.json', /has no label reason/],
    ['a series of an optional plugin', 'llm_d_epp_inflight_requests', 'llm-d-router-v0.10.0.json', /only when plugin registered/],
    ['an exporter label upstream does not document', 'furiosa_llm_num_requests_waiting{model_name="m"}', 'furiosa-llm-2026.1.json', /does not say which labels/],
  ])('refuses %s', (_what, query, file, why) => {
    const problems = readsOf(parsePromQL(query)).map((r) => readProblem(facts(file), r)).filter(Boolean);
    expect(problems).toEqual([expect.stringMatching(why)]);
  });

  test.each([
    ['target labels and a bucket\'s le', 'histogram_quantile(0.9, sum by (le) (rate(inference_objective_request_duration_seconds_bucket{namespace="a",service="b"}[5m])))', 'gaie-epp-v1.3.0.json'],
    ['an exporter label', 'sum by (status) (rate(inference_extension_scheduler_attempts_total[5m]))', 'llm-d-router-v0.10.0.json'],
    ['an included release\'s series', 'inference_pool_ready_pods{name="p"}', 'llm-d-inference-scheduler-v0.5.0.json'],
  ])('accepts %s', (_what, query, file) => {
    expect(readsOf(parsePromQL(query)).map((r) => readProblem(facts(file), r)).filter(Boolean)).toEqual([]);
  });

  test('an image of an exporter with no facts is named', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ms' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'vllm/vllm-openai:v0.99.0' }] } } } };
    expect(check([deployment]).problems).toEqual([expect.stringContaining('no exporter facts for the pinned image vllm/vllm-openai:v0.99.0')]);
  });
});
