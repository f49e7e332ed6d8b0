/**
 * Helm adapter for furiosa-ai/helm-charts `llm-d-modelservice` 2026.1.0: values.yaml (chart keys)
 * to {@link FuriosaModelServiceProps}. The chart's values.yaml defaults are applied where keys are
 * absent (Helm coalescing: maps merge, lists replace, null deletes); unknown keys, wrong types and
 * unsupported features are refused with the values key path.
 */
import type { HelmValuesContext } from './registry';
import type {
  FuriosaContainer,
  FuriosaDecodeOptions,
  FuriosaDraClaimTemplate,
  FuriosaModelCommand,
  FuriosaModelServiceProps,
  FuriosaPodMonitorOptions,
  FuriosaRoutingProxyOptions,
} from '../model-service/furiosa-options';
import { MODELSERVICE_CONTAINER_KEYS, readContainerBody, readContainerTail, readPodMonitor, readRouting } from './modelservice-common';
import { coalesceValues, dropUndefined, isValuesMap, nonEmptyList, nonEmptyMap, ValuesMap, ValuesReader } from './values-reader';
import type { ContainerSpec, Toleration, Volume } from '../model-service/k8s-types';

/** The chart's values.yaml (2026.1.0), the keys that matter for rendering. */
export const FURIOSA_MODELSERVICE_CHART_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  common: {},
  enabled: true,
  fullnameOverride: '',
  serviceAccountOverride: '',
  modelArtifacts: {
    name: 'random/model',
    labels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'random_model' },
    uri: 'hf://{{ .Values.modelArtifacts.name }}',
    size: '5Mi',
    authSecretName: '',
    mountPath: '/model-cache',
  },
  multinode: false,
  accelerator: { type: 'furiosa', resources: { furiosa: 'furiosa.ai/rngd' }, env: {} },
  dra: {
    enabled: false,
    type: 'furiosa',
    claimTemplates: [{ name: 'furiosa', class: 'npu.furiosa.ai', match: 'exactly', count: 1, selectors: [] }],
  },
  routing: {
    servicePort: 8000,
    proxy: {
      enabled: true,
      image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0-rc.1',
      imagePullPolicy: 'Always',
      targetPort: 8200,
      connector: 'nixlv2',
      secure: false,
      zapEncoder: 'json',
      zapLogLevel: 'debug',
    },
  },
  decode: {
    create: true,
    autoscaling: { enabled: false },
    replicas: 1,
    nodeSelector: {},
    parallelism: { tensor: 4, data: 1, pipeline: 1, workers: 1 },
    containers: [
      {
        name: 'furiosa-llm',
        image: 'furiosaai/furiosa-llm:latest',
        modelCommand: 'furiosaLLMServe',
        command: [],
        args: [],
        env: [],
        imagePullPolicy: '',
        ports: [],
        resources: { limits: {}, requests: {}, claims: {} },
        mountModelVolume: true,
        volumeMounts: [{ name: 'metrics-volume', mountPath: '/.config' }],
      },
    ],
    volumes: [{ name: 'metrics-volume', emptyDir: {} }],
    initContainers: [],
    monitoring: {
      podmonitor: { enabled: false, portName: 'metrics', path: '/metrics', interval: '30s', labels: {}, annotations: {}, relabelings: [], metricRelabelings: [] },
    },
  },
  prefill: { create: false },
  extraObjects: [],
});

/** Helm's coalescing of user values over chart defaults (kept exported here for existing imports). */
export { coalesceValues };

const MULTINODE_WHY =
  'Furiosa-LLM does not support multinode serving: its processes cannot cooperate across pods, and with LeaderWorkerSets only the leader\'s metrics reach the inference scheduler; scale with decode.replicas (and decode.parallelism.data inside a pod)';
const PD_WHY = 'Furiosa-LLM does not support prefill/decode disaggregation; serve with decode pods only (prefill.create: false)';

const LWS_ONLY = 'used only by the chart\'s LeaderWorkerSet mode (multinode), which is not supported: ' + MULTINODE_WHY;

