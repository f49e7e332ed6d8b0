// What InferenceSchedulerPool refuses, as the chart and the API server would: names, selector and
// servers, ports, EPP options and config files, monitoring and provider settings.
import { IConstruct } from 'constructs';
import { IModelServer } from '../core/contracts';
import { Problem } from '../core/errors';
import { checkLabels, selectorMatches } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { normalizedPosixPath } from '../core/paths';
import { checkPort, checkPortName } from '../core/ports';
import { checkResources } from '../core/quantities';
import { EndpointPickerConfig, EndpointPickerConfigSpec } from './epp-config';
import { GRPC_HEALTH_PORT, GRPC_PORT, METRICS_PORT } from './epp-ports';
import { DEFAULT_PLUGINS_FILE, InferenceSchedulerPoolProps } from './pool-options';
import { PoolProvider } from './pool-provider';
import { EPP_METRICS_PRESETS, eppNameFor, GUIDE_METRICS_PRESETS, INFERENCE_POOL_API_VERSIONS, InferencePoolApiVersion, presetForFlavors, RESERVED_EPP_FLAGS } from './rules';
import { imageConfigApiVersion, LEGACY_METRIC_FLAGS, SchedulerRelease } from './scheduler-release';
import { checkDns1123Label as checkObjectName } from '../core/names';

/** What the checks read from a pool, resolved (model servers included). */
export interface PoolProblemInput {
  readonly props: InferenceSchedulerPoolProps;
  readonly poolName: string;
  readonly namespace: string;
  readonly apiVersion: InferencePoolApiVersion;
  readonly configFile: string;
  readonly configFiles: Readonly<Record<string, EndpointPickerConfigSpec | string>>;
  readonly metricsSecretName: string;
  readonly servers: readonly IModelServer[];
  readonly release: SchedulerRelease;
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly targetPorts: readonly number[];
  /** Another pool that renders the same metrics-reader Secret, if any. */
  readonly metricsSecretClash?: IConstruct;
}

/**
 * The pool's name: a DNS-1123 subdomain, and the EPP Deployment and Service are named after it
 * (<name>-epp, a DNS-1123 label). Reported once, at name, as the user wrote it.
 */
function poolNameProblem(poolName: string): Problem | undefined {
  const nameProblem = checkDns1123Subdomain('name', poolName);
  if (nameProblem) return nameProblem;
  const eppName = eppNameFor(poolName);
  if (checkDns1123Label('name', eppName) === undefined) return undefined;
  return { field: 'name', value: poolName, allowed: 'a name without "." (lower-case letters, digits and "-")', why: `the EPP Deployment and Service are named after it, "${eppName}", which must be a DNS-1123 label` };
}

/** Whether the pool's name is refused (its EPP objects are then named after a stand-in). */
export function poolNameRefused(poolName: string): boolean {
  return poolNameProblem(poolName) !== undefined;
}

