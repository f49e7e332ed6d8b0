import { PoolProvider } from '../../src/scheduler';
import { LlmdValidationError } from '../../src/core/errors';
import { inferencePoolPropsFromValues, inferenceSchedulerPoolFromHelmValues } from '../../src/helm';
import { newChart, objectOf, synth } from '../support';

const CTX = { release: 'gaie', namespace: 'llm-d' };
const BASE = { inferencePool: { modelServers: { matchLabels: { 'llm-d.ai/inferenceServing': 'true' } } } };

function withBase(values: Record<string, any>): Record<string, unknown> {
  return { ...values, inferencePool: { ...BASE.inferencePool, ...(values.inferencePool ?? {}) } };
}

function objects(values: Record<string, any>): Record<string, unknown>[] {
  const { chart } = newChart('llm-d');
  inferenceSchedulerPoolFromHelmValues(chart, 'gaie', withBase(values), CTX);
  return synth(chart);
}

function errorOf(values: Record<string, unknown>): string {
  try {
    inferencePoolPropsFromValues(values, CTX);
  } catch (e) {
    expect(e).toBeInstanceOf(LlmdValidationError);
    return (e as Error).message;
  }
  throw new Error('expected the values to be refused');
}

const args = (objs: Record<string, unknown>[]): string[] => objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec.containers[0].args;

