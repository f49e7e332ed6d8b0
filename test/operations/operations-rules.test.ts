/**
 * The app-wide rules of the operations objects (two autoscalers on one target, two disruption
 * budgets on one pod, two dashboards with one uid), the KEDA server address, the autoscaling
 * behaviour for slow-starting model servers, the names that reach queries, and the series each
 * construct's queries read. Each refusal is asserted on its structured fields.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { AutoscalerEngine, AutoscalingSignal, ModelServerAutoscaler, ServingAlerts, ServingDashboards, ServingDisruptionBudgets } from '../../src/operations';
import type { AutoscalingBehavior } from '../../src/operations';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { ReportedProblem } from '../../src/core/errors';
import { expectRefusal, newChart, problemsFrom } from '../support';
import { parsePromQL } from '../support/promql';

const MODEL = { name: 'o/m', uri: 'hf://o/m' };
const KEDA = AutoscalerEngine.keda({ prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090' });

/** The problems of the rule under test: those with `field` (other rules, such as the system model's, may report the same app). */
const withField = (found: ReportedProblem[], ...fields: string[]) => found.filter((p) => p.field !== undefined && fields.includes(p.field));

describe('two autoscalers on one target are refused', () => {
  const hpa = (scope: Construct, id: string, target: string, ns = 'llm-d') => new ApiObject(scope, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: id, namespace: ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 3 },
  });

  test('two of ours: at the later one, naming both', () => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
      new ModelServerAutoscaler(chart, 'b', { target: ms, engine: KEDA, maxReplicas: 2 });
    }, [
      { path: 'test/b', field: 'target', value: 'Deployment llm-d/ms-llm-d-modelservice-decode', allowed: 'a workload no other autoscaler of the app scales', why: expect.stringMatching(/^ScaledObject llm-d\/ms-llm-d-modelservice-decode \(test\/b\/Resource\) and HorizontalPodAutoscaler llm-d\/ms-llm-d-modelservice-decode \(test\/a\/Resource\) both scale .*AmbiguousSelector/) },
    ]);
  });

  test('any HorizontalPodAutoscaler of the app, before or after ours', () => {
    // Reported at ours: the object made by hand has no construct of its own to report at.
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
      hpa(chart, 'by-hand', 'ms-llm-d-modelservice-decode');
    }, [
      { path: 'test/a', field: 'target', value: 'Deployment llm-d/ms-llm-d-modelservice-decode', allowed: 'a workload no other autoscaler of the app scales', why: expect.stringContaining('HorizontalPodAutoscaler llm-d/by-hand (test/by-hand) and') },
    ]);
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      hpa(chart, 'by-hand', 'ms-llm-d-modelservice-decode');
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
    }, [
      { path: 'test/a', field: 'target', value: 'Deployment llm-d/ms-llm-d-modelservice-decode', allowed: 'a workload no other autoscaler of the app scales', why: expect.stringContaining('HorizontalPodAutoscaler llm-d/ms-llm-d-modelservice-decode') },
    ]);
  });

  test('a KEDA ScaledObject without a kind targets a Deployment', () => {
    expectRefusal((chart) => {
      new ApiObject(chart, 'so', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so', namespace: 'llm-d' }, spec: { scaleTargetRef: { name: 'ms-llm-d-modelservice-decode' }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] } });
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
    }, [
      { path: 'test/a', field: 'target', value: 'Deployment llm-d/ms-llm-d-modelservice-decode', allowed: 'a workload no other autoscaler of the app scales', why: expect.stringContaining('HorizontalPodAutoscaler llm-d/ms-llm-d-modelservice-decode') },
    ]);
  });

  test('autoscalers of workloads with one name in two namespaces, or of two workloads, are fine', () => {
    expect(withField(problemsFrom((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
      hpa(chart, 'other-ns', 'ms-llm-d-modelservice-decode', 'elsewhere');
      hpa(chart, 'other-target', 'something-else');
    }), 'target')).toEqual([]);
  });
});

