import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { InferenceRoute, IstioGieGateway, RngdServingStack, RngdServingStackProps, synthApp } from '../../src';
import { modelKey } from '../../src/stack';
import { expectRefusal, objectOf } from '../support';
import { checkApp } from '../../src/testing';
import { validateTree } from '../../src';

const LLAMA = 'furiosa-ai/Llama-3.1-8B-Instruct';

function build(props: Partial<RngdServingStackProps> = {}, extra?: (s: RngdServingStack) => void): { out: string; app: App; stack: RngdServingStack } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-stack-')), 'dist');
  const app = new App({ outdir: out });
  const stack = new RngdServingStack(app, 'stack', { models: [{ model: LLAMA }], ...props });
  extra?.(stack);
  return { out, app, stack };
}

/** Synthesizes the app (a refusal must come before anything is written): asserts nothing was written. */
function synthesizing(b: { out: string; app: App }): () => void {
  return () => {
    try {
      synthApp(b.app);
    } finally {
      expect(fs.existsSync(b.out)).toBe(false);
    }
  };
}

describe('RngdServingStack defaults', () => {
  test('a one-line model gives the guide stack in namespace llm-d', () => {
    const { stack } = build();
    const objects = stack.toJson() as Record<string, any>[];
    expect(stack.namespace).toBe('llm-d');
    const pool = objectOf(objects, 'InferencePool', 'gaie');
    expect(pool.spec.targetPorts).toEqual([{ number: 8000 }]);
    expect(pool.spec.endpointPickerRef).toEqual({ name: 'gaie-epp', port: { number: 9002 } });
    const route = objectOf(objects, 'HTTPRoute', 'llm-d');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'llm-d-infra-inference-gateway' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie', port: 8000, weight: 1 }]);
    expect(objectOf(objects, 'DestinationRule', 'gaie-epp').spec.host).toBe('gaie-epp.llm-d.svc.cluster.local');
    const ms = objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.template;
    expect(ms.metadata.labels).toEqual(expect.objectContaining(pool.spec.selector.matchLabels));
    expect(ms.spec.containers[0].resources.limits['furiosa.ai/rngd']).toBe('1');
    const job = objects.find((o: any) => o.kind === 'Job' && /^model-downloader-[0-9a-f]{10}$/.test(o.metadata.name)) as any;
    expect(job.spec.template.spec.containers.some((c: any) => JSON.stringify(c.env ?? []).includes('hf-token-secret'))).toBe(true);
  });

  test('the DestinationRule host follows the namespace', () => {
    const { stack } = build({ namespace: 'serving' });
    expect(objectOf(stack.toJson() as any[], 'DestinationRule', 'gaie-epp').spec.host).toBe('gaie-epp.serving.svc.cluster.local');
  });

  test('one HF token Secret everywhere, given as a cdk8s-plus Secret', () => {
    const secret = kplus.Secret.fromSecretName(new Chart(new App(), 'refs'), 'hf', 'my-hf');
    const { stack } = build({ hfTokenSecret: secret });
    expect(stack.hfTokenSecret).toBe(secret);
    const refs: unknown[] = [];
    JSON.stringify(stack.toJson(), (_k, v) => {
      if (v && typeof v === 'object' && (v as { name?: unknown }).name === 'HF_TOKEN' && 'valueFrom' in v) refs.push((v as { valueFrom: unknown }).valueFrom);
      return v;
    });
    expect(refs.length).toBeGreaterThanOrEqual(2);
    expect(refs).toEqual(refs.map(() => ({ secretKeyRef: { name: 'my-hf', key: 'HF_TOKEN' } })));
    expect(JSON.stringify(stack.toJson())).not.toContain('hf-token-secret');
  });

  test('storage by URI skips the downloader', () => {
    const { stack } = build({ models: [{ model: LLAMA, storage: { uri: `hf://${LLAMA}` } }] });
    const objects = stack.toJson() as any[];
    expect(objects.filter((o) => o.kind === 'Job' || o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  test('canary: equal matches share a rule with weights', () => {
    const { stack } = build({
      models: [
        { model: LLAMA, key: 'stable', routing: { matches: [{ path: { value: '/' } }], weight: 90 } },
        { model: LLAMA, key: 'canary', routing: { matches: [{ path: { value: '/' } }], weight: 10 }, modelService: { decode: { containers: [{ name: 'furiosa-llm', args: ['--enable-prefix-caching'] }] } }, names: { claim: 'model-pvc-canary' } },
      ],
    });
    // Same model twice: the pools must not select each other's pods, so labels are made distinct.
    const route = objectOf(stack.toJson() as any[], 'HTTPRoute', 'llm-d');
    expect(route.spec.rules).toHaveLength(1);
    expect(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['gaie-stable', 90], ['gaie-canary', 10]]);
  });

  test('describe() lists every object of the stack', () => {
    const { stack } = build();
    const text = stack.describe();
    for (const o of stack.toJson() as any[]) expect(text).toContain(`| ${o.kind} | \`${o.metadata.name}\` |`);
  });

  test('modelKey', () => {
    expect(modelKey('furiosa-ai/Llama-3.1-8B-Instruct')).toBe('llama-3-1-8b-instruct');
    expect(modelKey('Qwen/Qwen2.5_0.5B')).toBe('qwen2-5-0-5b');
  });
});

describe('RngdServingStack validation: synth fails listing every problem, and writes nothing', () => {
  // Product problem: the value is the internal parallelism object {tensor: 8, data: 2, pipeline: 1}, not the
  // 8 the user wrote at models[0].tensorParallelism.
  test('RNGD per pod above the node maximum', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, tensorParallelism: 8, dataParallelism: 2 }], maxRngdPerNode: 1 })), [
      { path: 'stack', field: 'models[0].tensorParallelism', value: 8, allowed: 'at most 1 RNGD per pod' },
    ]);
  });

  test('DNS-1123 violation in a model key', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, key: 'Llama_8B' }, { model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct' }] })), [
      { path: 'stack', field: 'models[0].key', value: 'Llama_8B', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
  });

  test('DNS-1123 violation in the namespace', () => {
    expectRefusal(synthesizing(build({ namespace: 'LLM_D' })), [
      { path: 'stack', field: 'namespace', value: 'LLM_D', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
  });

  test('two pools selecting the same pods', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, key: 'a' }, { model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', key: 'b', pool: { selector: { 'llm-d.ai/inferenceServing': 'true' } } }] })), [
      { path: 'stack', field: 'models[1].pool.selector', value: { 'llm-d.ai/inferenceServing': 'true' }, allowed: 'labels that select only the pods of furiosa-ai/EXAONE-3.5-7.8B-Instruct', why: 'pool gaie-b also selects the pods of furiosa-ai/Llama-3.1-8B-Instruct (pool gaie-a)' },
    ]);
  });

  // Product problem: reported at the built pool (stack/model/pool) as modelServers[0].podLabels with the
  // server's labels as value, not at the prop the user wrote, models[0].pool.selector.
  test('label mismatch between a pool selector and its model pods', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, pool: { selector: { app: 'other' } } }] })), [
      { path: 'stack', field: 'models[0].pool.selector', value: { app: 'other' }, allowed: expect.any(String) },
    ]);
  });

  // Product problem: reported at the built pool (stack/model/pool) as modelServers[0].servingPort: 8000, not
  // at models[0].pool.targetPorts; and the system model repeats it at stack/route/Resource
  // (spec.rules[0].backendRefs[0]), a follow-on the user did not write.
  test('port mismatch between the pool targetPorts and the serving port', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, pool: { targetPorts: [9000] } }] })), [
      { path: 'stack', field: 'models[0].pool.targetPorts', value: [9000], allowed: expect.any(String) },
    ]);
  });

  test('a route to a stack pool from another gateway of the mesh is accepted (Istio calls the pool\'s picker from any gateway)', () => {
    const b = build({}, (s) => {
      const other = new IstioGieGateway(s, 'other-gw', { releaseName: 'other' });
      new InferenceRoute(s, 'side-route', { gateway: other, name: 'side', backends: [{ pool: s.models[0].pool }] });
    });
    expect(() => synthApp(b.app)).not.toThrow();
  });

  // Product problem: one name the user gave twice (models[*].names.pool) is reported as 14 problems at the
  // built constructs (stack/a/pool, stack/b/pool/epp/ServiceAccount, ... monitoring.metricsSecretName,
  // metadata.name, spec.selector.matchLabels), none at the prop the user wrote.
  test('name collisions between objects of the same kind', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, key: 'a', names: { pool: 'same' } }, { model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', key: 'b', names: { pool: 'same' } }] })), [
      { path: 'stack', field: 'models[1].names.pool', value: 'same', allowed: expect.any(String) },
    ]);
  });

  // Product problem: named models[0].modelService.modelArtifacts.authSecret (value "hf-token-secret"), a prop
  // the stack's models do not have; the user wrote models[0].storage.download.tokenSecret (the servers take
  // the stack's hfTokenSecret).
  test('a token secret that differs between downloader and model service', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA, storage: { download: { tokenSecret: { name: 'other-secret' } } } }] })), [
      { path: 'stack', field: 'models[0].storage.download.tokenSecret', value: { name: 'other-secret' }, allowed: expect.any(String), why: 'the downloader and the model servers must use the same Hugging Face token Secret' },
    ]);
  });

  // Product problem: 7 follow-on problems after models[1].key: models[0].pool.selector and
  // models[1].pool.selector, stack/route rules[0].backends[1], monitoring.metricsSecretName at
  // stack/llama-3-1-8b-instruct/pool and .../llama-3-1-8b-instruct-1/pool, and selector overlaps at
  // stack/llama-3-1-8b-instruct-1/server/Resource and .../pool/epp/Resource.
  test('duplicate model keys', () => {
    expectRefusal(synthesizing(build({ models: [{ model: LLAMA }, { model: LLAMA }] })), [
      { path: 'stack', field: 'models[1].key', value: 'llama-3-1-8b-instruct', allowed: 'a key unique among the models', why: 'models[0] has it too; set key to tell them apart' },
    ]);
  });

  // Product problem: a follow-on at the built route, stack/route backends: [] ("at least one backend
  // (props.backends, addBackend() or addRule())"), which the stack user cannot set.
  test('no models', () => {
    expectRefusal(synthesizing(build({ models: [] })), [{ path: 'stack', field: 'models', value: [], allowed: 'at least one model' }]);
  });

  test('every problem is listed at once', () => {
    expectRefusal(synthesizing(build({ namespace: 'Bad', models: [{ model: LLAMA, tensorParallelism: 0 }] })), [
      { path: 'stack', field: 'namespace', value: 'Bad', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
      { path: 'stack', field: 'models[0].tensorParallelism', value: 0, allowed: 'a positive integer' },
    ]);
  });

  describe('a stack that starts on a real cluster', () => {
    const servers = (objects: any[]) => objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.template;
    const jobOf = (objects: any[]) => objects.find((o: any) => o.kind === 'Job') as any;

    test('servers wait for the download marker, on the same claim', () => {
      const objects = build().stack.toJson() as any[];
      const marker = jobOf(objects).spec.template.metadata.annotations['llm-d.ai/completion-marker'];
      expect(marker).toMatch(/^\.llm-d\/download-[0-9a-f]+\.complete$/);
      const wait = servers(objects).spec.initContainers[0];
      expect(wait).toMatchObject({ name: 'wait-for-model', env: [{ name: 'LLM_D_WAIT_FOR_FILE', value: `/model-cache/${marker}` }], volumeMounts: [{ name: 'model-storage', mountPath: '/model-cache', readOnly: true }] });
      expect(wait.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(checkApp(App.of(build().stack))).toEqual([]);
    });

    test('the pods sharing a ReadWriteOnce claim run on one node; ReadWriteMany needs no affinity', () => {
      const objects = build().stack.toJson() as any[];
      expect(servers(objects).metadata.labels['llm-d.ai/model-claim']).toBe('model-pvc');
      expect(servers(objects).spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: { matchLabels: { 'llm-d.ai/model-claim': 'model-pvc' } }, topologyKey: 'kubernetes.io/hostname' }]);
      const rwx = build({ models: [{ model: LLAMA, replicas: 12, storage: { download: { accessModes: ['ReadWriteMany'] } } }] }).stack.toJson() as any[];
      expect(servers(rwx).spec.affinity).toBeUndefined();
      expect(servers(rwx).metadata.labels['llm-d.ai/model-claim']).toBeUndefined();
    });

    // Product problem: the system model's finding stays at the built Deployment
    // (stack/model/server/Resource, spec.template.spec.volumes[model-storage]: "model-pvc"), not at the
    // prop the user wrote, models[0].replicas (or models[0].storage.download.accessModes).
    test('more pods on a ReadWriteOnce claim than one node holds is refused with the ways out', () => {
      const { stack } = build({ models: [{ model: LLAMA, replicas: 9 }] });
      expectRefusal(stack, [
        { path: 'stack', field: 'models[0].replicas', value: 9, allowed: expect.stringMatching(/^at most 8 pods sharing it .*ReadWriteMany.*hf:\/\//) },
      ]);
    });

    test('the downloader runs the server image with its own Hugging Face client: no pip, no package index', () => {
      const job = jobOf(build({ models: [{ model: LLAMA, image: 'furiosaai/furiosa-llm:2026.1.0' }] }).stack.toJson() as any[]);
      const c = job.spec.template.spec.containers[0];
      expect(c.image).toBe('furiosaai/furiosa-llm:2026.1.0');
      expect(JSON.stringify(c.command)).not.toContain('pip');
      const pip = jobOf(build({ models: [{ model: LLAMA, storage: { download: { image: 'python:3.12.11-slim-bookworm' } } }] }).stack.toJson() as any[]);
      expect(pip.spec.template.spec.containers[0].image).toBe('python:3.12.11-slim-bookworm');
    });

    test('anonymous downloads leave no token reference anywhere', () => {
      const objects = build({ models: [{ model: LLAMA, storage: { download: { anonymous: true } } }] }).stack.toJson() as any[];
      expect(JSON.stringify(objects)).not.toContain('hf-token-secret');
      expect(JSON.stringify(objects)).not.toContain('HF_TOKEN');
    });
  });

  describe('a shared gateway', () => {
    const objectsOf = (app: App) => app.charts.flatMap((c) => c.toJson() as any[]);

    test('imported by name from another namespace: no Gateway of ours, the route names it, policies admit its pods there', () => {
      const app = new App();
      const platform = new Chart(app, 'platform', { namespace: 'gateways' });
      const shared = IstioGieGateway.fromGatewayName(platform, 'gw', 'platform-gateway');
      const stack = new RngdServingStack(app, 'team', { namespace: 'team-a', gateway: shared, networkPolicies: true, models: [{ model: LLAMA }] });
      const objects = objectsOf(app);
      expect(objects.filter((o) => o.kind === 'Gateway')).toEqual([]);
      expect(stack.ownGateway).toBeUndefined();
      expect(objectOf(objects, 'HTTPRoute', 'llm-d').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform-gateway', namespace: 'gateways' }]);
      const epp = objectOf(objects, 'NetworkPolicy', 'llm-d-epp');
      expect(epp.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'platform-gateway' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }]);
      expect(() => validateTree(app)).not.toThrow();
    });

    test('another stack\'s gateway: both routes attach, and a listener that admits only its own namespace is refused', () => {
      const app = new App();
      const first = new RngdServingStack(app, 'first', { namespace: 'llm-d', models: [{ model: LLAMA }], gateway: { listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] } });
      new RngdServingStack(app, 'second', { namespace: 'team-b', gateway: first.gateway, models: [{ model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct' }] });
      expect(() => validateTree(app)).not.toThrow();
      const app2 = new App();
      const own = new RngdServingStack(app2, 'first', { namespace: 'llm-d', models: [{ model: LLAMA }], gateway: { listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] } });
      new RngdServingStack(app2, 'second', { namespace: 'team-b', gateway: own.gateway, models: [{ model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct' }] });
      expectRefusal(app2, [{ path: 'second', field: 'namespace', value: 'team-b', allowed: 'the gateway\'s namespace "llm-d"' }]);
    });

    test('a benchmark needs a gateway of this app', () => {
      const app = new App();
      const shared = IstioGieGateway.fromGatewayName(new Chart(app, 'p', { namespace: 'gateways' }), 'gw', 'platform-gateway');
      new RngdServingStack(app, 'team', { gateway: shared, models: [{ model: LLAMA }], operations: { benchmark: true } });
      expectRefusal(app, [{ path: 'team', field: 'operations.benchmark', value: true, allowed: 'unset with a shared gateway (create a ServingBenchmark in the app that owns it)' }]);
    });
  });
});
