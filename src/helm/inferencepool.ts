/**
 * Helm adapter for gateway-api-inference-extension `config/charts/inferencepool` v1.3.0:
 * values.yaml (chart keys) to {@link InferenceSchedulerPoolProps}. The chart's values.yaml
 * defaults apply where keys are absent (Helm coalescing: maps merge, lists replace, null
 * deletes); unknown keys, wrong types and unsupported features are refused with the key path.
 *
 * Chart quirks reproduced (parity with `helm template` wins):
 * - `inferenceExtension.flags` render in key order (Helm ranges over a map sorted by key), with
 *   the default `v: 1` sorted among them; numbers print like Go (`1e+06`).
 * - The Secret and the ServiceMonitor use `monitoring.prometheus.auth.secretName`;
 *   `monitoring.secret.name` (used by older llm-d guides, also in seed 000) is read by no
 *   template of v1.3.0 and is accepted and ignored.
 * - The legacy top-level `istio.*` is used only when `provider.istio` is null (the chart's
 *   `coalesce` always prefers the non-empty default of `provider.istio`).
 * - Only `trafficPolicy.connectionPool` is rendered into the DestinationRule; other keys are
 *   refused since the chart would drop them silently.
 * - The GKE HealthCheckPolicy uses `inferencePool.targetPortNumber` even for v1 pools.
 */
import type { HelmValuesContext } from './registry';
import type { Problem } from '../core/errors';
import type { EndpointPickerConfigSpec } from '../scheduler/epp-config';
import type { EndpointPickerOptions, InferenceSchedulerPoolProps } from '../scheduler/pool-options';
import { InferencePoolProvider, PoolProvider } from '../scheduler/pool-provider';
import { EppMetricsPreset, INFERENCE_POOL_API_VERSIONS, InferencePoolApiVersion } from '../scheduler/rules';
import type { EppContainerPort, EppEnvVar, EppImagePullPolicy, EppServicePort, EppToleration, EppVolume, EppVolumeMount } from '../scheduler/types';
import { coalesceValues, isValuesMap, throwValuesProblems, ValuesMap } from './values-reader';
import { checkValues, getValue as get, goString, helmEmpty, listOf, PROVIDERS_AS_NONE, S, Schema } from './values-schema';

/** The chart's values.yaml (v1.3.0): the keys that matter for rendering. */
export const INFERENCEPOOL_CHART_DEFAULTS: Readonly<ValuesMap> = Object.freeze({
  inferenceExtension: {
    replicas: 1,
    image: { name: 'epp', hub: 'registry.k8s.io/gateway-api-inference-extension', tag: 'v1.3.0', pullPolicy: 'Always' },
    extProcPort: 9002,
    env: [],
    pluginsConfigFile: 'default-plugins.yaml',
    extraContainerPorts: [],
    extraServicePorts: [],
    flags: { v: 1 },
    affinity: {},
    tolerations: [],
    sidecar: { enabled: false },
    monitoring: {
      interval: '10s',
      prometheus: { enabled: false, auth: { enabled: true, secretName: 'inference-gateway-sa-metrics-reader-secret' }, extraLabels: {} },
    },
    tracing: { enabled: false, otelExporterEndpoint: 'http://localhost:4317', sampling: { sampler: 'parentbased_traceidratio', samplerArg: '0.1' } },
    latencyPredictor: { enabled: false },
  },
  inferencePool: {
    targetPorts: [{ number: 8000 }],
    modelServerType: 'vllm',
    apiVersion: 'inference.networking.k8s.io/v1',
    targetPortNumber: 8000,
  },
  provider: {
    name: 'none',
    gke: { autopilot: false },
    istio: { destinationRule: { host: '', trafficPolicy: {} } },
  },
  experimentalHttpRoute: { enabled: false, inferenceGatewayName: 'inference-gateway' },
  istio: { destinationRule: { host: '', trafficPolicy: {} } },
});

const DESTINATION_RULE = S.map({ destinationRule: S.map({ host: S.str, trafficPolicy: S.map({ connectionPool: S.object }) }) });

