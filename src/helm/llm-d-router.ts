/**
 * Helm adapter for llm-d/llm-d-router v0.10.0 `llm-d-router-gateway` and `llm-d-router-standalone`
 * (both built on the `routerlib` library chart): values to {@link InferenceSchedulerPoolProps}
 * with `release: SchedulerRelease.LLM_D_ROUTER_V0_10`. Chart defaults apply where keys are absent
 * (Helm coalescing); what the charts `fail` on is refused with their reason, and so is what they
 * render but breaks at run time (unknown keys, ports out of range, `*-metric` flags, engine types
 * the EPP does not know).
 *
 * Chart quirks reproduced (parity with `helm template` wins):
 * - `router.epp.flags` render as `--key=value` in key order; numbers print like Go (`1e+06`).
 * - `metricsDataSource.insecureSkipVerify: false` renders `true` (the template's `| default true`).
 * - The standalone Envoy config is a ConfigMap named `envoy`, not release-scoped.
 * - The legacy `provider.gke.autopilot` and GKE objects are not rendered here (refused).
 * - `httpRoute.create: true` (gateway chart) renders the chart's HTTPRoute through an
 *   {@link InferenceRoute} beside the pool ({@link llmdRouterHttpRouteFromValues}): named after
 *   the release, attached to `httpRoute.inferenceGatewayName` (else `<release>-inference-gateway`,
 *   truncated to 63), `parentRefs[].namespace` written whenever `inferenceGatewayNamespace` is
 *   set, one rule matching PathPrefix `/` and the `baseModel` (`X-Gateway-Base-Model-Name`) and
 *   `headerMatches` headers (Exact, in key order), `timeouts.request: requestTimeout`.
 */
import type { Construct } from 'constructs';
import type { HelmValuesContext } from './registry';
import type { IInferencePoolRef } from '../core/contracts';
import type { Problem } from '../core/errors';
import { isDns1123Label, isDns1123Subdomain, truncateName } from '../core/names';
import { headerNameProblem, headerValueProblem } from '../core/object-rules/route-rules';
import type { InferenceRoute, InferenceRouteMatch, InferenceRouteTimeouts } from '../routing/inference-route';
import { BUILT_IN_ENGINES } from '../scheduler/engine-configs';
import type { EndpointPickerConfigSpec } from '../scheduler/epp-config';
import type { EndpointPickerOptions, InferenceSchedulerPoolProps, StandaloneOptions } from '../scheduler/pool-options';
import { PoolProvider } from '../scheduler/pool-provider';
import type { EppMetricsPreset } from '../scheduler/rules';
import { LEGACY_METRIC_FLAGS, SchedulerRelease } from '../scheduler/scheduler-release';
import type { EppContainerPort, EppEnvVar, EppImagePullPolicy, EppResources, EppServicePort, EppToleration, EppVolume, EppVolumeMount } from '../scheduler/types';
import { coalesceValues, isValuesMap, throwValuesProblems, ValuesMap } from './values-reader';
import { checkValues, getValue as get, goString, helmEmpty, listOf, S, Schema } from './values-schema';

/** Which of the two charts. */
export type LlmdRouterChart = 'gateway' | 'standalone';

const ROUTER_EPP_DEFAULTS: ValuesMap = {
  replicas: 1,
  image: { registry: 'ghcr.io/llm-d', repository: 'llm-d-router-endpoint-picker', tag: 'v0.10.0', pullPolicy: 'IfNotPresent' },
  extProcPort: 9002,
  parsers: [],
  metricsDataSource: { scheme: 'http', path: '/metrics', insecureSkipVerify: true },
  env: [],
  pluginsConfigFile: 'default-plugins.yaml',
  pluginsCustomConfig: {},
  extraContainerPorts: [],
  resources: { requests: { cpu: '8', memory: '8Gi' }, limits: { memory: '16Gi' } },
  affinity: {},
  tolerations: [],
  podAnnotations: {},
};

