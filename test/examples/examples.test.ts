import * as fs from 'fs';
import { modelRoutes } from '../../src/system/requests';
import { podGroups } from '../../src/system/workloads';
import { checkManifests } from '../../src/testing';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { buildApp as seedApp } from '../../examples/furiosa-llama-3.1-8b/main';
import { buildApp as twoModelsApp } from '../../examples/two-models/main';
import { app as constructsApp } from '../../examples/constructs/main';
import { buildApp as withKplusApp } from '../../examples/with-cdk8s-plus/main';
import { buildApp as routerApp } from '../../examples/furiosa-llama-3.1-8b-llm-d-router/main';
import { validateManifests } from '../../src/testing';
import { synthApp } from '../../src';
import { expectContains, FIXTURES, loadCase, objectOf } from '../support';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-example-'));
}

function allObjects(charts: readonly Chart[]): Record<string, any>[] {
  return charts.flatMap((c) => c.toJson() as Record<string, any>[]);
}

describe('examples/furiosa-llama-3.1-8b (seed 000)', () => {
  const { app, stack } = seedApp(tmp());
  const objects = stack.toJson() as Record<string, any>[];

  test.each(['furiosa-seed000', 'gaie-seed000', 'infra-seed000'])('contains every object and field of %s', (name) => {
    expectContains(loadCase(name).expected, objects);
  });

  test("contains seed 000's HTTPRoute and PVC", () => {
    const seed = YAML.parseAllDocuments(fs.readFileSync(path.join(FIXTURES, 'seed000', 'httproute.yaml'), 'utf8')).map((d) => d.toJS());
    expectContains(seed, objects);
    const storage = YAML.parseAllDocuments(fs.readFileSync(path.join(FIXTURES, 'seed000', 'model-storage.yaml'), 'utf8')).map((d) => d.toJS());
    expectContains(storage.filter((o) => o.kind === 'PersistentVolumeClaim'), objects);
  });

  test("the downloader has the guide's download semantics (as a Job)", () => {
    // The Job's name ends in a hash of its template, so a changed download is a new Job.
    const job = objects.find((o) => o.kind === 'Job' && /^model-downloader-[0-9a-f]{10}$/.test(o.metadata.name)) as any;
    const spec = job.spec.template.spec;
    const volume = spec.volumes.find((v: any) => v.persistentVolumeClaim);
    expect(volume.persistentVolumeClaim.claimName).toBe('model-pvc');
    const download = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => JSON.stringify(c.command ?? c.args).includes('snapshot_download'));
    // Values reach the program through its environment, never spliced into the command.
    expect(download.env).toContainEqual({ name: 'LLM_D_REPO_ID', value: 'furiosa-ai/Llama-3.1-8B-Instruct' });
    expect(download.env).toContainEqual({ name: 'LLM_D_CACHE_DIR', value: '/models' });
    expect(download.image).toBe('furiosaai/furiosa-llm:latest');
    expect(download.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } });
    expect(download.volumeMounts).toContainEqual(expect.objectContaining({ name: volume.name, mountPath: '/models' }));
    // The model service reads the same claim, where the downloader put the hub cache.
    const ms = objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.template.spec;
    expect(ms.volumes).toContainEqual({ name: 'model-storage', persistentVolumeClaim: { claimName: 'model-pvc', readOnly: true } });
    expect(ms.containers[0].env).toContainEqual({ name: 'HF_HUB_CACHE', value: '/model-cache/' });
  });

  test('every namespaced object carries the namespace explicitly', () => {
    const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CustomResourceDefinition']);
    for (const o of objects.filter((x) => !clusterScoped.has(x.kind))) expect([o.kind, o.metadata.name, o.metadata.namespace]).toEqual([o.kind, o.metadata.name, 'llm-d']);
    for (const o of objects.filter((x) => clusterScoped.has(x.kind))) expect(o.metadata.namespace).toBeUndefined();
  });

  test('synth writes the prerequisites first, the stack, its description and the istiod values', () => {
    const out = tmp();
    const { app: a } = seedApp(out);
    synthApp(a);
    expect(fs.readdirSync(out).sort()).toEqual(['0000-llm-d-prerequisites.k8s.yaml', '0001-llm-d.k8s.yaml', 'istiod-values.yaml', 'llm-d.README.md']);
    const pre = YAML.parseAllDocuments(fs.readFileSync(path.join(out, '0000-llm-d-prerequisites.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(pre.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'inferencepools.inference.networking.k8s.io']));
    expect(pre[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d', labels: { 'kubernetes.io/metadata.name': 'llm-d' } } });
    const istiod = YAML.parse(fs.readFileSync(path.join(out, 'istiod-values.yaml'), 'utf8'));
    expect(istiod).toEqual({ meshConfig: { defaultConfig: { proxyMetadata: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } } }, pilot: { env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } } });
    expect(fs.readFileSync(path.join(out, 'llm-d.README.md'), 'utf8')).toContain('| Deployment | `ms-llm-d-modelservice-decode` | furiosa-llm model servers (2 × 1 RNGD) |');
  });

  test('snapshot', () => {
    expect(allObjects(app.charts.filter((c) => c !== stack.prerequisitesChart))).toMatchSnapshot();
  });
});

describe('examples/furiosa-llama-3.1-8b-llm-d-router (seed 000 on llm-d-router v0.10)', () => {
  const { app, stack } = routerApp(tmp());
  const objects = stack.toJson() as Record<string, any>[];
  const prereqs = stack.prerequisitesChart!.toJson() as Record<string, any>[];

  test('the EPP is llm-d-router v0.10 with the Furiosa metric names in engineConfigs and no *-metric flag', () => {
    const epp = objectOf(objects, 'Deployment', 'gaie-epp').spec.template.spec.containers[0];
    expect(epp.image).toBe('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0');
    expect(epp.args.filter((a: string) => a.includes('-metric'))).toEqual([]);
    const cfg = YAML.parse(objectOf(objects, 'ConfigMap', 'gaie-epp').data['default-plugins.yaml']);
    expect(cfg.apiVersion).toBe('llm-d.ai/v1alpha1');
    expect(cfg.plugins.find((p: any) => p.type === 'core-metrics-extractor').parameters.engineConfigs[0]).toMatchObject({ name: 'furiosa-llm', queuedRequestsSpec: 'furiosa_llm_num_requests_waiting' });
  });

  test('contains the rendered router-gateway-furiosa-seed000 pool and EPP objects (but the config file name)', () => {
    const golden = loadCase('router-gateway-furiosa-seed000').expected.filter((o: any) => ['InferencePool', 'Service', 'ServiceAccount', 'Role', 'RoleBinding', 'DestinationRule', 'ServiceMonitor', 'Secret'].includes(o.kind));
    expectContains(golden, objects);
  });

  test('the prerequisites are Gateway API v1.5.1, Inference Extension v1.6.0 and the llm-d.ai CRDs', () => {
    const crds = prereqs.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.find((c) => c.metadata.name === 'gateways.gateway.networking.k8s.io')!.metadata.annotations['gateway.networking.k8s.io/bundle-version']).toBe('v1.5.1');
    expect(crds.find((c) => c.metadata.name === 'inferencepools.inference.networking.k8s.io')!.spec.versions.map((v: any) => v.name)).toEqual(['v1']);
    expect(crds.map((c) => c.metadata.name)).toEqual(expect.arrayContaining(['inferenceobjectives.llm-d.ai', 'inferencemodelrewrites.llm-d.ai']));
  });

  test('every object validates against the vendored schemas (v1.5.1 / v1.6.0)', () => {
    expect(validateManifests(objects, { allowUnvalidated: [] }).map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
  });

  test('synthesizes', () => {
    synthApp(app);
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['0000-llm-d-prerequisites.k8s.yaml', '0001-llm-d.k8s.yaml', 'istiod-values.yaml', 'llm-d.README.md']);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('examples/two-models', () => {
  const { stack } = twoModelsApp(tmp());
  const objects = stack.toJson() as Record<string, any>[];

  test('one pool per model, each selecting only its model', () => {
    expect(objectOf(objects, 'InferencePool', 'gaie-llama').spec.selector.matchLabels).toEqual({ 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct', 'llm-d.ai/variant': 'llama' });
    expect(objectOf(objects, 'InferencePool', 'gaie-exaone').spec.selector.matchLabels).toEqual({ 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'EXAONE-3.5-7.8B-Instruct', 'llm-d.ai/variant': 'exaone' });
  });

  test('a rule per model on the header the body-based router sets from the body; the canary keeps its 90/10 weights; no catch-all', () => {
    const route = objectOf(objects, 'HTTPRoute', 'llm-d');
    expect(route.spec.rules.map((r: any) => [r.matches, r.backendRefs.map((b: any) => [b.name, b.weight])])).toEqual([
      [[{ headers: [{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'furiosa-ai/Llama-3.1-8B-Instruct' }] }], [['gaie-llama', 90], ['gaie-llama-canary', 10]]],
      [[{ headers: [{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct' }] }], [['gaie-exaone', 1]]],
    ]);
    expect(objectOf(objects, 'EnvoyFilter', 'body-based-router').spec).toBeDefined();
    // The system model: every model reachable by a request that names it only in the body.
    const manifests = objects.map((manifest) => ({ manifest }));
    expect(modelRoutes(manifests, podGroups(manifests)).map((r) => [r.model, r.byBody])).toEqual([['furiosa-ai/Llama-3.1-8B-Instruct', true], ['furiosa-ai/EXAONE-3.5-7.8B-Instruct', true]]);
    expect(checkManifests(objects).filter((f) => f.rule === 'request-path')).toEqual([]);
  });

  test('TP 4 x DP 2 is one RNGD card per pod', () => {
    const c = objectOf(objects, 'Deployment', 'ms-exaone-llm-d-modelservice-decode').spec.template.spec.containers[0];
    expect(c.resources.limits['furiosa.ai/rngd']).toBe('1');
    expect(c.args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '4', '--data-parallel-size', '2']));
  });

  test('separate metrics secrets and network policies per model', () => {
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name).sort()).toEqual(['gaie-exaone-metrics-reader-secret', 'gaie-llama-canary-metrics-reader-secret', 'gaie-llama-metrics-reader-secret']);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name).sort()).toEqual(['llm-d-downloader', 'llm-d-epp-0', 'llm-d-epp-1', 'llm-d-epp-2', 'llm-d-model-0', 'llm-d-model-1', 'llm-d-model-2']);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('examples/constructs (the README example)', () => {
  const objects = constructsApp.charts.flatMap((c) => c.toJson() as Record<string, any>[]);

  test('typed references resolve to the same names and ports', () => {
    const pool = objectOf(objects, 'InferencePool', 'gaie');
    const pod = objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.template;
    expect(pod.metadata.labels).toEqual(expect.objectContaining(pool.spec.selector.matchLabels));
    expect(pool.spec.targetPorts).toEqual([{ number: pod.spec.containers[0].ports[0].containerPort }]);
    const route = objectOf(objects, 'HTTPRoute', 'llm-d');
    expect(route.spec.parentRefs[0].name).toBe(objectOf(objects, 'Gateway').metadata.name);
    expect(route.spec.rules[0].backendRefs[0]).toEqual(expect.objectContaining({ kind: 'InferencePool', name: 'gaie', port: 8000 }));
    expect(pod.spec.volumes).toContainEqual({ name: 'model-storage', persistentVolumeClaim: { claimName: 'model-pvc', readOnly: true } });
    expect(objectOf(objects, 'Deployment', 'gaie-epp').spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--total-queued-requests-metric', 'furiosa_llm_num_requests_waiting']));
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('examples/with-cdk8s-plus', () => {
  const { app, stack, frontEnd, chat } = withKplusApp(tmp());
  const chatObjects = frontEnd.toJson() as Record<string, any>[];
  const stackObjects = stack.toJson() as Record<string, any>[];
  const policies = chatObjects.filter((o) => o.kind === 'NetworkPolicy');
  const GATEWAY = { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'llm-d-infra-inference-gateway' } };

  test('the imported token Secret is the one every HF_TOKEN names, and no Secret object is written for it', () => {
    const refs: unknown[] = [];
    JSON.stringify(stackObjects, (_k, v) => {
      if (v && typeof v === 'object' && v.name === 'HF_TOKEN') refs.push(v.valueFrom);
      return v;
    });
    expect(refs.length).toBeGreaterThanOrEqual(2);
    expect(refs).toEqual(refs.map(() => ({ secretKeyRef: { name: 'team-hf-token', key: 'HF_TOKEN' } })));
    expect([...chatObjects, ...stackObjects].filter((o) => o.kind === 'Secret' && o.metadata.name === 'team-hf-token')).toEqual([]);
  });

  test('a NetworkPolicy in llm-d admits the chat pods into the gateway pods', () => {
    const ingress = policies.find((p) => p.metadata.namespace === 'llm-d')!;
    expect(ingress.spec.podSelector).toEqual(GATEWAY);
    expect(ingress.spec.ingress[0].from[0]).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'chat' } }, podSelector: { matchLabels: chat.matchLabels } });
  });

  test('the chat pods may reach the gateway and DNS, nothing else', () => {
    const egressTo = policies
      .filter((p) => p.metadata.namespace === 'chat' && p.spec.policyTypes?.includes('Egress'))
      .flatMap((p) => (p.spec.egress ?? []).flatMap((r: any) => r.to ?? []));
    expect(egressTo.map((t: any) => t.podSelector)).toEqual(expect.arrayContaining([GATEWAY, { matchLabels: { 'k8s-app': 'kube-dns' } }]));
    expect(egressTo).toHaveLength(2);
    const denyAll = policies.find((p) => p.metadata.namespace === 'chat' && p.spec.policyTypes?.length === 2 && !p.spec.ingress && !p.spec.egress);
    expect(denyAll?.spec.podSelector.matchLabels).toEqual(chat.matchLabels);
  });

  test('synthesizes with the stack', () => {
    synthApp(app);
    expect(fs.readdirSync(app.outdir).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThanOrEqual(2);
  });

  test('snapshot', () => {
    expect([...chatObjects, ...stackObjects.filter((o) => o.kind === 'NetworkPolicy')]).toMatchSnapshot();
  });
});

