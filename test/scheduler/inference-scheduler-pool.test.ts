import { EndpointPickerConfig, InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider } from '../../src/scheduler';
import { newChart, objectOf, synth } from '../support';
import { fakeFuriosaServer, vllmServer } from './fixtures';

const SELECTOR = { 'llm-d.ai/inferenceServing': 'true' };

function render(props: InferenceSchedulerPoolProps = {}, ns = 'llm-d') {
  const { chart } = newChart(ns);
  const pool = new InferenceSchedulerPool(chart, 'gaie', { selector: SELECTOR, ...props });
  return { chart, pool, objects: () => synth(chart) };
}

function eppContainer(objects: Record<string, unknown>[]): Record<string, any> {
  return objectOf(objects, 'Deployment', 'gaie-epp').spec.template.spec.containers[0];
}

function kinds(objects: Record<string, unknown>[]): string[] {
  return objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort();
}

describe('InferenceSchedulerPool defaults', () => {
  it('renders the chart objects with chart names', () => {
    const { objects, pool } = render();
    const objs = objects();
    expect(kinds(objs)).toEqual(['ConfigMap/gaie-epp', 'Deployment/gaie-epp', 'InferencePool/gaie', 'Role/gaie-epp', 'RoleBinding/gaie-epp', 'Service/gaie-epp', 'ServiceAccount/gaie-epp']);
    expect(pool.poolName).toBe('gaie');
    expect(pool.poolNamespace).toBe('llm-d');
    expect(pool.poolGroup).toBe('inference.networking.k8s.io');
    expect(pool.eppServiceName).toBe('gaie-epp');
    expect(pool.eppServiceFqdn).toBe('gaie-epp.llm-d.svc.cluster.local');
    expect(pool.extProcPort).toBe(9002);
    expect(pool.metricsSecretName).toBe('inference-gateway-sa-metrics-reader-secret');
    for (const o of objs) expect((o.metadata as { namespace?: string }).namespace).toBe('llm-d');
  });

  it('derives the name from the id and the namespace from the chart', () => {
    const { chart } = newChart();
    const pool = new InferenceSchedulerPool(chart, 'My_Pool', { selector: SELECTOR });
    expect(pool.poolName).toBe('my-pool');
    expect(pool.namespace).toBe('default');
    expect(objectOf(synth(chart), 'Deployment', 'my-pool-epp').metadata.namespace).toBe('default');
  });

  it('hardens the EPP pod and keeps its service-account token', () => {
    const { objects } = render();
    const objs = objects();
    const pod = objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const c = eppContainer(objs);
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' } });
    expect(c.image).toBe('registry.k8s.io/gateway-api-inference-extension/epp:v1.3.0');
  });

  it('hardening opt-outs', () => {
    const { objects } = render({ epp: { hardening: { enabled: false }, resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } } } });
    const objs = objects();
    expect(objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec.securityContext).toBeUndefined();
    expect(eppContainer(objs).securityContext).toBeUndefined();
    expect(eppContainer(objs).resources).toEqual({ requests: { cpu: '1' }, limits: { memory: '1Gi' } });
    const ro = render({ epp: { hardening: { readOnlyRootFilesystem: false, runAsUser: 1000 } } }).objects();
    expect(eppContainer(ro).securityContext.readOnlyRootFilesystem).toBeUndefined();
    expect(eppContainer(ro).securityContext.runAsUser).toBe(1000);
  });

  it('uses no RBAC wildcards', () => {
    const { objects } = render({ epp: { replicas: 2 }, monitoring: { enabled: true } });
    for (const o of objects().filter((x) => ['Role', 'ClusterRole'].includes(x.kind as string))) {
      for (const rule of (o as any).rules) {
        for (const k of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) expect(rule[k] ?? []).not.toContain('*');
      }
    }
  });

  it('matches the snapshot (HA, monitoring, istio)', () => {
    expect(render({ epp: { replicas: 2 }, monitoring: { enabled: true }, provider: PoolProvider.istio() }).objects()).toMatchSnapshot();
  });

  it('matches the snapshot (gke, v1alpha2, tracing, furiosa server)', () => {
    const { pool, objects } = render({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      provider: PoolProvider.gke(),
      monitoring: { enabled: true },
      epp: { tracing: { enabled: true }, config: EndpointPickerConfig.prefillDecode() },
    });
    pool.addModelServer(fakeFuriosaServer);
    expect(objects()).toMatchSnapshot();
  });
});