export function poolProblems(v: PoolProblemInput): Problem[] {
  const p: Problem[] = [];
  const props = v.props;
  const epp = props.epp ?? {};
  const monitoring = props.monitoring ?? {};
  const push = (x: Problem | Problem[] | undefined): void => push2(p, x);

  // names
  push(poolNameProblem(v.poolName));
  push(checkDns1123Label('namespace', v.namespace));
  if (!INFERENCE_POOL_API_VERSIONS.includes(v.apiVersion)) push({ field: 'apiVersion', value: v.apiVersion, allowed: INFERENCE_POOL_API_VERSIONS.join(', ') });
  if (props.provider !== undefined && !(props.provider instanceof PoolProvider)) push({ field: 'provider', value: props.provider, allowed: 'PoolProvider.none(), PoolProvider.istio({...}) or PoolProvider.gke({...})' });
  if (props.failureMode !== undefined && !['FailOpen', 'FailClose'].includes(props.failureMode)) push({ field: 'failureMode', value: props.failureMode, allowed: 'FailOpen, FailClose' });

  // selector and servers
  const selector = v.selector;
  if (props.selector !== undefined && Object.keys(props.selector).length === 0) {
    push({ field: 'selector', value: {}, allowed: 'at least one label', why: 'an empty selector would select every pod in the namespace' });
  } else if (selector === undefined) {
    push({ field: 'selector', value: undefined, allowed: 'labels of the model-server pods, or addModelServer(...)', why: 'the pool needs to know which pods it routes to (the chart requires inferencePool.modelServers.matchLabels)' });
  } else if (Object.keys(selector).length === 0) {
    push({
      field: 'modelServers',
      value: v.servers.map((s) => s.podLabels),
      allowed: 'model servers whose pod labels share at least one label, or an explicit selector',
      why: 'label mismatch: the servers have no label in common, so no selector matches them all',
    });
  } else {
    push(checkLabels('selector', selector));
  }
  v.servers.forEach((s, i) => {
    if (props.selector !== undefined && Object.keys(props.selector).length > 0 && !selectorMatches(props.selector, s.podLabels)) {
      push({ field: `modelServers[${i}].podLabels`, value: s.podLabels, allowed: `labels matching the pool selector ${JSON.stringify(props.selector)}`, why: 'label mismatch: the pool would not select this server\'s pods' });
    }
    if (s.podNamespace !== v.namespace) {
      push({ field: `modelServers[${i}].podNamespace`, value: s.podNamespace, allowed: `the pool's namespace "${v.namespace}"`, why: 'an InferencePool selects pods of its own namespace only' });
    }
  });

  // ports
  const ports = v.targetPorts;
  if (props.targetPorts !== undefined) {
    props.targetPorts.forEach((port, i) => push(checkPort(`targetPorts[${i}]`, port)));
    if (props.targetPorts.length === 0) push({ field: 'targetPorts', value: [], allowed: 'at least one port' });
    if (new Set(props.targetPorts).size !== props.targetPorts.length) push({ field: 'targetPorts', value: props.targetPorts, allowed: 'distinct ports' });
  }
  if (v.apiVersion === 'inference.networking.x-k8s.io/v1alpha2' && ports.length !== 1) {
    push({ field: 'targetPorts', value: ports, allowed: 'exactly one port', why: 'v1alpha2 InferencePools have a single targetPortNumber' });
  } else if (ports.length > 8) {
    push({ field: 'targetPorts', value: ports, allowed: 'at most 8 ports (InferencePool v1)' });
  }
  v.servers.forEach((s, i) => {
    if (props.targetPorts !== undefined) {
      if (!props.targetPorts.includes(s.servingPort)) {
        push({ field: `modelServers[${i}].servingPort`, value: s.servingPort, allowed: `one of targetPorts ${JSON.stringify(props.targetPorts)}`, why: 'port mismatch: the pool would not send traffic to this server\'s port' });
      }
    } else if (s.servingPort !== v.servers[0].servingPort) {
      push({
        field: `modelServers[${i}].servingPort`,
        value: s.servingPort,
        allowed: `${v.servers[0].servingPort} (the port of modelServers[0]), or set targetPorts`,
        why: 'port mismatch between the model servers of one pool',
      });
    }
  });

  // release
  push(releaseProblems(v));

  // metric preset
  if (epp.metricsPreset !== undefined && !EPP_METRICS_PRESETS.includes(epp.metricsPreset)) {
    push({ field: 'epp.metricsPreset', value: epp.metricsPreset, allowed: EPP_METRICS_PRESETS.join(', ') });
  } else if (epp.metricsPreset !== undefined && !v.release.isLlmdRouter && !GUIDE_METRICS_PRESETS.includes(epp.metricsPreset)) {
    push({ field: 'epp.metricsPreset', value: epp.metricsPreset, allowed: GUIDE_METRICS_PRESETS.join(', '), why: `the ${epp.metricsPreset} engine is known to llm-d-router only: set release: SchedulerRelease.LLM_D_ROUTER_V0_10` });
  }
  if (epp.metricsPreset === undefined && presetForFlavors(v.servers.map((s) => s.metricsFlavor)) === undefined) {
    push({
      field: 'epp.metricsPreset',
      value: v.servers.map((s) => s.metricsFlavor),
      allowed: 'model servers of one metrics flavor, or an explicit epp.metricsPreset',
      why: 'the EPP scrapes one set of metric names',
    });
  }

  // EPP deployment
  const replicas = epp.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) push({ field: 'epp.replicas', value: replicas, allowed: 'an integer of 1 or more' });
  push(checkPort('epp.extProcPort', epp.extProcPort));
  push(checkPort('epp.metricsPort', epp.metricsPort));
  if (epp.image?.pullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(epp.image.pullPolicy)) {
    push({ field: 'epp.image.pullPolicy', value: epp.image.pullPolicy, allowed: 'Always, IfNotPresent, Never' });
  }
  for (const k of ['hub', 'name', 'tag'] as const) {
    const v = epp.image?.[k];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0 || /\s/.test(v))) push({ field: `epp.image.${k}`, value: v, allowed: 'a non-empty string without spaces' });
  }
  if (epp.logVerbosity !== undefined) {
    if (!(Number.isInteger(epp.logVerbosity) && epp.logVerbosity >= 0)) push({ field: 'epp.logVerbosity', value: epp.logVerbosity, allowed: 'an integer of 0 or more' });
    if (epp.flags && 'v' in epp.flags) push({ field: 'epp.flags.v', value: epp.flags.v, allowed: 'either flags.v or logVerbosity, not both' });
  }
  for (const [k, v] of Object.entries(epp.flags ?? {})) {
    if (!/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(k)) push({ field: `epp.flags key`, value: k, allowed: 'a flag name without leading dashes, e.g. "kv-cache-usage-percentage-metric"' });
    if (RESERVED_EPP_FLAGS.includes(k)) push({ field: `epp.flags.${k}`, value: v, allowed: `flags other than ${RESERVED_EPP_FLAGS.join(', ')}`, why: 'the construct renders this flag from its props' });
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) push({ field: `epp.flags.${k}`, value: v, allowed: 'a string, number, boolean, or null to drop the flag' });
  }
  if (epp.terminationGracePeriodSeconds !== undefined && !(Number.isInteger(epp.terminationGracePeriodSeconds) && epp.terminationGracePeriodSeconds >= 0)) {
    push({ field: 'epp.terminationGracePeriodSeconds', value: epp.terminationGracePeriodSeconds, allowed: 'an integer of 0 or more' });
  }
  push(checkResources('epp.resources', epp.resources));
  const containerPortNames = new Set(['grpc', 'grpc-health', 'metrics']);
  const containerPorts = new Set([GRPC_PORT, GRPC_HEALTH_PORT, METRICS_PORT]);
  (epp.extraContainerPorts ?? []).forEach((cp, i) => {
    push(checkPort(`epp.extraContainerPorts[${i}].containerPort`, cp.containerPort));
    push(checkPortName(`epp.extraContainerPorts[${i}].name`, cp.name));
    if (cp.name !== undefined && containerPortNames.has(cp.name)) push({ field: `epp.extraContainerPorts[${i}].name`, value: cp.name, allowed: 'a name other than grpc, grpc-health, metrics and the other extra ports' });
    if (containerPorts.has(cp.containerPort)) push({ field: `epp.extraContainerPorts[${i}].containerPort`, value: cp.containerPort, allowed: 'a port other than 9002, 9003, 9090 and the other extra ports' });
    if (cp.name) containerPortNames.add(cp.name);
    containerPorts.add(cp.containerPort);
  });
  const servicePortNames = new Set(['grpc-ext-proc', 'http-metrics']);
  (epp.extraServicePorts ?? []).forEach((sp, i) => {
    push(checkPort(`epp.extraServicePorts[${i}].port`, sp.port));
    if (typeof sp.name !== 'string' || servicePortNames.has(sp.name)) push({ field: `epp.extraServicePorts[${i}].name`, value: sp.name, allowed: 'a name other than grpc-ext-proc, http-metrics and the other extra ports' });
    servicePortNames.add(sp.name);
    if (typeof sp.targetPort === 'number') push(checkPort(`epp.extraServicePorts[${i}].targetPort`, sp.targetPort));
  });
  const envNames = new Set(['NAMESPACE', 'POD_NAME']);
  (epp.env ?? []).forEach((e, i) => {
    if (typeof e.name !== 'string' || e.name.length === 0) push({ field: `epp.env[${i}].name`, value: e.name, allowed: 'a non-empty string' });
    else if (envNames.has(e.name)) push({ field: `epp.env[${i}].name`, value: e.name, allowed: 'a name not set by the construct (NAMESPACE, POD_NAME, OTEL_*) or earlier in env' });
    envNames.add(e.name);
  });
  const volumeNames = new Set(['plugins-config-volume']);
  (epp.volumes ?? []).forEach((v, i) => {
    if (typeof v.name !== 'string' || volumeNames.has(v.name)) push({ field: `epp.volumes[${i}].name`, value: v.name, allowed: 'a unique name other than plugins-config-volume' });
    volumeNames.add(v.name);
  });
  (epp.volumeMounts ?? []).forEach((m, i) => {
    if (!volumeNames.has(m.name)) push({ field: `epp.volumeMounts[${i}].name`, value: m.name, allowed: `a volume of the pod: ${[...volumeNames].join(', ')}` });
    if (typeof m.mountPath === 'string' && normalizedPosixPath(m.mountPath) === '/config') push({ field: `epp.volumeMounts[${i}].mountPath`, value: m.mountPath, allowed: 'a path other than /config (the config volume)' });
  });
  if (epp.hardening?.runAsUser !== undefined && !(Number.isInteger(epp.hardening.runAsUser) && epp.hardening.runAsUser >= 1)) {
    push({ field: 'epp.hardening.runAsUser', value: epp.hardening.runAsUser, allowed: 'a non-root UID (an integer of 1 or more)' });
  }

  // config files
  const cfgFileName = /^[-._a-zA-Z0-9]+$/;
  for (const [name, file] of Object.entries(epp.customConfigFiles ?? {})) {
    const f = `epp.customConfigFiles.${name}`;
    if (!cfgFileName.test(name)) push({ field: 'epp.customConfigFiles key', value: name, allowed: 'a ConfigMap key: letters, digits, "-", "_", "."' });
    if (epp.config && name === (epp.configFile ?? 'custom-plugins.yaml')) push({ field: f, value: name, allowed: 'a file name other than the one of epp.config' });
    if (typeof file !== 'string') push(EndpointPickerConfig.validate(file, f, v.release));
    else if (name === v.configFile || declaresEppConfig(file)) push(EndpointPickerConfig.validateYaml(file, f, v.release));
  }
  if (epp.config) {
    push(EndpointPickerConfig.validate(epp.config, 'epp.config', v.release));
    if (epp.configFile === DEFAULT_PLUGINS_FILE) push({ field: 'epp.configFile', value: epp.configFile, allowed: `a file name other than ${DEFAULT_PLUGINS_FILE} for epp.config` });
  }
  if (!cfgFileName.test(v.configFile)) push({ field: 'epp.configFile', value: v.configFile, allowed: 'a ConfigMap key: letters, digits, "-", "_", "."' });
  const files = v.configFiles;
  if (!(v.configFile in files)) {
    push({ field: 'epp.configFile', value: v.configFile, allowed: `a file of the EPP ConfigMap: ${Object.keys(files).join(', ')}`, why: '/config is the ConfigMap volume; the EPP would not start' });
  }

  // tracing
  const samplerArg = epp.tracing?.samplerArg;
  if (samplerArg !== undefined && !(/^\d*\.?\d+$/.test(samplerArg) && Number(samplerArg) >= 0 && Number(samplerArg) <= 1)) {
    push({ field: 'epp.tracing.samplerArg', value: samplerArg, allowed: 'a ratio from "0.0" to "1.0" as a string' });
  }

  // monitoring
  if (monitoring.interval !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(monitoring.interval)) {
    push({ field: 'monitoring.interval', value: monitoring.interval, allowed: 'a Prometheus duration such as "10s" or "1m"' });
  }
  push(checkDns1123Subdomain('monitoring.metricsSecretName', monitoring.metricsSecretName));
  push(checkLabels('monitoring.extraLabels', monitoring.extraLabels));
  if (monitoring.enabled && (monitoring.auth ?? true) && props.provider?.name !== 'gke') {
    // The chart's default Secret name is not release-scoped: two pools in one namespace collide.
    const clash = v.metricsSecretClash;
    if (clash) {
      push({ field: 'monitoring.metricsSecretName', value: v.metricsSecretName, allowed: `a name not used by ${clash.node.path} in namespace ${v.namespace}`, why: 'both pools would create the same Secret' });
    }
  }

  // provider
  const istio = props.provider?.istio;
  if (istio?.destinationRuleHost !== undefined && istio.destinationRuleHost !== '') {
    push(checkDns1123Subdomain('provider.istio.destinationRuleHost', istio.destinationRuleHost.replace(/^\*\./, '')));
  }
  push(checkPort('provider.gke.healthCheckPort', props.provider?.gke?.healthCheckPort));
  return p;
}

