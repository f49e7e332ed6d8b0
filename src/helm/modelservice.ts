/**
 * Helm adapter for llm-d-incubation/llm-d-modelservice v0.4.12: values.yaml (chart keys) to
 * {@link ModelServiceProps}. The chart's values.yaml defaults are applied where keys are absent
 * (Helm coalescing); unknown keys, wrong types and unsupported features are refused with the
 * values key path.
 */
import type { ModelServiceRequesterOptions } from '../model-service/requester';
import type { HelmValuesContext } from './registry';
import type {
  ModelServiceAcceleratorOptions,
  ModelServiceDraClaimTemplate,
  PodResourceClaim,
  ModelServiceContainer,
  ModelServicePodMonitorOptions,
  ModelServiceProps,
  ModelServiceRoleOptions,
  ModelServiceRoutingProxyOptions,
  ModelServiceTracingOptions,
  VllmModelCommand,
} from '../model-service/model-service-options';
import type { ContainerSpec, DeviceSelector, Toleration, Volume } from '../model-service/k8s-types';
import { ACCELERATOR_ENV, ACCELERATOR_RESOURCES, resolveVllmParallelism } from '../model-service/model-service-rules';
import { MODELSERVICE_CONTAINER_KEYS, readContainerBody, readContainerTail, readPodMonitor, readRouting } from './modelservice-common';
import { coalesceValues, dropUndefined, isValuesMap, nonEmptyList, nonEmptyMap, ValuesMap, ValuesReader } from './values-reader';

const DEFAULT_CONTAINER = (prefill: boolean): Record<string, unknown> => ({
  name: 'vllm',
  image: 'ghcr.io/llm-d/llm-d-inference-sim:latest',
  modelCommand: 'imageDefault',
  ...(prefill ? { mountModelVolume: true } : {}),
  command: [],
  args: [],
  env: [],
  imagePullPolicy: '',
  ports: [],
  resources: { limits: {}, requests: {} },
  ...(prefill ? {} : { mountModelVolume: true }),
  volumeMounts: [{ name: 'metrics-volume', mountPath: '/.config' }],
});

const DEFAULT_ROLE = (prefill: boolean): Record<string, unknown> => ({
  create: true,
  autoscaling: { enabled: false },
  replicas: prefill ? 0 : 1,
  nodeSelector: {},
  parallelism: { tensor: 1, data: 1, dataLocal: 1, workers: 1 },
  resourceClaims: [],
  containers: [DEFAULT_CONTAINER(prefill)],
  volumes: [{ name: 'metrics-volume', emptyDir: {} }],
  initContainers: [],
  acceleratorTypes: { labelKey: '', labelValues: [] },
  monitoring: {
    podmonitor: { enabled: false, portName: 'metrics', path: '/metrics', interval: '30s', labels: {}, annotations: {}, relabelings: [], metricRelabelings: [] },
  },
});

const claimTemplate = (name: string, cls: string) => ({ name, class: cls, match: 'exactly', selectors: [] });

