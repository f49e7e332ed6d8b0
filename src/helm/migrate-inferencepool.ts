/**
 * `cdk8s-llm-d migrate`: values of the GAIE `inferencepool` chart v1.3.0 as values of
 * llm-d-router v0.10.0 `llm-d-router-gateway`, key by key (../router-keys.md), with the EPP
 * `*-metric` flags moved into a core-metrics-extractor `engineConfigs` entry of the config file,
 * since the v0.9+ EPP exits on those flags. Values in, values out: no Kubernetes objects here.
 */
import type { Problem } from '../core/errors';
import { DEFAULT_YAML, stringifyYaml } from '../core/manifest-yaml';
import { YAML } from '../core/yaml';
import { inferencePoolValuesProblems } from './inferencepool';
import { EndpointPickerConfig } from '../scheduler/epp-config';
import { EngineMetricsConfig, FURIOSA_ENGINE_CONFIG } from '../scheduler/engine-configs';
import { imageConfigApiVersion, LEGACY_METRIC_FLAGS, SchedulerRelease } from '../scheduler/scheduler-release';
import { isValuesMap, throwValuesProblems, ValuesMap } from './values-reader';
import { getValue as get } from './values-schema';

/** The migrated values and what the reader should know about them. */
export interface MigratedValues {
  readonly values: ValuesMap;
  /** One line per decision that changes behaviour or drops a key. */
  readonly notes: readonly string[];
}

/** Which EngineMetricsConfig field each legacy flag filled. */
const FLAG_TO_SPEC: Readonly<Record<string, keyof Omit<EngineMetricsConfig, 'name'>>> = {
  'total-queued-requests-metric': 'queuedRequestsSpec',
  'total-running-requests-metric': 'runningRequestsSpec',
  'kv-cache-usage-percentage-metric': 'kvUsageSpec',
  'lora-info-metric': 'loraSpec',
  'cache-info-metric': 'cacheInfoSpec',
};

/** Engines whose metric names are known, to name the migrated engine config after its server. */
const KNOWN_ENGINES: readonly EngineMetricsConfig[] = [FURIOSA_ENGINE_CONFIG];

/** A name for the engine whose metric names the flags carried. */
function engineNameFor(specs: Omit<EngineMetricsConfig, 'name'>): string {
  const same = (e: EngineMetricsConfig): boolean => {
    const keys = new Set([...Object.keys(e), ...Object.keys(specs)].filter((k) => k !== 'name'));
    return [...keys].every((k) => (e as unknown as Record<string, unknown>)[k] === (specs as Record<string, unknown>)[k]);
  };
  const hit = KNOWN_ENGINES.find(same);
  return hit?.name ?? 'migrated';
}

const set = (target: ValuesMap, path: readonly string[], value: unknown): void => {
  if (value === undefined) return;
  let cur = target;
  for (const k of path.slice(0, -1)) {
    if (!isValuesMap(cur[k])) cur[k] = {};
    cur = cur[k] as ValuesMap;
  }
  cur[path[path.length - 1]] = value;
};

/** Copies `from` key paths of the old values to `to` paths of the new ones, where present. */
function moveKeys(old: ValuesMap, out: ValuesMap, moves: ReadonlyArray<readonly [string, string]>): void {
  for (const [from, to] of moves) set(out, to.split('.'), get(old, ...from.split('.')));
}

/** The config text with the metric names: the user's (apiVersion rewritten) or the router's default, plus the extractor. */
function configWithEngine(text: string | undefined, engine: EngineMetricsConfig): string {
  const extractor = { type: 'core-metrics-extractor', parameters: { defaultEngine: engine.name, engineConfigs: [engine] } };
  if (text === undefined) {
    const base = EndpointPickerConfig.routerDefaultPlugins({ extractor: extractor.parameters });
    return EndpointPickerConfig.toYaml(base, SchedulerRelease.LLM_D_ROUTER_V0_10.configApiVersion);
  }
  const doc = YAML.parse(text) as ValuesMap;
  doc.apiVersion = SchedulerRelease.LLM_D_ROUTER_V0_10.configApiVersion;
  const plugins = Array.isArray(doc.plugins) ? (doc.plugins as ValuesMap[]).filter((p) => !(isValuesMap(p) && p.type === 'core-metrics-extractor')) : [];
  doc.plugins = [...plugins, extractor];
  return stringifyYaml(doc, DEFAULT_YAML);
}

/**
 * inferencepool v1.3.0 values to llm-d-router-gateway v0.10.0 values. Throws
 * {@link LlmdValidationError} for what cannot be carried over (latency predictor, sidecar).
 */
