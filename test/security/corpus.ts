/**
 * Everything the library synthesizes, in one list: both examples (every chart, including the
 * prerequisites chart of the seed example), every reference case rendered through the
 * constructs' `fromHelmValues`, and variants that exercise the options the examples and cases
 * leave off (DRA, v1alpha2 pool, GKE provider, HTTPS gateway with ReferenceGrant, downloader Job
 * and Pod shapes, network policies...). The security tests run their checks over all of it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { buildApp as seedApp } from '../../examples/furiosa-llama-3.1-8b/main';
import { buildApp as twoModelsApp } from '../../examples/two-models/main';
import { validateTree } from '../../src/synth/validate';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService } from '../../src/model-service';
import { InferenceRoute } from '../../src/routing';
import { InferenceSchedulerPool, PoolProvider } from '../../src/scheduler';
import { RngdServingStack, ServingNetworkPolicies } from '../../src/stack';
import { ModelPvcDownloader } from '../../src/storage';
import { caseNames, loadCase, newChart, synth } from '../support';
import { applySet } from '../../src/cli/values';
import { furiosaModelServiceFromHelmValues, inferenceSchedulerPoolFromHelmValues, inferenceSchedulerPoolFromRouterValues, istioGieGatewayFromHelmValues, modelServiceFromHelmValues } from '../../src/helm';

export type Obj = Record<string, any>;

const STR = { type: 'string' };
const LABEL_SELECTOR = {
  type: 'object',
  additionalProperties: false,
  properties: {
    matchLabels: { type: 'object', additionalProperties: STR },
    matchExpressions: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['key', 'operator'], properties: { key: STR, operator: STR, values: { type: 'array', items: STR } } } },
  },
};
const SECRET_SELECTOR = { type: 'object', additionalProperties: false, properties: { secret: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: STR, key: STR } } } };

/**
 * Google Managed Prometheus `monitoring.googleapis.com/v1` PodMonitoring, which the schema tool
 * has no schema for (the GKE provider of the pool emits one). Written from the GMP API reference
 * (PodMonitoringSpec, ScrapeEndpoint, HTTPClientConfig), strict where it lists every field.
 */
export const EXTRA_SCHEMAS: Readonly<Record<string, object>> = {
  'monitoring.googleapis.com/v1/PodMonitoring': {
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: STR,
      kind: STR,
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        additionalProperties: false,
        required: ['selector', 'endpoints'],
        properties: {
          selector: LABEL_SELECTOR,
          endpoints: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['port'],
              properties: {
                port: { oneOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, STR] },
                scheme: { enum: ['http', 'https'] },
                path: STR,
                params: { type: 'object' },
                interval: { type: 'string', pattern: '^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$' },
                timeout: STR,
                metricRelabeling: { type: 'array', items: { type: 'object' } },
                proxyUrl: STR,
                authorization: { type: 'object', additionalProperties: false, properties: { type: STR, credentials: SECRET_SELECTOR } },
                basicAuth: { type: 'object', additionalProperties: false, properties: { username: STR, password: SECRET_SELECTOR } },
                tls: { type: 'object' },
                oauth2: { type: 'object' },
              },
            },
          },
          targetLabels: { type: 'object' },
          limits: { type: 'object' },
          filterRunning: { type: 'boolean' },
        },
      },
    },
  },
};

/**
 * The CRDs in the seed example's prerequisites chart are the upstream files of `crds/`, included
 * verbatim; the schema tool has no apiextensions.k8s.io schema (its Kubernetes definitions are
 * trimmed to workload kinds), so they are checked for metadata only (and compared to the
 * vendored files in schema.test.ts).
 */
export const ALLOW_UNVALIDATED = ['apiextensions.k8s.io/v1/CustomResourceDefinition'];

/** Options for validateManifests over our output. */
export const SCHEMA_OPTIONS = { allowUnvalidated: ALLOW_UNVALIDATED, extraSchemas: EXTRA_SCHEMAS };

export interface Output {
  /** What was rendered, for messages. */
  readonly label: string;
  /** `example`, `case` or `variant`. */
  readonly source: 'example' | 'case' | 'variant';
  readonly objects: Obj[];
}

