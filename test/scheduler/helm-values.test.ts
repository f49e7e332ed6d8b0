import { PoolProvider } from '../../src/scheduler';
import { inferencePoolPropsFromValues, inferenceSchedulerPoolFromHelmValues } from '../../src/helm';
import { ExpectedProblem, expectRefusal, newChart, objectOf, synth } from '../support';

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

/** Reads the values, as a refusal test's subject. */
const errorOf = (values: Record<string, unknown>) => () => inferencePoolPropsFromValues(values, CTX);

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
  it.each<[string, Record<string, unknown>, ExpectedProblem[]]>([
    ['unknown key', withBase({ inferenceExtension: { replica: 2 } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.replica', value: 2, allowed: expect.stringContaining('one of the chart\'s keys here: replicas, image, extProcPort,'), why: 'unknown key; did you mean "replicas"?' }]],
    ['wrong type', withBase({ inferenceExtension: { replicas: 'two' } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.replicas', value: 'two', allowed: 'an integer' }]],
    ['wrong nested type', withBase({ inferenceExtension: { monitoring: { prometheus: { enabled: 'yes' } } } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.monitoring.prometheus.enabled', value: 'yes', allowed: 'true or false' }]],
    ['missing matchLabels', {}, [{ path: 'values (inferencepool chart, release gaie)', field: 'inferencePool.modelServers.matchLabels', value: undefined, allowed: 'a map of the model-server pod labels', why: 'required: the pool must select its model servers' }]],
    ['latency predictor', withBase({ inferenceExtension: { latencyPredictor: { enabled: true } } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.latencyPredictor.enabled', value: true, allowed: 'false', why: expect.stringContaining('the latency-predictor sidecars (a training server and N prediction') }]],
    ['sidecar', withBase({ inferenceExtension: { sidecar: { enabled: true, name: 's', image: 'x' } } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.sidecar.enabled', value: true, allowed: 'false', why: 'the generic EPP sidecar (templated args, its own ConfigMap) is not supported by InferenceSchedulerPool' }]],
    ['HTTPRoute', withBase({ experimentalHttpRoute: { enabled: true } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'experimentalHttpRoute.enabled', value: true, allowed: 'false', why: expect.stringContaining('the chart\'s experimental HTTPRoute is not rendered here: route to the') }]],
    ['apiVersion', withBase({ inferencePool: { apiVersion: 'v2' } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferencePool.apiVersion', value: 'v2', allowed: 'inference.networking.k8s.io/v1, inference.networking.x-k8s.io/v1alpha2' }]],
    ['provider', withBase({ provider: { name: 'Istio' } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'provider.name', value: 'Istio', allowed: 'gke, istio, or one of none, kgateway, agentgateway, nginx, envoy, envoy-gateway (no provider objects)', why: 'the chart matches "istio" case-sensitively and renders nothing for other names' }]],
    ['modelServerType', withBase({ inferencePool: { modelServerType: 'sglang' } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferencePool.modelServerType', value: 'sglang', allowed: 'vllm, triton-tensorrt-llm' }]],
    ['trafficPolicy keys the chart drops', withBase({ provider: { istio: { destinationRule: { trafficPolicy: { loadBalancer: {} } } } } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'provider.istio.destinationRule.trafficPolicy.loadBalancer', value: {}, allowed: 'one of the chart\'s keys here: connectionPool', why: 'unknown key' }]],
    ['pullPolicy', withBase({ inferenceExtension: { image: { pullPolicy: 'Sometimes' } } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.image.pullPolicy', value: 'Sometimes', allowed: 'Always, IfNotPresent, Never' }]],
    ['flag value map', withBase({ inferenceExtension: { flags: { x: { y: 1 } } } }), [{ path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.flags.x', value: { y: 1 }, allowed: 'a string, number or boolean' }]],
  ])('%s', (_name, values, expected) => {
    expectRefusal(errorOf(values), expected);
  });

  it('lists every problem at once', () => {
    expectRefusal(errorOf({ inferenceExtension: { replica: 2, latencyPredictor: { enabled: true } } }), [
      { path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.replica', value: 2, allowed: expect.stringContaining('one of the chart\'s keys here: replicas, image, extProcPort,') },
      { path: 'values (inferencepool chart, release gaie)', field: 'inferenceExtension.latencyPredictor.enabled', value: true, allowed: 'false' },
      { path: 'values (inferencepool chart, release gaie)', field: 'inferencePool.modelServers.matchLabels', value: undefined, allowed: 'a map of the model-server pod labels' },
    ]);
  });

  it('bad values the construct checks are reported at synth', () => {
    expectRefusal((chart) => inferenceSchedulerPoolFromHelmValues(chart, 'gaie', withBase({ inferenceExtension: { pluginsConfigFile: 'plugins-v2.yaml' } }), CTX), [
      { path: 'test/gaie', field: 'epp.configFile', value: 'plugins-v2.yaml', allowed: 'a file of the EPP ConfigMap: default-plugins.yaml', why: '/config is the ConfigMap volume; the EPP would not start' },
    ]);
  });
});
