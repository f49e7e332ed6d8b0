/**
 * SchedulerRelease on InferenceSchedulerPool: what llm-d-router v0.10 renders differently from the
 * guide pins (one test per option), and what each release refuses (asserted on the structured
 * problem: field, value, allowed).
 */
import { structuredProblems } from '../../src/core/errors';
import { EndpointPickerConfig, FURIOSA_ENGINE_CONFIG, InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider, SchedulerRelease } from '../../src/scheduler';
import { newChart, objectOf, synth } from '../support';
import { fakeFuriosaServer, vllmServer } from './fixtures';
import { parse } from 'yaml';

const SELECTOR = { 'llm-d.ai/inferenceServing': 'true' };
const ROUTER = SchedulerRelease.LLM_D_ROUTER_V0_10;

function build(props: InferenceSchedulerPoolProps, setup?: (p: InferenceSchedulerPool) => void): Record<string, any>[] {
  const { chart } = newChart('llm-d');
  const pool = new InferenceSchedulerPool(chart, 'gaie', props);
  setup?.(pool);
  return synth(chart);
}

function problems(props: InferenceSchedulerPoolProps, setup?: (p: InferenceSchedulerPool) => void): Array<{ field?: string; value?: unknown; allowed?: string; why?: string }> {
  const { chart } = newChart('llm-d');
  const pool = new InferenceSchedulerPool(chart, 'gaie', props);
  setup?.(pool);
  return structuredProblems(pool).map((p) => ({ field: p.field, value: p.value, allowed: p.allowed, why: p.why }));
}

const eppArgs = (objs: Record<string, any>[]): string[] => objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec.containers.find((c: any) => c.name === 'epp').args;
const configOf = (objs: Record<string, any>[], file = 'default-plugins.yaml'): any => parse(objectOf(objs, 'ConfigMap', 'gaie-epp').data[file]);

