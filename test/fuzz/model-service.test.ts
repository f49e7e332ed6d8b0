/**
 * Property tests over FuriosaModelService and ModelPvcDownloader props: any input either
 * synthesizes into schema-valid manifests or is refused with an LlmdValidationError.
 */
import * as fc from 'fast-check';
import { FuriosaModelService, FuriosaModelServiceProps } from '../../src/model-service';
import { ModelPvcDownloader, ModelPvcDownloaderProps } from '../../src/storage';
import { Arbs, bothModes, check, dnsLabel, junkString } from './support';

const props = ({ mostly, name, port, quantity, labels, count }: Arbs) => {
const repoId = mostly(fc.constantFrom('furiosa-ai/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-0.6B', 'gpt2', 'org/model.v2'), fc.oneof(junkString, fc.constant('a/b/c'), fc.constant("x'; rm -rf /")));
const uri = mostly(
  fc.oneof(
    repoId.map((r) => `hf://${r}`),
    fc.tuple(dnsLabel, fc.constantFrom('llama', 'models/llama', 'a/b/c')).map(([c, p]) => `pvc://${c}/${p}`),
    fc.tuple(dnsLabel, fc.constantFrom('', 'hub/'), repoId).map(([c, h, r]) => `pvc+hf://${c}/${h}${r}`),
  ),
  fc.oneof(fc.constantFrom('oci://r/m:1', 'ftp://x/y', 'hf://', 'pvc://', 's3://bucket/model'), junkString),
);
const probePort = mostly(port, fc.oneof(fc.constantFrom('furiosa-llm', 'http', 'nope'), junkString));
const parallelism = (valid: readonly number[]) => mostly(fc.constantFrom(...valid), fc.oneof(fc.integer({ min: -2, max: 128 }), fc.constant(1.5)));

const ms: fc.Arbitrary<FuriosaModelServiceProps> = fc.record(
  {
    releaseName: name,
    modelArtifacts: fc.record({ name: mostly(repoId, fc.constant('')), uri, size: quantity, labels, mountPath: mostly(fc.constant('/model-cache'), fc.constantFrom('/models', 'relative')) }, { requiredKeys: ['name', 'uri'] }),
    decode: fc.record({
      replicas: count(4),
      parallelism: fc.record({ tensor: parallelism([1, 2, 4, 8, 16]), data: parallelism([1, 2]), pipeline: parallelism([1]) }, { requiredKeys: [] }),
      containers: fc.uniqueArray(
        fc.record({
          name: name,
          ports: fc.uniqueArray(fc.record({ containerPort: port, name: mostly(fc.constantFrom('http', 'furiosa-llm', 'metrics'), junkString) }), { maxLength: 2, selector: (p) => p.name }),
          livenessProbe: probePort.map((p) => ({ httpGet: { path: '/health', port: p } })),
          readinessProbe: fc.record({ httpGet: fc.record({ path: fc.constant('/v1/models'), port: probePort }), periodSeconds: fc.integer({ min: 1, max: 60 }) }),
          resources: fc.record({ requests: fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] }), limits: fc.record({ memory: quantity }, { requiredKeys: [] }) }, { requiredKeys: [] }),
          defaultResourceRequests: fc.boolean(),
        }, { requiredKeys: [] }),
        { minLength: 1, maxLength: 2, selector: (c) => c.name ?? 'furiosa-llm' },
      ),
      hardening: fc.record({ enabled: fc.boolean(), runAsNonRoot: fc.boolean(), runAsUser: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: [] }),
      monitoring: fc.record({ podmonitor: fc.record({ enabled: fc.boolean(), interval: fc.constantFrom('30s', '1m') }) }),
    }, { requiredKeys: [] }),
    routing: fc.record({ servicePort: port, proxy: fc.record({ enabled: fc.boolean(), targetPort: port }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    accelerator: fc.record({ type: fc.constantFrom('furiosa' as const, 'cpu' as const), maxRngdPerNode: mostly(fc.integer({ min: 1, max: 16 }), count(16)) }, { requiredKeys: [] }),
    dra: fc.record({ enabled: fc.boolean() }),
  },
  { requiredKeys: ['modelArtifacts'] },
);

const dl: fc.Arbitrary<ModelPvcDownloaderProps> = fc.record(
  {
    repoId,
    name,
    claimName: name,
    revision: mostly(fc.constantFrom('main', 'v1.0', 'refs/pr/1', 'abc123'), fc.oneof(junkString, fc.constant('../x'))),
    allowPatterns: fc.array(mostly(fc.constantFrom('*.json', '*.safetensors', 'tokenizer*', '[a-z]*.bin'), junkString), { maxLength: 3 }),
    ignorePatterns: fc.array(mostly(fc.constantFrom('original/*', '*.pth'), junkString), { maxLength: 2 }),
    storageSize: quantity,
    storageClassName: mostly(dnsLabel, junkString),
    accessModes: mostly(
      fc.uniqueArray(fc.constantFrom('ReadWriteOnce' as const, 'ReadWriteMany' as const, 'ReadWriteOncePod' as const), { minLength: 1, maxLength: 2 }),
      fc.array(fc.constantFrom('ReadOnlyMany' as const, 'Bogus' as never), { maxLength: 2 }),
    ),
    hubCachePath: mostly(fc.constantFrom('', 'hub', 'cache/hub'), fc.constantFrom('/abs', '../up', 'a//b')),
    mountPath: mostly(fc.constantFrom('/models', '/data/models'), fc.constantFrom('/', '/tmp', '/tmp/x', 'rel')),
    tokenSecret: mostly(dnsLabel, junkString).map((name) => ({ name })),
    runAsUser: mostly(fc.integer({ min: 1, max: 65535 }), fc.oneof(fc.constant(0), fc.constant(-1))),
    labels,
  },
  { requiredKeys: ['repoId'] },
).chain((p) =>
  // Job settings only with the Job shape (junk mode also tries them on the Pod shape).
  fc.oneof(
    fc.record({ workload: fc.constant('job' as const), backoffLimit: count(10), ttlSecondsAfterFinished: count(3600) }, { requiredKeys: ['workload'] }),
    fc.record({ workload: fc.constant('pod' as const), backoffLimit: mostly(fc.constant(undefined), count(3)) }, { requiredKeys: ['workload'] }),
  ).map((w) => ({ ...p, ...w })),
);
return { ms, dl };
};

const msProps = bothModes((a) => props(a).ms);
const dlProps = bothModes((a) => props(a).dl);

describe('fuzz: FuriosaModelService', () => {
  test('synth gives schema-valid manifests or an LlmdValidationError', () => {
    const r = check(msProps, (p) => (chart) => new FuriosaModelService(chart, 'ms', p), 150);
    // Both branches are exercised (the generator is neither all-valid nor all-junk).
    expect(r.accepted).toBeGreaterThan(10);
    expect(r.refused).toBeGreaterThan(10);
  });
});

describe('fuzz: ModelPvcDownloader', () => {
  test('synth gives schema-valid manifests or an LlmdValidationError', () => {
    const r = check(dlProps, (p) => (chart) => new ModelPvcDownloader(chart, 'dl', p), 200);
    expect(r.accepted).toBeGreaterThan(10);
    expect(r.refused).toBeGreaterThan(10);
  });
});
