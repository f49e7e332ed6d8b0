/**
 * Issue 8: secure by default. Each default is asserted on real output, and each opt-out prop is
 * asserted to turn it off. PSS "restricted" findings: the Helm charts' output (before) against
 * the seed example (after).
 */
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { buildApp as seedApp } from '../../examples/furiosa-llama-3.1-8b/main';
import { isFloatingImageTag } from '../../src/core/security';
import { FuriosaModelService, FuriosaModelServiceProps, DEFAULT_FURIOSA_LLM_IMAGE } from '../../src/model-service';
import { DEFAULT_EPP_IMAGE, InferenceSchedulerPool, InferenceSchedulerPoolProps } from '../../src/scheduler';
import { RngdServingStack } from '../../src/stack';
import { DEFAULT_CONSUMER_IMAGE, DEFAULT_DOWNLOADER_IMAGE, ModelPvcDownloader, ModelPvcDownloaderProps } from '../../src/storage';
import { checkPodSecurityBaseline, checkPodSecurityRestricted, formatPssFindings } from '../../src/testing';
import { loadCase, newChart, synth } from '../support';
import { allOutputs, containersOf, exampleOutputs, Obj, seedStackObjects, tmpDir } from './corpus';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';
const ART = { name: MODEL, uri: `hf://${MODEL}` };

function render(build: (chart: Chart) => void): Obj[] {
  const { chart } = newChart('llm-d');
  build(chart);
  return synth(chart);
}

const modelServer = (props: Partial<FuriosaModelServiceProps> = {}) => render((c) => new FuriosaModelService(c, 'ms', { modelArtifacts: ART, ...props }));
const pool = (props: InferenceSchedulerPoolProps = {}) => render((c) => new InferenceSchedulerPool(c, 'gaie', { selector: { app: 'x' }, ...props }));
const downloader = (props: Partial<ModelPvcDownloaderProps> = {}) => render((c) => new ModelPvcDownloader(c, 'dl', { repoId: MODEL, ...props }));

/** Pod spec and its containers of the one workload of a kind in the objects. */
function workload(objects: Obj[], kind: string): { pod: Obj; containers: Obj[]; init: Obj[] } {
  const w = objects.filter((o) => o.kind === kind);
  expect(w).toHaveLength(1);
  const pod = kind === 'Pod' ? w[0].spec : w[0].spec.template.spec;
  return { pod, containers: pod.containers, init: pod.initContainers ?? [] };
}

/** The securityContext value in effect for a container (container wins over pod). */
function effective(pod: Obj, c: Obj, key: 'runAsNonRoot' | 'seccompProfile' | 'runAsUser'): unknown {
  return c.securityContext?.[key] ?? pod.securityContext?.[key];
}

function expectHardened(pod: Obj, c: Obj, opts: { nonRoot: boolean; readOnlyRoot?: boolean; seccomp?: boolean }): void {
  expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
  expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  if (opts.seccomp === false) expect(effective(pod, c, 'seccompProfile')).toBeUndefined();
  else expect(effective(pod, c, 'seccompProfile')).toEqual({ type: 'RuntimeDefault' });
  if (opts.nonRoot) expect(effective(pod, c, 'runAsNonRoot')).toBe(true);
  else expect(effective(pod, c, 'runAsNonRoot')).toBeUndefined();
  if (opts.readOnlyRoot !== undefined) expect(c.securityContext.readOnlyRootFilesystem ?? false).toBe(opts.readOnlyRoot);
}

const all = allOutputs();