describe('inferencepool values → props', () => {
  it('applies the chart defaults', () => {
    const props = inferencePoolPropsFromValues(BASE, CTX);
    expect(props).toMatchObject({
      name: 'gaie',
      namespace: 'llm-d',
      apiVersion: 'inference.networking.k8s.io/v1',
      selector: { 'llm-d.ai/inferenceServing': 'true' },
      targetPorts: [8000],
      provider: PoolProvider.none(),
      monitoring: { enabled: false, interval: '10s', auth: true, metricsSecretName: 'inference-gateway-sa-metrics-reader-secret' },
      epp: {
        replicas: 1,
        image: { hub: 'registry.k8s.io/gateway-api-inference-extension', name: 'epp', tag: 'v1.3.0', pullPolicy: 'Always' },
        extProcPort: 9002,
        configFile: 'default-plugins.yaml',
        flags: { v: '1' },
      },
    });
    expect(props.epp?.metricsPreset).toBeUndefined();
  });

  it('props are plain data (printable by convert)', () => {
    const props = inferencePoolPropsFromValues(BASE, CTX);
    expect(JSON.parse(JSON.stringify(props))).toEqual(props);
  });

  it('flags render sorted by key, numbers like Go, null removes a default', () => {
    expect(args(objects({ inferenceExtension: { flags: { zeta: 'z', alpha: 1000000, v: 3, 'enable-pprof': true } } })).slice(10)).toEqual([
      '--alpha', '1e+06', '--enable-pprof', 'true', '--v', '3', '--zeta', 'z', '--tracing=false',
    ]);
    expect(args(objects({ inferenceExtension: { flags: { v: null } } })).slice(10)).toEqual(['--tracing=false']);
    expect(args(objects({ inferenceExtension: { flags: null } })).slice(10)).toEqual(['--tracing=false']);
  });

  it('modelServerType triton-tensorrt-llm', () => {
    expect(args(objects({ inferencePool: { modelServerType: 'triton-tensorrt-llm' } }))).toContain('nv_trt_llm_request_metrics{request_type=waiting}');
  });

  it('v1alpha2 uses targetPortNumber and failureMode', () => {
    const objs = objects({ inferencePool: { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPortNumber: 8200 }, inferenceExtension: { failureMode: 'FailOpen' } });
    expect(objectOf(objs, 'InferencePool', 'gaie').spec).toEqual({
      targetPortNumber: 8200,
      selector: { 'llm-d.ai/inferenceServing': 'true' },
      extensionRef: { name: 'gaie-epp', portNumber: 9002, failureMode: 'FailOpen' },
    });
  });

  it('matchLabels values are quoted like the chart', () => {
    const props = inferencePoolPropsFromValues({ inferencePool: { modelServers: { matchLabels: { a: true, b: 1 } } } }, CTX);
    expect(props.selector).toEqual({ a: 'true', b: '1' });
  });

  it('provider gke uses targetPortNumber for the health check and a release-scoped Secret', () => {
    const objs = objects({ provider: { name: 'GKE', gke: { autopilot: true } }, inferencePool: { targetPortNumber: 8100 }, inferenceExtension: { monitoring: { prometheus: { enabled: true } } } });
    expect(objectOf(objs, 'HealthCheckPolicy', 'gaie').spec.default.config.httpHealthCheck.port).toBe(8100);
    expect(objectOf(objs, 'Secret', 'gaie-metrics-reader-secret').type).toBe('kubernetes.io/service-account-token');
    expect(objectOf(objs, 'RoleBinding', 'gke-gmp-system:collector:llm-d-gaie-metrics-reader-secret-read').subjects[0].namespace).toBe('gke-gmp-system');
  });

  it('istio: provider.istio wins over the legacy istio key, which applies only when provider.istio is null', () => {
    const legacy = { istio: { destinationRule: { host: 'legacy.example' } } };
    expect(objectOf(objects({ provider: { name: 'istio' }, ...legacy }), 'DestinationRule', 'gaie-epp').spec.host).toBe('gaie-epp.llm-d.svc.cluster.local');
    expect(objectOf(objects({ provider: { name: 'istio', istio: null }, ...legacy }), 'DestinationRule', 'gaie-epp').spec.host).toBe('legacy.example');
    const pool = { http: { maxRequestsPerConnection: 256000 } };
    expect(objectOf(objects({ provider: { name: 'istio', istio: { destinationRule: { trafficPolicy: { connectionPool: pool } } } } }), 'DestinationRule', 'gaie-epp').spec.trafficPolicy.connectionPool).toEqual(pool);
  });

  it('pluginsCustomConfig files land in the ConfigMap verbatim', () => {
    const text = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: custom-scorer\n  parameters:\n    custom-threshold: 64\nschedulingProfiles:\n- name: default\n  plugins:\n  - pluginRef: custom-scorer\n';
    const objs = objects({ inferenceExtension: { pluginsConfigFile: 'custom-plugins.yaml', pluginsCustomConfig: { 'custom-plugins.yaml': text } } });
    expect(objectOf(objs, 'ConfigMap', 'gaie-epp').data['custom-plugins.yaml']).toBe(text);
    expect(args(objs)).toContain('/config/custom-plugins.yaml');
  });

  it('monitoring.secret.name is accepted and ignored like the chart does; auth.secretName names Secret and ServiceMonitor', () => {
    const objs = objects({ inferenceExtension: { monitoring: { secret: { name: 'ignored' }, prometheus: { enabled: true, auth: { secretName: 'mine' } } } } });
    expect(objs.some((o) => (o.metadata as any).name === 'ignored')).toBe(false);
    expect(objectOf(objs, 'Secret', 'mine')).toBeDefined();
    expect(objectOf(objs, 'ServiceMonitor', 'gaie-epp-monitor').spec.endpoints[0].authorization.credentials.name).toBe('mine');
  });

  it('tracing, env, extra ports and volumes pass through', () => {
    const objs = objects({
      inferenceExtension: {
        tracing: { enabled: true, sampling: { samplerArg: 0.2 } },
        env: [{ name: 'X', value: 'y' }],
        extraContainerPorts: [{ name: 'zmq', containerPort: 5557, protocol: 'TCP' }],
        extraServicePorts: [{ name: 'zmq', port: 5557, protocol: 'TCP' }],
        volumes: [{ name: 'v', emptyDir: {} }],
        volumeMounts: [{ name: 'v', mountPath: '/v' }],
      },
    });
    const c = objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec.containers[0];
    expect(c.env.find((e: any) => e.name === 'OTEL_TRACES_SAMPLER_ARG').value).toBe('0.2');
    expect(c.env.at(-1)).toEqual({ name: 'X', value: 'y' });
    expect(c.ports.at(-1)).toEqual({ name: 'zmq', containerPort: 5557, protocol: 'TCP' });
    expect(objectOf(objs, 'Service', 'gaie-epp').spec.ports.at(-1)).toEqual({ name: 'zmq', port: 5557, protocol: 'TCP' });
  });
});

