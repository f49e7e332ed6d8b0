import { LlmdValidationError } from '../../src/core/errors';
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
import { newChart, objectOf, problemsOf, synth } from '../support';

const CTX = { release: 'pd', namespace: 'default' };

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
    const { chart } = newChart();
    new ModelService(chart, 'ms', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, decode: { hostIPC: true, autoscaling: { enabled: true }, subGroupPolicy: { subGroupSize: 2 } } });
    const p = problemsOf(chart).join('\n');
    expect(p).toContain('decode.hostIPC: value true is not allowed (only the LeaderWorkerSet mode (multinode: true) uses it); allowed: unset without multinode');
    expect(p).toContain('decode.autoscaling.enabled: value true is not allowed (only the LeaderWorkerSet mode');
    expect(p).toContain('decode.subGroupPolicy: value {"subGroupSize":2} is not allowed');
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
    const { chart } = newChart();
    new ModelService(chart, 'd', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, accelerator: { type: 'rebellions-atom', dra: true } });
    expect(problemsOf(chart).join('\n')).toContain('accelerator.claimTemplates: value "rebellions-atom" is not allowed (the decode pods would claim ResourceClaimTemplate rebellions-atom-decode-claim-template, which nothing creates)');
  });
  test('match other than exactly is refused by the adapter', () => {
    expect(() => modelServicePropsFromValues({ accelerator: { dra: true, resourceClaimTemplates: { nvidia: { match: 'firstAvailable' } } } }, CTX)).toThrow(
      /accelerator.resourceClaimTemplates.nvidia.match: value "firstAvailable" is not allowed/,
    );
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
  const build = (props: Partial<ConstructorParameters<typeof ModelService>[2]>): string[] => {
    const { chart } = newChart();
    new ModelService(chart, 'ms', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, ...props });
    return problemsOf(chart);
  };
  test('oci:// is refused at construction', () => {
    const { chart } = newChart();
    expect(() => new ModelService(chart, 'ms', { modelArtifacts: { name: 'a', uri: 'oci://reg/img:1' } })).toThrow(/modelArtifacts.uri: value "oci:\/\/reg\/img:1" is not allowed \(oci:\/\/ models are not supported/);
  });
  test('uri and storage are exclusive', () => {
    const { chart } = newChart();
    expect(() => new ModelService(chart, 'ms', { modelArtifacts: { name: 'a' } })).toThrow(/modelArtifacts: .*allowed: exactly one of uri and storage/);
  });
  test('custom without command', () => {
    expect(build({ decode: { containers: [{ modelCommand: 'custom' }] } }).join('\n')).toMatch(/decode.containers\[0\].command: value undefined is not allowed \(modelCommand "custom" runs the given command.*allowed: a non-empty command/);
  });
  test('command with vllmServe', () => {
    expect(build({ decode: { containers: [{ command: ['x'] }] } }).join('\n')).toContain('decode.containers[0].command: value ["x"] is not allowed (modelCommand "vllmServe" sets the command');
  });
  test('duplicate container names, bad replicas, empty containers', () => {
    const p = build({ decode: { replicas: -1, containers: [{}, {}] }, prefill: { containers: [] } }).join('\n');
    expect(p).toContain('decode.containers[1].name: value "vllm" is not allowed; allowed: a container name unique in the pod');
    expect(p).toContain('decode.replicas: value -1 is not allowed; allowed: a non-negative integer');
    expect(p).toContain('prefill.containers: value [] is not allowed; allowed: at least one container');
  });
  test('parallelism not a multiple', () => {
    expect(build({ decode: { parallelism: { data: 3, workers: 2 } } }).join('\n')).toContain('decode.parallelism: value {"data":3,"workers":2} is not allowed (parallelism.data must be a multiple of parallelism.workers)');
  });
  test('role label, target port equal to service port, extraConfig clash', () => {
    const p = build({
      modelArtifacts: { name: 'org/m', uri: 'hf://org/m', labels: { 'llm-d.ai/role': 'x' } },
      routing: { servicePort: 8000, proxy: { targetPort: 8000 } },
      decode: { extraConfig: { containers: [] }, containers: [{ extraConfig: { args: [] } }] },
    }).join('\n');
    expect(p).toContain('modelArtifacts.labels.llm-d.ai/role: value "x" is not allowed');
    expect(p).toContain('routing.proxy.targetPort: value 8000 is not allowed (the sidecar listens on servicePort');
    expect(p).toContain('decode.extraConfig.containers: value [] is not allowed (the construct sets it');
    expect(p).toContain('decode.containers[0].extraConfig.args: value [] is not allowed (the construct sets it');
  });
  test('routing sidecar zap flags: only the values the sidecar accepts', () => {
    const bad = { zapEncoder: 'xml', zapStacktraceLevel: 'warn', zapTimeEncoding: 'unix', zapLogLevel: 'very loud' } as unknown as ModelServiceRoutingProxyOptions;
    const p = build({ routing: { proxy: bad } }).join('\n');
    expect(p).toContain('routing.proxy.zapEncoder: value "xml" is not allowed (the sidecar refuses any other value at start); allowed: json, console');
    expect(p).toContain('routing.proxy.zapStacktraceLevel: value "warn" is not allowed (the sidecar refuses any other value at start); allowed: info, error, panic');
    expect(p).toContain('routing.proxy.zapTimeEncoding: value "unix" is not allowed');
    expect(p).toContain('routing.proxy.zapLogLevel: value "very loud" is not allowed; allowed: a level name');
    expect(build({ routing: { proxy: { zapEncoder: 'console', zapLogLevel: 2, zapStacktraceLevel: 'panic', zapTimeEncoding: 'rfc3339' } } }).join('\n')).not.toContain('routing.proxy.zap');
  });
  test('bad size, mount path, model name, acceleratorTypes key', () => {
    const p = build({ modelArtifacts: { name: '', uri: 'hf://org/m', size: 'lots', mountPath: 'rel' }, decode: { acceleratorTypes: { labelKey: 'bad key!' } } }).join('\n');
    expect(p).toContain('modelArtifacts.size: value "lots"');
    expect(p).toContain('modelArtifacts.mountPath: value "rel" is not allowed; allowed: an absolute path');
    expect(p).toContain('modelArtifacts.name: value "" is not allowed');
    expect(p).toContain('decode.acceleratorTypes.labelKey: value "bad key!" is not allowed; allowed: a node label key');
  });
});

describe('helm adapter refusals name the key', () => {
  const refuse = (values: Record<string, unknown>): string => {
    try {
      modelServicePropsFromValues(values, CTX);
    } catch (e) {
      expect(e).toBeInstanceOf(LlmdValidationError);
      return (e as Error).message;
    }
    throw new Error('not refused');
  };
  test.each([
    [{ decode: { resourceClaims: [{ nme: 'x' }] } }, /decode.resourceClaims\[0\].name: value undefined is not allowed; allowed: a string/],
    [{ decode: { accelerator: { dra: 'yes' } } }, /decode.accelerator.dra: value "yes" is not allowed; allowed: true or false/],
    [{ tracing: { enabled: true, sampling: { bogus: 1 } } }, /tracing.sampling.bogus/],
    [{ requester: { enable: true, image: "" } }, /requester.image: value "" is not allowed \(the chart renders an empty image\); allowed: the requester image/],
    [{ extraObjects: [{ kind: 'x' }] }, /extraObjects: .*add your own constructs/],
    [{ decode: { autoscaling: { enabled: true } } }, /decode.autoscaling.enabled: value true is not allowed/],
    [{ multinode: true, prefill: { hostIPC: 'yes' } }, /prefill.hostIPC: value "yes" is not allowed; allowed: true or false/],
    [{ decode: { bogus: 1 } }, /decode.bogus/],
    [{ modelArtifacts: { nope: 1 } }, /modelArtifacts.nope/],
    [{ decode: { containers: [{ image: 'x', modelCommand: 'run' }] } }, /decode.containers\[0\].modelCommand: value "run" is not allowed; allowed: vllmServe, imageDefault or custom/],
    [{ decode: { containers: [{ modelCommand: 'custom', command: ['x'] }] } }, /decode.containers\[0\].image: .*the chart requires the image/],
    [{ decode: { containers: [{ image: 'x', resources: { claims: [{ name: 'gpu' }] } }] } }, /decode.containers\[0\].resources.claims/],
    [{ decode: { parallelism: { data: 3, dataLocal: 0, workers: 2 } } }, /decode.parallelism: .*the chart fails: parallelism.data must be a multiple of parallelism.workers/],
    [{ decode: { replicas: 'two' } }, /decode.replicas: value "two" is not allowed; allowed: an integer/],
  ])('%j', (values, message) => {
    expect(refuse(values)).toMatch(message);
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