/** The chart's values.yaml (v0.4.12), the keys that matter for rendering. */
export const MODELSERVICE_CHART_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  common: {},
  enabled: true,
  fullnameOverride: '',
  serviceAccountOverride: '',
  tracing: {
    enabled: false,
    otlpEndpoint: 'http://otel-collector:4317',
    sampling: { sampler: 'parentbased_traceidratio', samplerArg: '1.0' },
    serviceNames: { vllmDecode: 'vllm-decode', vllmPrefill: 'vllm-prefill', routingProxy: 'routing-proxy' },
    vllm: { collectDetailedTraces: 'all' },
  },
  modelArtifacts: {
    name: 'random/model',
    labels: { 'llm-d.ai/inference-serving': 'true' },
    uri: 'hf://{{ .Values.modelArtifacts.name }}',
    size: '5Mi',
    authSecretName: '',
    mountPath: '/model-cache',
    readOnly: true,
  },
  multinode: false,
  accelerator: {
    type: 'nvidia',
    dra: false,
    resources: { ...ACCELERATOR_RESOURCES },
    env: Object.fromEntries(Object.entries(ACCELERATOR_ENV).map(([k, v]) => [k, v.map((e) => ({ ...e }))])),
    resourceClaimTemplates: {
      nvidia: claimTemplate('nvidia-claim-template', 'gpu.nvidia.com'),
      intel: claimTemplate('intel-claim-template', 'gpu.intel.com'),
      'intel-i915': claimTemplate('intel-claim-template', 'gpu.intel.com'),
      'intel-xe': claimTemplate('intel-claim-template', 'gpu.intel.com'),
      'intel-gaudi': claimTemplate('intel-gaudi-claim-template', 'gaudi.intel.com'),
      amd: claimTemplate('amd-claim-template', 'gpu.amd.com'),
      google: claimTemplate('google-claim-template', 'tpu.google.com'),
    },
  },
  requester: {
    enable: false,
    image: 'ghcr.io/llm-d-incubation/llm-d-fast-model-actuation/requester:latest',
    adminPort: 8081,
    port: { probes: 8080, spi: 8081 },
    readinessProbe: { initialDelaySeconds: 2, periodSeconds: 5 },
    resources: { limits: { gpus: 1, cpus: 1, memory: '250Mi' } },
  },
  routing: {
    servicePort: 8000,
    proxy: {
      enabled: true,
      image: 'ghcr.io/llm-d/llm-d-routing-sidecar:latest',
      imagePullPolicy: 'Always',
      targetPort: 8200,
      connector: 'nixlv2',
      secure: false,
      zapEncoder: 'json',
      zapLogLevel: 'debug',
    },
  },
  decode: DEFAULT_ROLE(false),
  prefill: DEFAULT_ROLE(true),
  extraObjects: [],
});

function readContainer(r: ValuesReader, c: ValuesMap, path: string): ModelServiceContainer {
  r.keys(c, path, MODELSERVICE_CONTAINER_KEYS);
  const modelCommandRaw = r.optStr(c, 'modelCommand', path) ?? 'custom';
  let modelCommand: VllmModelCommand | undefined;
  if (modelCommandRaw === 'vllmServe' || modelCommandRaw === 'custom' || modelCommandRaw === 'imageDefault') modelCommand = modelCommandRaw;
  else r.problem(`${path}.modelCommand`, modelCommandRaw, 'vllmServe, imageDefault or custom');
  const body = readContainerBody(r, c, path, {
    claimsWhy: 'the chart ignores them: container claims are generated from accelerator.dra and the role\'s resourceClaims',
    nullClaimsEmpty: true,
    noTemplateArgs: true,
  });
  const name = r.optStr(c, 'name', path);
  const command = r.strList(c, 'command', path);
  const args = r.strList(c, 'args', path);
  const tail = readContainerTail(r, c, path);
  return dropUndefined<ModelServiceContainer>({
    name,
    modelCommand,
    command: nonEmptyList(command),
    args: nonEmptyList(args),
    ...body,
    ...tail,
    extraConfig: nonEmptyMap(r.map(c, 'extraConfig', path)),
  });
}