describe('refused values', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['unknown key', withBase({ inferenceExtension: { replica: 2 } }), 'inferenceExtension.replica: value 2 is not allowed (unknown key; did you mean "replicas"?); allowed: one of the chart\'s keys here: replicas,'],
    ['wrong type', withBase({ inferenceExtension: { replicas: 'two' } }), 'inferenceExtension.replicas: value "two" is not allowed; allowed: an integer'],
    ['wrong nested type', withBase({ inferenceExtension: { monitoring: { prometheus: { enabled: 'yes' } } } }), 'inferenceExtension.monitoring.prometheus.enabled: value "yes" is not allowed; allowed: true or false'],
    ['missing matchLabels', {}, 'inferencePool.modelServers.matchLabels: value undefined is not allowed (required: the pool must select its model servers)'],
    ['latency predictor', withBase({ inferenceExtension: { latencyPredictor: { enabled: true } } }), 'inferenceExtension.latencyPredictor.enabled: value true is not allowed (the latency-predictor sidecars'],
    ['sidecar', withBase({ inferenceExtension: { sidecar: { enabled: true, name: 's', image: 'x' } } }), 'inferenceExtension.sidecar.enabled: value true is not allowed'],
    ['HTTPRoute', withBase({ experimentalHttpRoute: { enabled: true } }), 'experimentalHttpRoute.enabled: value true is not allowed (the chart\'s experimental HTTPRoute is not rendered here: route to the pool with the InferenceRoute construct'],
    ['apiVersion', withBase({ inferencePool: { apiVersion: 'v2' } }), 'inferencePool.apiVersion: value "v2" is not allowed; allowed: inference.networking.k8s.io/v1, inference.networking.x-k8s.io/v1alpha2'],
    ['provider', withBase({ provider: { name: 'Istio' } }), 'provider.name: value "Istio" is not allowed (the chart matches "istio" case-sensitively'],
    ['modelServerType', withBase({ inferencePool: { modelServerType: 'sglang' } }), 'inferencePool.modelServerType: value "sglang" is not allowed; allowed: vllm, triton-tensorrt-llm'],
    ['trafficPolicy keys the chart drops', withBase({ provider: { istio: { destinationRule: { trafficPolicy: { loadBalancer: {} } } } } }), 'provider.istio.destinationRule.trafficPolicy.loadBalancer: value {} is not allowed (unknown key); allowed: one of the chart\'s keys here: connectionPool'],
    ['pullPolicy', withBase({ inferenceExtension: { image: { pullPolicy: 'Sometimes' } } }), 'inferenceExtension.image.pullPolicy: value "Sometimes" is not allowed; allowed: Always, IfNotPresent, Never'],
    ['flag value map', withBase({ inferenceExtension: { flags: { x: { y: 1 } } } }), 'inferenceExtension.flags.x: value {"y":1} is not allowed; allowed: a string, number or boolean'],
  ])('%s', (_name, values, message) => {
    expect(errorOf(values)).toContain(message);
  });

  it('lists every problem at once', () => {
    const msg = errorOf({ inferenceExtension: { replica: 2, latencyPredictor: { enabled: true } } });
    expect(msg).toMatch(/3 problem\(s\)/);
  });

  it('bad values the construct checks are reported at synth', () => {
    const { chart } = newChart('llm-d');
    inferenceSchedulerPoolFromHelmValues(chart, 'gaie', withBase({ inferenceExtension: { pluginsConfigFile: 'plugins-v2.yaml' } }), CTX);
    expect(() => synth(chart)).toThrow(/epp\.configFile: value "plugins-v2.yaml" is not allowed/);
  });
});
