import { Chart } from 'cdk8s';
import {
  acceleratorResourceName,
  acceleratorWarning,
  DEFAULT_ROUTING_SIDECAR_IMAGE,
  DEFAULT_VLLM_IMAGE,
  ModelService,
  ModelServiceRoutingProxyOptions,
  resolveVllmParallelism,
  vllmPort,
  vllmResources,
  vllmServeArgs,
} from '../../src/model-service';
import { modelServicePropsFromValues } from '../../src/helm';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { parseModelUri } from '../../src/storage/model-uri';
import { expectRefusal, newChart, objectOf, problemsFrom, synth } from '../support';

const CTX = { release: 'pd', namespace: 'default' };
/** Where the adapter reports a problem of the values. */
const VALUES = 'values (llm-d-incubation/llm-d-modelservice v0.4.12)';

describe('typed props', () => {
  test('a P/D service on NVIDIA GPUs in a few lines', () => {
    const { chart } = newChart('llm');
    const ms = new ModelService(chart, 'opt', {
      modelArtifacts: { name: 'facebook/opt-125m', uri: 'hf://facebook/opt-125m', size: '20Gi' },
      decode: { replicas: 2, parallelism: { tensor: 2 } },
      prefill: { replicas: 1 },
    });
    const objects = synth(chart);
    const decode = objectOf(objects, 'Deployment', 'opt-llm-d-modelservice-decode');
    const prefill = objectOf(objects, 'Deployment', 'opt-llm-d-modelservice-prefill');
    expect(decode.metadata.namespace).toBe('llm');
    expect(decode.spec.replicas).toBe(2);
    const vllm = decode.spec.template.spec.containers[0];
    expect(vllm.image).toBe(DEFAULT_VLLM_IMAGE);
    expect(vllm.ports).toEqual([{ containerPort: 8200, name: 'metrics', protocol: 'TCP' }]);
    expect(vllm.command).toEqual(['vllm', 'serve']);
    expect(vllm.args).toEqual(['facebook/opt-125m', '--port', '8200', '--tensor-parallel-size', '2', '--served-model-name', 'facebook/opt-125m']);
    expect(vllm.resources.limits['nvidia.com/gpu']).toBe('2');
    expect(vllm.resources.requests).toEqual({ 'nvidia.com/gpu': '2', cpu: '2', memory: '8Gi' });
    expect(vllm.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(decode.spec.template.spec.automountServiceAccountToken).toBe(false);
    const proxy = decode.spec.template.spec.initContainers[0];
    expect(proxy.name).toBe('routing-proxy');
    expect(proxy.image).toBe(DEFAULT_ROUTING_SIDECAR_IMAGE);
    expect(proxy.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    // prefill: vLLM on the service port, no sidecar.
    expect(prefill.spec.template.spec.initContainers).toBeUndefined();
    expect(prefill.spec.template.spec.containers[0].args.slice(0, 3)).toEqual(['facebook/opt-125m', '--port', '8000']);
    // IModelServer: decode, prefill via prefillServer.
    expect(ms.metricsFlavor).toBe('vllm');
    expect(ms.servingPort).toBe(8000);
    expect(ms.podLabels['llm-d.ai/role']).toBe('decode');
    expect(ms.prefillServer?.podLabels['llm-d.ai/role']).toBe('prefill');
    expect(objectOf(objects, 'ServiceAccount', 'opt-llm-d-modelservice').metadata.namespace).toBe('llm');
  });

  test('an InferenceSchedulerPool selects both roles', () => {
    const { chart } = newChart();
    const ms = new ModelService(chart, 'opt', { modelArtifacts: { name: 'facebook/opt-125m', uri: 'hf://facebook/opt-125m' }, prefill: {} });
    const pool = new InferenceSchedulerPool(chart, 'gaie');
    pool.addModelServer(ms).addModelServer(ms.prefillServer!);
    const ip = objectOf(synth(chart), 'InferencePool', 'gaie');
    expect(JSON.stringify(ip.spec)).toContain('"llm-d.ai/model":"opt-125m"');
    expect(JSON.stringify(ip.spec)).not.toContain('llm-d.ai/role');
  });

  test('XPU, CPU and pvc+hf', () => {
    const { chart } = newChart();
    new ModelService(chart, 'xpu', {
      modelArtifacts: { name: 'org/m', uri: 'pvc+hf://cache/hub/org/m' },
      accelerator: { type: 'intel-xe' },
      routing: { proxy: { enabled: false } },
      decode: { containers: [{ modelCommand: 'imageDefault', image: 'ghcr.io/llm-d/llm-d-xpu:v0.4.0' }] },
    });
    new ModelService(chart, 'cpu', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m', labels: { 'llm-d.ai/model': 'm-cpu' } }, accelerator: { type: 'cpu' } });
    const objects = synth(chart);
    const xpu = objectOf(objects, 'Deployment', 'xpu-llm-d-modelservice-decode').spec.template.spec;
    expect(xpu.containers[0].resources.limits).toEqual({ 'gpu.intel.com/xe': '1' });
    expect(xpu.containers[0].env).toEqual(expect.arrayContaining([{ name: 'VLLM_WORKER_MULTIPROC_METHOD', value: 'spawn' }, { name: 'HF_HUB_CACHE', value: '/model-cache/hub' }]));
    expect(xpu.containers[0].args.slice(0, 4)).toEqual(['--model', 'org/m', '--port', '8000']);
    expect(xpu.volumes).toEqual([{ name: 'model-storage', persistentVolumeClaim: { claimName: 'cache', readOnly: true } }]);
    const cpu = objectOf(objects, 'Deployment', 'cpu-llm-d-modelservice-decode').spec.template.spec;
    expect(cpu.containers[0].resources.limits).toEqual({});
    expect(cpu.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '256Mi' });
  });

  test('snapshot of a P/D service with PodMonitors', () => {
    const { chart } = newChart('llm');
    new ModelService(chart, 'snap', {
      modelArtifacts: { name: 'facebook/opt-125m', uri: 'hf://facebook/opt-125m', authSecret: { name: 'hf' } },
      decode: { monitoring: { podmonitor: { enabled: true } } },
      prefill: { monitoring: { podmonitor: { enabled: true } } },
    });
    expect(synth(chart)).toMatchSnapshot();
  });
});

describe('multinode (LeaderWorkerSet)', () => {
  test('one LWS per role, size from workers, autoscaling leaves replicas out', () => {
    const { chart } = newChart('llm');
    new ModelService(chart, 'big', {
      multinode: true,
      modelArtifacts: { name: 'org/m', uri: 'hf://org/m' },
      decode: { replicas: 2, parallelism: { tensor: 8, dataLocal: 1, workers: 2 }, subGroupExclusiveTopology: true, hostIPC: true },
      prefill: { autoscaling: { enabled: true }, subGroupPolicy: { subGroupSize: 2 } },
    });
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'Deployment')).toHaveLength(0);
    const decode = objectOf(objects, 'LeaderWorkerSet', 'big-llm-d-modelservice-decode');
    expect(decode.apiVersion).toBe('leaderworkerset.x-k8s.io/v1');
    expect(decode.metadata.namespace).toBe('llm');
    expect(decode.metadata.labels['llm-d.ai/role']).toBe('decode');
    expect(decode.metadata.annotations).toEqual({ 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'kubernetes.io/hostname' });
    expect(decode.spec.replicas).toBe(2);
    expect(decode.spec.leaderWorkerTemplate.size).toBe(2);
    const pod = decode.spec.leaderWorkerTemplate.workerTemplate;
    expect(pod.metadata.annotations).toEqual({ 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'kubernetes.io/hostname' });
    expect(pod.spec.hostIPC).toBe(true);
    expect(pod.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'DP_SIZE', value: '2' }, { name: 'DP_SIZE_LOCAL', value: '1' }]));
    expect(pod.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('8');
    const prefill = objectOf(objects, 'LeaderWorkerSet', 'big-llm-d-modelservice-prefill');
    expect(prefill.spec.replicas).toBeUndefined();
    expect(prefill.spec.leaderWorkerTemplate.subGroupPolicy).toEqual({ subGroupSize: 2 });
  });
  test('LeaderWorkerSet-only props are refused with Deployments', () => {
    expectRefusal((chart) => new ModelService(chart, 'ms', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, decode: { hostIPC: true, autoscaling: { enabled: true }, subGroupPolicy: { subGroupSize: 2 } } }), [
      { path: 'test/ms', field: 'decode.autoscaling.enabled', value: true, allowed: 'unset without multinode', why: 'only the LeaderWorkerSet mode (multinode: true) uses it' },
      { path: 'test/ms', field: 'decode.subGroupPolicy', value: { subGroupSize: 2 }, allowed: 'unset without multinode', why: 'only the LeaderWorkerSet mode (multinode: true) uses it' },
      { path: 'test/ms', field: 'decode.hostIPC', value: true, allowed: 'unset without multinode', why: 'only the LeaderWorkerSet mode (multinode: true) uses it' },
    ]);
  });
});

