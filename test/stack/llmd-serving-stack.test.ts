/**
 * LlmdServingStack with vLLM model servers: derived wiring, and the refusals of the mistakes the
 * GPU guides (seeds 003 and 004) document, each asserted on the problem's structured fields.
 */
import { ReportedProblem } from '../../src/core/errors';
import { validateTree } from '../../src/synth/validate';
import { ModelService } from '../../src/model-service';
import { InferenceRoute } from '../../src/routing';
import { EndpointPickerConfig } from '../../src/scheduler';
import { LlmdServingStack, LlmdServingStackProps, ModelServerEngine } from '../../src/stack';
import { expectRefusal, newChart, objectOf } from '../support';
import { modelRoutes } from '../../src/system/requests';
import { podGroups } from '../../src/system/workloads';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const pd = (extra: Partial<LlmdServingStackProps['models'][number]> = {}): LlmdServingStackProps => ({
  models: [{ model: MODEL, storage: { uri: `hf://${MODEL}` }, engine: ModelServerEngine.vllm({ decode: { replicas: 2 }, prefill: { replicas: 2 } }), ...extra }],
});

test('a vLLM model defaults to decode-only pods behind one pool that selects them', () => {
  const { app } = newChart('x');
  const stack = new LlmdServingStack(app, 'stack', { models: [{ model: MODEL, storage: { uri: `hf://${MODEL}` } }] });
  const objects = stack.toJson() as Record<string, any>[];
  expect(objectOf(objects, 'InferencePool', 'gaie').spec.selector.matchLabels).toEqual(stack.models[0].modelService.podLabels);
  expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['ms-llm-d-modelservice-decode', 'gaie-epp']);
  expect(stack.describe()).toContain('# stack: llm-d serving stack');
});

test('prefill pods get the release\'s prefill/decode scheduler config and the decode pods may call them', () => {
  const { app } = newChart('x');
  const stack = new LlmdServingStack(app, 'stack', { ...pd(), networkPolicies: true });
  const objects = stack.toJson() as Record<string, any>[];
  expect(objectOf(objects, 'ConfigMap', 'gaie-epp').data['custom-plugins.yaml']).toContain('type: pd-profile-handler');
  const prefillPolicy = objects.filter((o) => o.kind === 'NetworkPolicy').find((o) => o.spec.podSelector.matchLabels['llm-d.ai/role'] === 'prefill');
  expect(prefillPolicy!.spec.ingress[1]).toEqual({ from: [{ podSelector: { matchLabels: stack.models[0].modelService.podLabels } }] });
});

test('refuses prefill pods with a scheduler config that has no prefill/decode handler', () => {
  expectRefusal((chart) => new LlmdServingStack(chart, 's', pd({ pool: { epp: { config: EndpointPickerConfig.defaultPlugins() } } })), [
    { path: 'test/s', field: 'models[0].pool.epp.config', value: ['queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer'], allowed: 'a config with one of pd-profile-handler, prefill-header-handler, disagg-profile-handler (EndpointPickerConfig.prefillDecode() or routerPrefillDecode())', why: expect.stringContaining('the model has prefill pods, and a scheduler without a prefill/decode') },
  ]);
});

test('refuses vLLM data parallelism across the pods of a Deployment (use replicas)', () => {
  // Seed 004's wrong pattern: data 8 in pods of one GPU each.
  const gpu = { limits: { 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } };
  expectRefusal((chart) => new ModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` }, decode: { replicas: 8, parallelism: { data: 8 }, containers: [{ name: 'vllm', resources: gpu }] } }), [
    { path: 'test/ms', field: 'decode.parallelism.data', value: 8, allowed: '1 with decode.replicas for the data parallelism (pods of 1 nvidia.com/gpu each), or a limit of 8', why: expect.stringContaining('vLLM would start with --data-parallel-size 8 in pods that hold 1') },
  ]);
  // And ranks spread over the pods of a Deployment (data above dataLocal).
  expectRefusal((chart) => new ModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` }, decode: { parallelism: { data: 8, dataLocal: 1 } } }), [
    { path: 'test/ms', field: 'decode.parallelism.data', value: 8, allowed: '1 (dataLocal: the ranks one pod holds), or multinode: true', why: expect.stringContaining('a Deployment\'s pods each run 1 data-parallel rank(s) of 1') },
  ]);
});