function routerDefaults(chart: LlmdRouterChart): ValuesMap {
  return {
    router: {
      extraServicePorts: chart === 'standalone' ? [{ name: 'http', port: 8081, protocol: 'TCP', targetPort: 8081 }] : [],
      clusterDomain: 'cluster.local',
      epp: ROUTER_EPP_DEFAULTS,
      proxy: chart === 'standalone' ? { enabled: true, proxyType: 'envoy', mode: 'sidecar', replicas: 2, failOpen: true, resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { memory: '16Gi' } } } : { enabled: false },
      tokenizer: { enabled: false },
      monitoring: { interval: '10s', provider: { name: '' }, prometheus: { enabled: false, auth: { enabled: true, secretName: 'inference-gateway-sa-metrics-reader-secret' }, extraLabels: {} } },
      tracing: { enabled: false, otelExporterEndpoint: 'http://localhost:4317', sampling: { sampler: 'parentbased_traceidratio', samplerArg: '0.1' } },
      inferencePool: { create: true, failureMode: 'FailOpen' },
      inferenceObjectives: [],
      modelServers: { type: 'vllm', protocol: 'http', targetPorts: [{ number: 8000 }] },
      latencyPredictor: { enabled: false },
    },
    ...(chart === 'gateway'
      ? {
        provider: { name: 'none', istio: { destinationRule: { host: '', trafficPolicy: {} } } },
        httpRoute: { create: false, inferenceGatewayName: 'inference-gateway', inferenceGatewayNamespace: '', requestTimeout: '300s' },
      }
      : {}),
  };
}

/** The defaults of each chart's values.yaml (routerlib's merged with the chart's release-time overrides). */
export const LLM_D_ROUTER_CHART_DEFAULTS: Readonly<Record<LlmdRouterChart, Readonly<ValuesMap>>> = Object.freeze({
  gateway: Object.freeze(routerDefaults('gateway')),
  standalone: Object.freeze(routerDefaults('standalone')),
});

const EPP_SCHEMA: Schema = S.map({
  replicas: S.int,
  image: S.map({ registry: S.str, repository: S.str, tag: S.scalar, pullPolicy: S.str }),
  extProcPort: S.int,
  grpcHealthPort: S.int,
  parsers: S.list(S.str),
  metricsDataSource: S.map({ scheme: S.str, path: S.str, insecureSkipVerify: S.bool }),
  flags: S.dict(S.scalar),
  env: S.list(S.object),
  pluginsConfigFile: S.str,
  pluginsCustomConfig: S.dict(S.str),
  extraContainerPorts: S.list(S.object),
  resources: S.map({ requests: S.dict(S.scalar), limits: S.dict(S.scalar), claims: S.list(S.object) }),
  affinity: S.object,
  tolerations: S.list(S.object),
  volumes: S.list(S.object),
  volumeMounts: S.list(S.object),
  podAnnotations: S.dict(S.str),
});

const ROUTER_SCHEMA: Schema = S.map({
  extraServicePorts: S.list(S.object),
  metricsPort: S.int,
  clusterDomain: S.str,
  epp: EPP_SCHEMA,
  proxy: S.map({ enabled: S.bool, proxyType: S.str, mode: S.str, replicas: S.int, failOpen: S.any, resources: S.object, args: S.list(S.str), image: S.str, presets: S.any, agentgateway: S.any }),
  tokenizer: S.any,
  monitoring: S.map({
    interval: S.str,
    provider: S.map({ name: S.str, gmp: S.any, prometheusoperator: S.any }),
    prometheus: S.map({ enabled: S.bool, auth: S.map({ enabled: S.bool, secretName: S.str }), extraLabels: S.dict(S.str) }),
  }),
  tracing: S.map({ enabled: S.bool, otelExporterEndpoint: S.str, sampling: S.map({ sampler: S.str, samplerArg: S.scalar }) }),
  inferencePool: S.map({ create: S.bool, failureMode: S.str }),
  inferenceObjectives: S.list(S.map({ name: S.str, priority: S.int })),
  modelServers: S.map({ type: S.str, protocol: S.str, targetPorts: S.list(S.map({ number: S.scalar })), matchLabels: S.dict(S.scalar), targetPortNumber: S.int }),
  latencyPredictor: S.any,
});

function valuesSchema(chart: LlmdRouterChart): Schema {
  const deprecated = { inferenceExtension: S.any, inferencePool: S.any, experimentalHttpRoute: S.any, inferenceObjectives: S.any };
  if (chart === 'standalone') return S.map({ router: ROUTER_SCHEMA, ...deprecated });
  return S.map({
    router: ROUTER_SCHEMA,
    ...deprecated,
    provider: S.map({ name: S.str, istio: S.map({ destinationRule: S.map({ host: S.str, trafficPolicy: S.map({ connectionPool: S.object }) }) }), gke: S.any }),
    httpRoute: S.map({ create: S.bool, inferenceGatewayName: S.str, inferenceGatewayNamespace: S.str, requestTimeout: S.str, baseModel: S.str, headerMatches: S.dict(S.str) }),
    istio: S.any,
  });
}