describe('SchedulerRelease.LLM_D_ROUTER_V0_10 rendering', () => {
  it('defaults to the guide pins (the seed output is unchanged)', () => {
    const objs = build({ selector: SELECTOR });
    expect(objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec.containers[0].image).toBe('registry.k8s.io/gateway-api-inference-extension/epp:v1.3.0');
    expect(configOf(objs).apiVersion).toBe('inference.networking.x-k8s.io/v1alpha1');
    expect(objs.filter((o) => o.kind === 'Role').map((o) => o.metadata.name)).toEqual(['gaie-epp']);
  });

  it('uses the v0.10 image, config apiVersion, split Roles, mode labels and version label', () => {
    const objs = build({ selector: SELECTOR, release: ROUTER });
    const dep = objectOf(objs, 'Deployment', 'gaie-epp');
    expect(dep.spec.template.spec.containers[0].image).toBe('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0');
    expect(dep.spec.selector.matchLabels).toEqual({ 'llm-d-router-gateway': 'gaie-epp' });
    expect(dep.spec.template.metadata.labels['llm-d.ai/igw-mode']).toBe('llm-d-router-gateway');
    expect(dep.metadata.labels['app.kubernetes.io/version']).toBe('v0.10.0');
    expect(configOf(objs).apiVersion).toBe('llm-d.ai/v1alpha1');
    expect(Object.keys(objectOf(objs, 'ConfigMap', 'gaie-epp').data)).toEqual(['default-plugins.yaml', 'payload-agnostic.yaml']);
    expect(objs.filter((o) => o.kind === 'Role').map((o) => o.metadata.name).sort()).toEqual(['gaie-epp-non-sa', 'gaie-epp-sa']);
    expect(dep.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '8', memory: '8Gi' }, limits: { memory: '16Gi' } });
  });

  it('renders the InferencePool appProtocol and failureMode', () => {
    const pool = objectOf(build({ selector: SELECTOR, release: ROUTER, modelServerProtocol: 'grpc' }), 'InferencePool');
    expect(pool.spec.appProtocol).toBe('kubernetes.io/h2c');
    expect(pool.spec.endpointPickerRef.failureMode).toBe('FailOpen');
    expect(objectOf(build({ selector: SELECTOR, release: ROUTER }), 'InferencePool').spec.appProtocol).toBe('http');
  });

  it('derives the Furiosa metric names into core-metrics-extractor engineConfigs instead of flags', () => {
    const objs = build({ release: ROUTER }, (p) => p.addModelServer(fakeFuriosaServer));
    expect(eppArgs(objs).some((a) => a.includes('metric'))).toBe(false);
    const extractor = configOf(objs).plugins.find((p: any) => p.type === 'core-metrics-extractor');
    expect(extractor.parameters).toEqual({ defaultEngine: 'furiosa-llm', engineConfigs: [FURIOSA_ENGINE_CONFIG] });
  });

  it('adds the engine config to a typed config of the user too', () => {
    const config = new EndpointPickerConfig().addPlugin({ type: 'queue-scorer' }).addProfile('default', [{ pluginRef: 'queue-scorer' }]);
    const objs = build({ release: ROUTER, epp: { config } }, (p) => p.addModelServer(fakeFuriosaServer));
    const cfg = configOf(objs, 'custom-plugins.yaml');
    expect(cfg.plugins.map((p: any) => p.type)).toEqual(['queue-scorer', 'core-metrics-extractor']);
    expect(cfg.plugins[1].parameters.defaultEngine).toBe('furiosa-llm');
  });

  it('renders flags as --key=value in key order (integers in plain digits, as Go ParseInt reads them), the grpc health port, and metrics-endpoint-auth', () => {
    const args = eppArgs(build({ selector: SELECTOR, release: ROUTER, epp: { flags: { v: 2, 'b-flag': true, 'a-flag': 1000000 }, grpcHealthPort: 9005 }, monitoring: { auth: false } }));
    expect(args.slice(args.indexOf('--grpc-health-port'))).toEqual(['--grpc-health-port', '9005', '--a-flag=1000000', '--b-flag=true', '--v=2', '--tracing=false', '--metrics-endpoint-auth=false']);
  });

  it('names the parsers in requestHandler, vllmgrpc-parser for gRPC vLLM servers', () => {
    expect(configOf(build({ selector: SELECTOR, release: ROUTER, modelServerProtocol: 'grpc' })).requestHandler).toEqual({ parsers: [{ pluginRef: 'vllmgrpc-parser' }] });
    expect(configOf(build({ selector: SELECTOR, release: ROUTER, epp: { parsers: ['openai-parser'] } })).requestHandler).toEqual({ parsers: [{ pluginRef: 'openai-parser' }] });
  });

  it('metricsDataSource and pod annotations', () => {
    const objs = build({ selector: SELECTOR, release: ROUTER, epp: { metricsDataSource: { scheme: 'https', path: '/m' }, podAnnotations: { a: 'b' } } });
    expect(configOf(objs).plugins.find((p: any) => p.type === 'metrics-data-source').parameters).toEqual({ scheme: 'https', path: '/m', insecureSkipVerify: true });
    expect(objectOf(objs, 'Deployment', 'gaie-epp').spec.template.metadata.annotations).toEqual({ a: 'b' });
  });

  it('InferenceObjectives in the release group', () => {
    const o = objectOf(build({ selector: SELECTOR, release: ROUTER, inferenceObjectives: [{ name: 'high', priority: 5 }] }), 'InferenceObjective');
    expect(o.apiVersion).toBe('llm-d.ai/v1alpha2');
    expect(o.spec).toEqual({ priority: 5, poolRef: { group: 'inference.networking.k8s.io', name: 'gaie' } });
    expect(objectOf(build({ selector: SELECTOR, inferenceObjectives: [{ name: 'high', priority: 5 }] }), 'InferenceObjective').apiVersion).toBe('inference.networking.x-k8s.io/v1alpha2');
  });
});