const VALUES_SCHEMA: Schema = S.map({
  inferenceExtension: S.map({
    replicas: S.int,
    image: S.map({ name: S.str, hub: S.str, tag: S.scalar, pullPolicy: S.str }),
    extProcPort: S.int,
    metricsPort: S.int,
    failureMode: S.str,
    env: S.list(S.object),
    pluginsConfigFile: S.str,
    pluginsCustomConfig: S.dict(S.str),
    extraContainerPorts: S.list(S.object),
    extraServicePorts: S.list(S.object),
    flags: S.dict(S.scalar),
    affinity: S.object,
    tolerations: S.list(S.object),
    volumes: S.list(S.object),
    volumeMounts: S.list(S.object),
    sidecar: S.any,
    monitoring: S.map({
      interval: S.str,
      secret: S.map({ name: S.str }),
      gke: S.map({ enabled: S.bool }),
      prometheus: S.map({
        enabled: S.bool,
        auth: S.map({ enabled: S.bool, secretName: S.str }),
        extraLabels: S.dict(S.str),
      }),
    }),
    tracing: S.map({
      enabled: S.bool,
      otelExporterEndpoint: S.str,
      sampling: S.map({ sampler: S.str, samplerArg: S.scalar }),
    }),
    latencyPredictor: S.any,
  }),
  inferencePool: S.map({
    targetPorts: S.list(S.map({ number: S.int })),
    modelServerType: S.str,
    apiVersion: S.str,
    modelServers: S.map({ matchLabels: S.dict(S.scalar) }),
    targetPortNumber: S.int,
  }),
  provider: S.map({
    name: S.str,
    gke: S.map({ autopilot: S.bool }),
    istio: DESTINATION_RULE,
  }),
  experimentalHttpRoute: S.map({ enabled: S.bool, inferenceGatewayName: S.str, baseModel: S.str }),
  istio: DESTINATION_RULE,
});


/** Keys of the chart's values that hold a value of the wrong type, or that the chart does not have. */
export function inferencePoolValuesProblems(values: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  checkValues(values, VALUES_SCHEMA, '', problems);
  return problems;
}

/**
 * The chart's values (as given to `helm template -f`, merged with `--set`) to
 * {@link InferenceSchedulerPoolProps}. Throws {@link LlmdValidationError} listing every problem,
 * each named by its values key path.
 */