/** The charts' `fail`s on legacy top-level keys, with the same advice. */
function deprecationProblems(values: ValuesMap, chart: LlmdRouterChart): Problem[] {
  const out: Problem[] = [];
  const refuse = (key: string, allowed: string): void => {
    if (!helmEmpty(values[key])) out.push({ field: key, value: values[key], allowed, why: `top-level '${key}' is deprecated and refused by the llm-d-router charts` });
  };
  refuse('inferenceExtension', "router.epp and other router.* keys (run `cdk8s-llm-d migrate` on inferencepool values)");
  refuse('inferencePool', 'router.modelServers and router.inferencePool');
  refuse('experimentalHttpRoute', chart === 'gateway' ? 'httpRoute' : 'nothing: not supported in the standalone chart');
  refuse('inferenceObjectives', 'router.inferenceObjectives');
  return out;
}

/** A port number as the chart takes it (a number or a numeric string), or NaN. */
function portOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[0-9]+\s*$/.test(v)) return Number(v);
  return NaN;
}

/**
 * Values of `llm-d-router-gateway` or `llm-d-router-standalone` v0.10.0 (merged like Helm) to
 * {@link InferenceSchedulerPoolProps}. Throws {@link LlmdValidationError} listing every problem by
 * values key.
 */
export function llmdRouterPropsFromValues(chart: LlmdRouterChart, values: Record<string, unknown>, ctx: HelmValuesContext): InferenceSchedulerPoolProps {
  const problems: Problem[] = [];
  checkValues(values, valuesSchema(chart), '', problems);
  problems.push(...deprecationProblems(values, chart));
  const v = coalesceValues(LLM_D_ROUTER_CHART_DEFAULTS[chart] as ValuesMap, values);
  const r = (get(v, 'router') ?? {}) as ValuesMap;
  const e = (get(r, 'epp') ?? {}) as ValuesMap;
  const unsupported = (field: string, value: unknown, why: string): void => {
    problems.push({ field, value, allowed: 'false (not rendered by this adapter)', why });
  };

  // --- refused features ---------------------------------------------------------------------
  if (get(r, 'latencyPredictor', 'enabled') === true) unsupported('router.latencyPredictor.enabled', true, 'the latency-predictor sidecars are experimental; not supported by InferenceSchedulerPool');
  if (get(r, 'tokenizer', 'enabled') === true) unsupported('router.tokenizer.enabled', true, 'the vLLM render sidecar is not supported by InferenceSchedulerPool');
  if (chart === 'gateway') httpRouteFromValues(v, ctx, problems);
  if (chart === 'gateway' && typeof get(v, 'provider', 'name') === 'string' && String(get(v, 'provider', 'name')).toLowerCase() === 'gke') {
    problems.push({ field: 'provider.name', value: get(v, 'provider', 'name'), allowed: 'istio, none', why: 'the GKE objects of llm-d-router (HealthCheckPolicy, GCPBackendPolicy, preferred backends) are not rendered by this adapter; use the inferencepool chart adapter or PoolProvider.gke()' });
  }
  const monProvider = get(r, 'monitoring', 'provider', 'name');
  if (typeof monProvider === 'string' && monProvider.trim() !== '' && monProvider.toLowerCase() !== 'prometheusoperator') {
    problems.push({ field: 'router.monitoring.provider.name', value: monProvider, allowed: 'prometheusoperator (or empty)', why: 'Google Managed Prometheus objects are not rendered by this adapter' });
  }
  const clusterDomain = get(r, 'clusterDomain');
  if (clusterDomain !== undefined && clusterDomain !== null && clusterDomain !== 'cluster.local') {
    problems.push({ field: 'router.clusterDomain', value: clusterDomain, allowed: 'cluster.local', why: 'InferenceSchedulerPool builds Service FQDNs with cluster.local' });
  }

  // --- resources (required by routerlib) ----------------------------------------------------
  const resources = get(e, 'resources');
  const requests = get(resources, 'requests');
  for (const q of ['cpu', 'memory']) {
    if (!isValuesMap(requests) || helmEmpty(requests[q])) {
      problems.push({ field: `router.epp.resources.requests.${q}`, value: isValuesMap(requests) ? requests[q] : undefined, allowed: 'a quantity', why: `required by the chart: the EPP is a critical component that must have ${q === 'cpu' ? 'CPU' : 'memory'} requests set` });
    }
  }

  // --- model servers and pool ---------------------------------------------------------------
  const ms = (get(r, 'modelServers') ?? {}) as ValuesMap;
  const createPool = get(r, 'inferencePool', 'create') !== false;
  const matchLabels = get(ms, 'matchLabels');
  let selector: Record<string, string> | undefined;
  if (!isValuesMap(matchLabels) || helmEmpty(matchLabels)) {
    problems.push({
      field: 'router.modelServers.matchLabels',
      value: matchLabels,
      allowed: 'a map of the model-server pod labels',
      why: createPool ? 'required by the chart: the pool must select its model servers' : 'required by the chart: without an InferencePool the EPP --endpoint-selector is rendered from matchLabels and cannot start empty',
    });
  } else {
    selector = Object.fromEntries(Object.entries(matchLabels).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, goString(x)]));
  }
  const tp = get(ms, 'targetPorts');
  const targetPorts = Array.isArray(tp) ? tp.map((x) => (isValuesMap(x) ? portOf(x.number) : NaN)) : [];
  targetPorts.forEach((p, i) => {
    if (!(Number.isInteger(p) && p >= 1 && p <= 65535)) problems.push({ field: `router.modelServers.targetPorts[${i}].number`, value: isValuesMap((tp as unknown[])[i]) ? ((tp as ValuesMap[])[i]).number : (tp as unknown[])[i], allowed: 'a port from 1 to 65535' });
  });
  if (targetPorts.length === 0) problems.push({ field: 'router.modelServers.targetPorts', value: tp, allowed: 'at least one {number: <port>}' });
  const type = get(ms, 'type') ?? 'vllm';
  let metricsPreset: EppMetricsPreset | undefined;
  if (typeof type === 'string' && BUILT_IN_ENGINES.includes(type)) {
    metricsPreset = type as EppMetricsPreset;
  } else {
    problems.push({ field: 'router.modelServers.type', value: type, allowed: BUILT_IN_ENGINES.join(', '), why: 'the chart renders it as the core-metrics-extractor defaultEngine, and the EPP exits on an engine it has no config for; for other servers write a pluginsCustomConfig with engineConfigs' });
  }
  const protocol = get(ms, 'protocol');
  if (protocol !== undefined && protocol !== null && protocol !== 'http' && protocol !== 'grpc') {
    problems.push({ field: 'router.modelServers.protocol', value: protocol, allowed: 'http, grpc' });
  }
  const failureMode = get(r, 'inferencePool', 'failureMode');
  if (failureMode !== undefined && failureMode !== null && failureMode !== '' && failureMode !== 'FailOpen' && failureMode !== 'FailClose') {
    problems.push({ field: 'router.inferencePool.failureMode', value: failureMode, allowed: 'FailOpen, FailClose' });
  }
  const objectives = listOf<ValuesMap>(get(r, 'inferenceObjectives'));
  if (!createPool && objectives.length > 0) {
    problems.push({ field: 'router.inferenceObjectives', value: objectives.map((o) => o.name), allowed: 'none with router.inferencePool.create=false', why: 'refused by the chart: InferenceObjectives need the InferencePool' });
  }

  // --- EPP ----------------------------------------------------------------------------------
  const image = (get(e, 'image') ?? {}) as ValuesMap;
  const pullPolicy = get(image, 'pullPolicy');
  if (typeof pullPolicy === 'string' && pullPolicy !== '' && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    problems.push({ field: 'router.epp.image.pullPolicy', value: pullPolicy, allowed: 'Always, IfNotPresent, Never' });
  }
  const flagsIn = (get(e, 'flags') ?? {}) as ValuesMap;
  for (const k of LEGACY_METRIC_FLAGS) {
    if (flagsIn[k] !== undefined && flagsIn[k] !== null) {
      problems.push({ field: `router.epp.flags.${k}`, value: flagsIn[k], allowed: 'no *-metric flag', why: 'the chart renders it but the EPP exits at start-up since v0.9.0: put the metric names in a core-metrics-extractor engineConfigs entry of pluginsCustomConfig (cdk8s-llm-d migrate does this)' });
    }
  }
  const flags: Record<string, string> = {};
  for (const k of Object.keys(flagsIn)) if (flagsIn[k] !== null && flagsIn[k] !== undefined) flags[k] = goString(flagsIn[k]);
  const customFiles = get(e, 'pluginsCustomConfig');
  const customConfigFiles: Record<string, string> = {};
  if (isValuesMap(customFiles)) for (const [k, x] of Object.entries(customFiles)) if (typeof x === 'string') customConfigFiles[k] = x;
  const tracing = (get(r, 'tracing') ?? {}) as ValuesMap;
  const ds = (get(e, 'metricsDataSource') ?? {}) as ValuesMap;
  const parsers = listOf<string>(get(e, 'parsers'));
  const affinity = get(e, 'affinity');
  const podAnnotations = get(e, 'podAnnotations');
  const replicas = get(e, 'replicas');
  const list = <T>(key: string, from: ValuesMap = e): T[] => listOf<T>(get(from, key));
  const nonEmpty = <T>(key: string, l: readonly T[]): Record<string, readonly T[]> => (l.length > 0 ? { [key]: l } : {});

  const epp: EndpointPickerOptions = {
    // `replicas | default 1`: 0 renders 1 replica.
    replicas: (replicas as number | undefined) || 1,
    image: {
      hub: goString(get(image, 'registry') ?? ''),
      name: goString(get(image, 'repository') ?? ''),
      tag: goString(get(image, 'tag') ?? ''),
      pullPolicy: ((pullPolicy as string | undefined) || 'IfNotPresent') as EppImagePullPolicy,
    },
    extProcPort: (get(e, 'extProcPort') as number | undefined) || 9002,
    ...(get(r, 'metricsPort') ? { metricsPort: get(r, 'metricsPort') as number } : {}),
    ...(get(e, 'grpcHealthPort') ? { grpcHealthPort: get(e, 'grpcHealthPort') as number } : {}),
    configFile: (get(e, 'pluginsConfigFile') as string | undefined) || 'default-plugins.yaml',
    ...(Object.keys(customConfigFiles).length > 0 ? { customConfigFiles: customConfigFiles as Record<string, EndpointPickerConfigSpec | string> } : {}),
    ...(metricsPreset ? { metricsPreset } : {}),
    flags,
    metricsDataSource: {
      scheme: ((ds.scheme as string | undefined) || 'http') as 'http' | 'https',
      path: (ds.path as string | undefined) || '/metrics',
      // The template's `| default true` turns an explicit false into true.
      insecureSkipVerify: true,
    },
    ...nonEmpty('parsers', parsers),
    ...(tracing.enabled === true
      ? { tracing: { enabled: true, otelExporterEndpoint: goString(get(tracing, 'otelExporterEndpoint') ?? ''), sampler: goString(get(tracing, 'sampling', 'sampler') ?? ''), samplerArg: goString(get(tracing, 'sampling', 'samplerArg') ?? '') } }
      : {}),
    ...(isValuesMap(resources) ? { resources: resources as EppResources } : {}),
    ...nonEmpty('env', list<EppEnvVar>('env')),
    ...nonEmpty('extraContainerPorts', list<EppContainerPort>('extraContainerPorts')),
    ...nonEmpty('extraServicePorts', list<EppServicePort>('extraServicePorts', r)),
    ...nonEmpty('volumes', list<EppVolume>('volumes')),
    ...nonEmpty('volumeMounts', list<EppVolumeMount>('volumeMounts')),
    ...nonEmpty('tolerations', list<EppToleration>('tolerations')),
    ...(isValuesMap(affinity) && Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(isValuesMap(podAnnotations) && Object.keys(podAnnotations).length > 0 ? { podAnnotations: podAnnotations as Record<string, string> } : {}),
  };

  // --- standalone proxy ---------------------------------------------------------------------
  const standalone = chart === 'standalone' ? standaloneFromValues(values, r, createPool, problems) : undefined;
  if (chart === 'gateway' && get(r, 'proxy', 'enabled') === true) {
    problems.push({ field: 'router.proxy.enabled', value: true, allowed: 'false', why: 'the gateway chart has no proxy presets; use the llm-d-router-standalone chart for an EPP with its own Envoy' });
  }

  // --- provider (gateway chart) -------------------------------------------------------------
  let provider = PoolProvider.none();
  if (chart === 'gateway') {
    const dr = (get(v, 'provider', 'istio', 'destinationRule') ?? {}) as ValuesMap;
    const connectionPool = get(dr, 'trafficPolicy', 'connectionPool');
    const host = get(dr, 'host');
    if (get(v, 'provider', 'name') === 'istio') {
      provider = PoolProvider.istio({ ...(typeof host === 'string' && host !== '' ? { destinationRuleHost: host } : {}), ...(isValuesMap(connectionPool) && Object.keys(connectionPool).length > 0 ? { connectionPool } : {}) });
    }
  }

  // --- monitoring ---------------------------------------------------------------------------
  const mon = (get(r, 'monitoring') ?? {}) as ValuesMap;
  const prom = (get(mon, 'prometheus') ?? {}) as ValuesMap;
  const secretName = get(prom, 'auth', 'secretName');
  const extraLabels = get(prom, 'extraLabels');

  throwValuesProblems(problems, `values (llm-d-router-${chart} chart, release ${ctx.release})`);
  if (replicas === 0) ctx.warn?.({ field: 'epp.replicas', value: 0, message: 'renders 1 replica (the chart writes `replicas | default 1`); write 1 or more' });

  return {
    name: ctx.release,
    namespace: ctx.namespace,
    release: SchedulerRelease.LLM_D_ROUTER_V0_10,
    selector,
    targetPorts,
    ...(protocol === 'grpc' ? { modelServerProtocol: 'grpc' as const } : {}),
    failureMode: ((failureMode as string | undefined) || 'FailOpen') as 'FailOpen' | 'FailClose',
    ...(objectives.length > 0 ? { inferenceObjectives: objectives.map((o) => ({ name: goString(o.name), priority: o.priority as number })) } : {}),
    epp,
    ...(standalone ? { standalone } : {}),
    monitoring: {
      enabled: get(prom, 'enabled') === true,
      interval: goString(get(mon, 'interval') ?? '10s'),
      auth: get(prom, 'auth', 'enabled') === true,
      ...(typeof secretName === 'string' ? { metricsSecretName: secretName } : {}),
      ...(isValuesMap(extraLabels) && Object.keys(extraLabels).length > 0 ? { extraLabels: extraLabels as Record<string, string> } : {}),
    },
    provider,
  };
}