describe('standalone mode', () => {
  it('sidecar: Envoy in the EPP pod, --endpoint-selector, no InferencePool, an http Service port', () => {
    const objs = build({ selector: { app: 'm', role: 'decode' }, targetPorts: [8200], release: ROUTER, standalone: {} });
    expect(objs.find((o) => o.kind === 'InferencePool')).toBeUndefined();
    const dep = objectOf(objs, 'Deployment', 'gaie-epp');
    expect(dep.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['envoy-proxy', 'epp']);
    expect(dep.spec.selector.matchLabels).toEqual({ 'llm-d-router-standalone': 'gaie-epp' });
    const args = eppArgs(objs);
    expect(args.slice(0, 4)).toEqual(['--endpoint-selector', 'app=m,role=decode', '--endpoint-target-ports', '8200']);
    expect(objectOf(objs, 'Service', 'gaie-epp').spec.ports.find((p: any) => p.name === 'http')).toEqual({ name: 'http', port: 8081, protocol: 'TCP', targetPort: 8081 });
    const envoy = parse(objectOf(objs, 'ConfigMap', 'gaie-epp-envoy').data['envoy.yaml']);
    expect(envoy.static_resources.clusters[2].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).toBe('127.0.0.1');
    expect(objs.filter((o) => o.kind === 'Role').map((o) => o.metadata.name)).toEqual(['gaie-epp-sa']);
  });

  it('service mode: a proxy Deployment and Service reaching the EPP Service over DNS', () => {
    const objs = build({ selector: SELECTOR, release: ROUTER, standalone: { proxyMode: 'service', proxyReplicas: 3, failOpen: false } });
    expect(objectOf(objs, 'Deployment', 'gaie-proxy').spec.replicas).toBe(3);
    expect(objectOf(objs, 'Service', 'gaie-proxy').spec.ports).toEqual([{ name: 'http', port: 8081, protocol: 'TCP', targetPort: 8081 }]);
    const envoy = parse(objectOf(objs, 'ConfigMap', 'gaie-epp-envoy').data['envoy.yaml']);
    const extProc = envoy.static_resources.clusters[2];
    expect(extProc.type).toBe('STRICT_DNS');
    expect(extProc.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).toBe('gaie-epp.llm-d.svc.cluster.local');
    expect(envoy.static_resources.listeners[1].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.failure_mode_allow).toBe(false);
    expect(objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['epp']);
  });

  it('secure-serving=false drops the TLS of the ext_proc cluster; inferencePool: true keeps the pool', () => {
    const objs = build({ selector: SELECTOR, release: ROUTER, epp: { flags: { 'secure-serving': false } }, standalone: { inferencePool: true } });
    const extProc = parse(objectOf(objs, 'ConfigMap', 'gaie-epp-envoy').data['envoy.yaml']).static_resources.clusters[2];
    expect(extProc.transport_socket).toBeUndefined();
    expect(objectOf(objs, 'InferencePool').metadata.name).toBe('gaie');
  });
});