/**
 * Whether a config file's YAML text is meant as an EndpointPickerConfig: a top-level
 * `kind: EndpointPickerConfig`, an `apiVersion` of the EPP config group, or top-level `plugins:` /
 * `schedulingProfiles:` keys.
 */
function declaresEppConfig(text: string): boolean {
  return /^(kind:\s*["']?EndpointPickerConfig["']?|apiVersion:\s*["']?(inference\.networking\.x-k8s\.io|llm-d\.ai)\/|plugins:|schedulingProfiles:)/m.test(text);
}

/** What the selected release refuses: options of the other release, flags its EPP exits on, an image that cannot read its config. */
function releaseProblems(v: PoolProblemInput): Problem[] {
  const out: Problem[] = [];
  const props = v.props;
  const epp = props.epp ?? {};
  const release = v.release;
  const routerFix = 'set release: SchedulerRelease.LLM_D_ROUTER_V0_10';
  if (props.release !== undefined && !(props.release instanceof SchedulerRelease)) {
    out.push({ field: 'release', value: props.release, allowed: 'SchedulerRelease.GUIDE_PINS or SchedulerRelease.LLM_D_ROUTER_V0_10' });
  }
  const image = { ...release.image, ...(epp.image ?? {}) };
  const reads = imageConfigApiVersion(image);
  if (reads !== undefined && reads !== release.configApiVersion) {
    out.push({
      field: 'epp.image',
      value: `${image.hub}/${image.name}:${image.tag}`,
      allowed: `an EPP image that reads ${release.configApiVersion} configs (the ${release.id} release's: ${release.image.hub}/${release.image.name}:${release.image.tag})`,
      why: `this image reads ${reads} configs and would not start; ${release.isLlmdRouter ? 'use an llm-d-router v0.9+ image' : routerFix}`,
    });
  }
  const newEpp = release.isLlmdRouter || reads === 'llm-d.ai/v1alpha1';
  if (newEpp) {
    for (const flag of LEGACY_METRIC_FLAGS) {
      if (epp.flags && flag in epp.flags && epp.flags[flag] !== null) {
        out.push({ field: `epp.flags.${flag}`, value: epp.flags[flag], allowed: 'no *-metric flag', why: `the EPP exits at start-up since llm-d-router v0.9.0; metric names go in the core-metrics-extractor's engineConfigs${release.isLlmdRouter ? ' (derived from the servers added, or an explicit epp.metricsPreset)' : ` (${routerFix})`}` });
      }
    }
  }
  if (!release.isLlmdRouter) {
    if (props.standalone !== undefined) out.push({ field: 'standalone', value: props.standalone, allowed: 'standalone only with llm-d-router', why: `the guide-pins inferencepool chart has no standalone mode; ${routerFix}` });
    if (props.modelServerProtocol === 'grpc') out.push({ field: 'modelServerProtocol', value: 'grpc', allowed: 'http', why: `gRPC model servers need llm-d-router; ${routerFix}` });
    for (const k of ['grpcHealthPort', 'podAnnotations', 'metricsDataSource', 'parsers'] as const) {
      if (epp[k] !== undefined) out.push({ field: `epp.${k}`, value: epp[k], allowed: 'unset with the guide pins', why: `an llm-d-router option; ${routerFix}` });
    }
    return out.concat(objectiveProblems(v));
  }
  // llm-d-router v0.10
  if (v.apiVersion !== 'inference.networking.k8s.io/v1') {
    out.push({ field: 'apiVersion', value: v.apiVersion, allowed: 'inference.networking.k8s.io/v1', why: 'the v1alpha2 pool is gone from the Inference Extension v1.6.0 that llm-d-router v0.10 pairs with' });
  }
  if (props.modelServerProtocol !== undefined && !['http', 'grpc'].includes(props.modelServerProtocol)) out.push({ field: 'modelServerProtocol', value: props.modelServerProtocol, allowed: 'http, grpc' });
  if (epp.resources !== undefined) {
    for (const r of ['cpu', 'memory'] as const) {
      if (epp.resources.requests?.[r] === undefined) out.push({ field: `epp.resources.requests.${r}`, value: undefined, allowed: 'a quantity', why: 'the llm-d-router charts require EPP CPU and memory requests: the EPP is a critical component' });
    }
  }
  push2(out, checkPort('epp.grpcHealthPort', epp.grpcHealthPort));
  if (epp.grpcHealthPort !== undefined && [GRPC_PORT, METRICS_PORT].includes(epp.grpcHealthPort)) out.push({ field: 'epp.grpcHealthPort', value: epp.grpcHealthPort, allowed: 'a port other than 9002 (ext-proc) and 9090 (metrics)' });
  push2(out, checkLabelsAsAnnotations(epp.podAnnotations));
  (epp.parsers ?? []).forEach((p, i) => {
    if (!release.registers(p) || !p.endsWith('-parser')) out.push({ field: `epp.parsers[${i}]`, value: p, allowed: release.pluginTypes.filter((t) => t.endsWith('-parser')).join(', ') });
  });
  const ds = epp.metricsDataSource;
  if (ds?.scheme !== undefined && !['http', 'https'].includes(ds.scheme)) out.push({ field: 'epp.metricsDataSource.scheme', value: ds.scheme, allowed: 'http, https' });
  if (ds?.path !== undefined && !ds.path.startsWith('/')) out.push({ field: 'epp.metricsDataSource.path', value: ds.path, allowed: 'a URL path starting with /' });
  const sa = props.standalone;
  if (sa) {
    if (sa.proxyMode !== undefined && !['sidecar', 'service'].includes(sa.proxyMode)) out.push({ field: 'standalone.proxyMode', value: sa.proxyMode, allowed: 'sidecar, service' });
    if (sa.proxyReplicas !== undefined && !(Number.isInteger(sa.proxyReplicas) && sa.proxyReplicas >= 1)) out.push({ field: 'standalone.proxyReplicas', value: sa.proxyReplicas, allowed: 'an integer of 1 or more' });
    if (sa.failOpen !== undefined && typeof sa.failOpen !== 'boolean') out.push({ field: 'standalone.failOpen', value: sa.failOpen, allowed: 'true or false' });
    push2(out, checkPort('standalone.servicePort', sa.servicePort));
    push2(out, checkDns1123Subdomain('standalone.proxyConfigMapName', sa.proxyConfigMapName));
    if (sa.proxyImage !== undefined && (sa.proxyImage === '' || /\s/.test(sa.proxyImage))) out.push({ field: 'standalone.proxyImage', value: sa.proxyImage, allowed: 'an image reference without spaces' });
    push2(out, checkResources('standalone.proxyResources', sa.proxyResources));
    if (sa.inferencePool !== true && (v.selector === undefined || Object.keys(v.selector).length === 0)) {
      out.push({ field: 'selector', value: v.selector, allowed: 'labels of the model-server pods', why: 'without an InferencePool the EPP is started with --endpoint-selector and cannot start with an empty one' });
    }
  }
  return out.concat(objectiveProblems(v));
}

