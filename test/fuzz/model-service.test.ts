/**
 * Property tests over FuriosaModelService and ModelPvcDownloader props, judged by an oracle (see
 * support.ts): inputs a covered rule must refuse are refused by that rule (path, field, value);
 * valid inputs synthesize into schema-valid objects that carry the values given.
 *
 * FuriosaModelService rules covered: parallelism (tensor, data, pipeline) positive integers; RNGD
 * cards per pod `ceil(tensor * data * pipeline / 8)` at most accelerator.maxRngdPerNode (default 8;
 * with DRA the claim's count); maxRngdPerNode a positive integer; decode.replicas a non-negative
 * integer; release name, container names DNS-1123 labels; ports 1-65535 (service port, container
 * ports, sidecar target port other than the service port); port names IANA service names; probes
 * naming a declared port; quantities; model name set; oci:// refused; absolute mount path, and
 * /model-cache with pvc+hf://.
 */
import * as fc from 'fast-check';
import { FuriosaModelService, FuriosaModelServiceProps } from '../../src/model-service';
import { ModelPvcDownloader, ModelPvcDownloaderProps } from '../../src/storage';
import {
  Arbs,
  MALFORMED_QUANTITIES,
  quantityValue,
  bothModes,
  checkOracle,
  dnsLabel,
  envValue,
  Expected,
  hits,
  isDnsLabel,
  isDnsSubdomain,
  isNonNegativeInt,
  isPort,
  isPortName,
  isPositiveInt,
  junkString,
  Manifest,
  named,
  ofKind,
  Oracle,
  SEED,
  VALID_QUANTITIES,
  validLabels,
} from './support';

const VALID_REPOS = ['furiosa-ai/Llama-3.1-8B-Instruct', 'Qwen/Qwen3-0.6B', 'gpt2', 'org/model.v2'];
const PVC_PATHS = ['llama', 'models/llama', 'a/b/c'];
const VALID_PORT_NAMES = ['http', 'furiosa-llm', 'metrics'];