describe('refused by release', () => {
  it('a *-metric flag with llm-d-router', () => {
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { flags: { 'kv-cache-usage-percentage-metric': 'x' } } })).toEqual([
      expect.objectContaining({ field: 'epp.flags.kv-cache-usage-percentage-metric', value: 'x', allowed: 'no *-metric flag' }),
    ]);
  });

  it('a v0.5.0 inference-scheduler image with the llm-d-router release, and an llm-d-router image with the guide pins', () => {
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { image: { hub: 'ghcr.io/llm-d', name: 'llm-d-inference-scheduler', tag: 'v0.5.0' } } })[0]).toMatchObject({
      field: 'epp.image', value: 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.5.0',
    });
    const guide = problems({ selector: SELECTOR, epp: { image: { hub: 'ghcr.io/llm-d', name: 'llm-d-router-endpoint-picker', tag: 'v0.10.0' } } }, (p) => p.addModelServer(fakeFuriosaServer));
    expect(guide.map((p) => p.field)).toEqual(['epp.image']);
    expect(guide[0].why).toContain('SchedulerRelease.LLM_D_ROUTER_V0_10');
  });

  it('a config file in the other release\'s apiVersion', () => {
    const text = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\nschedulingProfiles:\n- name: default\n  plugins:\n  - pluginRef: queue-scorer\n';
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { customConfigFiles: { 'c.yaml': text }, configFile: 'c.yaml' } })).toEqual([
      expect.objectContaining({ field: 'epp.customConfigFiles.c.yaml.apiVersion', value: 'inference.networking.x-k8s.io/v1alpha1', allowed: 'llm-d.ai/v1alpha1' }),
    ]);
  });

  it('a renamed plugin, with its replacement named', () => {
    const config = new EndpointPickerConfig().addPlugin({ type: 'by-label-selector', parameters: { matchLabels: { a: 'b' } } }).addProfile('default', [{ pluginRef: 'by-label-selector' }]);
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { config } })).toEqual([
      expect.objectContaining({ field: 'epp.config.plugins[0].type', value: 'by-label-selector', allowed: 'label-selector-filter' }),
    ]);
    const pd = EndpointPickerConfig.prefillDecode();
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { config: pd } }).map((p) => [p.field, p.allowed])).toEqual([
      ['epp.config.plugins[0].type', 'disagg-profile-handler (it sets the prefill header itself)'],
      ['epp.config.plugins[1].parameters.hashBlockSize', 'the parameter on an approx-prefix-cache-producer plugin'],
      ['epp.config.plugins[5].type', 'disagg-profile-handler with a decider (always-disagg-pd-decider or prefix-based-pd-decider)'],
    ]);
  });

  it('a plugin type the release does not register', () => {
    const config = new EndpointPickerConfig().addPlugin({ type: 'approx-prefix-cache-producer' }).addProfile('default', []);
    expect(problems({ selector: SELECTOR, epp: { config } })).toEqual([expect.objectContaining({ field: 'epp.config.plugins[0].type', value: 'approx-prefix-cache-producer' })]);
  });

  it('a defaultEngine with no engine config', () => {
    const config = new EndpointPickerConfig().addPlugin({ type: 'core-metrics-extractor', parameters: { defaultEngine: 'furiosa-llm' } }).addPlugin({ type: 'queue-scorer' }).addProfile('default', [{ pluginRef: 'queue-scorer' }]);
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { config } })).toEqual([
      expect.objectContaining({ field: 'epp.config.plugins[0].parameters.defaultEngine', value: 'furiosa-llm' }),
    ]);
  });

  it('EPP resources without CPU or memory requests with llm-d-router', () => {
    expect(problems({ selector: SELECTOR, release: ROUTER, epp: { resources: { limits: { memory: '1Gi' } } } }).map((p) => p.field)).toEqual(['epp.resources.requests.cpu', 'epp.resources.requests.memory']);
  });

  it('standalone, grpc and llm-d-router EPP options with the guide pins', () => {
    expect(problems({ selector: SELECTOR, standalone: {}, modelServerProtocol: 'grpc', epp: { grpcHealthPort: 9005 } }).map((p) => p.field)).toEqual(['standalone', 'modelServerProtocol', 'epp.grpcHealthPort']);
  });

  it('a v1alpha2 pool with llm-d-router', () => {
    expect(problems({ selector: SELECTOR, release: ROUTER, apiVersion: 'inference.networking.x-k8s.io/v1alpha2' })).toEqual([
      expect.objectContaining({ field: 'apiVersion', value: 'inference.networking.x-k8s.io/v1alpha2', allowed: 'inference.networking.k8s.io/v1' }),
    ]);
  });

  it('standalone options out of range, objectives without a pool', () => {
    const got = problems({ selector: SELECTOR, release: ROUTER, standalone: { proxyMode: 'mesh' as 'service', proxyReplicas: 0, servicePort: 70000 }, inferenceObjectives: [{ name: 'a', priority: 1 }] });
    expect(got.map((p) => p.field)).toEqual(['standalone.proxyMode', 'standalone.proxyReplicas', 'standalone.servicePort', 'inferenceObjectives']);
  });

  it('a release that is not a SchedulerRelease', () => {
    expect(problems({ selector: SELECTOR, release: 'v0.10' as unknown as SchedulerRelease })[0]).toMatchObject({ field: 'release', value: 'v0.10' });
  });

  it('a sglang preset with the guide pins', () => {
    expect(problems({ selector: SELECTOR, epp: { metricsPreset: 'sglang' } })).toEqual([expect.objectContaining({ field: 'epp.metricsPreset', value: 'sglang' })]);
  });

  it('the seed scorer setup and P/D are valid for llm-d-router', () => {
    expect(problems({ release: ROUTER, epp: { config: EndpointPickerConfig.routerPrefillDecode() } }, (p) => p.addModelServer(vllmServer()))).toEqual([]);
    expect(problems({ release: ROUTER, provider: PoolProvider.istio() }, (p) => p.addModelServer(fakeFuriosaServer))).toEqual([]);
  });
});
