/**
 * Property tests over RngdServingStack: 1 to 4 models with random parallelism, replicas, keys,
 * storage and routing, judged by an oracle (see support.ts).
 *
 * Rules covered, named by the prop the user wrote (path `stack`): tensor and data parallelism
 * positive integers (`models[i].tensorParallelism`, `models[i].dataParallelism`); RNGD cards per
 * pod `ceil(tensor * data / 8)` at most `maxRngdPerNode` (named at `models[i].tensorParallelism`);
 * `maxRngdPerNode` a positive integer; replicas non-negative integers; the namespace and model
 * keys DNS-1123 labels, keys unique; at least one model; a downloaded model an `<org>/<model>`
 * id; storage URIs; download sizes; route weights from 0 to 1000000.
 *
 * Meaning of accepted stacks, per model: its decode Deployment has the replicas, the serve args
 * (model, port, parallelism flags, the guide's args), TP/DP sizes and the RNGD cards; its pool
 * selects its pods and no other model's, on port 8000; the route sends to the pool with the weight;
 * a downloaded model's claim and download Job or Pod name the model.
 */
import * as fc from 'fast-check';
import { DEFAULT_FURIOSA_LLM_IMAGE } from '../../src/model-service/furiosa-rules';
import { RngdModelProps, RngdServingStack, RngdServingStackProps } from '../../src/stack';
import { Arbs, bothModes, checkOracle, envValue, Expected, hits, isDnsLabel, isNonNegativeInt, isPositiveInt, junkString, Manifest, named, ofKind, Oracle, SEED } from './support';