export function inferencePoolPropsFromValues(values: Record<string, unknown>, ctx: HelmValuesContext): InferenceSchedulerPoolProps {
  const problems = inferencePoolValuesProblems(values);
  const v = coalesceValues(INFERENCEPOOL_CHART_DEFAULTS as ValuesMap, values);
  const ie = (get(v, 'inferenceExtension') ?? {}) as ValuesMap;
  const pool = (get(v, 'inferencePool') ?? {}) as ValuesMap;

  // --- refused features -----------------------------------------------------------------------
  if (get(ie, 'latencyPredictor', 'enabled') === true) {
    problems.push({
      field: 'inferenceExtension.latencyPredictor.enabled',
      value: true,
      allowed: 'false',
      why: 'the latency-predictor sidecars (a training server and N prediction servers) are experimental and ship with placeholder images; not supported by InferenceSchedulerPool',
    });
  }
  if (get(ie, 'sidecar', 'enabled') === true) {
    problems.push({
      field: 'inferenceExtension.sidecar.enabled',
      value: true,
      allowed: 'false',
      why: 'the generic EPP sidecar (templated args, its own ConfigMap) is not supported by InferenceSchedulerPool',
    });
  }
  if (get(v, 'experimentalHttpRoute', 'enabled') === true) {
    problems.push({
      field: 'experimentalHttpRoute.enabled',
      value: true,
      allowed: 'false',
      why: 'the chart\'s experimental HTTPRoute is not rendered here: route to the pool with the InferenceRoute construct (route.addBackend(pool))',
    });
  }

  // --- pool -----------------------------------------------------------------------------------
  const apiVersion = get(pool, 'apiVersion');
  if (typeof apiVersion === 'string' && !INFERENCE_POOL_API_VERSIONS.includes(apiVersion as InferencePoolApiVersion)) {
    problems.push({ field: 'inferencePool.apiVersion', value: apiVersion, allowed: INFERENCE_POOL_API_VERSIONS.join(', ') });
  }
  const v1alpha2 = apiVersion === 'inference.networking.x-k8s.io/v1alpha2';
  const matchLabels = get(pool, 'modelServers', 'matchLabels');
  let selector: Record<string, string> | undefined;
  if (!isValuesMap(matchLabels) || Object.keys(matchLabels).length === 0) {
    problems.push({ field: 'inferencePool.modelServers.matchLabels', value: matchLabels, allowed: 'a map of the model-server pod labels', why: 'required: the pool must select its model servers' });
  } else {
    selector = Object.fromEntries(Object.entries(matchLabels).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, goString(x)]));
  }
  const targetPortNumber = (get(pool, 'targetPortNumber') as number | undefined) || 8000;
  let targetPorts: number[];
  if (v1alpha2) {
    targetPorts = [targetPortNumber];
  } else {
    const tp = get(pool, 'targetPorts');
    targetPorts = Array.isArray(tp) ? tp.map((x) => (isValuesMap(x) ? (x.number as number) : NaN)) : [];
  }
  const modelServerType = get(values, 'inferencePool', 'modelServerType');
  let metricsPreset: EppMetricsPreset | undefined;
  if (modelServerType !== undefined && modelServerType !== null) {
    if (modelServerType === 'vllm' || modelServerType === 'triton-tensorrt-llm') metricsPreset = modelServerType;
    else if (typeof modelServerType === 'string') problems.push({ field: 'inferencePool.modelServerType', value: modelServerType, allowed: 'vllm, triton-tensorrt-llm' });
  }

  // --- EPP ------------------------------------------------------------------------------------
  const image = (get(ie, 'image') ?? {}) as ValuesMap;
  const flagsIn = (get(ie, 'flags') ?? {}) as ValuesMap;
  const flags: Record<string, string | null> = {};
  for (const k of Object.keys(flagsIn).sort()) {
    const x = flagsIn[k];
    if (x === null || x === undefined) continue;
    flags[k] = goString(x);
  }
  // The chart's default `v: 1` is gone only when the user deleted it (`flags.v: null` or `flags: null`).
  if (!('v' in flags)) flags.v = null;
  const customFiles = get(ie, 'pluginsCustomConfig');
  const customConfigFiles: Record<string, string> = {};
  if (isValuesMap(customFiles)) {
    for (const [k, x] of Object.entries(customFiles)) if (typeof x === 'string') customConfigFiles[k] = x;
  }
  const tracing = (get(ie, 'tracing') ?? {}) as ValuesMap;
  const failureMode = get(ie, 'failureMode');
  if (failureMode !== undefined && failureMode !== null && failureMode !== 'FailOpen' && failureMode !== 'FailClose') {
    problems.push({ field: 'inferenceExtension.failureMode', value: failureMode, allowed: 'FailOpen, FailClose' });
  }
  const replicas = get(ie, 'replicas');
  const pullPolicy = get(ie, 'image', 'pullPolicy');
  if (typeof pullPolicy === 'string' && pullPolicy !== '' && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    problems.push({ field: 'inferenceExtension.image.pullPolicy', value: pullPolicy, allowed: 'Always, IfNotPresent, Never' });
  }
  if (typeof replicas === 'number' && Number.isInteger(replicas) && replicas < 0) {
    problems.push({ field: 'inferenceExtension.replicas', value: replicas, allowed: 'an integer of 1 or more' });
  }
  const extraServicePorts = listOf<EppServicePort>(get(ie, 'extraServicePorts'));
  const extraContainerPorts = listOf<EppContainerPort>(get(ie, 'extraContainerPorts'));
  const env = listOf<EppEnvVar>(get(ie, 'env'));
  const tolerations = listOf<EppToleration>(get(ie, 'tolerations'));
  const volumes = listOf<EppVolume>(get(ie, 'volumes'));
  const volumeMounts = listOf<EppVolumeMount>(get(ie, 'volumeMounts'));
  const affinity = get(ie, 'affinity');

  const epp: EndpointPickerOptions = {
    replicas: (replicas as number | undefined) || 1,
    image: {
      hub: get(image, 'hub') as string,
      name: get(image, 'name') as string,
      tag: goString(get(image, 'tag')),
      pullPolicy: ((get(image, 'pullPolicy') as string | undefined) || 'IfNotPresent') as EppImagePullPolicy,
    },
    extProcPort: (get(ie, 'extProcPort') as number | undefined) || 9002,
    ...(get(ie, 'metricsPort') ? { metricsPort: get(ie, 'metricsPort') as number } : {}),
    configFile: (get(ie, 'pluginsConfigFile') as string | undefined) ?? 'default-plugins.yaml',
    ...(Object.keys(customConfigFiles).length > 0 ? { customConfigFiles: customConfigFiles as Record<string, EndpointPickerConfigSpec | string> } : {}),
    ...(metricsPreset ? { metricsPreset } : {}),
    flags,
    ...(tracing.enabled === true
      ? {
        tracing: {
          enabled: true,
          otelExporterEndpoint: goString(get(tracing, 'otelExporterEndpoint') ?? ''),
          sampler: goString(get(tracing, 'sampling', 'sampler') ?? ''),
          samplerArg: goString(get(tracing, 'sampling', 'samplerArg') ?? ''),
        },
      }
      : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(extraContainerPorts.length > 0 ? { extraContainerPorts } : {}),
    ...(extraServicePorts.length > 0 ? { extraServicePorts } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
    ...(isValuesMap(affinity) && Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
  };

  // --- provider -------------------------------------------------------------------------------
  const providerName = get(v, 'provider', 'name');
  let provider: InferencePoolProvider = 'none';
  if (typeof providerName === 'string') {
    if (providerName.toLowerCase() === 'gke') provider = 'gke';
    else if (providerName === 'istio') provider = 'istio';
    else if (PROVIDERS_AS_NONE.includes(providerName)) provider = 'none';
    else {
      problems.push({
        field: 'provider.name',
        value: providerName,
        allowed: `gke, istio, or one of ${PROVIDERS_AS_NONE.join(', ')} (no provider objects)`,
        why: 'the chart matches "istio" case-sensitively and renders nothing for other names',
      });
    }
  }
  const providerIstio = get(v, 'provider', 'istio');
  const istioValues = !helmEmpty(providerIstio) ? providerIstio : !helmEmpty(get(v, 'istio')) ? get(v, 'istio') : {};
  const dr = (get(istioValues, 'destinationRule') ?? {}) as ValuesMap;
  const connectionPool = get(dr, 'trafficPolicy', 'connectionPool');
  const host = get(dr, 'host');

  // --- monitoring -----------------------------------------------------------------------------
  const mon = (get(ie, 'monitoring') ?? {}) as ValuesMap;
  const prom = (get(mon, 'prometheus') ?? {}) as ValuesMap;
  const auth = get(prom, 'auth', 'enabled');
  const secretName = get(prom, 'auth', 'secretName');
  const extraLabels = get(prom, 'extraLabels');

  throwValuesProblems(problems, `values (inferencepool chart, release ${ctx.release})`);
  if (replicas === 0) ctx.warn?.({ field: 'inferenceExtension.replicas', value: 0, message: 'renders 1 replica (the chart writes `replicas | default 1`); write 1 or more' });

  return {
    name: ctx.release,
    namespace: ctx.namespace,
    apiVersion: (apiVersion as InferencePoolApiVersion | undefined) ?? 'inference.networking.k8s.io/v1',
    selector,
    targetPorts,
    ...(v1alpha2 ? { failureMode: (failureMode as 'FailOpen' | 'FailClose' | undefined) || 'FailClose' } : failureMode ? { failureMode: failureMode as 'FailOpen' | 'FailClose' } : {}),
    epp,
    monitoring: {
      enabled: get(prom, 'enabled') === true,
      interval: goString(get(mon, 'interval') ?? '10s'),
      auth: auth === true,
      ...(provider !== 'gke' && typeof secretName === 'string' ? { metricsSecretName: secretName } : {}),
      ...(isValuesMap(extraLabels) && Object.keys(extraLabels).length > 0 ? { extraLabels: extraLabels as Record<string, string> } : {}),
    },
    provider: provider === 'istio'
      ? PoolProvider.istio({ ...(typeof host === 'string' && host !== '' ? { destinationRuleHost: host } : {}), ...(isValuesMap(connectionPool) && Object.keys(connectionPool).length > 0 ? { connectionPool } : {}) })
      : provider === 'gke'
        ? PoolProvider.gke({ autopilot: get(v, 'provider', 'gke', 'autopilot') === true, healthCheckPort: targetPortNumber })
        : PoolProvider.none(),
  };
}