describe('two PodDisruptionBudgets on one pod are refused', () => {
  const build = (chart: Chart) => {
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    const pool = new InferenceSchedulerPool(chart, 'gaie', {}).addModelServer(ms);
    return { ms, pool };
  };

  test('a target that selects the model server\'s pods again: at the construct, naming the later budget\'s prop and both budgets', () => {
    expectRefusal((chart) => {
      const { ms } = build(chart);
      new ServingDisruptionBudgets(chart, 'pdb', { modelServers: [ms], targets: [{ name: 'again', podLabels: ms.podLabels }] });
    }, [
      { path: 'test/pdb', field: 'targets[0].podLabels', value: { matchLabels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'm', 'llm-d.ai/role': 'decode' } }, allowed: 'a selector that shares no pod with another PodDisruptionBudget of the namespace', why: expect.stringContaining('PodDisruptionBudget llm-d/again (test/pdb/pdb-1) and') },
    ]);
  });

  test('a budget made by hand after ours, by matchExpressions: at ours, naming it', () => {
    expectRefusal((chart) => {
      const { ms } = build(chart);
      new ServingDisruptionBudgets(chart, 'pdb', { modelServers: [ms] });
      const [k, v] = Object.entries(ms.podLabels)[0];
      new ApiObject(chart, 'by-hand', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'by-hand', namespace: 'llm-d' }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: k, operator: 'In', values: [v, 'x'] }] } } });
    }, [
      { path: 'test/pdb', field: 'modelServers[0]', value: { matchLabels: {}, matchExpressions: [{ key: 'llm-d.ai/inferenceServing', operator: 'In', values: ['true', 'x'] }] }, allowed: 'a selector that shares no pod with another PodDisruptionBudget of the namespace', why: expect.stringContaining('PodDisruptionBudget llm-d/by-hand (test/by-hand) and') },
    ]);
  });

  test('a budget whose labels are a subset of another\'s selects all its pods, with no workload in the app', () => {
    expectRefusal((chart) => {
      new ServingDisruptionBudgets(chart, 'pdb', { targets: [{ name: 'narrow', podLabels: { app: 'x', role: 'y' } }, { name: 'wide', podLabels: { app: 'x' } }] });
    }, [
      { path: 'test/pdb', field: 'targets[1].podLabels', value: { matchLabels: { app: 'x' } }, allowed: 'a selector that shares no pod with another PodDisruptionBudget of the namespace', why: expect.stringContaining('both select the same pods') },
    ]);
  });

  test('the stack\'s budgets (model server and endpoint picker) do not overlap; nor do budgets of two namespaces', () => {
    expect(problemsFrom((chart) => {
      const { ms, pool } = build(chart);
      new ServingDisruptionBudgets(chart, 'pdb', { modelServers: [ms], pools: [pool] });
      new ServingDisruptionBudgets(chart, 'pdb2', { namespace: 'elsewhere', targets: [{ name: 'ms', podLabels: ms.podLabels }] });
    })).toEqual([]);
  });
});

describe('two Grafana dashboards with one uid are refused', () => {
  test('two ServingDashboards with one name in two namespaces: at the later, naming both ConfigMaps', () => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ServingDashboards(chart, 'a', { name: 'llm-d', modelServers: [ms] });
      new ServingDashboards(chart, 'b', { name: 'llm-d', namespace: 'monitoring', modelServers: [ms] });
    }, [
      { path: 'test/b', field: 'name', value: 'llm-d-model-servers', allowed: 'a dashboard uid no other dashboard of the app has', why: 'ConfigMap monitoring/llm-d-model-servers (test/b/model-servers) and ConfigMap llm-d/llm-d-model-servers (test/a/model-servers) both hold a dashboard with uid "llm-d-model-servers": Grafana provisions only one of them' },
    ]);
  });

  test('a dashboard ConfigMap made by hand, before ours', () => {
    expectRefusal((chart) => {
      new ApiObject(chart, 'by-hand', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine', labels: { grafana_dashboard: '1' } }, data: { 'mine.json': JSON.stringify({ uid: 'llm-d-model-servers', title: 'mine' }) } });
      new ServingDashboards(chart, 'a', { name: 'llm-d', modelServers: [new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL })] });
    }, [
      { path: 'test/a', field: 'name', value: 'llm-d-model-servers', allowed: 'a dashboard uid no other dashboard of the app has', why: expect.stringContaining('ConfigMap llm-d/llm-d-model-servers (test/a/model-servers) and') },
    ]);
  });

  test('names longer than a uid get a uid of their own (a prefix and a hash), not a shared truncation', () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    const long = 'x'.repeat(45);
    const uids = [`${long}-a`, `${long}-b`].map((name, i) => JSON.parse(Object.values(new ServingDashboards(chart, `d${i}`, { name, modelServers: [ms] }).dashboards)[0]).uid as string);
    expect(uids[0]).not.toBe(uids[1]);
    for (const uid of uids) expect(uid).toMatch(/^x{29}-[0-9a-f]{10}$/);
  });
});