describe('options', () => {
  it('replicas > 1: leader election flag, RBAC and probes', () => {
    const objs = render({ epp: { replicas: 3 } }).objects();
    const c = eppContainer(objs);
    expect(c.args).toContain('--ha-enable-leader-election');
    expect(c.args.indexOf('--ha-enable-leader-election')).toBe(c.args.indexOf('--config-file') + 2);
    expect(c.livenessProbe.grpc.service).toBe('liveness');
    expect(c.readinessProbe.grpc.service).toBe('readiness');
    expect(objectOf(objs, 'Role', 'gaie-epp-leader-election').rules[0].resources).toEqual(['leases']);
    expect(objectOf(objs, 'RoleBinding', 'gaie-epp-leader-election-binding').roleRef.name).toBe('gaie-epp-leader-election');
    expect(objectOf(objs, 'Deployment', 'gaie-epp').spec.replicas).toBe(3);
  });

  it('replicas = 1: no leader election', () => {
    const objs = render().objects();
    expect(eppContainer(objs).args).not.toContain('--ha-enable-leader-election');
    expect(eppContainer(objs).livenessProbe.grpc.service).toBe('inference-extension');
    expect(objs.find((o) => (o.metadata as any).name === 'gaie-epp-leader-election')).toBeUndefined();
  });

  it('v1alpha2 pool', () => {
    const { objects, pool } = render({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPorts: [8200], failureMode: 'FailOpen' });
    const objs = objects();
    const ip = objectOf(objs, 'InferencePool', 'gaie');
    expect(ip.apiVersion).toBe('inference.networking.x-k8s.io/v1alpha2');
    expect(ip.spec).toEqual({ targetPortNumber: 8200, selector: SELECTOR, extensionRef: { name: 'gaie-epp', portNumber: 9002, failureMode: 'FailOpen' } });
    expect(pool.poolGroup).toBe('inference.networking.x-k8s.io');
    expect(eppContainer(objs).args.slice(4, 6)).toEqual(['--pool-group', 'inference.networking.x-k8s.io']);
    expect(objectOf(objs, 'Role', 'gaie-epp').rules[1].apiGroups).toEqual(['inference.networking.x-k8s.io']);
  });

  it('v1 pool renders failureMode only when set', () => {
    expect(objectOf(render().objects(), 'InferencePool', 'gaie').spec.endpointPickerRef).toEqual({ name: 'gaie-epp', port: { number: 9002 } });
    expect(objectOf(render({ failureMode: 'FailOpen' }).objects(), 'InferencePool', 'gaie').spec.endpointPickerRef.failureMode).toBe('FailOpen');
  });

  it('provider gke: policies, PodMonitoring and metrics RBAC; no ServiceMonitor', () => {
    const { objects, pool } = render({ provider: PoolProvider.gke({ autopilot: true }), monitoring: { enabled: true } });
    const objs = objects();
    expect(kinds(objs)).toEqual(expect.arrayContaining([
      'HealthCheckPolicy/gaie',
      'GCPBackendPolicy/gaie',
      'PodMonitoring/gaie',
      'ServiceAccount/gaie-metrics-reader-sa',
      'Secret/gaie-metrics-reader-secret',
      'ClusterRole/llm-d-gaie-metrics-reader',
      'ClusterRoleBinding/llm-d-gaie-metrics-reader-role-binding',
      'Role/gaie-metrics-reader-secret-read',
      'RoleBinding/gke-gmp-system:collector:llm-d-gaie-metrics-reader-secret-read',
      'ClusterRole/gaie-llm-d-epp',
    ]));
    expect(objs.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
    expect(objs.some((o) => (o.metadata as any).name === 'inference-gateway-sa-metrics-reader-secret')).toBe(false);
    expect(pool.metricsSecretName).toBe('gaie-metrics-reader-secret');
    const hc = objectOf(objs, 'HealthCheckPolicy', 'gaie');
    expect(hc.spec.targetRef).toEqual({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie' });
    expect(hc.spec.default.config.httpHealthCheck).toEqual({ requestPath: '/health', port: 8000 });
    expect(objectOf(objs, 'PodMonitoring', 'gaie').spec.endpoints[0].authorization.credentials.secret.name).toBe('gaie-metrics-reader-secret');
    expect(objectOf(objs, 'ClusterRole', 'llm-d-gaie-metrics-reader').metadata.namespace).toBeUndefined();
  });

  it('provider gke without monitoring: only the two policies', () => {
    const objs = render({ provider: PoolProvider.gke({ healthCheckPort: 8200 }) }).objects();
    expect(objs.filter((o) => (o.apiVersion as string).startsWith('networking.gke.io')).length).toBe(2);
    expect(objs.some((o) => o.kind === 'PodMonitoring')).toBe(false);
    expect(objectOf(objs, 'HealthCheckPolicy', 'gaie').spec.default.config.httpHealthCheck.port).toBe(8200);
  });

  it('provider none: no provider objects', () => {
    const objs = render({ provider: PoolProvider.none() }).objects();
    expect(objs.some((o) => ['DestinationRule', 'HealthCheckPolicy', 'GCPBackendPolicy'].includes(o.kind as string))).toBe(false);
  });

  it('provider istio: DestinationRule host from the EPP Service, overridable, connection pool', () => {
    const dr = objectOf(render({ provider: PoolProvider.istio() }).objects(), 'DestinationRule', 'gaie-epp');
    expect(dr.spec).toEqual({ host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } });
    const dr2 = objectOf(render({ provider: PoolProvider.istio({ destinationRuleHost: 'epp.example.internal', connectionPool: { http: { maxRequestsPerConnection: 256000 } } }) }).objects(), 'DestinationRule', 'gaie-epp');
    expect(dr2.spec.host).toBe('epp.example.internal');
    expect(dr2.spec.trafficPolicy.connectionPool).toEqual({ http: { maxRequestsPerConnection: 256000 } });
  });

  it('tracing: flag and OTEL env', () => {
    const c = eppContainer(render({ epp: { tracing: { enabled: true, otelExporterEndpoint: 'http://otel:4317', samplerArg: '0.5' } } }).objects());
    expect(c.args).toContain('--tracing=true');
    expect(c.args).not.toContain('--tracing=false');
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel:4317');
    expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio');
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe('0.5');
    expect(env.OTEL_SERVICE_NAME).toBe('gateway-api-inference-extension');
    expect(env.OTEL_RESOURCE_ATTRIBUTES_NODE_NAME).toEqual({ fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } });
  });

  it('extra ports, env, volumes, affinity, tolerations, grace period', () => {
    const objs = render({
      epp: {
        extraContainerPorts: [{ name: 'zmq', containerPort: 5557, protocol: 'TCP' }],
        extraServicePorts: [{ name: 'zmq', port: 5557, protocol: 'TCP' }],
        env: [{ name: 'FEATURE', value: 'true' }],
        volumes: [{ name: 'cache', emptyDir: {} }],
        volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
        tolerations: [{ key: 'dedicated', operator: 'Exists' }],
        terminationGracePeriodSeconds: 30,
      },
    }).objects();
    const pod = objectOf(objs, 'Deployment', 'gaie-epp').spec.template.spec;
    const c = pod.containers[0];
    expect(c.ports.map((p: any) => p.name)).toEqual(['grpc', 'grpc-health', 'metrics', 'zmq']);
    expect(c.env.map((e: any) => e.name)).toEqual(['NAMESPACE', 'POD_NAME', 'FEATURE']);
    expect(c.volumeMounts).toEqual([{ name: 'plugins-config-volume', mountPath: '/config' }, { name: 'cache', mountPath: '/cache' }]);
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['cache', 'plugins-config-volume']);
    expect(pod.volumes[0].emptyDir).toEqual({});
    expect(pod.affinity.nodeAffinity).toBeDefined();
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(objectOf(objs, 'Service', 'gaie-epp').spec.ports.map((p: any) => p.name)).toEqual(['grpc-ext-proc', 'http-metrics', 'zmq']);
  });

  it('extProcPort changes the Service and pool port, not the container port', () => {
    const { objects, pool } = render({ epp: { extProcPort: 9102, metricsPort: 9190 } });
    const objs = objects();
    expect(pool.extProcPort).toBe(9102);
    expect(objectOf(objs, 'Service', 'gaie-epp').spec.ports.slice(0, 2)).toEqual([
      { name: 'grpc-ext-proc', protocol: 'TCP', port: 9102, targetPort: 9002 },
      { name: 'http-metrics', protocol: 'TCP', port: 9190, targetPort: 9090 },
    ]);
    expect(objectOf(objs, 'InferencePool', 'gaie').spec.endpointPickerRef.port.number).toBe(9102);
  });

  it('monitoring on: ClusterRole, Secret, ServiceMonitor with interval and extra labels', () => {
    const { objects, pool } = render({ monitoring: { enabled: true, interval: '30s', extraLabels: { release: 'prom' }, metricsSecretName: 'gaie-metrics' } });
    const objs = objects();
    const sm = objectOf(objs, 'ServiceMonitor', 'gaie-epp-monitor');
    expect(sm.metadata.labels.release).toBe('prom');
    expect(sm.spec.endpoints[0].interval).toBe('30s');
    expect(sm.spec.endpoints[0].authorization.credentials.name).toBe('gaie-metrics');
    expect(objectOf(objs, 'Secret', 'gaie-metrics').metadata.annotations['kubernetes.io/service-account.name']).toBe('gaie-epp');
    expect(pool.metricsSecretName).toBe('gaie-metrics');
    expect(objectOf(objs, 'ClusterRole', 'gaie-llm-d-epp').metadata.namespace).toBeUndefined();
    expect(objectOf(objs, 'ClusterRoleBinding', 'gaie-llm-d-epp').subjects).toEqual([{ kind: 'ServiceAccount', name: 'gaie-epp', namespace: 'llm-d' }]);
    // The ServiceMonitor selects the EPP Service by its labels.
    const svc = objectOf(objs, 'Service', 'gaie-epp');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(eppContainer(objs).args).not.toContain('--metrics-endpoint-auth=false');
  });

  it('monitoring off: no monitoring objects', () => {
    const objs = render({ monitoring: { enabled: false } }).objects();
    expect(objs.some((o) => ['ServiceMonitor', 'Secret', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind as string))).toBe(false);
  });

  it('auth off: no Secret, no authorization, --metrics-endpoint-auth=false', () => {
    const objs = render({ monitoring: { enabled: true, auth: false } }).objects();
    expect(objs.some((o) => o.kind === 'Secret')).toBe(false);
    expect(objectOf(objs, 'ServiceMonitor', 'gaie-epp-monitor').spec.endpoints[0].authorization).toBeUndefined();
    expect(eppContainer(objs).args.slice(-2)).toEqual(['--tracing=false', '--metrics-endpoint-auth=false']);
  });

  it('versionLabel', () => {
    const objs = render({ versionLabel: 'v1.3.0' }).objects();
    expect(objectOf(objs, 'Service', 'gaie-epp').metadata.labels['app.kubernetes.io/version']).toBe('v1.3.0');
  });
});