export function tmpDir(prefix = 'llmd-security-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every chart of an app, validated first (as synthApp does). */
function appObjects(app: App): Obj[] {
  validateTree(app);
  return app.charts.flatMap((c) => Chart.of(c).toJson() as Obj[]);
}

/** The two examples, each as all the charts its app holds. */
export function exampleOutputs(): Output[] {
  return [
    { label: 'examples/furiosa-llama-3.1-8b', source: 'example', objects: appObjects(seedApp(tmpDir()).app) },
    { label: 'examples/two-models', source: 'example', objects: appObjects(twoModelsApp(tmpDir()).app) },
  ];
}

/** The seed example's serving chart only (no CRDs, no Namespace). */
export function seedStackObjects(): Obj[] {
  const { stack } = seedApp(tmpDir());
  validateTree(stack.node.root);
  return stack.toJson() as Obj[];
}

/** Every reference case of our charts, rendered through the construct's fromHelmValues. */
export function caseOutputs(): Output[] {
  const out: Output[] = [];
  const build: Array<[string, (chart: Chart, values: Record<string, unknown>, ctx: { release: string; namespace: string }) => void]> = [
    ['furiosa-', (chart, v, ctx) => furiosaModelServiceFromHelmValues(chart, 'ms', v, ctx)],
    ['gaie-', (chart, v, ctx) => inferenceSchedulerPoolFromHelmValues(chart, 'gaie', v, ctx)],
    ['infra-', (chart, v, ctx) => istioGieGatewayFromHelmValues(chart, 'infra', v, ctx)],
    ['router-gateway-', (chart, v, ctx) => inferenceSchedulerPoolFromRouterValues(chart, 'gaie', 'gateway', v, ctx)],
    ['router-standalone-', (chart, v, ctx) => inferenceSchedulerPoolFromRouterValues(chart, 'gaie', 'standalone', v, ctx)],
    ['upstream-', (chart, v, ctx) => modelServiceFromHelmValues(chart, ctx.release, v, ctx)],
  ];
  for (const [prefix, make] of build) {
    for (const name of caseNames(prefix)) {
      const c = loadCase(name);
      const { chart } = newChart(c.namespace);
      const values = JSON.parse(JSON.stringify(c.values)) as Record<string, unknown>;
      for (const expr of c.sets) applySet(values, expr);
      make(chart, values, { release: c.release, namespace: c.namespace });
      out.push({ label: `case ${name}`, source: 'case', objects: synth(chart) });
    }
  }
  return out;
}

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';

/** Variants that exercise the options the examples and the reference cases leave off. */
export const VARIANTS: ReadonlyArray<[string, (chart: Chart) => void]> = [
  ['model service: DRA (resource.k8s.io/v1 ResourceClaimTemplate), TP 8 x DP 2', (chart) => {
    new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}`, size: '40Gi' }, decode: { parallelism: { tensor: 8, data: 2 } }, dra: { enabled: true } });
  }],
  ['model service: DRA with selectors, PodMonitor, routing proxy, init container, runAsNonRoot', (chart) => {
    new FuriosaModelService(chart, 'ms', {
      modelArtifacts: { name: MODEL, uri: 'pvc://models/llama', authSecret: { name: 'hf' } },
      decode: {
        replicas: 3,
        parallelism: { tensor: 4 },
        initContainers: [{ name: 'warmup', image: 'busybox:1.37', command: ['true'] }],
        monitoring: { podmonitor: { enabled: true, labels: { release: 'prom' } } },
        hardening: { runAsNonRoot: true, runAsUser: 1000 },
        acceleratorTypes: { labelKey: 'furiosa.ai/rngd.present', labelValues: ['true'] },
        tolerations: [{ key: 'furiosa.ai/rngd', operator: 'Exists', effect: 'NoSchedule' }],
      },
      routing: { servicePort: 8000, proxy: { enabled: true } },
      dra: { enabled: true, type: 'rngd', claimTemplates: [{ name: 'rngd', class: 'rngd.furiosa.ai', count: 1, selectors: [{ cel: { expression: 'device.attributes["furiosa.ai"].arch == "rngd"' } }] }] },
    });
  }],
  ['model service: cpu accelerator, custom command, serviceAccount', (chart) => {
    new FuriosaModelService(chart, 'sim', {
      modelArtifacts: { name: 'random', uri: 'hf://Qwen/Qwen3-0.6B' },
      accelerator: { type: 'cpu' },
      serviceAccount: { name: 'existing-sa' },
      decode: { containers: [{ name: 'sim', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.4.0', modelCommand: 'custom', command: ['/app/llm-d-inference-sim'], args: ['--port', '8000'], ports: [{ containerPort: 8000, name: 'http' }] }] },
    });
  }],
  ['pool: v1alpha2, FailOpen, HA (leader election), tracing', (chart) => {
    const pool = new InferenceSchedulerPool(chart, 'gaie', {
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      failureMode: 'FailOpen',
      selector: { app: 'vllm' },
      targetPorts: [8200],
      epp: { replicas: 3, tracing: { enabled: true } },
    });
    void pool;
  }],
  ['pool: gke provider with monitoring (autopilot)', (chart) => {
    new InferenceSchedulerPool(chart, 'gaie', { provider: PoolProvider.gke({ autopilot: true }), selector: { app: 'vllm' }, monitoring: { enabled: true } });
  }],
  ['pool: istio provider, monitoring, custom plugins config, extra ports/volumes', (chart) => {
    new InferenceSchedulerPool(chart, 'gaie', {
      provider: PoolProvider.istio({ connectionPool: { http: { http2MaxRequests: 1000 } } }),
      selector: { app: 'vllm' },
      monitoring: { enabled: true, extraLabels: { release: 'prom' } },
      epp: {
        config: {
          plugins: [{ type: 'queue-scorer' }, { type: 'max-score-picker' }],
          schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer', weight: 2 }, { pluginRef: 'max-score-picker' }] }],
        },
        extraContainerPorts: [{ name: 'debug', containerPort: 6060 }],
        extraServicePorts: [{ name: 'debug', port: 6060, targetPort: 6060 }],
        volumes: [{ name: 'scratch', emptyDir: {} }],
        volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
        env: [{ name: 'GODEBUG', value: 'x=1' }],
      },
    });
  }],
  ['gateway: HTTPS listener with TLS ReferenceGrant, DestinationRule, LoadBalancer', (chart) => {
    new IstioGieGateway(chart, 'gw', {
      releaseName: 'prod',
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP' },
        { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'api.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'api-cert', namespace: 'certs' }] }, allowedRoutes: { namespaces: { from: 'All' } } },
      ],
      labels: { team: 'ml' },
      commonLabels: { env: 'prod' },
      commonAnnotations: { owner: 'ml-platform' },
      logLevel: 'info',
      service: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }], loadBalancerClass: 'metallb' },
      destinationRule: { host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
      tlsReferenceGrant: {},
    });
  }],
  ['gateway: data-science-gateway-class, no infrastructure parameters', (chart) => {
    new IstioGieGateway(chart, 'gw', { gatewayClassName: 'data-science-gateway-class' });
    new IstioGieGateway(chart, 'gw2', { name: 'plain', infrastructureParameters: false });
  }],
  ['route: several rules, header/query/method matches, weights, cross-namespace pool (ReferenceGrant)', (chart) => {
    const gw = new IstioGieGateway(chart, 'gw', {});
    const a = InferenceRoute.poolRef({ name: 'pool-a', namespace: 'llm-d', ports: [8000] });
    const b = InferenceRoute.poolRef({ name: 'pool-b', namespace: 'team-b', ports: [8000, 8001] });
    const route = new InferenceRoute(chart, 'route', { gateway: gw, hostnames: ['api.example.com'], backends: [{ pool: a, weight: 90 }, { pool: b, weight: 10, port: 8001 }], labels: { team: 'ml' } });
    route.addRule({
      name: 'premium',
      matches: [{ path: { type: 'Exact', value: '/v1/completions' }, headers: [{ name: 'x-tier', value: 'premium' }], queryParams: [{ name: 'fast', value: '1' }], method: 'POST' }],
      backends: [{ pool: b }],
      timeouts: { request: '300s', backendRequest: '120s' },
    });
  }],
  ['downloader: Job with revision, patterns, existing claim', (chart) => {
    new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, revision: 'main', allowPatterns: ['*.json', '*.safetensors'], ignorePatterns: ['original/*'], existingClaim: { name: 'models' }, hubCachePath: 'hub', ttlSecondsAfterFinished: 3600, activeDeadlineSeconds: 7200, imagePullSecrets: ['regcred'], nodeSelector: { 'kubernetes.io/os': 'linux' } });
  }],
  ['downloader: guide Pod shape, anonymous, ReadWriteMany', (chart) => {
    new ModelPvcDownloader(chart, 'dl', { repoId: 'Qwen/Qwen3-0.6B', workload: 'pod', anonymous: true, accessModes: ['ReadWriteMany'], storageClassName: 'nfs', storageSize: '50Gi' });
  }],
  ['network policies (standalone, with monitoring and downloader)', (chart) => {
    new ServingNetworkPolicies(chart, 'np', {
      namePrefix: 'llm-d',
      gateway: { podLabels: { 'gateway.networking.k8s.io/gateway-name': 'gw' } },
      endpointPickers: [{ podLabels: { inferencepool: 'gaie-epp' }, extProcPort: 9002, metricsPort: 9090 }],
      modelServers: [{ podLabels: { 'llm-d.ai/inferenceServing': 'true' }, servingPort: 8000 }],
      downloaders: [{ podLabels: { 'app.kubernetes.io/name': 'model-downloader' } }],
      monitoringNamespaces: ['monitoring'],
    });
  }],
];

/** Stacks (their own charts): network policies on, several models, uri storage. */
export const STACK_VARIANTS: ReadonlyArray<[string, (app: App) => void]> = [
  ['stack: three models, network policies, existing + uri storage, canary weights', (app) => {
    const dl = new Chart(app, 'storage', { namespace: 'serving' });
    const existing = new ModelPvcDownloader(dl, 'dl', { repoId: 'Qwen/Qwen3-8B', claimName: 'qwen', namespace: 'serving' });
    new RngdServingStack(app, 'stack', {
      namespace: 'serving',
      networkPolicies: true,
      models: [
        { model: MODEL, key: 'llama-a', routing: { matches: [{ path: { type: 'PathPrefix', value: '/' } }], weight: 90 } },
        { model: MODEL, key: 'llama-b', routing: { matches: [{ path: { type: 'PathPrefix', value: '/' } }], weight: 10 }, storage: { uri: `hf://${MODEL}` } },
        { model: 'Qwen/Qwen3-8B', key: 'qwen', tensorParallelism: 4, storage: { existing } },
      ],
    });
  }],
];