/** The standalone chart's proxy values to {@link StandaloneOptions}, refusing what its validations refuse. */
function standaloneFromValues(userValues: ValuesMap, r: ValuesMap, createPool: boolean, problems: Problem[]): StandaloneOptions {
  const proxy = (get(r, 'proxy') ?? {}) as ValuesMap;
  const userProxy = get(userValues, 'router', 'proxy');
  const enabled = proxy.enabled === true;
  const mode = String(proxy.mode ?? 'sidecar').toLowerCase() || 'sidecar';
  const proxyType = String(proxy.proxyType ?? 'envoy').toLowerCase() || 'envoy';
  if (mode !== 'sidecar' && mode !== 'service') problems.push({ field: 'router.proxy.mode', value: proxy.mode, allowed: 'sidecar, service', why: 'refused by the chart' });
  const failOpen = proxy.failOpen;
  if (failOpen !== undefined && failOpen !== null && typeof failOpen !== 'boolean') problems.push({ field: 'router.proxy.failOpen', value: failOpen, allowed: 'true or false', why: 'refused by the chart' });
  const servicePorts = listOf<ValuesMap>(get(r, 'extraServicePorts'));
  const http = servicePorts.filter((p) => isValuesMap(p) && String(p.name) === 'http');
  if (mode === 'service') {
    if (!enabled) problems.push({ field: 'router.proxy.enabled', value: proxy.enabled, allowed: 'true with router.proxy.mode=service', why: 'refused by the chart' });
    if (http.length === 0) problems.push({ field: 'router.extraServicePorts', value: servicePorts, allowed: 'a port named "http" for the proxy listener', why: 'refused by the chart with router.proxy.mode=service' });
  }
  if (enabled && proxyType !== 'envoy') {
    problems.push({ field: 'router.proxy.proxyType', value: proxy.proxyType, allowed: 'envoy', why: proxyType === 'agentgateway' ? 'the agentgateway proxy is not rendered by this adapter' : 'refused by the chart (envoy or agentgateway)' });
  }
  for (const k of ['presets', 'agentgateway']) {
    if (isValuesMap(userProxy) && userProxy[k] !== undefined) problems.push({ field: `router.proxy.${k}`, value: userProxy[k], allowed: 'unset: set router.proxy.image, args and resources', why: 'custom proxy presets are not supported by InferenceSchedulerPool' });
  }
  const args = get(proxy, 'args');
  const resources = get(proxy, 'resources');
  const image = get(proxy, 'image');
  return {
    proxy: enabled,
    inferencePool: createPool,
    proxyMode: mode === 'service' ? 'service' : 'sidecar',
    ...(typeof proxy.replicas === 'number' ? { proxyReplicas: proxy.replicas || 2 } : {}),
    failOpen: typeof failOpen === 'boolean' ? failOpen : mode === 'service',
    ...(typeof image === 'string' && image !== '' ? { proxyImage: image } : {}),
    ...(Array.isArray(args) && args.length > 0 ? { proxyArgs: args.map((a) => goString(a)) } : {}),
    ...(isValuesMap(resources) ? { proxyResources: resources as EppResources } : {}),
    // The chart's preset names its ConfigMap `envoy` (not release-scoped).
    proxyConfigMapName: 'envoy',
  };
}