describe('metric presets', () => {
  const flagsOf = (objs: Record<string, unknown>[]) => {
    const args: string[] = eppContainer(objs).args;
    return args.slice(args.indexOf('/config/default-plugins.yaml') + 1);
  };

  it('vllm (chart default): no metric flags', () => {
    expect(flagsOf(render().objects())).toEqual(['--v', '1', '--tracing=false']);
    expect(flagsOf(render({ modelServers: [vllmServer()] }).objects())).toEqual(['--v', '1', '--tracing=false']);
  });

  it('furiosa: chosen from the servers, in the guide order, empty lora metric kept', () => {
    const { pool, objects } = render();
    pool.addModelServer(fakeFuriosaServer);
    expect(flagsOf(objects())).toEqual([
      '--cache-info-metric', 'furiosa_llm_cache_config_info',
      '--kv-cache-usage-percentage-metric', 'furiosa_llm_kv_cache_usage_percent',
      '--lora-info-metric', '',
      '--total-queued-requests-metric', 'furiosa_llm_num_requests_waiting',
      '--total-running-requests-metric', 'furiosa_llm_num_requests_running',
      '--v', '1',
      '--tracing=false',
    ]);
  });

  it('explicit preset overrides the servers', () => {
    expect(flagsOf(render({ modelServers: [fakeFuriosaServer], epp: { metricsPreset: 'vllm' } }).objects())).toEqual(['--v', '1', '--tracing=false']);
  });

  it('triton-tensorrt-llm: the chart\'s fixed args before leader election', () => {
    const args: string[] = eppContainer(render({ epp: { metricsPreset: 'triton-tensorrt-llm', replicas: 2 } }).objects()).args;
    const i = args.indexOf('--total-queued-requests-metric');
    expect(args.slice(i, i + 7)).toEqual([
      '--total-queued-requests-metric', 'nv_trt_llm_request_metrics{request_type=waiting}',
      '--kv-cache-usage-percentage-metric', 'nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=fraction}',
      '--lora-info-metric', '',
      '--ha-enable-leader-election',
    ]);
  });

  it('flags: given order, preset keys overridden in place of the preset, v last unless given', () => {
    const objs = render({ modelServers: [fakeFuriosaServer], epp: { flags: { 'lora-info-metric': 'x', 'enable-pprof': true, 'kv-cache-usage-percentage-metric': 'k' }, logVerbosity: 3 } }).objects();
    expect(flagsOf(objs)).toEqual([
      '--cache-info-metric', 'furiosa_llm_cache_config_info',
      '--total-queued-requests-metric', 'furiosa_llm_num_requests_waiting',
      '--total-running-requests-metric', 'furiosa_llm_num_requests_running',
      '--lora-info-metric', 'x',
      '--enable-pprof', 'true',
      '--kv-cache-usage-percentage-metric', 'k',
      '--v', '3',
      '--tracing=false',
    ]);
    expect(flagsOf(render({ epp: { flags: { a: 1, v: 4, z: '' } } }).objects())).toEqual(['--a', '1', '--v', '4', '--z', '', '--tracing=false']);
  });
});