function readContainer(r: ValuesReader, c: ValuesMap, path: string): FuriosaContainer {
  r.keys(c, path, MODELSERVICE_CONTAINER_KEYS);
  const modelCommandRaw = r.str(c, 'modelCommand', path) ?? 'custom';
  let modelCommand: FuriosaModelCommand | undefined;
  if (modelCommandRaw === 'furiosaLLMServe' || modelCommandRaw === 'custom' || modelCommandRaw === 'imageDefault') modelCommand = modelCommandRaw;
  else r.problem(`${path}.modelCommand`, modelCommandRaw, 'furiosaLLMServe, custom or imageDefault');
  const body = readContainerBody(r, c, path, { claimsWhy: 'DRA claims are generated from the dra block (dra.enabled, dra.type)', nullClaimsEmpty: false, noTemplateArgs: false });
  const command = r.strList(c, 'command', path);
  const args = r.strList(c, 'args', path);
  const extraConfig = r.map(c, 'extraConfig', path);
  const name = r.optStr(c, 'name', path);
  return dropUndefined<FuriosaContainer>({
    name,
    modelCommand,
    command: nonEmptyList(command),
    args: nonEmptyList(args),
    ...body,
    defaultProbes: false,
    ...readContainerTail(r, c, path),
    extraConfig: nonEmptyMap(extraConfig),
  });
}

function readDecode(r: ValuesReader, d: ValuesMap): FuriosaDecodeOptions {
  const path = 'decode';
  r.keys(
    d,
    path,
    [
      'create', 'autoscaling', 'replicas', 'nodeSelector', 'schedulerName', 'parallelism', 'containers', 'volumes', 'initContainers', 'enableServiceLinks',
      'terminationGracePeriodSeconds', 'annotations', 'podAnnotations', 'tolerations', 'extraConfig', 'imagePullSecrets', 'podSecurityContext',
      'acceleratorTypes', 'monitoring',
    ],
    { hostIPC: LWS_ONLY, hostPID: LWS_ONLY, subGroupPolicy: LWS_ONLY, subGroupExclusiveToplogy: LWS_ONLY },
  );
  const autoscaling = r.map(d, 'autoscaling', path);
  if (autoscaling) {
    r.keys(autoscaling, 'decode.autoscaling', ['enabled']);
    if (r.bool(autoscaling, 'enabled', 'decode.autoscaling')) {
      r.problem('decode.autoscaling.enabled', true, 'false', 'the chart renders nothing for it; add an autoscaler (HPA, KEDA) construct of your own targeting the decode Deployment');
    }
  }
  const par = r.map(d, 'parallelism', path) ?? {};
  r.keys(par, 'decode.parallelism', ['tensor', 'data', 'pipeline', 'workers']);
  // Values equal to the construct's defaults (which are the chart's) are left out. The chart's
  // helpers (`if and . .tensor`) treat 0 as unset, so 0 means the default too.
  const notDefault = (key: string, d: number) => {
    const n = r.int(par, key, 'decode.parallelism');
    if (n === 0) r.warn(`decode.parallelism.${key}`, n, `renders as the chart's default ${d} (the chart treats 0 as unset); write ${d} or leave it out`);
    return n === d || n === 0 ? undefined : n;
  };
  const parallelism = dropUndefined({
    tensor: notDefault('tensor', 4),
    data: notDefault('data', 1),
    pipeline: notDefault('pipeline', 1),
    workers: notDefault('workers', 1),
  });
  const containers = (r.maps(d, 'containers', path) ?? []).map((c, i) => readContainer(r, c, `decode.containers[${i}]`));
  r.noTemplates(d.extraConfig, 'decode.extraConfig');

  let acceleratorTypes: FuriosaDecodeOptions['acceleratorTypes'];
  const at = r.map(d, 'acceleratorTypes', path);
  if (at) {
    r.keys(at, 'decode.acceleratorTypes', ['labelKey', 'labelValues']);
    const labelKey = r.optStr(at, 'labelKey', 'decode.acceleratorTypes');
    const labelValues = r.strList(at, 'labelValues', 'decode.acceleratorTypes');
    if (labelKey) acceleratorTypes = dropUndefined({ labelKey, labelValues: nonEmptyList(labelValues) });
  }

  const pm = readPodMonitor(r, d, path);
  const podmonitor: FuriosaPodMonitorOptions | undefined = pm ? { ...pm, portName: pm.portName ?? 'metrics' } : undefined;

  return dropUndefined<FuriosaDecodeOptions>({
    create: r.bool(d, 'create', path) === false ? false : undefined,
    replicas: r.int(d, 'replicas', path) ?? 1,
    parallelism,
    containers,
    initContainers: nonEmptyList(r.namedMaps(d, 'initContainers', path) as ContainerSpec[] | undefined),
    volumes: (r.namedMaps(d, 'volumes', path) ?? []) as Volume[],
    annotations: nonEmptyMap(r.strMap(d, 'annotations', path)),
    podAnnotations: nonEmptyMap(r.strMap(d, 'podAnnotations', path)),
    nodeSelector: nonEmptyMap(r.strMap(d, 'nodeSelector', path)),
    tolerations: nonEmptyList(r.maps(d, 'tolerations', path) as Toleration[] | undefined),
    acceleratorTypes,
    schedulerName: r.optStr(d, 'schedulerName', path),
    imagePullSecrets: nonEmptyList(r.namedMaps(d, 'imagePullSecrets', path) as Array<{ name: string }> | undefined),
    podSecurityContext: nonEmptyMap(r.map(d, 'podSecurityContext', path)),
    enableServiceLinks: r.bool(d, 'enableServiceLinks', path),
    terminationGracePeriodSeconds: r.int(d, 'terminationGracePeriodSeconds', path),
    extraConfig: nonEmptyMap(r.map(d, 'extraConfig', path)),
    monitoring: podmonitor && podmonitor.enabled ? { podmonitor } : undefined,
  });
}