describe('the KEDA trigger needs the address of a Prometheus', () => {
  test.each([
    ['', 'KEDA\'s Prometheus trigger needs serverAddress; the stack runs no Prometheus of its own to default to'],
    ['prometheus:9090', 'prometheus: is not HTTP'],
    ['ftp://prometheus:9090', 'ftp: is not HTTP'],
    ['http://user:secret@prometheus:9090', 'credentials would be written into the manifest; give them to KEDA with a TriggerAuthentication'],
    ['http://prometheus:9090/?x=1', 'KEDA appends /api/v1/query?query=... to the address'],
    ['http://prometheus:9090/', 'KEDA appends /api/v1/query, which would start with //'],
  ])('refuses %j', (address, why) => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.keda({ prometheusAddress: address }), maxReplicas: 2 });
    }, [{ path: 'test/a', field: 'engine.prometheusAddress', value: address, allowed: expect.stringContaining('an absolute http:// or https:// URL of the Prometheus API root'), why }]);
  });

  test.each(['http://prometheus-operated.monitoring.svc:9090', 'https://vmselect.example:8481/select/0/prometheus'])('takes %j', (address) => {
    const found = problemsFrom((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.keda({ prometheusAddress: address }), maxReplicas: 2 });
    });
    expect(withField(found, 'engine.prometheusAddress')).toEqual([]);
  });
});