describe('model servers', () => {
  it('selector = shared labels of the servers; port from the servers', () => {
    const { chart } = newChart('llm-d');
    const pool = new InferenceSchedulerPool(chart, 'gaie');
    pool.addModelServer(vllmServer({ servingPort: 8200 }));
    pool.addModelServer(vllmServer({ servingPort: 8200, podLabels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'qwen', 'llm-d.ai/role': 'prefill' } }));
    const ip = objectOf(synth(chart), 'InferencePool', 'gaie');
    expect(ip.spec.selector.matchLabels).toEqual({ 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'qwen' });
    expect(ip.spec.targetPorts).toEqual([{ number: 8200 }]);
    expect(pool.servedPorts).toEqual([8200]);
    expect(pool.selector).toEqual({ 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'qwen' });
  });

  it('servers added after construction show up (lazy)', () => {
    const { chart, pool } = render({ selector: undefined });
    expect(pool.servedPorts).toEqual([8000]);
    pool.addModelServer(vllmServer({ servingPort: 8100 }));
    expect(objectOf(synth(chart), 'InferencePool', 'gaie').spec.targetPorts).toEqual([{ number: 8100 }]);
  });
});

describe('EPP config', () => {
  it('renders the chart preset and a typed config as the active file', () => {
    const cfg = new EndpointPickerConfig(EndpointPickerConfig.prefillDecode({ threshold: 10 }));
    const objs = render({ epp: { config: cfg.toSpec() } }).objects();
    const cm = objectOf(objs, 'ConfigMap', 'gaie-epp');
    expect(Object.keys(cm.data).sort()).toEqual(['custom-plugins.yaml', 'default-plugins.yaml']);
    expect(cm.data['custom-plugins.yaml']).toContain('type: pd-profile-handler');
    expect(eppContainer(objs).args).toContain('/config/custom-plugins.yaml');
  });

  it('custom YAML files and configFile select one of them', () => {
    const text = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: custom-scorer\nschedulingProfiles:\n- name: default\n  plugins:\n  - pluginRef: custom-scorer\n';
    const objs = render({ epp: { customConfigFiles: { 'custom.yaml': text }, configFile: 'custom.yaml' } }).objects();
    expect(objectOf(objs, 'ConfigMap', 'gaie-epp').data['custom.yaml']).toBe(text);
    expect(eppContainer(objs).args).toContain('/config/custom.yaml');
  });

  it('a custom file named default-plugins.yaml replaces the preset (the chart renders it last, the last key wins)', () => {
    const text = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\nschedulingProfiles:\n- name: default\n  plugins:\n  - pluginRef: queue-scorer\n';
    const objs = render({ epp: { customConfigFiles: { 'default-plugins.yaml': text } } }).objects();
    expect(objectOf(objs, 'ConfigMap', 'gaie-epp').data).toEqual({ 'default-plugins.yaml': text });
    expect(eppContainer(objs).args).toContain('/config/default-plugins.yaml');
  });

  it('custom text files the EPP does not read and that are no EndpointPickerConfig are mounted unchecked', () => {
    const objs = render({ epp: { customConfigFiles: { 'notes.yaml': 'foo: bar\n' } } }).objects();
    expect(objectOf(objs, 'ConfigMap', 'gaie-epp').data['notes.yaml']).toBe('foo: bar\n');
  });
});