/**
 * Maps `furiosa/llm-d-modelservice` values to {@link FuriosaModelServiceProps}. `values` are the
 * user's (merged `-f` files and `--set`s); the chart's defaults are applied here.
 * @throws LlmdValidationError listing every problem with its values key path
 */
export function furiosaModelServicePropsFromValues(values: Record<string, unknown>, ctx: HelmValuesContext): FuriosaModelServiceProps {
  // A null left after coalescing (e.g. inside a list) is a wrong value; templates are refused
  // only where the chart would `tpl` them (r.noTemplates calls).
  const r = new ValuesReader({ nullIsAbsent: false, refuseTemplates: false });
  const v = coalesceValues(FURIOSA_MODELSERVICE_CHART_DEFAULTS as ValuesMap, isValuesMap(values) ? values : {});
  r.keys(v, '', ['common', 'enabled', 'fullnameOverride', 'serviceAccountOverride', 'modelArtifacts', 'multinode', 'accelerator', 'dra', 'routing', 'decode', 'prefill', 'extraObjects', 'global']);
  r.bool(v, 'enabled', '');
  r.map(v, 'common', '');
  r.map(v, 'global', '');

  if (r.bool(v, 'multinode', '')) r.problem('multinode', true, 'false', `LeaderWorkerSet deployment is not supported. ${MULTINODE_WHY}`);
  const prefill = r.map(v, 'prefill', '');
  if (prefill && r.bool(prefill, 'create', 'prefill')) r.problem('prefill.create', true, 'false', PD_WHY);
  const extraObjects = r.list(v, 'extraObjects', '');
  if (extraObjects && extraObjects.length > 0) {
    r.problem('extraObjects', extraObjects, '[]', 'add your own constructs to the chart instead, e.g. new ApiObject(chart, "my-config", {...}) next to the FuriosaModelService');
  }

  // modelArtifacts
  const ma = r.map(v, 'modelArtifacts', '') ?? {};
  r.keys(ma, 'modelArtifacts', ['name', 'labels', 'uri', 'size', 'authSecretName', 'mountPath']);
  const name = r.str(ma, 'name', 'modelArtifacts') ?? '';
  let uri = r.str(ma, 'uri', 'modelArtifacts') ?? '';
  uri = uri.replace(/\{\{-?\s*\.Values\.modelArtifacts\.name\s*-?\}\}/g, name);
  r.noTemplates(uri, 'modelArtifacts.uri');
  const size = ma.size === undefined ? undefined : typeof ma.size === 'number' ? String(ma.size) : r.str(ma, 'size', 'modelArtifacts');
  const mountPathRaw = r.optStr(ma, 'mountPath', 'modelArtifacts');
  const mountPath = mountPathRaw === '/model-cache' ? undefined : mountPathRaw;
  const labels = r.strMap(ma, 'labels', 'modelArtifacts') ?? {};
  const authSecretName = r.optStr(ma, 'authSecretName', 'modelArtifacts');
  const fullnameOverride = r.optStr(v, 'fullnameOverride', '');
  const serviceAccountOverride = r.optStr(v, 'serviceAccountOverride', '');

  // accelerator
  const acc = r.map(v, 'accelerator', '') ?? {};
  r.keys(acc, 'accelerator', ['type', 'resources', 'env']);
  const accType = r.optStr(acc, 'type', 'accelerator') ?? 'furiosa';
  const accResources = r.strMap(acc, 'resources', 'accelerator') ?? {};
  const accEnvMap = r.map(acc, 'env', 'accelerator') ?? {};
  let accEnv: Array<{ name: string; value: string }> | undefined;
  if (accType !== 'cpu' && accEnvMap[accType] !== undefined) {
    const l = r.namedMaps(accEnvMap, accType, 'accelerator.env') ?? [];
    accEnv = l.map((e) => ({ name: String(e.name), value: typeof e.value === 'string' ? e.value : JSON.stringify(e.value ?? '') }));
  }
  const resourceName = accResources[accType] ?? 'furiosa.ai/rngd';

  // dra
  const draV = r.map(v, 'dra', '') ?? {};
  r.keys(draV, 'dra', ['enabled', 'type', 'claimTemplates']);
  const draEnabled = r.bool(draV, 'enabled', 'dra') ?? false;
  let dra: FuriosaModelServiceProps['dra'];
  if (draEnabled) {
    const templates = (r.namedMaps(draV, 'claimTemplates', 'dra') ?? []).map((t, i): FuriosaDraClaimTemplate => {
      const p = `dra.claimTemplates[${i}]`;
      r.keys(t, p, ['name', 'class', 'match', 'count', 'selectors']);
      const match = r.str(t, 'match', p);
      if (match !== undefined && match !== 'exactly') r.problem(`${p}.match`, match, 'exactly', 'the chart renders the request as a map, which only "exactly" takes in resource.k8s.io/v1');
      return dropUndefined({
        name: String(t.name),
        class: r.str(t, 'class', p),
        match: match === 'exactly' ? ('exactly' as const) : undefined,
        count: r.int(t, 'count', p),
        selectors: nonEmptyList(r.maps(t, 'selectors', p) as FuriosaDraClaimTemplate['selectors'] | undefined),
      });
    });
    dra = { enabled: true, type: r.optStr(draV, 'type', 'dra') ?? 'furiosa', claimTemplates: templates };
  }

  // routing
  const routing = readRouting(r, v);
  const servicePort = routing.servicePort;
  const proxy: FuriosaRoutingProxyOptions = routing.proxy ? (routing.proxy as FuriosaRoutingProxyOptions) : { enabled: false };

  const decode = readDecode(r, r.map(v, 'decode', '') ?? {});

  r.throwIfProblems('values (furiosa/llm-d-modelservice)');
  r.sendWarnings(ctx);

  return dropUndefined<FuriosaModelServiceProps>({
    releaseName: ctx.release,
    fullnameOverride,
    namespace: ctx.namespace,
    modelArtifacts: dropUndefined({
      name,
      uri,
      size,
      authSecret: authSecretName ? { name: authSecretName } : undefined,
      mountPath,
      labels,
    }),
    decode,
    routing: dropUndefined({ servicePort, proxy }),
    accelerator: accType === 'cpu' ? { type: 'cpu' as const } : nonEmptyMap(dropUndefined({ resourceName: resourceName === 'furiosa.ai/rngd' ? undefined : resourceName, env: nonEmptyList(accEnv) })),
    dra,
    serviceAccount: serviceAccountOverride ? { name: serviceAccountOverride } : undefined,
  });
}