describe('autoscaling behaviour for model servers that start slowly', () => {
  /** The rendered behaviour: the HPA's `behavior`, or the ScaledObject's `advanced.horizontalPodAutoscalerConfig.behavior`. */
  const behaviorOf = (behavior?: AutoscalingBehavior, engine = AutoscalerEngine.hpa(), target?: (chart: Chart) => FuriosaModelService | ModelService, minReplicas?: number) => {
    const { chart } = newChart('llm-d');
    const ms = target ? target(chart) : new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    const a = new ModelServerAutoscaler(chart, 'a', { target: ms, engine, maxReplicas: 4, behavior, minReplicas });
    const spec = a.autoscaler.toJson().spec;
    return { behavior: spec.behavior ?? spec.advanced.horizontalPodAutoscalerConfig.behavior, spec };
  };
  const FURIOSA_DEFAULT = {
    scaleUp: { stabilizationWindowSeconds: 120, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
    scaleDown: { stabilizationWindowSeconds: 1815, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
  };

  test('by default: one pod per 5 minutes after 2 minutes of load; removed after load stayed low as long as the startup probe allows a start (furiosa-llm: 15 s + 60 x 30 s)', () => {
    expect(behaviorOf().behavior).toEqual(FURIOSA_DEFAULT);
    expect(behaviorOf(undefined, KEDA).behavior).toEqual(FURIOSA_DEFAULT);
  });

  test('the scale-down window follows the startup probe, from 10 minutes (also without a probe: vLLM) to an hour', () => {
    const withProbe = (failureThreshold: number) => (chart: Chart) => new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { containers: [{ startupProbe: { httpGet: { path: '/v1/models', port: 8000 }, periodSeconds: 30, failureThreshold } }] } });
    expect(behaviorOf(undefined, AutoscalerEngine.hpa(), withProbe(200)).behavior.scaleDown.stabilizationWindowSeconds).toBe(3600);
    expect(behaviorOf(undefined, AutoscalerEngine.hpa(), withProbe(4)).behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
    expect(behaviorOf(undefined, AutoscalerEngine.hpa(), withProbe(30)).behavior.scaleDown.stabilizationWindowSeconds).toBe(900);
    const vllm = (chart: Chart) => new ModelService(chart, 'ms', { modelArtifacts: MODEL });
    expect(behaviorOf(undefined, AutoscalerEngine.hpa(), vllm).behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
  });

  test.each<[keyof AutoscalingBehavior, number, object]>([
    ['scaleUpStabilizationSeconds', 0, { scaleUp: { ...FURIOSA_DEFAULT.scaleUp, stabilizationWindowSeconds: 0 } }],
    ['scaleUpPods', 2, { scaleUp: { ...FURIOSA_DEFAULT.scaleUp, policies: [{ type: 'Pods', value: 2, periodSeconds: 300 }] } }],
    ['scaleUpPercent', 50, { scaleUp: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }, { type: 'Percent', value: 50, periodSeconds: 300 }] } }],
    ['scaleUpPeriodSeconds', 600, { scaleUp: { ...FURIOSA_DEFAULT.scaleUp, policies: [{ type: 'Pods', value: 1, periodSeconds: 600 }] } }],
    ['scaleDownStabilizationSeconds', 900, { scaleDown: { ...FURIOSA_DEFAULT.scaleDown, stabilizationWindowSeconds: 900 } }],
    ['scaleDownPods', 2, { scaleDown: { ...FURIOSA_DEFAULT.scaleDown, policies: [{ type: 'Pods', value: 2, periodSeconds: 300 }] } }],
    ['scaleDownPeriodSeconds', 60, { scaleDown: { ...FURIOSA_DEFAULT.scaleDown, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }],
  ])('%s: %d', (key, value, changed) => {
    const expected = { ...FURIOSA_DEFAULT, ...changed };
    expect(behaviorOf({ [key]: value }).behavior).toEqual(expected);
    expect(behaviorOf({ [key]: value }, KEDA).behavior).toEqual(expected);
  });

  test.each<[keyof AutoscalingBehavior, number, string]>([
    ['scaleUpStabilizationSeconds', 3601, 'an integer number of seconds from 0 to 3600'],
    ['scaleDownStabilizationSeconds', -1, 'an integer number of seconds from 0 to 3600'],
    ['scaleUpPeriodSeconds', 0, 'an integer number of seconds from 1 to 1800'],
    ['scaleDownPeriodSeconds', 1801, 'an integer number of seconds from 1 to 1800'],
    ['scaleUpPods', 0, 'an integer of 1 or more'],
    ['scaleDownPods', 1.5, 'an integer of 1 or more'],
    ['scaleUpPercent', 0, 'an integer percent of 1 or more'],
  ])('refuses %s %d', (key, value, allowed) => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2, behavior: { [key]: value } });
    }, [{ path: 'test/a', field: `behavior.${key}`, value, allowed }]);
  });

  test('with KEDA scaling to zero, the last pod waits the scale-down window too (cooldownPeriod)', () => {
    expect(behaviorOf(undefined, KEDA, undefined, 0).spec.cooldownPeriod).toBe(1815);
    expect(behaviorOf({ scaleDownStabilizationSeconds: 900 }, KEDA, undefined, 0).spec.cooldownPeriod).toBe(900);
    expect(behaviorOf(undefined, KEDA).spec.cooldownPeriod).toBeUndefined();
  });
});

