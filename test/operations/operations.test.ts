/**
 * Day-2 operations: examples/furiosa-production (every option on), and each construct's options
 * and refusals, asserted on structured problem fields.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { buildApp as productionApp } from '../../examples/furiosa-production/main';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService } from '../../src/model-service';
import { AutoscalerEngine, AutoscalingSignal, EPP_METRICS, ModelServerAutoscaler, SERVER_METRICS, ServingAlerts, ServingBenchmark, ServingDashboards, ServingDisruptionBudgets } from '../../src/operations';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { RngdServingStack } from '../../src/stack';
import { validateManifests } from '../../src/testing';
import { expectRefusal, newChart, objectOf, problemsFrom, synth } from '../support';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-ops-'));

const problems = problemsFrom;

describe('examples/furiosa-production', () => {
  const { app, stack } = productionApp(tmp());
  const objects = stack.toJson() as Record<string, any>[];
  const prerequisites = stack.prerequisitesChart!.toJson() as Record<string, any>[];

  test('validates against the Kubernetes schemas and the vendored CRDs (KEDA and Prometheus Operator included)', () => {
    expect(validateManifests(objects, { allowUnvalidated: [] }).map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
  });

  test('an autoscaler for every model-server Deployment, which no longer fixes replicas', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('ms-'));
    const scaled = objects.filter((o) => o.kind === 'ScaledObject').map((o) => o.spec.scaleTargetRef.name);
    expect(scaled).toEqual(deployments.map((d) => d.metadata.name));
    for (const d of deployments) expect(d.spec.replicas).toBeUndefined();
    expect(objectOf(objects, 'ScaledObject').spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 16 });
  });

  test('PodDisruptionBudgets for the EPP and the model servers', () => {
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => [o.metadata.name, o.spec.maxUnavailable])).toEqual([['ms-llm-d-modelservice-decode', 1], ['gaie-epp', 1]]);
  });

  test('the alerts the issue names', () => {
    const rule = objectOf(objects, 'PrometheusRule');
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toEqual([
      'ModelServerDown', 'ModelServerNotReady', 'ModelServerQueueGrowing', 'ModelServerKVCacheSaturated',
      'EndpointPickerNotReady', 'EndpointPickerErrors', 'InferencePoolNoReadyEndpoints', 'ModelDownloaderFailed',
    ]);
  });

  test('dashboards parse and have panels', () => {
    const maps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps.map((m) => m.metadata.name)).toEqual(['llm-d-model-servers', 'llm-d-endpoint-pickers']);
    for (const m of maps) {
      const model = JSON.parse(Object.values(m.data as Record<string, string>)[0]);
      expect(model.panels.length).toBeGreaterThanOrEqual(2);
      for (const p of model.panels) expect(p.targets.length).toBeGreaterThanOrEqual(1);
    }
  });

  // Which series the queries read is checked against the exporters' own facts in exporter-facts.test.ts.

  /** The benchmark Job: `llm-d-benchmark-<hash of its spec>`. */
  const benchmarkJob = (all: Record<string, any>[]) => {
    const found = all.filter((o) => o.kind === 'Job' && /^llm-d-benchmark-[0-9a-f]{10}$/.test(o.metadata.name));
    expect(found).toHaveLength(1);
    return found[0];
  };

  test('a benchmark Job aimed at the gateway Service, with the seed\'s load', () => {
    const job = benchmarkJob(objects).spec.template.spec.containers[0];
    expect(job.image).toBe('vllm/vllm-openai:v0.11.0');
    expect(job.env).toContainEqual({ name: 'TARGET', value: 'http://llm-d-infra-inference-gateway-istio.llm-d.svc.cluster.local:80' });
    const script = job.command[2] as string;
    for (const c of [32, 64, 128]) expect(script).toContain(`--max-concurrency ${c}`);
    expect(script).toContain('--random-input-len 1024 --random-output-len 1024 --num-prompts 200');
  });

  test('the benchmark runs as a non-root user (1000), or as root when asked with runAsUser 0', () => {
    const pod = benchmarkJob(objects).spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const { chart } = newChart('llm-d');
    new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', runAsUser: 0 });
    const root = benchmarkJob(synth(chart) as Record<string, any>[]).spec.template.spec;
    expect(root.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  test.each([
    ['inputTokens', 2 ** 31],
    ['concurrencies', [2 ** 40]],
  ])('the benchmark refuses %s %j: the command line would carry a number vllm cannot parse', (key, value) => {
    expectRefusal((chart) => new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', [key as string]: value }), [
      { path: 'test/b', field: Array.isArray(value) ? `${key}[0]` : key, value: Array.isArray(value) ? value[0] : value, allowed: 'an integer from 1 to 2147483647' },
    ]);
  });

  test('the benchmark refuses numPrompts 1e21 once, at numPrompts', () => {
    expectRefusal((chart) => new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', numPrompts: 1e21 }), [
      { path: 'test/b', field: 'numPrompts', value: 1e21, allowed: 'an integer from 1 to 2147483647' },
    ]);
  });

  test('the benchmark Job is named after its spec: a changed benchmark is a new Job (pod templates are immutable)', () => {
    const bench = (props: Partial<ConstructorParameters<typeof ServingBenchmark>[2]> = {}) => {
      const { chart } = newChart('llm-d');
      const b = new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', ...props });
      const job = objectOf(synth(chart) as Record<string, any>[], 'Job');
      expect(job.metadata.name).toBe(b.jobName);
      return b.jobName;
    };
    expect(bench()).toMatch(/^llm-d-benchmark-[0-9a-f]{10}$/);
    expect(bench()).toBe(bench());
    expect(bench({ concurrencies: [8] })).not.toBe(bench());
    expect(bench({ model: 'other' })).not.toBe(bench());
    expect(bench({ name: 'load-test' })).toMatch(/^load-test-[0-9a-f]{10}$/);
    expect(bench({ name: 'load-test' }).slice(-10)).toBe(bench().slice(-10));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { shortHash } = require('../../src/core/stable-hash') as typeof import('../../src/core/stable-hash');
    const { chart } = newChart('llm-d');
    const b = new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm' });
    expect(b.jobName).toBe(`llm-d-benchmark-${shortHash(objectOf(synth(chart) as Record<string, any>[], 'Job').spec)}`);
  });

  test.each([
    ['a'.repeat(53), 'a DNS-1123 label of at most 52 characters'],
    ['Bench_1', 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit'],
  ])('the benchmark refuses the name %j', (name, allowed) => {
    expectRefusal((chart) => new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', name }), [{ path: 'test/b', field: 'name', value: name, allowed }]);
    expect(problems((chart) => new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', name: 'a'.repeat(52) }))).toEqual([]);
  });

  test('the benchmark refuses a UID outside 0 to 2^31-1', () => {
    expectRefusal((chart) => new ServingBenchmark(chart, 'b', { gateway: new IstioGieGateway(chart, 'gw'), model: 'm', runAsUser: -1 }), [
      { path: 'test/b', field: 'runAsUser', value: -1, allowed: 'an integer UID from 0 to 2147483647 (0: root, as the image runs)' },
    ]);
  });

  test('network policies admit the scrapes of the EPP and the model servers from the monitoring namespace', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const epp = policies.find((p) => p.metadata.name.endsWith('-epp'))!;
    expect(epp.spec.ingress).toContainEqual({ from: [monitoring], ports: [{ protocol: 'TCP', port: 9090 }] });
    const model = policies.find((p) => p.metadata.name.endsWith('-model'))!;
    expect(model.spec.ingress[0].from).toContainEqual(monitoring);
  });

  test('the prerequisites carry the Prometheus Operator and KEDA CRDs', () => {
    const crds = prerequisites.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds).toEqual(expect.arrayContaining(['prometheusrules.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com', 'scaledobjects.keda.sh']));
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
    expect(app.charts).toHaveLength(2);
  });
});

describe('options and refusals', () => {
  const MODEL = { name: 'furiosa-ai/Llama-3.1-8B-Instruct', uri: 'hf://furiosa-ai/Llama-3.1-8B-Instruct' };

  test('an HPA on the Pods metric of the engine', () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    new ModelServerAutoscaler(chart, 'hpa', { target: ms, engine: AutoscalerEngine.hpa(), signal: AutoscalingSignal.kvCacheUsage(0.8), maxReplicas: 4 });
    const hpa = objectOf(chart.toJson(), 'HorizontalPodAutoscaler');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ms-llm-d-modelservice-decode' },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'furiosa_llm_kv_cache_usage_percent' }, target: { type: 'AverageValue', averageValue: '0.8' } } }],
      // furiosa-llm's startup probe allows 15 s + 60 x 30 s: pods are removed only after load stayed low that long.
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 120, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
        scaleDown: { stabilizationWindowSeconds: 1815, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
      },
    });
    expect(validateManifests(chart.toJson(), { allowUnvalidated: [] })).toEqual([]);
  });

  test.each<[string, object, string, unknown, string]>([
    ['min above max', { minReplicas: 5, maxReplicas: 2 }, 'minReplicas', 5, 'at most maxReplicas (2)'],
    ['max above the accelerator budget', { maxReplicas: 10, acceleratorBudget: 4 }, 'maxReplicas', 10, 'at most 4'],
    ['neither max nor budget', {}, 'maxReplicas', undefined, 'a number of replicas, or an acceleratorBudget to derive it from'],
    ['a signal target of 0', { maxReplicas: 2, signal: AutoscalingSignal.queuePerPod(0) }, 'signal', 0, 'a target above 0'],
  ])('the autoscaler refuses %s', (_name, opts, field, value, allowed) => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.keda({ prometheusAddress: 'http://p:9090' }), ...opts });
    }, [{ path: 'test/a', field, value, allowed }]);
  });

  test('the autoscaler refuses a budget smaller than one pod, at acceleratorBudget', () => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.keda({ prometheusAddress: 'http://p:9090' }), acceleratorBudget: 0 });
    }, [{ path: 'test/a', field: 'acceleratorBudget', value: 0, allowed: expect.any(String) }]);
  });

  test('KEDA follows the pool queue of the pool passed (or named)', () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    const pool = new InferenceSchedulerPool(chart, 'gaie', {}).addModelServer(ms);
    const engine = AutoscalerEngine.keda({ prometheusAddress: 'http://p:9090' });
    const a = new ModelServerAutoscaler(chart, 'a', { target: ms, engine, signal: AutoscalingSignal.poolQueue(pool, 3), maxReplicas: 2 });
    expect(a.autoscaler.toJson().spec.triggers[0].metadata.query).toBe(`${EPP_METRICS.averageQueueSize}{name="gaie"}`);
    expect(AutoscalingSignal.poolQueue('gaie', 3)).toEqual(AutoscalingSignal.poolQueue(pool, 3));
  });

  test('an HPA cannot follow the pool queue', () => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), signal: AutoscalingSignal.poolQueue(new InferenceSchedulerPool(chart, 'gaie', {}).addModelServer(ms), 3), maxReplicas: 2 });
    }, [{ path: 'test/a', field: 'signal', value: 'poolQueue', allowed: 'queuePerPod or kvCacheUsage with an HPA (Pods metrics); poolQueue needs KEDA' }]);
  });

  test('the stack refuses fixed replicas together with an autoscaler', () => {
    expectRefusal((chart) => new RngdServingStack(chart, 's', {
      models: [{ model: MODEL.name, replicas: 2, storage: { uri: MODEL.uri } }],
      operations: { autoscaling: { engine: AutoscalerEngine.hpa(), maxReplicas: 4 } },
    }), [
      { path: 'test/s', field: 'models[0].replicas', value: 2, allowed: 'unset (operations.autoscaling owns the replica count; bound it with minReplicas and maxReplicas)', why: 'a fixed replica count and an autoscaler fight: every apply resets what the autoscaler chose' },
    ]);
  });

  test('the benchmark refuses a gateway of another app', () => {
    const other = new Chart(new App({ outdir: tmp() }), 'other');
    const gateway = new IstioGieGateway(other, 'gw', {});
    expectRefusal((chart) => new ServingBenchmark(chart, 'bench', { gateway, model: 'm' }), [
      { path: 'test/bench', field: 'gateway', value: 'other/gw', allowed: 'an IstioGieGateway of this app', why: 'the benchmark must load the stack it is synthesized with' },
    ]);
  });

  test.each<[string, object, string, unknown, string]>([
    ['a KV-cache ratio above 1', { kvCacheUsage: 95 }, 'thresholds.kvCacheUsage', 95, 'a ratio above 0 and at most 1 (0.95 is 95 %)'],
    ['a duration without unit', { for: '5' }, 'thresholds.for', '5', 'a Prometheus duration: digits and units y, w, d, h, m, s, ms in this order, each at most once, e.g. "5m" or "1h30m"'],
    ['a negative queue', { queueWaiting: -1 }, 'thresholds.queueWaiting', -1, 'a number of requests, 0 or more'],
  ])('alerts refuse %s', (_name, thresholds, field, value, allowed) => {
    expectRefusal((chart) => new ServingAlerts(chart, 'alerts', { name: 'a', modelServers: [], pools: [], thresholds }), [{ path: 'test/alerts', field, value, allowed }]);
  });

  test('disruption budgets refuse an empty list of workloads', () => {
    expectRefusal((chart) => new ServingDisruptionBudgets(chart, 'pdb', {}), [
      { path: 'test/pdb', field: 'modelServers', value: [], allowed: 'at least one model server, pool or target', why: 'nothing would be protected' },
    ]);
  });

  test('disruption budgets refuse maxUnavailable 0 (it blocks every drain)', () => {
    expectRefusal((chart) => new ServingDisruptionBudgets(chart, 'pdb', { targets: [{ name: 'x', podLabels: { app: 'x' } }], maxUnavailable: 0 }), [
      { path: 'test/pdb', field: 'maxUnavailable', value: 0, allowed: 'an integer of 1 or more', why: '0 blocks every node drain' },
    ]);
  });
});