function objectiveProblems(v: PoolProblemInput): Problem[] {
  const out: Problem[] = [];
  const objectives = v.props.inferenceObjectives ?? [];
  if (objectives.length > 0 && v.props.standalone !== undefined && v.props.standalone.inferencePool !== true && v.release.isLlmdRouter) {
    out.push({ field: 'inferenceObjectives', value: objectives.map((o) => o.name), allowed: 'none without an InferencePool', why: 'an InferenceObjective refers to a pool; set standalone.inferencePool: true' });
  }
  const seen = new Set<string>();
  objectives.forEach((o, i) => {
    push2(out, checkObjectName(`inferenceObjectives[${i}].name`, o.name));
    if (seen.has(o.name)) out.push({ field: `inferenceObjectives[${i}].name`, value: o.name, allowed: 'a name not used by another objective' });
    seen.add(o.name);
    if (!(Number.isInteger(o.priority) && Math.abs(o.priority) <= 2147483647)) out.push({ field: `inferenceObjectives[${i}].priority`, value: o.priority, allowed: 'an int32' });
  });
  return out;
}

/** Appends a check's result (none, one or several problems) to `out`. */
function push2(out: Problem[], x: Problem | Problem[] | undefined): void {
  if (x === undefined) return;
  if (Array.isArray(x)) out.push(...x);
  else out.push(x);
}

/** Annotation keys follow the label-key rules; values are free text. */
function checkLabelsAsAnnotations(a: Readonly<Record<string, string>> | undefined): Problem[] {
  if (a === undefined) return [];
  return checkLabels('epp.podAnnotations', Object.fromEntries(Object.keys(a).map((k) => [k, 'x'])));
}