describe('EPP pods', () => {
  const epps = all.flatMap((o) => containersOf(o.objects).filter((x) => x.container.name === 'epp').map((x) => ({ label: `${o.label} ${x.object}`, ...x })));

  test('exist in the corpus (every pool of every example, case and variant)', () => {
    expect(epps.length).toBeGreaterThanOrEqual(10);
  });

  test.each(epps.map((e) => [e.label, e] as const))('%s: non-root 65532, no escalation, drop ALL, RuntimeDefault, read-only root, token mounted', (_l, e) => {
    expectHardened(e.pod, e.container, { nonRoot: true, readOnlyRoot: true });
    expect(effective(e.pod, e.container, 'runAsUser')).toBe(65532);
    // The EPP watches pods and InferencePools through the API: it needs its token.
    expect(e.pod.automountServiceAccountToken ?? true).toBe(true);
  });

  test('opt-out: epp.hardening.enabled false renders no securityContext', () => {
    const { pod, containers } = workload(pool({ epp: { hardening: { enabled: false } } }), 'Deployment');
    expect(pod.securityContext).toBeUndefined();
    expect(containers[0].securityContext).toBeUndefined();
  });

  test('opt-out: epp.hardening.readOnlyRootFilesystem false, runAsUser', () => {
    const { pod, containers } = workload(pool({ epp: { hardening: { readOnlyRootFilesystem: false, runAsUser: 1001 } } }), 'Deployment');
    expect(containers[0].securityContext.readOnlyRootFilesystem).toBeUndefined();
    expect(effective(pod, containers[0], 'runAsUser')).toBe(1001);
    expectHardened(pod, containers[0], { nonRoot: true });
  });
});

describe('model downloader pods', () => {
  test.each([['job', 'Job'], ['pod', 'Pod']] as const)('%s shape: non-root 1000, no escalation, drop ALL, RuntimeDefault, read-only root, no token', (workloadKind, kind) => {
    const { pod, containers, init } = workload(downloader({ workload: workloadKind }), kind);
    for (const c of [...init, ...containers]) {
      expectHardened(pod, c, { nonRoot: true, readOnlyRoot: true });
      expect(effective(pod, c, 'runAsUser')).toBe(1000);
    }
    expect(pod.securityContext.fsGroup).toBe(1000);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('opt-out: runAsNonRoot false with runAsUser 0, readOnlyRootFilesystem false', () => {
    const { pod, containers } = workload(downloader({ runAsNonRoot: false, runAsUser: 0, readOnlyRootFilesystem: false }), 'Job');
    expectHardened(pod, containers[0], { nonRoot: false, readOnlyRoot: false });
    expect(effective(pod, containers[0], 'runAsUser')).toBe(0);
  });

  test('the token is a Secret reference, never a value', () => {
    const { containers } = workload(downloader({ tokenSecret: { name: 'hf' }, tokenSecretKey: 'token' }), 'Job');
    expect(containers[0].env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } });
  });
});