describe('operations constructs built by hand take the model services and pools themselves', () => {
  const build = () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' } });
    const pool = new InferenceSchedulerPool(chart, 'gaie', {}).addModelServer(ms);
    return { chart, ms, pool };
  };

  test('ServingDisruptionBudgets: one budget per model server, prefill-like target and endpoint picker, named after each', () => {
    const { chart, ms, pool } = build();
    const pdb = new ServingDisruptionBudgets(chart, 'pdb', { modelServers: [ms], pools: [pool], targets: [{ name: 'extra', podLabels: { app: 'extra' } }] });
    expect(pdb.budgetNames).toEqual(['ms-llm-d-modelservice-decode', 'extra', 'gaie-epp']);
    const objects = synth(chart) as Record<string, any>[];
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.spec.selector.matchLabels)).toEqual([ms.podLabels, { app: 'extra' }, pool.eppPodLabels]);
  });

  test('ServingAlerts and ServingDashboards read names, labels and metric names from the objects', () => {
    const { chart, ms, pool } = build();
    const alerts = new ServingAlerts(chart, 'alerts', { name: 'llm-d-serving', modelServers: [ms], pools: [pool] });
    new ServingDashboards(chart, 'dash', { name: 'llm-d', modelServers: [ms] });
    // The objects as rendered (this app has no monitors: the system model would refuse the queries' series).
    const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson()) as Record<string, any>[];
    const rules = objectOf(objects, 'PrometheusRule', 'llm-d-serving').spec.groups[0].rules;
    expect(alerts.alertNames).toContain('InferencePoolNoReadyEndpoints');
    expect(rules.find((r: { alert: string }) => r.alert === 'ModelServerDown').expr).toContain('deployment="ms-llm-d-modelservice-decode"');
    expect(rules.find((r: { alert: string }) => r.alert === 'ModelServerQueueGrowing').expr).toContain(SERVER_METRICS.furiosa.waiting);
    expect(rules.find((r: { alert: string }) => r.alert === 'EndpointPickerNotReady').expr).toContain('deployment="gaie-epp"');
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('llm-d-')).map((o) => o.metadata.name)).toEqual(['llm-d-model-servers']);
  });
});