describe('names that reach a query are Kubernetes names', () => {
  const LABEL = 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit';
  const SUBDOMAIN = 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit';
  test.each<[string, object, string, unknown, string]>([
    ['a Job name that is no DNS-1123 label', { downloaderJobs: ['Bad_Job'] }, 'downloaderJobs[0]', 'Bad_Job', LABEL],
    ['a pool name that is no DNS-1123 subdomain', { pools: [{ poolName: 'a"b', eppName: 'epp' }] }, 'pools[0].poolName', 'a"b', SUBDOMAIN],
    ['an endpoint-picker name that is no DNS-1123 label', { pools: [{ poolName: 'p', eppName: 'e.p' }] }, 'pools[0].eppName', 'e.p', LABEL],
    ['a namespace that is no DNS-1123 label', { namespace: 'Llm-D' }, 'namespace', 'Llm-D', LABEL],
  ])('alerts refuse %s', (_name, props, field, value, allowed) => {
    expectRefusal((chart) => new ServingAlerts(chart, 'alerts', { name: 'a', modelServers: [], ...props }), [{ path: 'test/alerts', field, value, allowed }]);
  });

  test('dashboards refuse a pool name with a $ (Grafana would interpolate it in titles)', () => {
    expectRefusal((chart) => new ServingDashboards(chart, 'd', { name: 'd', modelServers: [], pools: [{ poolName: '$datasource', eppName: 'epp' }] }), [
      { path: 'test/d', field: 'pools[0].poolName', value: '$datasource', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
  });

  test('the pool queue refuses a pool name that is no DNS-1123 subdomain', () => {
    expectRefusal((chart) => {
      const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
      new ModelServerAutoscaler(chart, 'a', { target: ms, engine: KEDA, signal: AutoscalingSignal.poolQueue('x"}', 3), maxReplicas: 2 });
    }, [
      { path: 'test/a', field: 'signal (pool name)', value: 'x"}', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
  });

  test('alerts refuse a `for` that is no PromQL duration (units out of order, repeated)', () => {
    for (const d of ['1s1h', '5m5m']) {
      expectRefusal((chart) => new ServingAlerts(chart, 'alerts', { name: 'a', modelServers: [], thresholds: { for: d } }), [
        { path: 'test/alerts', field: 'thresholds.for', value: d, allowed: 'a Prometheus duration: digits and units y, w, d, h, m, s, ms in this order, each at most once, e.g. "5m" or "1h30m"' },
      ]);
    }
  });
});

describe('each construct lists the series its queries read', () => {
  const build = () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
    const pool = new InferenceSchedulerPool(chart, 'gaie', {}).addModelServer(ms);
    return { chart, ms, pool };
  };

  test('ServingAlerts: one consumer per rule, in order, naming the rule, the alert and its subject', () => {
    const { chart, ms, pool } = build();
    const alerts = new ServingAlerts(chart, 'alerts', { name: 'llm-d-serving', modelServers: [ms], pools: [pool], downloaderJobs: ['dl'] });
    const rules = alerts.rule.toJson().spec.groups[0].rules as Array<{ alert: string; expr: string }>;
    expect(alerts.seriesConsumers.map((c) => c.query)).toEqual(rules.map((r) => r.expr));
    expect(alerts.seriesConsumers.map((c) => c.field)).toEqual(rules.map((_r, i) => `spec.groups[0].rules[${i}].expr`));
    expect(alerts.seriesConsumers.map((c) => [c.consumer, c.series])).toEqual([
      ['PrometheusRule llm-d/llm-d-serving/ModelServerDown (ms-llm-d-modelservice-decode)', ['kube_deployment_status_replicas_available']],
      ['PrometheusRule llm-d/llm-d-serving/ModelServerNotReady (ms-llm-d-modelservice-decode)', ['kube_deployment_status_replicas_available', 'kube_deployment_spec_replicas']],
      ['PrometheusRule llm-d/llm-d-serving/ModelServerQueueGrowing (ms-llm-d-modelservice-decode)', ['furiosa_llm_num_requests_waiting']],
      ['PrometheusRule llm-d/llm-d-serving/ModelServerKVCacheSaturated (ms-llm-d-modelservice-decode)', ['furiosa_llm_kv_cache_usage_percent']],
      ['PrometheusRule llm-d/llm-d-serving/EndpointPickerNotReady (gaie)', ['kube_deployment_status_replicas_available']],
      ['PrometheusRule llm-d/llm-d-serving/EndpointPickerErrors (gaie)', ['inference_objective_request_error_total', 'inference_objective_request_total']],
      ['PrometheusRule llm-d/llm-d-serving/InferencePoolNoReadyEndpoints (gaie)', ['inference_pool_ready_pods']],
      ['PrometheusRule llm-d/llm-d-serving/ModelDownloaderFailed (dl)', ['kube_job_status_failed']],
    ]);
    expect(alerts.seriesConsumers[0].object).toEqual({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', namespace: 'llm-d', name: 'llm-d-serving' });
  });

  test('ServingDashboards: one consumer per panel target', () => {
    const { chart, ms, pool } = build();
    const dash = new ServingDashboards(chart, 'dash', { name: 'llm-d', modelServers: [ms], pools: [pool] });
    const exprs = Object.values(dash.dashboards).flatMap((d) => (JSON.parse(d).panels as Array<{ targets: Array<{ expr: string }> }>).flatMap((p) => p.targets.map((t) => t.expr)));
    expect(dash.seriesConsumers.map((c) => c.query)).toEqual(exprs);
    expect(dash.seriesConsumers[0]).toEqual({
      consumer: 'ConfigMap llm-d/llm-d-model-servers/ms-llm-d-modelservice-decode: requests running and waiting/A',
      object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'llm-d', name: 'llm-d-model-servers' },
      field: 'data["llm-d-model-servers.json"].panels[0].targets[0].expr',
      query: 'sum(furiosa_llm_num_requests_running{namespace="llm-d",pod=~"ms-llm-d-modelservice-decode-.*"})',
      series: ['furiosa_llm_num_requests_running'],
    });
    expect(dash.seriesConsumers.find((c) => c.query.startsWith('histogram_quantile'))!.series).toEqual(['inference_objective_request_duration_seconds_bucket']);
    // Every series a consumer names is one its query reads, as an independent reader finds them.
    for (const c of dash.seriesConsumers) expect(parsePromQL(c.query)).toBeDefined();
  });

  test('ModelServerAutoscaler: the KEDA query, or the HPA\'s Pods metric', () => {
    const { chart, ms, pool } = build();
    const keda = new ModelServerAutoscaler(chart, 'keda', { target: ms, engine: KEDA, signal: AutoscalingSignal.poolQueue(pool, 3), maxReplicas: 2 });
    expect(keda.seriesConsumers).toEqual([{
      consumer: 'ScaledObject llm-d/ms-llm-d-modelservice-decode/triggers[0]',
      object: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', namespace: 'llm-d', name: 'ms-llm-d-modelservice-decode' },
      field: 'spec.triggers[0].metadata.query',
      query: 'inference_pool_average_queue_size{name="gaie"}',
      series: ['inference_pool_average_queue_size'],
    }]);
    const { chart: c2, ms: ms2 } = build();
    const hpa = new ModelServerAutoscaler(c2, 'hpa', { target: ms2, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
    expect(hpa.seriesConsumers.map((c) => [c.consumer, c.field, c.series])).toEqual([['HorizontalPodAutoscaler llm-d/ms-llm-d-modelservice-decode/metrics[0]', 'spec.metrics[0].pods.metric.name', ['furiosa_llm_num_requests_waiting']]]);
  });
});

test('conflictReports: pairs of objects no operations construct made, at the later object (for an app-wide pass)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { conflictReports } = require('../../src/system/conflicts') as typeof import('../../src/system/conflicts');
  const { chart } = newChart('llm-d');
  const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  new ModelServerAutoscaler(chart, 'ours', { target: ms, engine: AutoscalerEngine.hpa(), maxReplicas: 2 });
  const hpa = (id: string) => new ApiObject(chart, id, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: id }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 2 } });
  hpa('one');
  hpa('two');
  expect(conflictReports(chart.node.findAll())).toEqual([expect.objectContaining({ path: 'test/two', field: 'metadata.name', value: 'Deployment llm-d/web' })]);
});