/**
 * The chart's HTTPRoute (`httpRoute.create: true` of `llm-d-router-gateway`) as plain data for an
 * {@link InferenceRoute}; its one backend is the release's pool.
 */
export interface LlmdRouterHttpRoute {
  /** `metadata.name` of the HTTPRoute (the release). */
  readonly name: string;
  /** Namespace of the HTTPRoute. */
  readonly namespace: string;
  /** The Gateway it attaches to. */
  readonly gatewayName: string;
  /** Namespace of the Gateway. */
  readonly gatewayNamespace: string;
  /** The chart writes `parentRefs[].namespace` whenever `inferenceGatewayNamespace` is set, even to the route's own namespace. */
  readonly explicitGatewayNamespace: boolean;
  /** The rule's one match: PathPrefix `/`, and the base-model and custom headers. */
  readonly matches: readonly InferenceRouteMatch[];
  /** The rule's timeouts (`request: requestTimeout`). */
  readonly timeouts: InferenceRouteTimeouts;
}

/** Gateway API durations (`InferenceRoute`'s rule): 1-4 groups of up to 5 digits with h, m, s or ms. */
const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** The chart's HTTPRoute, or undefined when `httpRoute.create` is not true; its problems are added to `problems`. */
function httpRouteFromValues(v: ValuesMap, ctx: HelmValuesContext, problems: Problem[]): LlmdRouterHttpRoute | undefined {
  const hr = (get(v, 'httpRoute') ?? {}) as ValuesMap;
  if (hr.create !== true) return undefined;
  const givenName = hr.inferenceGatewayName;
  // The chart's "llm-d-router-gateway.fullname": the name given, else <release>-inference-gateway.
  const gatewayName = truncateName(typeof givenName === 'string' && givenName !== '' ? givenName : `${ctx.release}-inference-gateway`);
  if (!isDns1123Subdomain(gatewayName)) problems.push({ field: 'httpRoute.inferenceGatewayName', value: givenName ?? gatewayName, allowed: 'the name of a Gateway (a DNS-1123 subdomain)' });
  const givenNs = hr.inferenceGatewayNamespace;
  const explicitGatewayNamespace = typeof givenNs === 'string' && givenNs !== '';
  if (explicitGatewayNamespace && !isDns1123Label(givenNs)) problems.push({ field: 'httpRoute.inferenceGatewayNamespace', value: givenNs, allowed: 'a namespace (a DNS-1123 label), or "" for the release namespace' });
  const timeout = hr.requestTimeout;
  const hasTimeout = typeof timeout === 'string' && timeout !== '';
  if (hasTimeout && !GATEWAY_DURATION.test(timeout)) {
    problems.push({ field: 'httpRoute.requestTimeout', value: timeout, allowed: 'a Gateway API duration: 1-4 groups of up to 5 digits with h, m, s or ms, e.g. "300s", "1h", "0s" for none' });
  }
  const headers: Array<{ name: string; value: string }> = [];
  const baseModel = hr.baseModel;
  if (typeof baseModel === 'string' && baseModel !== '') {
    const p = headerValueProblem('httpRoute.baseModel', baseModel);
    if (p) problems.push(p);
    headers.push({ name: 'X-Gateway-Base-Model-Name', value: baseModel });
  }
  const matches = isValuesMap(hr.headerMatches) ? hr.headerMatches : {};
  // Helm ranges over the map in key order.
  for (const k of Object.keys(matches).sort()) {
    const x = matches[k];
    if (x === null || x === undefined) continue;
    const field = `httpRoute.headerMatches.${k}`;
    const n = headerNameProblem(field, k);
    if (n) problems.push({ ...n, value: k });
    if (typeof x === 'string') {
      const p = headerValueProblem(field, x);
      if (p) problems.push(p);
      headers.push({ name: k, value: x });
    }
  }
  return {
    name: ctx.release,
    namespace: ctx.namespace,
    gatewayName,
    gatewayNamespace: explicitGatewayNamespace ? (givenNs as string) : ctx.namespace,
    explicitGatewayNamespace,
    matches: [{ path: { type: 'PathPrefix', value: '/' }, ...(headers.length > 0 ? { headers } : {}) }],
    timeouts: hasTimeout ? { request: timeout } : {},
  };
}