export function variantOutputs(): Output[] {
  const out: Output[] = VARIANTS.map(([label, build]) => {
    const { chart } = newChart('llm-d');
    build(chart);
    return { label: `variant ${label}`, source: 'variant' as const, objects: synth(chart) };
  });
  for (const [label, build] of STACK_VARIANTS) {
    const app = new App({ outdir: tmpDir() });
    build(app);
    out.push({ label: `variant ${label}`, source: 'variant', objects: appObjects(app) });
  }
  return out;
}

/** Examples, reference cases and variants. */
export function allOutputs(): Output[] {
  return [...exampleOutputs(), ...caseOutputs(), ...variantOutputs()];
}

/** Every container (init and regular) of every pod template in the objects. */
export function containersOf(objects: readonly Obj[]): Array<{ object: string; init: boolean; pod: Obj; container: Obj }> {
  const out: Array<{ object: string; init: boolean; pod: Obj; container: Obj }> = [];
  for (const o of objects) {
    const pod = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
    if (!pod) continue;
    const object = `${o.kind}/${o.metadata?.name}`;
    for (const c of pod.initContainers ?? []) out.push({ object, init: true, pod, container: c });
    for (const c of pod.containers ?? []) out.push({ object, init: false, pod, container: c });
  }
  return out;
}