function readRole(r: ValuesReader, d: ValuesMap, path: 'decode' | 'prefill', multinode: boolean): ModelServiceRoleOptions {
  r.keys(
    d,
    path,
    [
      'create', 'autoscaling', 'replicas', 'nodeSelector', 'schedulerName', 'priorityClassName', 'parallelism', 'resourceClaims', 'containers', 'volumes',
      'initContainers', 'enableServiceLinks', 'terminationGracePeriodSeconds', 'annotations', 'podAnnotations', 'tolerations', 'extraConfig',
      'imagePullSecrets', 'podSecurityContext', 'acceleratorTypes', 'monitoring', 'strategy', 'accelerator', 'hostIPC', 'hostPID', 'subGroupPolicy',
      'subGroupExclusiveTopology',
    ],
  );
  // Keys only the LeaderWorkerSet templates read; with Deployments the chart ignores them.
  const lws = multinode
    ? dropUndefined({
      hostIPC: r.bool(d, 'hostIPC', path),
      hostPID: r.bool(d, 'hostPID', path),
      subGroupPolicy: nonEmptyMap(r.map(d, 'subGroupPolicy', path)),
      subGroupExclusiveTopology: r.bool(d, 'subGroupExclusiveTopology', path) ? true : undefined,
    })
    : {};
  let autoscalingEnabled: boolean | undefined;
  const autoscaling = r.map(d, 'autoscaling', path);
  if (autoscaling) {
    r.keys(autoscaling, `${path}.autoscaling`, ['enabled']);
    if (r.bool(autoscaling, 'enabled', `${path}.autoscaling`)) {
      if (multinode) autoscalingEnabled = true;
      else r.problem(`${path}.autoscaling.enabled`, true, 'false', 'the chart renders nothing for it with Deployments; add an autoscaler (HPA, KEDA) of your own targeting the Deployment');
    }
  }
  const resourceClaims = r.namedMaps(d, 'resourceClaims', path) as PodResourceClaim[] | undefined;
  let acceleratorType: string | undefined;
  let dra: boolean | undefined;
  const acc = r.map(d, 'accelerator', path);
  if (acc) {
    r.keys(acc, `${path}.accelerator`, ['type', 'dra']);
    acceleratorType = r.str(acc, 'type', `${path}.accelerator`);
    dra = r.bool(acc, 'dra', `${path}.accelerator`);
  }
  const par = r.map(d, 'parallelism', path) ?? {};
  r.keys(par, `${path}.parallelism`, ['tensor', 'data', 'dataLocal', 'workers']);
  const pp = `${path}.parallelism`;
  // Resolved here as the chart does (its values.yaml sets every key to 1, so e.g. `dataLocal: 2,
  // workers: 2` keeps `data: 1`), then passed explicitly unless all are 1.
  for (const key of ['tensor', 'data', 'dataLocal', 'workers']) {
    if (par[key] === 0) r.warn(`${pp}.${key}`, 0, `renders as if unset (the chart treats 0 as unset and derives it, 1 at the least); write the number you mean or leave it out`);
  }
  const resolved = resolveVllmParallelism({
    tensor: r.int(par, 'tensor', pp),
    data: r.int(par, 'data', pp),
    dataLocal: r.int(par, 'dataLocal', pp),
    workers: r.int(par, 'workers', pp),
  });
  if (resolved.error) r.problem(pp, par, 'data a multiple of workers and of dataLocal', `the chart fails: ${resolved.error}`);
  const pv = resolved.value;
  const parallelism = pv.tensor === 1 && pv.data === 1 && pv.dataLocal === 1 && pv.workers === 1 ? {} : { ...pv };
  const containers = (r.maps(d, 'containers', path) ?? []).map((c, i) => readContainer(r, c, `${path}.containers[${i}]`));
  r.noTemplates(d.extraConfig, `${path}.extraConfig`);

  let acceleratorTypes: ModelServiceRoleOptions['acceleratorTypes'];
  const at = r.map(d, 'acceleratorTypes', path);
  if (at) {
    r.keys(at, `${path}.acceleratorTypes`, ['labelKey', 'labelValues']);
    const labelKey = r.optStr(at, 'labelKey', `${path}.acceleratorTypes`);
    const labelValues = r.strList(at, 'labelValues', `${path}.acceleratorTypes`);
    if (labelKey) acceleratorTypes = dropUndefined({ labelKey, labelValues: nonEmptyList(labelValues) });
  }

  const podmonitor: ModelServicePodMonitorOptions | undefined = readPodMonitor(r, d, path);

  return dropUndefined<ModelServiceRoleOptions>({
    ...lws,
    autoscaling: autoscalingEnabled ? { enabled: true } : undefined,
    create: r.bool(d, 'create', path) ?? false,
    replicas: d.replicas === undefined || d.replicas === null ? 1 : r.int(d, 'replicas', path),
    parallelism: nonEmptyMap(parallelism),
    containers,
    initContainers: nonEmptyList(r.namedMaps(d, 'initContainers', path) as ContainerSpec[] | undefined),
    volumes: nonEmptyList(r.namedMaps(d, 'volumes', path) as Volume[] | undefined),
    annotations: nonEmptyMap(r.strMap(d, 'annotations', path)),
    podAnnotations: nonEmptyMap(r.strMap(d, 'podAnnotations', path)),
    nodeSelector: nonEmptyMap(r.strMap(d, 'nodeSelector', path)),
    tolerations: nonEmptyList(r.maps(d, 'tolerations', path) as Toleration[] | undefined),
    acceleratorTypes,
    acceleratorType,
    dra,
    resourceClaims: nonEmptyList(resourceClaims),
    schedulerName: r.optStr(d, 'schedulerName', path),
    priorityClassName: r.optStr(d, 'priorityClassName', path),
    imagePullSecrets: nonEmptyList(r.namedMaps(d, 'imagePullSecrets', path) as Array<{ name: string }> | undefined),
    podSecurityContext: nonEmptyMap(r.map(d, 'podSecurityContext', path)),
    enableServiceLinks: r.bool(d, 'enableServiceLinks', path),
    terminationGracePeriodSeconds: r.int(d, 'terminationGracePeriodSeconds', path),
    strategy: nonEmptyMap(r.map(d, 'strategy', path)),
    extraConfig: nonEmptyMap(r.map(d, 'extraConfig', path)),
    monitoring: podmonitor && podmonitor.enabled ? { podmonitor } : undefined,
  });
}