describe('tracing', () => {
  test('OTEL env on every container and the sidecar, trace args for generated commands', () => {
    const { chart } = newChart();
    new ModelService(chart, 't', {
      modelArtifacts: { name: 'org/m', uri: 'hf://org/m' },
      tracing: { enabled: true, otlpEndpoint: 'http://c:4317' },
      decode: { containers: [{ args: ['--x'] }] },
    });
    const pod = objectOf(synth(chart), 'Deployment', 't-llm-d-modelservice-decode').spec.template.spec;
    expect(pod.containers[0].args.slice(-5)).toEqual(['--otlp-traces-endpoint', 'http://c:4317', '--collect-detailed-traces', 'all', '--x']);
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: 'OTEL_SERVICE_NAME', value: 'vllm-decode' }, { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://c:4317' }]));
    expect(pod.initContainers[0].env).toEqual(expect.arrayContaining([{ name: 'OTEL_SERVICE_NAME', value: 'routing-proxy' }, { name: 'OTEL_TRACES_SAMPLER_ARG', value: '1.0' }]));
  });
});

describe('DRA', () => {
  test('a ResourceClaimTemplate per role, claimed by the pod and its containers', () => {
    const { chart } = newChart('llm');
    new ModelService(chart, 'd', {
      modelArtifacts: { name: 'org/m', uri: 'hf://org/m' },
      accelerator: { dra: true },
      decode: { parallelism: { tensor: 4 }, resourceClaims: [{ name: 'nic', resourceClaimTemplateName: 'rdma' }] },
    });
    const objects = synth(chart);
    const rct = objectOf(objects, 'ResourceClaimTemplate', 'nvidia-claim-template-decode');
    expect(rct.metadata.namespace).toBe('llm');
    expect(rct.spec.spec.devices.requests).toEqual([{ name: 'nvidia', exactly: { deviceClassName: 'gpu.nvidia.com', count: 4 } }]);
    const pod = objectOf(objects, 'Deployment', 'd-llm-d-modelservice-decode').spec.template.spec;
    expect(pod.resourceClaims).toEqual([{ name: 'nvidia-decode-claim', resourceClaimTemplateName: 'nvidia-claim-template-decode' }, { name: 'nic', resourceClaimTemplateName: 'rdma' }]);
    expect(pod.containers[0].resources.claims).toEqual([{ name: 'nvidia-decode-claim' }, { name: 'nic' }]);
    expect(pod.containers[0].resources.limits).toEqual({});
  });
  test('an accelerator type without a claim template is refused', () => {
    expectRefusal((chart) => new ModelService(chart, 'd', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, accelerator: { type: 'rebellions-atom', dra: true } }), [
      { path: 'test/d', field: 'accelerator.claimTemplates', value: 'rebellions-atom', allowed: 'a claim template for accelerator type "rebellions-atom"', why: 'the decode pods would claim ResourceClaimTemplate rebellions-atom-decode-claim-template, which nothing creates' },
    ]);
  });
  test('match other than exactly is refused by the adapter', () => {
    expectRefusal(() => modelServicePropsFromValues({ accelerator: { dra: true, resourceClaimTemplates: { nvidia: { match: 'firstAvailable' } } } }, CTX), [
      { path: VALUES, field: 'accelerator.resourceClaimTemplates.nvidia.match', value: 'firstAvailable', allowed: 'exactly' },
    ]);
  });
});