export function migrateInferencePoolValues(old: ValuesMap): MigratedValues {
  const notes: string[] = [];
  const problems: Problem[] = inferencePoolValuesProblems(old);
  // A value of the wrong type is not migrated at all: every key is named, nothing is half-done.
  throwValuesProblems(problems, 'values (inferencepool chart, to migrate)');
  const out: ValuesMap = {};
  const ie = (get(old, 'inferenceExtension') ?? {}) as ValuesMap;

  for (const key of ['latencyPredictor', 'sidecar']) {
    if (get(ie, key, 'enabled') === true) problems.push({ field: `inferenceExtension.${key}.enabled`, value: true, allowed: 'false', why: 'no automatic migration: configure router.latencyPredictor / router.proxy by hand (see the chart README)' });
  }

  moveKeys(old, out, [
    ['inferenceExtension.replicas', 'router.epp.replicas'],
    ['inferenceExtension.extProcPort', 'router.epp.extProcPort'],
    ['inferenceExtension.env', 'router.epp.env'],
    ['inferenceExtension.pluginsConfigFile', 'router.epp.pluginsConfigFile'],
    ['inferenceExtension.extraContainerPorts', 'router.epp.extraContainerPorts'],
    ['inferenceExtension.affinity', 'router.epp.affinity'],
    ['inferenceExtension.tolerations', 'router.epp.tolerations'],
    ['inferenceExtension.volumes', 'router.epp.volumes'],
    ['inferenceExtension.volumeMounts', 'router.epp.volumeMounts'],
    ['inferenceExtension.extraServicePorts', 'router.extraServicePorts'],
    ['inferenceExtension.metricsPort', 'router.metricsPort'],
    ['inferenceExtension.failureMode', 'router.inferencePool.failureMode'],
    ['inferenceExtension.monitoring.interval', 'router.monitoring.interval'],
    ['inferenceExtension.monitoring.prometheus', 'router.monitoring.prometheus'],
    ['inferenceExtension.tracing', 'router.tracing'],
    ['inferencePool.targetPorts', 'router.modelServers.targetPorts'],
    ['inferencePool.modelServerType', 'router.modelServers.type'],
    ['inferencePool.modelServers.matchLabels', 'router.modelServers.matchLabels'],
    ['inferencePool.targetPortNumber', 'router.modelServers.targetPortNumber'],
    ['provider', 'provider'],
    ['experimentalHttpRoute.enabled', 'httpRoute.create'],
    ['experimentalHttpRoute.inferenceGatewayName', 'httpRoute.inferenceGatewayName'],
    ['experimentalHttpRoute.baseModel', 'httpRoute.baseModel'],
  ]);
  if (get(ie, 'monitoring', 'secret', 'name') !== undefined) notes.push('inferenceExtension.monitoring.secret.name dropped: v1.3.0 never read it (the Secret name is router.monitoring.prometheus.auth.secretName)');
  if (get(old, 'inferencePool', 'apiVersion') !== undefined) notes.push('inferencePool.apiVersion dropped: llm-d-router always writes inference.networking.k8s.io/v1 pools');
  if (get(old, 'istio') !== undefined) notes.push('top-level istio dropped: llm-d-router reads provider.istio only');
  if (get(ie, 'pluginsCustomConfig') === undefined && get(ie, 'resources') === undefined) notes.push('router.epp.resources: the chart\'s required default applies (requests cpu 8, memory 8Gi; limit memory 16Gi)');

  // Image: the v0.5.0 scheduler and the GAIE epp image cannot read llm-d.ai configs.
  const image = (get(ie, 'image') ?? {}) as ValuesMap;
  const release = SchedulerRelease.LLM_D_ROUTER_V0_10;
  const reads = imageConfigApiVersion({ name: image.name as string | undefined, tag: image.tag === undefined ? undefined : String(image.tag) });
  if (Object.keys(image).length > 0) {
    if (reads !== undefined && reads !== release.configApiVersion) {
      notes.push(`image ${String(image.hub)}/${String(image.name)}:${String(image.tag)} cannot read llm-d.ai/v1alpha1 configs: replaced by ${release.image.hub}/${release.image.name}:${release.image.tag}`);
      set(out, ['router', 'epp', 'image'], { registry: release.image.hub, repository: release.image.name, tag: release.image.tag, ...(image.pullPolicy !== undefined ? { pullPolicy: image.pullPolicy } : {}) });
    } else {
      set(out, ['router', 'epp', 'image'], Object.fromEntries(Object.entries({ registry: image.hub, repository: image.name, tag: image.tag, pullPolicy: image.pullPolicy }).filter(([, x]) => x !== undefined)));
    }
  }

  // Flags: everything but the metric names, which move into the config.
  const flags = (get(ie, 'flags') ?? {}) as ValuesMap;
  const kept = Object.fromEntries(Object.entries(flags).filter(([k]) => !LEGACY_METRIC_FLAGS.includes(k)));
  if (Object.keys(kept).length > 0) set(out, ['router', 'epp', 'flags'], kept);
  const specs: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(FLAG_TO_SPEC)) if (flags[flag] !== undefined && flags[flag] !== null) specs[spec] = String(flags[flag]);
  const custom = { ...((get(ie, 'pluginsCustomConfig') ?? {}) as Record<string, string>) };
  const configFile = (get(ie, 'pluginsConfigFile') as string | undefined) ?? 'default-plugins.yaml';
  if (Object.keys(specs).length > 0) {
    const engine: EngineMetricsConfig = { name: engineNameFor(specs), ...specs };
    // default-plugins.yaml is the chart's own file; the migrated one gets its own name.
    const file = configFile === 'default-plugins.yaml' ? `${engine.name}-plugins.yaml` : configFile;
    custom[file] = configWithEngine(custom[configFile], engine);
    set(out, ['router', 'epp', 'pluginsConfigFile'], file);
    notes.push(`*-metric flags moved into ${file}: core-metrics-extractor engineConfigs entry "${engine.name}" (the EPP exits on the flags since v0.9.0)`);
  }
  for (const [k, text] of Object.entries(custom)) {
    if (typeof text === 'string' && text.includes('inference.networking.x-k8s.io/v1alpha1')) {
      custom[k] = text.replace(/inference\.networking\.x-k8s\.io\/v1alpha1/g, release.configApiVersion);
      notes.push(`${k}: apiVersion rewritten to ${release.configApiVersion}; check its plugin types against the llm-d-router v0.10 catalogue (render refuses renamed ones)`);
    }
  }
  if (Object.keys(custom).length > 0) set(out, ['router', 'epp', 'pluginsCustomConfig'], custom);

  throwValuesProblems(problems, 'values (inferencepool chart, to migrate)');
  return { values: out, notes };
}