/**
 * Maps `llm-d-incubation/llm-d-modelservice` v0.4.12 values to {@link ModelServiceProps}. `values`
 * are the user's (merged `-f` files and `--set`s); the chart's defaults are applied here.
 * @throws LlmdValidationError listing every problem with its values key path
 */
export function modelServicePropsFromValues(values: Record<string, unknown>, ctx: HelmValuesContext): ModelServiceProps {
  const r = new ValuesReader({ nullIsAbsent: false, refuseTemplates: false });
  const v = coalesceValues(MODELSERVICE_CHART_DEFAULTS as ValuesMap, isValuesMap(values) ? values : {});
  r.keys(v, '', ['common', 'enabled', 'fullnameOverride', 'serviceAccountOverride', 'tracing', 'modelArtifacts', 'multinode', 'accelerator', 'requester', 'routing', 'decode', 'prefill', 'extraObjects', 'global']);
  r.bool(v, 'enabled', '');
  r.map(v, 'common', '');
  r.map(v, 'global', '');

  const multinode = r.bool(v, 'multinode', '') ?? false;
  const tv = r.map(v, 'tracing', '') ?? {};
  r.keys(tv, 'tracing', ['enabled', 'otlpEndpoint', 'sampling', 'serviceNames', 'vllm']);
  let tracing: ModelServiceTracingOptions | undefined;
  if (r.bool(tv, 'enabled', 'tracing')) {
    // The chart quotes every value (`| quote`), so numbers become strings.
    const text = (m: ValuesMap, k: string, p: string): string | undefined => {
      const x = m[k];
      if (x === undefined || x === null) return undefined;
      if (typeof x === 'string') return x;
      if (typeof x === 'number' || typeof x === 'boolean') return String(x);
      return r.problem(`${p}.${k}`, x, 'a string');
    };
    const sampling = r.map(tv, 'sampling', 'tracing') ?? {};
    r.keys(sampling, 'tracing.sampling', ['sampler', 'samplerArg']);
    const names = r.map(tv, 'serviceNames', 'tracing') ?? {};
    r.keys(names, 'tracing.serviceNames', ['vllmDecode', 'vllmPrefill', 'routingProxy']);
    const vl = r.map(tv, 'vllm', 'tracing') ?? {};
    r.keys(vl, 'tracing.vllm', ['collectDetailedTraces']);
    tracing = {
      enabled: true,
      otlpEndpoint: text(tv, 'otlpEndpoint', 'tracing') ?? '',
      sampler: text(sampling, 'sampler', 'tracing.sampling') ?? '',
      samplerArg: text(sampling, 'samplerArg', 'tracing.sampling') ?? '',
      serviceNames: {
        vllmDecode: text(names, 'vllmDecode', 'tracing.serviceNames') ?? '',
        vllmPrefill: text(names, 'vllmPrefill', 'tracing.serviceNames') ?? '',
        routingProxy: text(names, 'routingProxy', 'tracing.serviceNames') ?? '',
      },
      collectDetailedTraces: text(vl, 'collectDetailedTraces', 'tracing.vllm') ?? '',
    };
  }
  const requester = readRequester(r, r.map(v, 'requester', '') ?? {});
  const extraObjects = r.list(v, 'extraObjects', '');
  if (extraObjects && extraObjects.length > 0) {
    r.problem('extraObjects', extraObjects, '[]', 'add your own constructs to the chart instead, e.g. new ApiObject(chart, "my-config", {...}) next to the ModelService');
  }

  // modelArtifacts
  const ma = r.map(v, 'modelArtifacts', '') ?? {};
  r.keys(ma, 'modelArtifacts', ['name', 'labels', 'uri', 'size', 'authSecretName', 'mountPath', 'readOnly']);
  const name = r.str(ma, 'name', 'modelArtifacts') ?? '';
  let uri = r.str(ma, 'uri', 'modelArtifacts') ?? '';
  uri = uri.replace(/\{\{-?\s*\.Values\.modelArtifacts\.name\s*-?\}\}/g, name);
  r.noTemplates(uri, 'modelArtifacts.uri');
  // The chart writes the hf:// model as a YAML list item, so `hf://"org/model"` renders the
  // quoted scalar `org/model`.
  const quoted = /^hf:\/\/"([^"]*)"$/.exec(uri);
  if (quoted) uri = `hf://${quoted[1]}`;
  const size = ma.size === undefined ? undefined : typeof ma.size === 'number' ? String(ma.size) : r.str(ma, 'size', 'modelArtifacts');
  const mountPathRaw = r.optStr(ma, 'mountPath', 'modelArtifacts');
  const readOnly = r.bool(ma, 'readOnly', 'modelArtifacts');
  const labels = r.strMap(ma, 'labels', 'modelArtifacts') ?? {};

  // accelerator
  const acc = r.map(v, 'accelerator', '') ?? {};
  r.keys(acc, 'accelerator', ['type', 'dra', 'resources', 'env', 'resourceClaimTemplates']);
  const accType = r.optStr(acc, 'type', 'accelerator') ?? 'nvidia';
  const draEnabled = r.bool(acc, 'dra', 'accelerator') ?? false;
  const rct = r.map(acc, 'resourceClaimTemplates', 'accelerator') ?? {};
  const claimTemplates: Record<string, ModelServiceDraClaimTemplate> = {};
  for (const [type, t] of Object.entries(rct)) {
    const tp = `accelerator.resourceClaimTemplates.${type}`;
    if (!isValuesMap(t)) {
      r.problem(tp, t, 'a map');
      continue;
    }
    r.keys(t, tp, ['name', 'class', 'match', 'count', 'selectors']);
    const match = r.optStr(t, 'match', tp);
    if (match !== undefined && match !== 'exactly') r.problem(`${tp}.match`, match, 'exactly', 'the chart renders the request as a map, which only "exactly" takes in resource.k8s.io/v1');
    claimTemplates[type] = dropUndefined<ModelServiceDraClaimTemplate>({
      name: r.optStr(t, 'name', tp),
      class: r.optStr(t, 'class', tp),
      match: match === 'exactly' ? 'exactly' : undefined,
      count: r.int(t, 'count', tp),
      selectors: nonEmptyList(r.maps(t, 'selectors', tp) as unknown as DeviceSelector[] | undefined),
    });
  }
  const accResources = r.strMap(acc, 'resources', 'accelerator') ?? {};
  const accEnvMap = r.map(acc, 'env', 'accelerator') ?? {};
  const accelerator: ModelServiceAcceleratorOptions = { type: accType };
  const roleDra = (k: string): boolean => {
    const d = v[k];
    return isValuesMap(d) && isValuesMap(d.accelerator) && d.accelerator.dra === true;
  };
  const anyDra = draEnabled || roleDra('decode') || roleDra('prefill');
  if (draEnabled) Object.assign(accelerator, { dra: true });
  if (anyDra) Object.assign(accelerator, { claimTemplates });
  if (accType !== 'cpu') {
    const resourceName = accResources[accType] ?? 'nvidia.com/gpu';
    const builtIn = ACCELERATOR_RESOURCES[accType] ?? 'nvidia.com/gpu';
    const envList = accEnvMap[accType] === undefined ? [] : (r.namedMaps(accEnvMap, accType, 'accelerator.env') ?? []).map((e) => ({ name: String(e.name), value: typeof e.value === 'string' ? e.value : e.value === undefined || e.value === null ? '' : String(e.value) }));
    const builtInEnv = ACCELERATOR_ENV[accType] ?? [];
    Object.assign(accelerator, dropUndefined({
      resourceName: resourceName === builtIn ? undefined : resourceName,
      env: JSON.stringify(envList) === JSON.stringify(builtInEnv) ? undefined : envList,
    }));
  }

  // routing
  const routing = readRouting(r, v);
  const servicePort = routing.servicePort;
  const proxy: ModelServiceRoutingProxyOptions = routing.proxy ?? dropUndefined({ enabled: false, targetPort: routing.targetPort });

  const decode = readRole(r, r.map(v, 'decode', '') ?? {}, 'decode', multinode);
  const prefill = readRole(r, r.map(v, 'prefill', '') ?? {}, 'prefill', multinode);

  const fullnameOverride = r.optStr(v, 'fullnameOverride', '');
  const serviceAccountOverride = r.optStr(v, 'serviceAccountOverride', '');
  const authSecretName = r.optStr(ma, 'authSecretName', 'modelArtifacts');
  r.throwIfProblems('values (llm-d-incubation/llm-d-modelservice v0.4.12)');
  r.sendWarnings(ctx);

  return dropUndefined<ModelServiceProps>({
    multinode: multinode ? true : undefined,
    releaseName: ctx.release,
    fullnameOverride,
    namespace: ctx.namespace,
    serviceAccount: serviceAccountOverride ? { name: serviceAccountOverride } : undefined,
    modelArtifacts: dropUndefined({
      name,
      uri,
      size,
      authSecret: authSecretName ? { name: authSecretName } : undefined,
      mountPath: mountPathRaw === '/model-cache' ? undefined : mountPathRaw,
      readOnly: readOnly === true ? undefined : readOnly,
      labels,
    }),
    accelerator: accType === 'nvidia' && Object.keys(accelerator).length === 1 ? undefined : accelerator,
    routing: dropUndefined({ servicePort: servicePort === 8000 ? undefined : servicePort, proxy }),
    decode,
    prefill: prefill.create ? prefill : undefined,
    tracing,
    requester,
  });
}