const props = ({ mostly, name, port, quantity, labels, count }: Arbs) => {
const repoId = mostly(fc.constantFrom(...VALID_REPOS), fc.oneof(junkString, fc.constant('a/b/c'), fc.constant("x'; rm -rf /")));
const uri = mostly(
  fc.oneof(
    repoId.map((r) => `hf://${r}`),
    fc.tuple(dnsLabel, fc.constantFrom(...PVC_PATHS)).map(([c, p]) => `pvc://${c}/${p}`),
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
      parallelism: fc.record({ tensor: parallelism([1, 2, 4, 8, 16, 32, 64]), data: parallelism([1, 2]), pipeline: parallelism([1]) }, { requiredKeys: [] }),
      containers: fc.uniqueArray(
        fc.record({
          name: name,
          ports: fc.uniqueArray(fc.record({ containerPort: port, name: mostly(fc.constantFrom(...VALID_PORT_NAMES), junkString) }), { maxLength: 2, selector: (p) => p.name }),
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

// --- FuriosaModelService oracle -----------------------------------------------------------------

const MS = 'fuzz/ms';
const DEFAULT_MOUNT = '/model-cache';

/** The model URI's kind and the model argument of `furiosa-llm serve`, for the URIs the arbitraries give. */
function parseUri(uri: string, mountPath: string): { scheme: 'hf' | 'pvc' | 'pvc+hf'; arg: string; valid: boolean } | undefined {
  if (uri.startsWith('hf://')) return { scheme: 'hf', arg: uri.slice('hf://'.length), valid: VALID_REPOS.includes(uri.slice('hf://'.length)) };
  const pvc = /^pvc:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (pvc) return { scheme: 'pvc', arg: `${mountPath}/${pvc[2]}`, valid: isDnsLabel(pvc[1]) && PVC_PATHS.includes(pvc[2]) };
  // pvc+hf://<claim>/[<hub cache path>/]<org>/<model>
  const phf = /^pvc\+hf:\/\/([^/]+)\/(hub\/)?(.+)$/.exec(uri);
  if (phf) return { scheme: 'pvc+hf', arg: uri.split('/').slice(-2).join('/'), valid: isDnsLabel(phf[1]) && VALID_REPOS.includes(phf[3]) && phf[3].split('/').length === 2 };
  return undefined;
}

interface ResolvedContainer {
  readonly name: string;
  readonly ports: ReadonlyArray<{ containerPort: unknown; name?: unknown; protocol?: string }>;
  readonly portNames: string[];
}

/** What the documented defaults make of the props. */
function resolveMs(p: FuriosaModelServiceProps) {
  const decode = p.decode ?? {};
  const par = decode.parallelism ?? {};
  const tensor = par.tensor ?? 4;
  const data = par.data ?? 1;
  const pipeline = par.pipeline ?? 1;
  const parallelismOk = [tensor, data, pipeline].every(isPositiveInt);
  const cards = parallelismOk ? Math.ceil((tensor * data * pipeline) / 8) : 0;
  const dra = p.dra?.enabled ?? false;
  const type = p.accelerator?.type ?? 'furiosa';
  const maxPerNode = p.accelerator?.maxRngdPerNode ?? 8;
  const perPod = dra ? cards : type === 'cpu' ? 0 : cards;
  const servicePort = p.routing?.servicePort ?? 8000;
  const proxy = p.routing?.proxy?.enabled ?? false;
  const targetPort = p.routing?.proxy?.targetPort ?? 8200;
  const listenPort = proxy ? targetPort : servicePort;
  const mountPath = p.modelArtifacts.mountPath ?? DEFAULT_MOUNT;
  const containers: ResolvedContainer[] = (decode.containers ?? [{}]).map((c) => {
    const name = c.name ?? 'furiosa-llm';
    const ports = c.ports ?? [{ containerPort: listenPort, name: isPortName(name) ? name : 'http', protocol: 'TCP' }];
    return { name, ports, portNames: ports.flatMap((x) => (typeof x.name === 'string' && x.name !== '' ? [x.name] : [])) };
  });
  return { decode, tensor, data, pipeline, parallelismOk, cards, dra, type, maxPerNode, perPod, servicePort, proxy, targetPort, listenPort, mountPath, containers, release: p.releaseName ?? 'ms' };
}

const msOracle: Oracle<FuriosaModelServiceProps> = {
  refusals(p) {
    const r = resolveMs(p);
    const out: Expected[] = [];
    const at = (field: string, value: unknown) => out.push({ path: MS, field, value });
    if (p.releaseName !== undefined && !isDnsLabel(p.releaseName)) at('releaseName', p.releaseName);
    const art = p.modelArtifacts;
    if (typeof art.name === 'string' && art.name.trim() === '') at('modelArtifacts.name', art.name);
    if (art.uri?.startsWith('oci://')) at('modelArtifacts.uri', art.uri);
    if (art.size !== undefined && MALFORMED_QUANTITIES.includes(art.size)) at('modelArtifacts.size', art.size);
    if (!r.mountPath.startsWith('/')) at('modelArtifacts.mountPath', r.mountPath);
    else if (art.uri !== undefined && parseUri(art.uri, r.mountPath)?.scheme === 'pvc+hf' && parseUri(art.uri, r.mountPath)?.valid && r.mountPath !== DEFAULT_MOUNT) at('modelArtifacts.mountPath', r.mountPath);
    if (r.decode.replicas !== undefined && !isNonNegativeInt(r.decode.replicas)) at('decode.replicas', r.decode.replicas);
    for (const k of ['tensor', 'data', 'pipeline'] as const) {
      const v = r.decode.parallelism?.[k];
      if (v !== undefined && !isPositiveInt(v)) at(`decode.parallelism.${k}`, v);
    }
    if (!isPositiveInt(r.maxPerNode)) at('accelerator.maxRngdPerNode', r.maxPerNode);
    else if (r.parallelismOk && r.perPod > r.maxPerNode) {
      // The rule names the parallelism (what to lower), or the DRA claim's count.
      if (r.dra) out.push({ path: MS, field: 'dra.claimTemplates[furiosa].count', value: r.cards, rule: 'RNGD per node' });
      else out.push({ path: MS, field: 'decode.parallelism', value: { tensor: r.tensor, data: r.data, pipeline: r.pipeline }, rule: 'RNGD per node' });
    }
    if (!isPort(r.servicePort)) at('routing.servicePort', r.servicePort);
    if (r.proxy && !isPort(r.targetPort)) at('routing.proxy.targetPort', r.targetPort);
    if (r.proxy && r.targetPort === r.servicePort) at('routing.proxy.targetPort', r.targetPort);
    (r.decode.containers ?? []).forEach((c, i) => {
      const f = `decode.containers[${i}]`;
      if (c.name !== undefined && !isDnsLabel(c.name)) at(`${f}.name`, c.name);
      (c.ports ?? []).forEach((port, j) => {
        if (!isPort(port.containerPort)) at(`${f}.ports[${j}].containerPort`, port.containerPort);
        if (port.name !== undefined && !isPortName(port.name)) at(`${f}.ports[${j}].name`, port.name);
      });
      for (const k of ['livenessProbe', 'readinessProbe'] as const) {
        const pn = c[k]?.httpGet?.port;
        if (typeof pn === 'string' && !r.containers[i].portNames.includes(pn)) at(`${f}.${k}`, pn);
      }
      for (const part of ['requests', 'limits'] as const) {
        for (const [k, v] of Object.entries(c.resources?.[part] ?? {})) if (MALFORMED_QUANTITIES.includes(v as string)) at(`${f}.resources.${part}.${k}`, v);
      }
    });
    return out;
  },

  valid(p) {
    const r = resolveMs(p);
    const art = p.modelArtifacts;
    const uri = art.uri === undefined ? undefined : parseUri(art.uri, r.mountPath);
    if (p.releaseName !== undefined && !isDnsLabel(p.releaseName)) return false;
    if (!VALID_REPOS.includes(art.name) || !uri?.valid) return false;
    if (art.size !== undefined && !VALID_QUANTITIES.includes(art.size)) return false;
    // hf:// downloads into an emptyDir of that size: whole bytes.
    if (art.size !== undefined && uri.scheme === 'hf' && !Number.isInteger(quantityValue(art.size))) return false;
    if (art.labels !== undefined && !validLabels(art.labels)) return false;
    if (r.mountPath !== DEFAULT_MOUNT && !(r.mountPath === '/models' && uri.scheme !== 'pvc+hf')) return false;
    if (r.decode.replicas !== undefined && !isNonNegativeInt(r.decode.replicas)) return false;
    if (!r.parallelismOk || !isPositiveInt(r.maxPerNode) || r.perPod > r.maxPerNode) return false;
    if (!isPort(r.servicePort) || (r.proxy && (!isPort(r.targetPort) || r.targetPort === r.servicePort))) return false;
    // Every port of the pod bound once (the sidecar binds the service port).
    const bound = [...r.containers.flatMap((c) => c.ports.map((x) => x.containerPort)), ...(r.proxy ? [r.servicePort] : [])];
    if (new Set(bound).size !== bound.length) return false;
    return (r.decode.containers ?? [{}]).every((c, i) => {
      if (c.name !== undefined && !isDnsLabel(c.name)) return false;
      if (!(c.ports ?? []).every((x) => isPort(x.containerPort) && (x.name === undefined || VALID_PORT_NAMES.includes(x.name)))) return false;
      const probesOk = [c.livenessProbe, c.readinessProbe].every((probe) => {
        const pn = probe?.httpGet?.port;
        return pn === undefined || (typeof pn === 'number' ? isPort(pn) : r.containers[i].portNames.includes(pn));
      });
      const quantities = [...Object.values(c.resources?.requests ?? {}), ...Object.values(c.resources?.limits ?? {})];
      if (!quantities.every((q) => VALID_QUANTITIES.includes(q as string))) return false;
      // A request above its limit is refused (the API server's rule).
      const request = c.resources?.requests?.memory;
      const limit = c.resources?.limits?.memory;
      return probesOk && (request === undefined || limit === undefined || quantityValue(String(request)) <= quantityValue(String(limit)));
    });
  },

  meaning(p, objects) {
    const r = resolveMs(p);
    const fullname = r.release.includes('llm-d-modelservice') ? r.release : `${r.release}-llm-d-modelservice`;
    const deployment = named(objects, 'Deployment', `${fullname}-decode`);
    expect(deployment.metadata.namespace).toBe('llm-d');
    expect(deployment.spec.replicas).toBe(r.decode.replicas ?? 1);
    const pod = deployment.spec.template;
    // The pods carry the model's labels and the decode role, and the Deployment selects them.
    const labels = p.modelArtifacts.labels ?? { 'llm-d.ai/inferenceServing': 'true' };
    expect(pod.metadata.labels).toEqual(expect.objectContaining({ ...labels, 'llm-d.ai/role': 'decode' }));
    expect(deployment.spec.selector.matchLabels).toEqual(expect.objectContaining({ ...labels, 'llm-d.ai/role': 'decode' }));
    expect(pod.spec.serviceAccountName).toBe(fullname);

    const containers: Manifest[] = pod.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(r.containers.map((c) => c.name));
    const uri = parseUri(p.modelArtifacts.uri!, r.mountPath)!;
    const parallelFlags = [...(r.tensor > 1 ? ['--tensor-parallel-size', String(r.tensor)] : []), ...(r.data > 1 ? ['--data-parallel-size', String(r.data)] : []), ...(r.pipeline > 1 ? ['--pipeline-parallel-size', String(r.pipeline)] : [])];
    containers.forEach((c, i) => {
      // `furiosa-llm serve <model> --port <port>` with the parallelism flags, sizes also in env.
      expect(c.command).toEqual(['furiosa-llm', 'serve']);
      expect(c.args).toEqual([uri.arg, '--port', String(r.listenPort), ...parallelFlags]);
      expect(envValue(c, 'TP_SIZE')).toBe(String(r.tensor));
      expect(envValue(c, 'DP_SIZE')).toBe(String(r.data));
      expect(envValue(c, 'PP_SIZE')).toBe(String(r.pipeline));
      expect(c.ports ?? []).toEqual(r.containers[i].ports.map((x) => expect.objectContaining(x)));
      // The RNGD cards: the extended resource, or a DRA claim of that many devices.
      const limits = c.resources?.limits ?? {};
      const requests = c.resources?.requests ?? {};
      if (r.dra) {
        expect(c.resources.claims).toEqual([{ name: 'furiosa-resource-claim' }]);
        expect(limits['furiosa.ai/rngd']).toBeUndefined();
      } else if (r.type === 'cpu') {
        expect(limits['furiosa.ai/rngd']).toBeUndefined();
        expect(requests['furiosa.ai/rngd']).toBeUndefined();
      } else {
        expect(limits['furiosa.ai/rngd']).toBe(String(r.cards));
        expect(requests['furiosa.ai/rngd']).toBe(String(r.cards));
      }
      const given = p.decode?.containers?.[i]?.resources;
      for (const [k, v] of Object.entries(given?.limits ?? {})) expect(limits[k]).toBe(v);
      for (const [k, v] of Object.entries(given?.requests ?? {})) expect(requests[k]).toBe(v);
    });
    const claims = ofKind(objects, 'ResourceClaimTemplate');
    if (r.dra) {
      expect(claims).toHaveLength(1);
      expect(claims[0].spec.spec.devices.requests[0].exactly.count).toBe(r.cards);
    } else expect(claims).toHaveLength(0);
    // The routing sidecar listens on the service port.
    const sidecar = (pod.spec.initContainers ?? []).find((c: Manifest) => c.name === 'routing-proxy');
    if (r.proxy) expect(sidecar.ports).toEqual([{ containerPort: r.servicePort }]);
    else expect(sidecar).toBeUndefined();
    expect(ofKind(objects, 'PodMonitor')).toHaveLength(p.decode?.monitoring?.podmonitor?.enabled ? 1 : 0);
  },
};

// --- ModelPvcDownloader oracle ------------------------------------------------------------------

const DL = 'fuzz/dl';
const WRITABLE_MODES = ['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod'];
const PATTERN = /^[A-Za-z0-9._\-/*?[\]]+$/;

const dlOracle: Oracle<ModelPvcDownloaderProps> = {
  refusals(p) {
    const out: Expected[] = [];
    const at = (field: string, value: unknown) => out.push({ path: DL, field, value });
    if (['a/b/c', "x'; rm -rf /"].includes(p.repoId)) at('repoId', p.repoId);
    if (p.name !== undefined && !isDnsLabel(p.name)) at('name', p.name);
    if (p.claimName !== undefined && !isDnsSubdomain(p.claimName)) at('claimName', p.claimName);
    if (p.revision === '../x') at('revision', p.revision);
    for (const key of ['allowPatterns', 'ignorePatterns'] as const) (p[key] ?? []).forEach((x, i) => x !== '' && !PATTERN.test(x) && at(`${key}[${i}]`, x));
    if (p.storageSize !== undefined && MALFORMED_QUANTITIES.includes(p.storageSize)) at('storageSize', p.storageSize);
    if (p.storageClassName !== undefined && !isDnsSubdomain(p.storageClassName)) at('storageClassName', p.storageClassName);
    const modes = p.accessModes ?? ['ReadWriteOnce'];
    if (modes.length === 0) at('accessModes', []);
    modes.forEach((m, i) => m === ('Bogus' as never) && at(`accessModes[${i}]`, m));
    if (modes.length === 1 && modes[0] === 'ReadOnlyMany') at('accessModes', modes);
    if (['/abs', '../up', 'a//b'].includes(p.hubCachePath ?? '')) at('hubCachePath', p.hubCachePath);
    if (['/', '/tmp', '/tmp/x', 'rel'].includes(p.mountPath ?? '/models')) at('mountPath', p.mountPath);
    if (p.tokenSecret && !isDnsSubdomain(p.tokenSecret.name)) at('tokenSecret.name', p.tokenSecret.name);
    if (p.runAsUser !== undefined && p.runAsUser < 1) at('runAsUser', p.runAsUser);
    for (const key of ['backoffLimit', 'ttlSecondsAfterFinished'] as const) {
      const v = p[key];
      if (v === undefined) continue;
      if (!isNonNegativeInt(v)) at(key, v);
      // Job settings on a bare Pod.
      if (p.workload === 'pod') at(key, v);
    }
    return out;
  },

  valid(p) {
    return (
      VALID_REPOS.includes(p.repoId) &&
      (p.name === undefined || isDnsLabel(p.name)) &&
      (p.claimName === undefined || isDnsLabel(p.claimName)) &&
      (p.revision === undefined || ['main', 'v1.0', 'refs/pr/1', 'abc123'].includes(p.revision)) &&
      [...(p.allowPatterns ?? []), ...(p.ignorePatterns ?? [])].every((x) => ['*.json', '*.safetensors', 'tokenizer*', '[a-z]*.bin', 'original/*', '*.pth'].includes(x)) &&
      (p.storageSize === undefined || VALID_QUANTITIES.includes(p.storageSize)) &&
      (p.storageClassName === undefined || isDnsLabel(p.storageClassName)) &&
      (p.accessModes === undefined || (p.accessModes.length > 0 && p.accessModes.every((m) => WRITABLE_MODES.includes(m)))) &&
      ['', 'hub', 'cache/hub'].includes(p.hubCachePath ?? '') &&
      ['/models', '/data/models'].includes(p.mountPath ?? '/models') &&
      (p.tokenSecret === undefined || isDnsLabel(p.tokenSecret.name)) &&
      (p.runAsUser === undefined || p.runAsUser >= 1) &&
      (p.labels === undefined || validLabels(p.labels)) &&
      (p.workload === 'job' ? [p.backoffLimit, p.ttlSecondsAfterFinished].every((v) => v === undefined || isNonNegativeInt(v)) : p.backoffLimit === undefined)
    );
  },

  meaning(p, objects) {
    const claimName = p.claimName ?? 'model-pvc';
    const pvc = named(objects, 'PersistentVolumeClaim', claimName);
    if (p.storageSize !== undefined) expect(pvc.spec.resources.requests.storage).toBe(p.storageSize);
    expect(pvc.spec.accessModes).toEqual(p.accessModes ?? ['ReadWriteOnce']);
    expect(pvc.spec.storageClassName).toBe(p.storageClassName);
    expect(pvc.metadata.labels).toEqual(expect.objectContaining(p.labels ?? {}));
    // The workload: a Job with its settings, or a bare Pod.
    const jobs = ofKind(objects, 'Job');
    const pods = ofKind(objects, 'Pod');
    expect([jobs.length, pods.length]).toEqual(p.workload === 'pod' ? [0, 1] : [1, 0]);
    const podSpec = p.workload === 'pod' ? pods[0].spec : jobs[0].spec.template.spec;
    if (p.workload !== 'pod') {
      if (p.backoffLimit !== undefined) expect(jobs[0].spec.backoffLimit).toBe(p.backoffLimit);
      if (p.ttlSecondsAfterFinished !== undefined) expect(jobs[0].spec.ttlSecondsAfterFinished).toBe(p.ttlSecondsAfterFinished);
    }
    // The download: which repository and revision, into which directory of which claim, with which token.
    const c: Manifest = [...(podSpec.initContainers ?? []), ...podSpec.containers].find((x: Manifest) => envValue(x, 'LLM_D_REPO_ID') !== undefined);
    const mountPath = p.mountPath ?? '/models';
    const hub = p.hubCachePath ?? '';
    expect(envValue(c, 'LLM_D_REPO_ID')).toBe(p.repoId);
    if (p.revision !== undefined) expect(envValue(c, 'LLM_D_REVISION')).toBe(p.revision);
    expect(envValue(c, 'LLM_D_CACHE_DIR')).toBe(hub === '' ? mountPath : `${mountPath}/${hub}`);
    const volume = podSpec.volumes.find((v: Manifest) => v.persistentVolumeClaim !== undefined);
    expect(volume.persistentVolumeClaim.claimName).toBe(claimName);
    expect(c.volumeMounts).toContainEqual(expect.objectContaining({ name: volume.name, mountPath }));
    expect(c.env.find((e: Manifest) => e.name === 'HF_TOKEN').valueFrom.secretKeyRef.name).toBe(p.tokenSecret?.name ?? 'hf-token-secret');
    expect(c.securityContext.runAsUser).toBe(p.runAsUser ?? 1000);
  },
};

describe('fuzz: FuriosaModelService', () => {
  test('refused by the rule the oracle names, or accepted with the values in the objects', () => {
    const r = checkOracle(msProps, (p) => (chart) => new FuriosaModelService(chart, 'ms', p), msOracle, 150, SEED);
    // Both sides of the oracle are exercised, the parallelism and RNGD rules among the refusals.
    expect(r.acceptedValid).toBeGreaterThan(10);
    expect(r.refusedByRule).toBeGreaterThan(30);
    expect(hits(r, 'RNGD per node')).toBeGreaterThan(3);
    expect(hits(r, 'decode.parallelism.tensor', 'decode.parallelism.data', 'decode.parallelism.pipeline')).toBeGreaterThan(5);
    expect(hits(r, 'decode.replicas', 'accelerator.maxRngdPerNode')).toBeGreaterThan(5);
  });
});

describe('fuzz: ModelPvcDownloader', () => {
  test('refused by the rule the oracle names, or accepted with the values in the objects', () => {
    const r = checkOracle(dlProps, (p) => (chart) => new ModelPvcDownloader(chart, 'dl', p), dlOracle, 150, SEED + 1);
    expect(r.acceptedValid).toBeGreaterThan(10);
    expect(r.refusedByRule).toBeGreaterThan(20);
  });
});