test('refuses a decode container that serves on another port than the routing sidecar calls', () => {
  expectRefusal((chart) => new ModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` }, decode: { containers: [{ name: 'vllm', modelCommand: 'imageDefault', args: ['--port', '8000'] }] } }), [
    { path: 'test/ms', field: 'decode.containers[0].args', value: '--port 8000', allowed: '--port 8200 (routing.proxy.targetPort), or no --port (the chart adds it)', why: 'the routing sidecar sends every request to port 8200; vLLM would listen on 8000' },
  ]);
});

test('refuses a route backend that names the pool in the other InferencePool API group', () => {
  expectRefusal((chart) => {
    const stack = new LlmdServingStack(chart, 's', { models: [{ model: MODEL, storage: { uri: `hf://${MODEL}` } }] });
    const legacy = InferenceRoute.poolRef({ name: 'gaie', namespace: 'llm-d', group: 'inference.networking.x-k8s.io', ports: [8000] });
    new InferenceRoute(stack, 'extra', { name: 'legacy', gateway: stack.gateway, backends: [{ pool: legacy }] });
  }, [
    { path: 'test/s/extra', field: 'backends[0].pool', value: 'inference.networking.x-k8s.io/InferencePool gaie', allowed: 'the pool\'s own API group, inference.networking.k8s.io (pass the InferenceSchedulerPool itself)', why: 'the gateway looks the backend up in that group and finds no pool: every request fails' },
  ]);
});