/** The chart's `requester` (rendered only with `enable: true`). */
function readRequester(r: ValuesReader, q: ValuesMap): ModelServiceRequesterOptions | undefined {
  r.keys(q, 'requester', ['enable', 'image', 'adminPort', 'port', 'readinessProbe', 'resources']);
  if (!r.bool(q, 'enable', 'requester')) return undefined;
  const port = r.map(q, 'port', 'requester') ?? {};
  r.keys(port, 'requester.port', ['probes', 'spi']);
  const probe = r.map(q, 'readinessProbe', 'requester') ?? {};
  r.keys(probe, 'requester.readinessProbe', ['initialDelaySeconds', 'periodSeconds']);
  const res = r.map(q, 'resources', 'requester') ?? {};
  r.keys(res, 'requester.resources', ['limits']);
  const limits = r.map(res, 'limits', 'requester.resources') ?? {};
  r.keys(limits, 'requester.resources.limits', ['gpus', 'cpus', 'memory']);
  const cpus = limits.cpus;
  if (cpus !== undefined && typeof cpus !== 'number' && typeof cpus !== 'string') r.problem('requester.resources.limits.cpus', cpus, 'a quantity such as 1 or "500m"');
  const image = r.str(q, 'image', 'requester') ?? '';
  if (image === '') r.problem('requester.image', q.image, 'the requester image, e.g. ghcr.io/llm-d-incubation/llm-d-fast-model-actuation/requester:<tag>', 'the chart renders an empty image');
  return dropUndefined<ModelServiceRequesterOptions>({
    image,
    adminPort: r.int(q, 'adminPort', 'requester'),
    probesPort: r.int(port, 'probes', 'requester.port'),
    spiPort: r.int(port, 'spi', 'requester.port'),
    readinessProbe: dropUndefined({ initialDelaySeconds: r.int(probe, 'initialDelaySeconds', 'requester.readinessProbe'), periodSeconds: r.int(probe, 'periodSeconds', 'requester.readinessProbe') }),
    limits: dropUndefined({ gpus: r.int(limits, 'gpus', 'requester.resources.limits'), cpus: cpus as number | string | undefined, memory: r.str(limits, 'memory', 'requester.resources.limits') }),
  });
}