/**
 * The chart's HTTPRoute for values of `llm-d-router-gateway` v0.10.0 (merged like Helm), or
 * undefined when `httpRoute.create` is not true. Throws {@link LlmdValidationError} listing every
 * problem of the `httpRoute` keys.
 */
export function llmdRouterHttpRouteFromValues(values: Record<string, unknown>, ctx: HelmValuesContext): LlmdRouterHttpRoute | undefined {
  const problems: Problem[] = [];
  checkValues({ httpRoute: values.httpRoute, provider: values.provider }, valuesSchema('gateway'), '', problems);
  const route = httpRouteFromValues(coalesceValues(LLM_D_ROUTER_CHART_DEFAULTS.gateway as ValuesMap, values), ctx, problems);
  throwValuesProblems(problems, `values (llm-d-router-gateway chart, release ${ctx.release})`);
  return route;
}

/**
 * Adds the chart's HTTPRoute to `pool` as an {@link InferenceRoute} (id `<id>-route`): attached to
 * the Gateway by name (not part of the app), its one backend the pool.
 */
export function addLlmdRouterHttpRoute(scope: Construct, id: string, pool: IInferencePoolRef, route: LlmdRouterHttpRoute): InferenceRoute {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the values create a route
  const { InferenceRoute: Route } = require('../routing/inference-route') as typeof import('../routing/inference-route');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApiObject, JsonPatch } = require('cdk8s') as typeof import('cdk8s');
  const r = new Route(scope, `${id}-route`, {
    name: route.name,
    namespace: route.namespace,
    // A Gateway outside the app, by name (IstioGieGateway.fromGatewayName without the construct).
    gateway: { gatewayName: route.gatewayName, gatewayNamespace: route.gatewayNamespace, listenerNames: [] },
    backends: [{ pool }],
    matches: route.matches,
    timeouts: route.timeouts,
  });
  // InferenceRoute omits a parent namespace equal to its own; the chart writes it as given.
  if (route.explicitGatewayNamespace && route.gatewayNamespace === route.namespace) {
    ApiObject.of(r).addJsonPatch(JsonPatch.add('/spec/parentRefs/0/namespace', route.gatewayNamespace));
  }
  return r;
}

/**
 * The CLI's companions of the gateway chart's pool: with `httpRoute.create: true`, the chart's
 * HTTPRoute as an InferenceRoute beside it. `convert` prints the pool only, so the route comes
 * with a warning saying how to add it to the program.
 */
export function addLlmdRouterCompanions(scope: Construct, id: string, pool: IInferencePoolRef, values: Record<string, unknown>, ctx: HelmValuesContext): void {
  const route = llmdRouterHttpRouteFromValues(values, ctx);
  if (!route) return;
  ctx.warn?.({
    field: 'httpRoute.create',
    value: true,
    message: `renders the chart's HTTPRoute ${route.namespace}/${route.name} as an InferenceRoute beside the pool; \`convert\` prints the pool only: add an InferenceRoute with the pool as backend to its program`,
  });
  addLlmdRouterHttpRoute(scope, id, pool, route);
}