describe('model servers', () => {
  const servers = all.flatMap((o) => containersOf(o.objects).filter((x) => /-decode$/.test(x.object) && !x.init).map((x) => ({ label: `${o.label} ${x.object} ${x.container.name}`, ...x })));

  test('exist in the corpus', () => {
    expect(servers.length).toBeGreaterThanOrEqual(8);
  });

  test.each(servers.map((s) => [s.label, s] as const))('%s: no escalation, drop ALL, seccomp left to the node on RNGD (io_uring); no service account token', (_l, s) => {
    expect(s.container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(s.container.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    // RNGD servers leave seccomp to the node (io_uring); the generic vLLM ModelService sets RuntimeDefault.
    if (s.label.startsWith('case upstream-')) expect(effective(s.pod, s.container, 'seccompProfile')).toEqual({ type: 'RuntimeDefault' });
    else expect(effective(s.pod, s.container, 'seccompProfile')).toBeUndefined();
    expect(s.pod.automountServiceAccountToken).toBe(false);
  });

  test('runAsNonRoot is off by default (RNGD device nodes), on with hardening.runAsNonRoot', () => {
    const def = workload(modelServer(), 'Deployment');
    expectHardened(def.pod, def.containers[0], { nonRoot: false, seccomp: false });
    const on = workload(modelServer({ decode: { hardening: { runAsNonRoot: true, runAsUser: 1000 } } }), 'Deployment');
    expectHardened(on.pod, on.containers[0], { nonRoot: true, seccomp: false });
    expect(on.containers[0].securityContext.runAsUser).toBe(1000);
  });

  test('opt-out: hardening.enabled false renders no securityContext', () => {
    const { containers } = workload(modelServer({ decode: { hardening: { enabled: false } } }), 'Deployment');
    expect(containers[0].securityContext).toBeUndefined();
  });

  test('a container securityContext is merged over the hardened default (user values win)', () => {
    const { containers } = workload(modelServer({ decode: { containers: [{ securityContext: { capabilities: { add: ['IPC_LOCK'], drop: ['ALL'] } } }] } }), 'Deployment');
    expect(containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { add: ['IPC_LOCK'], drop: ['ALL'] } });
  });

  test('opt-in: hardening.seccompProfile sets the profile on every container', () => {
    const { containers } = workload(modelServer({ decode: { hardening: { seccompProfile: { type: 'RuntimeDefault' } } } }), 'Deployment');
    expect(containers[0].securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('RNGD io_uring: a Localhost seccomp profile replaces RuntimeDefault and keeps the pod PSS-restricted (but for runAsNonRoot)', () => {
    // Furiosa's container docs: the RNGD driver needs io_uring_setup/enter/register, which the
    // RuntimeDefault profile of containerd >= 2.0 and Docker >= 25 blocks (docs/security.md).
    const objects = modelServer({ decode: { containers: [{ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/furiosa-rngd.json' } } }] } });
    const { containers } = workload(objects, 'Deployment');
    expect(containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/furiosa-rngd.json' } });
    expect(checkPodSecurityRestricted(objects).map((f) => f.rule)).toEqual(['runAsNonRoot']);
  });

  test('opt-out: decode.automountServiceAccountToken true', () => {
    expect(workload(modelServer({ decode: { automountServiceAccountToken: true } }), 'Deployment').pod.automountServiceAccountToken).toBe(true);
  });

  test('the routing sidecar (when enabled) runs non-root and hardened', () => {
    const { pod, init } = workload(modelServer({ routing: { proxy: { enabled: true } } }), 'Deployment');
    expect(init[0].name).toBe('routing-proxy');
    expectHardened(pod, init[0], { nonRoot: true });
  });
});

describe('cpu/memory requests on every container', () => {
  const examples = exampleOutputs();
  const rows = all.flatMap((o) => containersOf(o.objects).map((x) => [`${o.label} ${x.object} ${x.init ? 'init ' : ''}${x.container.name}`, x.container] as const));

  test('every example has containers', () => {
    for (const e of examples) expect(containersOf(e.objects).length).toBeGreaterThanOrEqual(3);
  });

  test.each(rows)('%s', (_l, c) => {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    // A limit without a request makes Kubernetes use the limit as the request.
    expect(req.cpu ?? lim.cpu).toBeDefined();
    expect(req.memory ?? lim.memory).toBeDefined();
  });

  test('the gateway proxy (through the gateway-parameters ConfigMap) has requests', () => {
    for (const e of examples) {
      const cm = e.objects.find((o) => o.kind === 'ConfigMap' && o.data?.deployment);
      const proxy = YAML.parse(cm!.data.deployment).spec.template.spec.containers.find((c: Obj) => c.name === 'istio-proxy');
      expect(proxy.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    }
  });

  test('opt-out: defaultResourceRequests false leaves the model container without cpu/memory', () => {
    const { containers } = workload(modelServer({ decode: { containers: [{ defaultResourceRequests: false }] } }), 'Deployment');
    expect(containers[0].resources).toEqual({ limits: { 'furiosa.ai/rngd': '1' }, requests: { 'furiosa.ai/rngd': '1' } });
  });
});

describe('images: pinned by default, `latest` only when written explicitly', () => {
  test.each([
    ['DEFAULT_FURIOSA_LLM_IMAGE', DEFAULT_FURIOSA_LLM_IMAGE],
    ['DEFAULT_EPP_IMAGE', `${DEFAULT_EPP_IMAGE.hub}/${DEFAULT_EPP_IMAGE.name}:${DEFAULT_EPP_IMAGE.tag}`],
    ['DEFAULT_DOWNLOADER_IMAGE', DEFAULT_DOWNLOADER_IMAGE],
    ['DEFAULT_CONSUMER_IMAGE', DEFAULT_CONSUMER_IMAGE],
  ])('%s (%s) is pinned', (_n, image) => {
    expect(isFloatingImageTag(image)).toBe(false);
  });

  test('every image every construct renders with default props is pinned', () => {
    const app = newChart('llm-d');
    new FuriosaModelService(app.chart, 'ms', { modelArtifacts: ART, routing: { proxy: { enabled: true } } });
    new InferenceSchedulerPool(app.chart, 'gaie', { selector: { app: 'x' } });
    new ModelPvcDownloader(app.chart, 'dl', { repoId: MODEL });
    new ModelPvcDownloader(app.chart, 'dl2', { repoId: MODEL, workload: 'pod', name: 'dl2', claimName: 'c2' });
    // Its own app: the stack names its objects like the standalone constructs above, which one app refuses.
    const stack = new RngdServingStack(newChart('other').app, 'stack', { models: [{ model: MODEL }] });
    const images = [...synth(app.chart), ...(stack.toJson() as Obj[])].flatMap((o) => containersOf([o]).map((x) => x.container.image as string));
    expect(images.length).toBeGreaterThanOrEqual(7);
    expect(images.filter(isFloatingImageTag)).toEqual([]);
    expect(images).toEqual(expect.arrayContaining(['ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0-rc.1', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.5.0']));
  });

  test('the seed example floats only the image it names explicitly (the guide\'s furiosa-llm:latest)', () => {
    const images = containersOf(seedStackObjects()).map((x) => x.container.image as string);
    expect([...new Set(images.filter(isFloatingImageTag))]).toEqual(['furiosaai/furiosa-llm:latest']);
  });

  test('an explicit `latest` is accepted', () => {
    const { containers } = workload(modelServer({ decode: { containers: [{ image: 'furiosaai/furiosa-llm:latest' }] } }), 'Deployment');
    expect(containers[0].image).toBe('furiosaai/furiosa-llm:latest');
  });
});

describe('RBAC least privilege and secrets, across every output', () => {
  const rbac = all.flatMap((o) => o.objects.filter((x) => x.kind === 'Role' || x.kind === 'ClusterRole').map((x) => [`${o.label} ${x.kind}/${x.metadata.name}`, x] as const));
  const secrets = all.flatMap((o) => o.objects.filter((x) => x.kind === 'Secret').map((x) => [`${o.label} Secret/${x.metadata.name}`, x] as const));

  test('the corpus has roles and secrets', () => {
    expect(rbac.length).toBeGreaterThanOrEqual(10);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
  });

  test.each(rbac)('%s: no "*", no escalate/bind/impersonate, secrets only by name', (_l, role) => {
    for (const rule of role.rules as Obj[]) {
      for (const k of ['verbs', 'resources', 'apiGroups', 'resourceNames', 'nonResourceURLs']) expect(rule[k] ?? []).not.toContain('*');
      expect(rule.verbs).not.toEqual(expect.arrayContaining(['escalate']));
      for (const v of ['escalate', 'bind', 'impersonate']) expect(rule.verbs).not.toContain(v);
      if ((rule.resources ?? []).includes('secrets')) expect(rule.resourceNames?.length ?? 0).toBeGreaterThan(0);
    }
  });

  test.each(secrets)('%s: a service-account-token Secret without data', (_l, s) => {
    expect(s.type).toBe('kubernetes.io/service-account-token');
    expect(s.data).toBeUndefined();
    expect(s.stringData).toBeUndefined();
    expect(s.metadata.annotations['kubernetes.io/service-account.name']).toEqual(expect.any(String));
  });

  test('no container gets a token-like variable as a literal value', () => {
    const env = all.flatMap((o) => containersOf(o.objects).flatMap((x) => (x.container.env ?? []) as Obj[]));
    expect(env.filter((e) => /TOKEN|PASSWORD|SECRET|API_KEY/.test(e.name) && e.value !== undefined)).toEqual([]);
    expect(env.filter((e) => e.name === 'HF_TOKEN').every((e) => e.valueFrom?.secretKeyRef)).toBe(true);
  });
});

describe('Pod Security Standards (restricted): Helm charts before, seed example after', () => {
  const before = checkPodSecurityRestricted(['furiosa-seed000', 'gaie-seed000', 'infra-seed000'].flatMap((n) => loadCase(n).expected));
  const afterObjects = (() => {
    const { app } = seedApp(tmpDir());
    return app.charts.flatMap((c) => c.toJson() as Obj[]);
  })();
  const after = checkPodSecurityRestricted(afterObjects);

  test('fewer findings after than before', () => {
    expect(after.length).toBeLessThan(before.length);
    expect({ before: before.length, after: after.length }).toEqual({ before: 8, after: 2 });
  });

  test('before: the charts render EPP and model server without any hardening', () => {
    expect(formatPssFindings(before).split('\n')).toEqual([
      'Deployment/ms-llm-d-modelservice-decode spec.template container furiosa-llm [restricted/allowPrivilegeEscalation]: container must set securityContext.allowPrivilegeEscalation=false',
      'Deployment/ms-llm-d-modelservice-decode spec.template container furiosa-llm [restricted/runAsNonRoot]: pod or container must set securityContext.runAsNonRoot=true',
      'Deployment/ms-llm-d-modelservice-decode spec.template container furiosa-llm [restricted/seccompProfile_restricted]: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
      'Deployment/ms-llm-d-modelservice-decode spec.template container furiosa-llm [restricted/capabilities_restricted]: container must set securityContext.capabilities.drop=["ALL"]',
      'Deployment/gaie-epp spec.template container epp [restricted/allowPrivilegeEscalation]: container must set securityContext.allowPrivilegeEscalation=false',
      'Deployment/gaie-epp spec.template container epp [restricted/runAsNonRoot]: pod or container must set securityContext.runAsNonRoot=true',
      'Deployment/gaie-epp spec.template container epp [restricted/seccompProfile_restricted]: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
      'Deployment/gaie-epp spec.template container epp [restricted/capabilities_restricted]: container must set securityContext.capabilities.drop=["ALL"]',
    ]);
  });

  test('after: only the model server\'s runAsNonRoot and seccomp remain (RNGD device nodes and io_uring, see docs/security.md)', () => {
    expect(formatPssFindings(after).split('\n')).toEqual([
      'Deployment/ms-llm-d-modelservice-decode spec.template container furiosa-llm [restricted/runAsNonRoot]: pod or container must set securityContext.runAsNonRoot=true',
      'Deployment/ms-llm-d-modelservice-decode spec.template container furiosa-llm [restricted/seccompProfile_restricted]: pod or container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
    ]);
  });

  test('after: baseline passes (a namespace can enforce baseline and warn on restricted)', () => {
    expect(formatPssFindings(checkPodSecurityBaseline(afterObjects))).toBe('');
  });

  test('after, with the model server opted in to runAsNonRoot and a seccomp profile: restricted passes', () => {
    const app = newChart();
    const stack = new RngdServingStack(app.app, 'stack', { models: [{ model: MODEL, modelService: { decode: { hardening: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/furiosa-rngd.json' } } } } }] });
    expect(formatPssFindings(checkPodSecurityRestricted(stack.toJson() as Obj[]))).toBe('');
  });
});