test('refuses model services whose pods carry identical labels (their Deployments would fight over pods)', () => {
  expectRefusal((chart) => {
    for (const id of ['a', 'b', 'c']) new ModelService(chart, id, { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` } });
  }, [
    { path: 'test/b/Resource', field: 'spec.selector.matchLabels', value: { 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct', 'llm-d.ai/role': 'decode' }, allowed: 'labels that select only the pods of b-llm-d-modelservice-decode', why: expect.stringContaining('a-llm-d-modelservice-decode (test/a/Resource) selects the same pods;') },
    { path: 'test/c/Resource', field: 'spec.selector.matchLabels', value: { 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct', 'llm-d.ai/role': 'decode' }, allowed: 'labels that select only the pods of c-llm-d-modelservice-decode', why: expect.stringContaining('a-llm-d-modelservice-decode (test/a/Resource) selects the same pods;') },
  ]);
});

describe('the fast-model-actuation requester', () => {
  const art = { name: MODEL, uri: `hf://${MODEL}` };

  test('replaces the decode Deployment with a requester ReplicaSet whose server patch carries the decode containers', () => {
    const { chart } = newChart('llm-d');
    new ModelService(chart, 'ms', { modelArtifacts: art, requester: { image: 'ghcr.io/llm-d-incubation/llm-d-fast-model-actuation/requester:v0.3.0' } });
    const objects = chart.toJson() as Record<string, any>[];
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'ReplicaSet']);
    const rs = objectOf(objects, 'ReplicaSet', 'ms-llm-d-modelservice-decode');
    const patch = rs.spec.template.metadata.annotations['dual-pod.llm-d.ai/server-patch'];
    expect(patch).toContain('model-repo: meta-llama');
    expect(patch).toContain('name: routing-proxy');
    expect(patch).toContain('--served-model-name');
    expect(rs.spec.template.spec.containers[0].resources.limits).toEqual({ 'nvidia.com/gpu': 1, cpu: 1, memory: '250Mi' });
  });

  test.each<[string, object, string, unknown, string]>([
    ['an empty image', { image: '' }, 'requester.image', '', 'the requester image, e.g. ghcr.io/llm-d-incubation/llm-d-fast-model-actuation/requester:<tag>'],
    ['a port out of range', { image: 'r:1', adminPort: 70000 }, 'requester.adminPort', 70000, 'a port number from 1 to 65535'],
    ['a fractional GPU count', { image: 'r:1', limits: { gpus: 0.5 } }, 'requester.limits.gpus', 0.5, 'a whole number of GPUs'],
  ])('refuses %s', (_name, requester, field, value, allowed) => {
    expectRefusal((chart) => new ModelService(chart, 'ms', { modelArtifacts: art, requester: requester as never }), [{ path: 'test/ms', field, value, allowed }]);
  });
});

describe('several models and plain OpenAI clients', () => {
  const two = (defaultModel?: string, bodyBasedRouting = false): LlmdServingStackProps => ({
    models: [{ model: 'org/a', storage: { uri: 'hf://org/a' } }, { model: 'org/b', storage: { uri: 'hf://org/b' } }],
    bodyBasedRouting,
    ...(defaultModel !== undefined ? { defaultModel } : {}),
  });

  test('by default the body-based router routes by the model in the body: no warning, no catch-all, the system model sees every model reachable', () => {
    const { app } = newChart('x');
    const stack = new LlmdServingStack(app, 's', { models: two().models });
    const warnings: ReportedProblem[] = [];
    validateTree(app, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
    const objects = stack.toJson() as Record<string, any>[];
    expect(objectOf(objects, 'EnvoyFilter', 'body-based-router').metadata.namespace).toBe('llm-d');
    expect(objectOf(objects, 'Deployment', 'body-based-router').spec.template.spec.containers[0].image).toMatch(/\/bbr:/);
    const rules = objectOf(objects, 'HTTPRoute').spec.rules;
    expect(rules.map((r: any) => r.matches[0].headers[0].value)).toEqual(['org/a', 'org/b']);
    const manifests = objects.map((manifest) => ({ manifest }));
    expect(modelRoutes(manifests, podGroups(manifests))).toEqual([
      expect.objectContaining({ model: 'org/a', backends: [{ pool: 'gaie-a', weight: 1 }], byBody: true }),
      expect.objectContaining({ model: 'org/b', backends: [{ pool: 'gaie-b', weight: 1 }], byBody: true }),
    ]);
  });

  test('with the body-based router a default model is refused: it would answer for models the stack does not serve', () => {
    expectRefusal((chart) => new LlmdServingStack(chart, 's', { ...two('a'), bodyBasedRouting: true }), [
      { path: 'test/s', field: 'defaultModel', value: 'a', allowed: 'unset with bodyBasedRouting (or bodyBasedRouting: false to keep a catch-all rule)', why: expect.stringContaining('the body-based router names each request\'s model; a catch-all rule') },
    ]);
  });

  test('without the router and a default model, synth warns that header-less requests match no rule', () => {
    const { app } = newChart('x');
    new LlmdServingStack(app, 's', two());
    const warnings: ReportedProblem[] = [];
    validateTree(app, (w) => warnings.push(w));
    expect(warnings.filter((w) => w.path === 's')).toEqual([expect.objectContaining({ path: 's', field: 'defaultModel', allowed: expect.stringContaining('set defaultModel to one of a, b') })]);
    // The system model adds: the header rules reach only clients that send the header.
    expect(warnings.filter((w) => w.path !== 's').map((w) => w.field)).toEqual(['spec.rules[0].matches', 'spec.rules[1].matches']);
  });

  test('without the router, a default model gets the catch-all rule, after the header rules; no warning of the stack', () => {
    const { app } = newChart('x');
    const stack = new LlmdServingStack(app, 's', two('b'));
    const warnings: ReportedProblem[] = [];
    validateTree(app, (w) => warnings.push(w));
    expect(warnings.filter((w) => w.path === 's')).toEqual([]);
    const rules = objectOf(stack.toJson() as Record<string, any>[], 'HTTPRoute').spec.rules;
    expect(rules.map((r: any) => r.backendRefs[0].name)).toEqual(['gaie-a', 'gaie-b', 'gaie-b']);
    expect(rules[2].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
  });

  test('refuses a default model that is not one of the models', () => {
    expectRefusal((chart) => new LlmdServingStack(chart, 's', two('c')), [{ path: 'test/s', field: 'defaultModel', value: 'c', allowed: 'the key or model of one of the models: a, b' }]);
  });
});

test('the description carries a picture drawn from the stack itself', () => {
  const { app } = newChart('x');
  const stack = new LlmdServingStack(app, 's', { ...pd(), models: [...pd().models, { model: 'org/other', key: 'other' }], defaultModel: 'other' });
  const text = stack.describe();
  const picture = text.slice(text.indexOf('```mermaid'), text.indexOf('```', text.indexOf('```mermaid') + 3));
  for (const s of stack.models) {
    expect(picture).toContain(`InferencePool ${s.pool.poolName}`);
    expect(picture).toContain(`EPP ${s.pool.endpointPicker.name}`);
  }
  expect(picture).toContain(`Gateway ${stack.gateway.gatewayName}`);
  expect(picture).toContain('prefill pods');
  expect(picture).toContain('PVC model-pvc-other');
});

describe('prefill/decode moves the KV cache', () => {
  const vllmOf = (objects: Record<string, any>[], role: string) => objectOf(objects, 'Deployment', `ms-llm-d-modelservice-${role}`).spec.template.spec.containers[0];

  test.each(['decode', 'prefill'])('the %s pods run the NIXL KV connector and its side channel on the pod IP', (role) => {
    const { app } = newChart('x');
    const objects = new LlmdServingStack(app, 'stack', pd()).toJson() as Record<string, any>[];
    const vllm = vllmOf(objects, role);
    const i = vllm.args.indexOf('--kv-transfer-config');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(vllm.args[i + 1])).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
    expect(vllm.env).toContainEqual({ name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
  });

  test('decode-only pods get no KV connector; a matching given one is not repeated', () => {
    const { app } = newChart('x');
    const objects = new LlmdServingStack(app, 'stack', { models: [{ model: MODEL, storage: { uri: `hf://${MODEL}` } }] }).toJson() as Record<string, any>[];
    expect(vllmOf(objects, 'decode').args ?? []).not.toContain('--kv-transfer-config');
    const given = ['--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'];
    const { app: app2 } = newChart('y');
    const withGiven = new LlmdServingStack(app2, 'stack', { models: [{ model: MODEL, storage: { uri: `hf://${MODEL}` }, engine: ModelServerEngine.vllm({ decode: { containers: [{ args: given }] }, prefill: { containers: [{ args: given }] } }) }] }).toJson() as Record<string, any>[];
    expect(vllmOf(withGiven, 'decode').args.filter((a: string) => a === '--kv-transfer-config')).toHaveLength(1);
  });

  // Product problem: reported at the built model (test/s/model) as engine.decode.containers[0].args, not at
  // the stack (test/s) as models[0].engine.decode.containers[0].args, the prop the user wrote.
  test('a conflicting connector is refused with the reason', () => {
    const lmcache = ['--kv-transfer-config', '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}'];
    expectRefusal((chart) => new LlmdServingStack(chart, 's', { models: [{ model: MODEL, storage: { uri: `hf://${MODEL}` }, engine: ModelServerEngine.vllm({ decode: { containers: [{ args: lmcache }] }, prefill: {} }) }] }), [
      { path: 'test/s', field: 'models[0].engine.decode.containers[0].args', value: '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}', allowed: '--kv-transfer-config {"kv_connector":"NixlConnector","kv_role":"kv_both"} (or leave it out: the stack sets it)', why: expect.stringContaining('the routing sidecar runs --connector=nixlv2, which hands the KV cache') },
    ]);
  });
});