describe('rules', () => {
  test.each([
    [{}, { tensor: 1, data: 1, dataLocal: 1, workers: 1 }],
    [{ data: 4, workers: 2 }, { tensor: 1, data: 4, dataLocal: 2, workers: 2 }],
    [{ dataLocal: 2, workers: 3 }, { tensor: 1, data: 6, dataLocal: 2, workers: 3 }],
    [{ data: 6, dataLocal: 2 }, { tensor: 1, data: 6, dataLocal: 2, workers: 3 }],
    [{ tensor: 0, data: 2 }, { tensor: 1, data: 2, dataLocal: 2, workers: 1 }],
  ])('parallelism %j', (input, expected) => {
    expect(resolveVllmParallelism(input).value).toEqual(expected);
  });
  test('data not a multiple of workers', () => {
    expect(resolveVllmParallelism({ data: 3, workers: 2 }).error).toBe('parallelism.data must be a multiple of parallelism.workers');
  });
  test('vllmServeArgs per scheme and flags', () => {
    const par = { tensor: 2, data: 4, dataLocal: 2, workers: 2 };
    expect(vllmServeArgs({ uri: parseModelUri('pvc://c/a/b'), mountPath: '/m', modelFlag: true, port: 8200, parallelism: par, servedModelName: 'x', userArgs: ['--y'] })).toEqual([
      '--model', '/m/a/b', '--port', '8200', '--tensor-parallel-size', '2', '--data-parallel-size', '4', '--data-parallel-size-local', '2', '--served-model-name', 'x', '--y',
    ]);
    expect(vllmServeArgs({ uri: parseModelUri('pvc+hf://c/h/org/m'), mountPath: '/m', modelFlag: false, port: 1, parallelism: { tensor: 1, data: 1, dataLocal: 1, workers: 1 }, servedModelName: 'x' })).toEqual([
      'org/m', '--port', '1', '--served-model-name', 'x',
    ]);
  });
  test.each([
    ['decode', true, 8200],
    ['decode', false, 8000],
    ['prefill', true, 8000],
  ] as const)('vllmPort %s proxy=%s', (role, proxy, port) => expect(vllmPort(role, proxy, 8000, 8200)).toBe(port));
  test.each([
    ['nvidia', 'vllm:1', 'nvidia.com/gpu'],
    ['amd', 'vllm:1', 'amd.com/gpu'],
    ['unknown', 'vllm:1', 'nvidia.com/gpu'],
    ['cpu', 'vllm:1', ''],
    ['nvidia', 'ghcr.io/llm-d/llm-d-inference-sim:v1', ''],
  ])('accelerator resource of %s %s', (type, image, name) => expect(acceleratorResourceName(type, image)).toBe(name));
  test('user accelerator values are kept; warning when they differ', () => {
    expect(vllmResources({ limits: { 'nvidia.com/gpu': 1 } }, 'nvidia.com/gpu', 2)).toEqual({ limits: { 'nvidia.com/gpu': 1 }, requests: { 'nvidia.com/gpu': '2' } });
    expect(acceleratorWarning('nvidia.com/gpu', 2, { 'nvidia.com/gpu': 1 })).toBe('Accelerator mismatch: nvidia.com/gpu is set to 1 but parallelism calculates 2. Using 1.');
    expect(acceleratorWarning('nvidia.com/gpu', 2, { 'nvidia.com/gpu': '2' })).toBeUndefined();
  });
});