const VALID_MODELS = ['furiosa-ai/Llama-3.1-8B-Instruct', 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', 'Qwen/Qwen3-8B'];
const VALID_URIS = ['hf://furiosa-ai/Llama-3.1-8B-Instruct', 'pvc://models/llama'];
const VALID_IMAGES = ['furiosaai/furiosa-llm:2026.1.0', 'furiosaai/furiosa-llm:latest'];
const GUIDE_ARGS = ['--enable-prefix-caching', '--disable-uvicorn-access-log'];

const props = ({ mostly, count, name }: Arbs): fc.Arbitrary<RngdServingStackProps> => {
  const model: fc.Arbitrary<RngdModelProps> = fc.record({
    model: mostly(fc.constantFrom(...VALID_MODELS), fc.oneof(junkString, fc.constantFrom('a/b/c', 'gpt2'))),
    key: mostly(fc.constant(undefined), name),
    tensorParallelism: mostly(fc.constantFrom(1, 2, 4, 8, 16, 32), fc.constantFrom(0, 3.5, 64, 128, -1)),
    dataParallelism: mostly(fc.constantFrom(1, 2), count(4)),
    replicas: mostly(fc.integer({ min: 0, max: 3 }), count(3)),
    image: mostly(fc.constant(undefined), fc.constantFrom(...VALID_IMAGES, '')),
    storage: fc.oneof(
      fc.constant(undefined),
      fc.record({ uri: mostly(fc.constantFrom(...VALID_URIS), fc.constantFrom('oci://r/m:1', 'junk')) }),
      fc.record({ download: fc.record({ storageSize: mostly(fc.constantFrom('20Gi', '100Gi'), fc.constant('lots')), workload: fc.constantFrom('job' as const, 'pod' as const) }, { requiredKeys: [] }) }),
    ),
    routing: mostly(
      fc.constant(undefined),
      fc.record({ weight: mostly(fc.integer({ min: 1, max: 100 }), fc.constant(-1)), matches: fc.constant([{ path: { type: 'PathPrefix' as const, value: '/' } }]) }, { requiredKeys: [] }),
    ),
  }, { requiredKeys: ['model'] });
  return fc.record({
    namespace: mostly(fc.constantFrom('llm-d', 'serving'), fc.constant('Bad_NS')),
    models: mostly(fc.uniqueArray(model, { minLength: 1, maxLength: 4, selector: (m) => m.key ?? m.model }), fc.array(model, { maxLength: 4 })),
    maxRngdPerNode: mostly(fc.constantFrom(undefined, 2, 4, 8, 16), fc.constant(0)),
    networkPolicies: fc.boolean(),
  }, { requiredKeys: ['models'] });
};

const STACK = 'stack';

/** The documented default key: the lower-cased last segment of the model, other characters as "-". */
function defaultKey(model: string): string {
  const last = model.slice(model.lastIndexOf('/') + 1);
  return last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

/** What the documented defaults make of one model. */
function resolveModel(p: RngdServingStackProps, m: RngdModelProps, i: number) {
  const several = p.models.length > 1;
  const key = m.key ?? defaultKey(m.model);
  const tensor = m.tensorParallelism ?? 8;
  const data = m.dataParallelism ?? 1;
  const maxPerNode = p.maxRngdPerNode ?? 8;
  const uri = m.storage?.uri;
  const downloads = uri === undefined;
  // Models with equal matches share a rule: the given PathPrefix "/" (also the single model's default) or the model header.
  const rule = m.routing?.matches !== undefined || !several ? 'prefix' : `header ${m.model}`;
  return { i, several, key, tensor, data, maxPerNode, uri, downloads, rule, cards: Math.ceil((tensor * data) / 8) };
}

const oracle: Oracle<RngdServingStackProps> = {
  refusals(p) {
    const out: Expected[] = [];
    const at = (field: string, value: unknown) => out.push({ path: STACK, field, value });
    if (p.namespace !== undefined && !isDnsLabel(p.namespace)) at('namespace', p.namespace);
    if (p.models.length === 0) at('models', []);
    const maxPerNode = p.maxRngdPerNode ?? 8;
    // Checked by every model's servers (reported once): with no model, nothing reads it.
    if (!isPositiveInt(maxPerNode) && p.models.length > 0) at('maxRngdPerNode', maxPerNode);
    const keys: string[] = [];
    const rules: string[] = [];
    const backends = new Map<string, number>();
    p.models.forEach((m, i) => {
      const r = resolveModel(p, m, i);
      const f = `models[${i}]`;
      if (!isDnsLabel(r.key) || keys.includes(r.key)) at(`${f}.key`, r.key);
      keys.push(r.key);
      if (m.tensorParallelism !== undefined && !isPositiveInt(m.tensorParallelism)) at(`${f}.tensorParallelism`, m.tensorParallelism);
      if (m.dataParallelism !== undefined && !isPositiveInt(m.dataParallelism)) at(`${f}.dataParallelism`, m.dataParallelism);
      // The RNGD rule names the tensor parallelism, the first thing to lower.
      if (isPositiveInt(r.tensor) && isPositiveInt(r.data) && isPositiveInt(maxPerNode) && r.cards > maxPerNode) {
        out.push({ path: STACK, field: `${f}.tensorParallelism`, value: r.tensor, rule: 'RNGD per node' });
      }
      if (m.replicas !== undefined && !isNonNegativeInt(m.replicas)) at(`${f}.replicas`, m.replicas);
      // A downloaded model is stored under its Hugging Face id, <org>/<model> (the value named is the id or the URI made of it).
      if (r.downloads && m.model.split('/').length !== 2) out.push({ path: STACK, field: `${f}.model` });
      if (r.uri !== undefined && !VALID_URIS.includes(r.uri)) at(`${f}.storage.uri`, r.uri);
      if (m.storage?.download?.storageSize === 'lots') at(`${f}.storage.download.storageSize`, 'lots');
      // Route weights: the route's own rule (rules in order of their matches, backends in order of the models).
      if (!rules.includes(r.rule)) rules.push(r.rule);
      const backend = backends.get(r.rule) ?? 0;
      backends.set(r.rule, backend + 1);
      const weight = m.routing?.weight;
      if (weight !== undefined && !(isNonNegativeInt(weight) && weight <= 1000000)) out.push({ path: `${STACK}/route`, field: `rules[${rules.indexOf(r.rule)}].backends[${backend}].weight`, value: weight });
    });
    return out;
  },

  valid(p) {
    if (p.namespace !== undefined && !isDnsLabel(p.namespace)) return false;
    if (p.models.length === 0 || !isPositiveInt(p.maxRngdPerNode ?? 8)) return false;
    const keys = p.models.map((m, i) => resolveModel(p, m, i).key);
    if (!keys.every(isDnsLabel) || new Set(keys).size !== keys.length) return false;
    return p.models.every((m, i) => {
      const r = resolveModel(p, m, i);
      return (
        VALID_MODELS.includes(m.model) &&
        (!r.downloads || m.model.split('/').length === 2) &&
        (r.uri === undefined || VALID_URIS.includes(r.uri)) &&
        isPositiveInt(r.tensor) && isPositiveInt(r.data) && r.cards <= r.maxPerNode &&
        (m.replicas === undefined || isNonNegativeInt(m.replicas)) &&
        (m.image === undefined || VALID_IMAGES.includes(m.image)) &&
        m.storage?.download?.storageSize !== 'lots' &&
        // A downloaded claim is ReadWriteOnce: its pods share one node (the system model's rule), and a
        // bare download Pod would not (left out of the valid domain).
        (!r.downloads || (m.storage?.download?.workload !== 'pod' && (m.replicas ?? 1) * r.cards <= r.maxPerNode)) &&
        (m.routing?.weight === undefined || m.routing.weight >= 0)
      );
    });
  },

  meaning(p, objects) {
    const namespace = p.namespace ?? 'llm-d';
    const models = p.models.map((m, i) => ({ m, r: resolveModel(p, m, i) }));
    const deployments = models.map(({ r }) => named(objects, 'Deployment', `${r.several ? `ms-${r.key}` : 'ms'}-llm-d-modelservice-decode`));
    const route = named(objects, 'HTTPRoute', 'llm-d');
    const routed: Manifest[] = route.spec.rules.flatMap((x: Manifest) => x.backendRefs);
    models.forEach(({ m, r }, i) => {
      const deployment = deployments[i];
      expect(deployment.metadata.namespace).toBe(namespace);
      expect(deployment.spec.replicas).toBe(m.replicas ?? 1);
      const pod = deployment.spec.template;
      const server: Manifest = pod.spec.containers.find((c: Manifest) => c.name === 'furiosa-llm');
      expect(server.image).toBe(m.image || DEFAULT_FURIOSA_LLM_IMAGE);
      // furiosa-llm serve <model> --port 8000 [--tensor-parallel-size t] [--data-parallel-size d] <the guide's args>
      const modelArg = r.uri === undefined ? m.model : r.uri.startsWith('hf://') ? r.uri.slice('hf://'.length) : `/model-cache/${r.uri.replace(/^pvc:\/\/[^/]+\//, '')}`;
      const flags = [...(r.tensor > 1 ? ['--tensor-parallel-size', String(r.tensor)] : []), ...(r.data > 1 ? ['--data-parallel-size', String(r.data)] : [])];
      expect(server.args).toEqual([modelArg, '--port', '8000', ...flags, ...GUIDE_ARGS]);
      expect(envValue(server, 'TP_SIZE')).toBe(String(r.tensor));
      expect(envValue(server, 'DP_SIZE')).toBe(String(r.data));
      expect(server.resources.limits['furiosa.ai/rngd']).toBe(String(r.cards));
      expect(server.resources.requests['furiosa.ai/rngd']).toBe(String(r.cards));
      // The model's pool selects its pods, and only them, on the serving port.
      const pool = named(objects, 'InferencePool', r.several ? `gaie-${r.key}` : 'gaie');
      const selects = (d: Manifest) => Object.entries(pool.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v);
      expect(deployments.map(selects)).toEqual(deployments.map((d) => d === deployment));
      expect(pool.spec.targetPorts).toEqual([{ number: 8000 }]);
      // The route sends the model's share of traffic to the pool.
      expect(routed).toContainEqual(expect.objectContaining({ kind: 'InferencePool', name: pool.metadata.name, port: 8000, weight: m.routing?.weight ?? 1 }));
      // A downloaded model: its claim, and the download of the model into it.
      if (r.downloads) {
        const claim = named(objects, 'PersistentVolumeClaim', r.several ? `model-pvc-${r.key}` : 'model-pvc');
        if (m.storage?.download?.storageSize) expect(claim.spec.resources.requests.storage).toBe(m.storage.download.storageSize);
        const downloads = [...ofKind(objects, 'Job').map((j) => j.spec.template.spec), ...ofKind(objects, 'Pod').map((x) => x.spec)].filter((s) =>
          s.volumes.some((v: Manifest) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
        expect(downloads).toHaveLength(1);
        expect([...(downloads[0].initContainers ?? []), ...downloads[0].containers].map((c: Manifest) => envValue(c, 'LLM_D_REPO_ID'))).toContain(m.model);
        expect(pod.spec.volumes).toContainEqual(expect.objectContaining({ persistentVolumeClaim: expect.objectContaining({ claimName: claim.metadata.name }) }));
      }
    });
    expect(ofKind(objects, 'NetworkPolicy').length > 0).toBe(p.networkPolicies === true);
  },
};

describe('fuzz: RngdServingStack (1..4 models)', () => {
  test('refused by the rule the oracle names, or accepted with the values in the objects', () => {
    const r = checkOracle(bothModes(props), (p) => (_chart, app) => new RngdServingStack(app, 'stack', p), oracle, 90, SEED);
    expect(r.acceptedValid).toBeGreaterThan(15);
    expect(r.refusedByRule).toBeGreaterThan(15);
    // Among them the parallelism and RNGD-per-node rules.
    expect(hits(r, 'models[].tensorParallelism', 'models[].dataParallelism')).toBeGreaterThan(5);
    expect(hits(r, 'RNGD per node')).toBeGreaterThan(5);
    expect(hits(r, 'maxRngdPerNode', 'models[].replicas')).toBeGreaterThan(5);
  });
});