describe('bad input', () => {
  /** Builds the service `ms` into the chart of a refusal test. */
  const build = (props: Partial<ConstructorParameters<typeof ModelService>[2]>) => (chart: Chart) => new ModelService(chart, 'ms', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, ...props });
  test('oci:// is refused, with the other problems', () => {
    expectRefusal(build({ modelArtifacts: { name: 'a', uri: 'oci://reg/img:1' }, decode: { replicas: -1 } }), [
      { path: 'test/ms', field: 'modelArtifacts.uri', value: 'oci://reg/img:1', allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>', why: 'oci:// models are not supported: the chart fails on them ("arguments for oci:// not implemented")' },
      { path: 'test/ms', field: 'decode.replicas', value: -1, allowed: 'a non-negative integer' },
    ]);
  });
  test('uri and storage are exclusive', () => {
    expectRefusal(build({ modelArtifacts: { name: 'a' } }), [{ path: 'test/ms', field: 'modelArtifacts', value: {}, allowed: 'exactly one of uri and storage' }]);
  });
  test('custom without command', () => {
    expectRefusal(build({ decode: { containers: [{ modelCommand: 'custom' }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].command', value: undefined, allowed: 'a non-empty command', why: 'modelCommand "custom" runs the given command (the chart fails without one)' },
    ]);
  });
  test('command with vllmServe', () => {
    expectRefusal(build({ decode: { containers: [{ command: ['x'] }] } }), [
      { path: 'test/ms', field: 'decode.containers[0].command', value: ['x'], allowed: 'no command', why: 'modelCommand "vllmServe" sets the command; use modelCommand "custom" for your own' },
    ]);
  });
  test('duplicate container names, bad replicas, empty containers', () => {
    expectRefusal(build({ decode: { replicas: -1, containers: [{}, {}] }, prefill: { containers: [] } }), [
      { path: 'test/ms', field: 'decode.replicas', value: -1, allowed: 'a non-negative integer' },
      { path: 'test/ms', field: 'decode.containers[1].name', value: 'vllm', allowed: 'a container name unique in the pod' },
      { path: 'test/ms', field: 'prefill.containers', value: [], allowed: 'at least one container' },
      { path: 'test/ms/Resource', field: 'spec.template.spec.containers[1].ports[0].containerPort', value: 8200, allowed: 'a port no other container of the pod uses (container vllm has it; containers of a pod share one network namespace)', why: expect.stringContaining('only one process of the pod can bind it; Deployment') },
    ]);
  });
  test('parallelism not a multiple', () => {
    expectRefusal(build({ decode: { parallelism: { data: 3, workers: 2 } } }), [
      { path: 'test/ms', field: 'decode.parallelism', value: { data: 3, workers: 2 }, allowed: 'data a multiple of workers and of dataLocal', why: 'parallelism.data must be a multiple of parallelism.workers' },
      { path: 'test/ms', field: 'decode.parallelism.data', value: 3, allowed: '1 (dataLocal: the ranks one pod holds), or multinode: true', why: expect.stringContaining('a Deployment\'s pods each run 1 data-parallel rank(s) of 1') },
    ]);
  });
  test('role label, target port equal to service port, extraConfig clash', () => {
    expectRefusal(build({
      modelArtifacts: { name: 'org/m', uri: 'hf://org/m', labels: { 'llm-d.ai/role': 'x' } },
      routing: { servicePort: 8000, proxy: { targetPort: 8000 } },
      decode: { extraConfig: { containers: [] }, containers: [{ extraConfig: { args: [] } }] },
    }), [
      { path: 'test/ms', field: 'decode.extraConfig.containers', value: [], allowed: expect.stringContaining('a PodSpec field other than containers, initContainers, volumes,'), why: 'the construct sets it from its own props' },
      { path: 'test/ms', field: 'decode.containers[0].extraConfig.args', value: [], allowed: expect.stringContaining('a Container field other than name, image, command, args, env, ports,'), why: 'the construct sets it from its own props' },
      { path: 'test/ms', field: 'modelArtifacts.labels.llm-d.ai/role', value: 'x', allowed: 'no llm-d.ai/role label', why: 'the construct sets llm-d.ai/role: decode or prefill' },
      { path: 'test/ms', field: 'routing.proxy.targetPort', value: 8000, allowed: 'a port other than routing.servicePort (8000)', why: 'the sidecar listens on servicePort and forwards to vLLM on targetPort' },
    ]);
  });
  test('routing sidecar zap flags: only the values the sidecar accepts', () => {
    const bad = { zapEncoder: 'xml', zapStacktraceLevel: 'warn', zapTimeEncoding: 'unix', zapLogLevel: 'very loud' } as unknown as ModelServiceRoutingProxyOptions;
    expectRefusal(build({ routing: { proxy: bad } }), [
      { path: 'test/ms', field: 'routing.proxy.zapEncoder', value: 'xml', allowed: 'json, console', why: 'the sidecar refuses any other value at start' },
      { path: 'test/ms', field: 'routing.proxy.zapStacktraceLevel', value: 'warn', allowed: 'info, error, panic', why: 'the sidecar refuses any other value at start' },
      { path: 'test/ms', field: 'routing.proxy.zapTimeEncoding', value: 'unix', allowed: 'epoch, millis, nano, iso8601, rfc3339, rfc3339nano', why: 'the sidecar refuses any other value at start' },
      { path: 'test/ms', field: 'routing.proxy.zapLogLevel', value: 'very loud', allowed: 'a level name (debug, info, error, ...) or an integer' },
    ]);
    expect(problemsFrom(build({ routing: { proxy: { zapEncoder: 'console', zapLogLevel: 2, zapStacktraceLevel: 'panic', zapTimeEncoding: 'rfc3339' } } }))).toEqual([]);
  });
  test('bad size, mount path, model name, acceleratorTypes key', () => {
    expectRefusal(build({ modelArtifacts: { name: '', uri: 'hf://org/m', size: 'lots', mountPath: 'rel' }, decode: { acceleratorTypes: { labelKey: 'bad key!' } } }), [
      { path: 'test/ms', field: 'decode.acceleratorTypes.labelKey', value: 'bad key!', allowed: 'a node label key' },
      { path: 'test/ms', field: 'modelArtifacts.name', value: '', allowed: 'the model name clients request, e.g. facebook/opt-125m' },
      { path: 'test/ms', field: 'modelArtifacts.size', value: 'lots', allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' },
      { path: 'test/ms', field: 'modelArtifacts.mountPath', value: 'rel', allowed: 'an absolute path' },
    ]);
  });
});

describe('helm adapter refusals name the key', () => {
  const refuse = (values: Record<string, unknown>) => () => modelServicePropsFromValues(values, CTX);
  test.each([
    [{ decode: { resourceClaims: [{ nme: 'x' }] } }, [{ path: VALUES, field: 'decode.resourceClaims[0].name', value: undefined, allowed: 'a string' }]],
    [{ decode: { accelerator: { dra: 'yes' } } }, [{ path: VALUES, field: 'decode.accelerator.dra', value: 'yes', allowed: 'true or false' }]],
    [{ tracing: { enabled: true, sampling: { bogus: 1 } } }, [{ path: VALUES, field: 'tracing.sampling.bogus', value: 1, allowed: 'one of the chart\'s keys here: sampler, samplerArg' }]],
    [{ requester: { enable: true, image: "" } }, [{ path: VALUES, field: 'requester.image', value: '', allowed: 'the requester image, e.g. ghcr.io/llm-d-incubation/llm-d-fast-model-actuation/requester:<tag>', why: 'the chart renders an empty image' }]],
    [{ extraObjects: [{ kind: 'x' }] }, [{ path: VALUES, field: 'extraObjects', value: [{ kind: 'x' }], allowed: '[]', why: expect.stringContaining('add your own constructs') }]],
    [{ decode: { autoscaling: { enabled: true } } }, [{ path: VALUES, field: 'decode.autoscaling.enabled', value: true, allowed: 'false' }]],
    [{ multinode: true, prefill: { hostIPC: 'yes' } }, [{ path: VALUES, field: 'prefill.hostIPC', value: 'yes', allowed: 'true or false' }]],
    [{ decode: { bogus: 1 } }, [{ path: VALUES, field: 'decode.bogus', value: 1, allowed: expect.stringContaining('one of the chart\'s keys here: create, autoscaling, replicas,') }]],
    [{ modelArtifacts: { nope: 1 } }, [{ path: VALUES, field: 'modelArtifacts.nope', value: 1, allowed: 'one of the chart\'s keys here: name, labels, uri, size, authSecretName, mountPath, readOnly' }]],
    [{ decode: { containers: [{ image: 'x', modelCommand: 'run' }] } }, [{ path: VALUES, field: 'decode.containers[0].modelCommand', value: 'run', allowed: 'vllmServe, imageDefault or custom' }]],
    [{ decode: { containers: [{ modelCommand: 'custom', command: ['x'] }] } }, [{ path: VALUES, field: 'decode.containers[0].image', value: undefined, allowed: 'an image reference', why: 'the chart requires the image of every container' }]],
    [{ decode: { containers: [{ image: 'x', resources: { claims: [{ name: 'gpu' }] } }] } }, [{ path: VALUES, field: 'decode.containers[0].resources.claims', value: [{ name: 'gpu' }], allowed: 'empty' }]],
    [{ decode: { parallelism: { data: 3, dataLocal: 0, workers: 2 } } }, [{ path: VALUES, field: 'decode.parallelism', value: { tensor: 1, data: 3, dataLocal: 0, workers: 2 }, allowed: 'data a multiple of workers and of dataLocal', why: 'the chart fails: parallelism.data must be a multiple of parallelism.workers' }]],
    [{ decode: { replicas: 'two' } }, [{ path: VALUES, field: 'decode.replicas', value: 'two', allowed: 'an integer' }]],
  ])('%j', (values, expected) => {
    expectRefusal(refuse(values), expected);
  });
  test('LeaderWorkerSet-only keys are ignored without multinode, as the chart does', () => {
    const p = modelServicePropsFromValues({ decode: { hostIPC: true, subGroupExclusiveTopology: true } }, CTX);
    expect(p.decode?.hostIPC).toBeUndefined();
    expect(p.decode?.subGroupExclusiveTopology).toBeUndefined();
  });
  test('chart defaults: inference simulator decode and a 0-replica prefill', () => {
    const p = modelServicePropsFromValues({}, CTX);
    expect(p.decode?.containers?.[0]).toMatchObject({ image: 'ghcr.io/llm-d/llm-d-inference-sim:latest', modelCommand: 'imageDefault', mountModelVolume: true });
    expect(p.prefill?.replicas).toBe(0);
    expect(p.routing?.proxy?.image).toBe('ghcr.io/llm-d/llm-d-routing-sidecar:latest');
  });
});
