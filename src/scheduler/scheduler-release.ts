/**
 * Which release of the scheduling stack a pool is built for: the Furiosa guide's pins (GAIE
 * `inferencepool` chart v1.3.0, EPP metric names as flags) or llm-d-router v0.10 (its
 * `llm-d-router-gateway` / `llm-d-router-standalone` charts, metric names in the config's
 * `core-metrics-extractor`). One value decides images, flags, the config apiVersion, the plugin
 * catalogue, InferencePool fields, the InferenceObjective group and the prerequisite CRDs, so an
 * upgrade is one option instead of an image tag that breaks at start-up.
 */

import { HasSourceExpression, SOURCE_EXPRESSION, SourceExpression } from '../core/source-expression';

/** EPP image coordinates of a release. */
export interface SchedulerReleaseImage {
  readonly hub: string;
  readonly name: string;
  readonly tag: string;
  readonly pullPolicy: 'Always' | 'IfNotPresent';
}

interface ReleaseSpec {
  readonly id: 'guide-pins' | 'llm-d-router-v0.10';
  readonly chart: string;
  readonly image: SchedulerReleaseImage;
  readonly configApiVersion: string;
  readonly versionLabel: string;
  readonly gatewayApiVersion: string;
  readonly inferenceExtensionVersion: string;
  readonly objectiveApiVersion: string;
  readonly pluginTypes: readonly string[];
  readonly renamedPlugins: Readonly<Record<string, string>>;
}

/** Plugin types of the GAIE v1.3.0 EPP and llm-d-inference-scheduler v0.5.0 (the guide's images). */
const GUIDE_PLUGIN_TYPES: readonly string[] = [
  'queue-scorer', 'kv-cache-utilization-scorer', 'lora-affinity-scorer', 'prefix-cache-scorer',
  'max-score-picker', 'random-picker', 'weighted-random-picker', 'single-profile-handler',
  'pd-profile-handler', 'prefill-header-handler', 'prefill-filter', 'decode-filter',
  'by-label-selector', 'load-aware-scorer', 'session-affinity-scorer', 'precise-prefix-cache-scorer',
  'active-request-scorer', 'no-hit-lru-scorer', 'decision-tree-filter', 'by-label',
];

/**
 * Plugin types llm-d-router v0.10.0 registers (cmd/epp/runner and the GAIE framework it embeds),
 * deprecated ones excluded: those are in {@link ROUTER_RENAMED_PLUGINS}.
 */
const ROUTER_PLUGIN_TYPES: readonly string[] = [
  // scorers
  'queue-scorer', 'kv-cache-utilization-scorer', 'lora-affinity-scorer', 'prefix-cache-scorer',
  'running-requests-size-scorer', 'token-load-scorer', 'no-hit-lru-scorer', 'active-request-scorer',
  'precise-prefix-cache-scorer', 'load-aware-scorer', 'context-length-aware', 'session-affinity-scorer',
  'endpoint-attribute-scorer', 'latency-scorer', 'mm-embeddings-cache-scorer',
  // filters
  'prefill-filter', 'decode-filter', 'encode-filter', 'label-selector-filter', 'session-affinity-filter',
  'endpoint-attribute-filter', 'utilization-filter', 'prefix-cache-affinity-filter', 'slo-headroom-tier-filter',
  // pickers and profile handlers
  'max-score-picker', 'random-picker', 'weighted-random-picker', 'single-profile-handler',
  'disagg-profile-handler', 'data-parallel-profile-handler', 'header-profile-handler',
  'always-disagg-pd-decider', 'prefix-based-pd-decider', 'always-disagg-multimodal-decider',
  // producers, data sources, extractors
  'approx-prefix-cache-producer', 'inflight-load-producer', 'predicted-latency-producer', 'token-producer',
  'mm-embeddings-cache-producer', 'session-id-producer', 'burst-prefix-cache-producer', 'p2p-source-producer',
  'metrics-data-source', 'core-metrics-extractor', 'models-data-source', 'models-data-extractor',
  'topology-extractor', 'dcgm-data-source', 'dcgm-extractor',
  // parsers
  'openai-parser', 'anthropic-parser', 'vertexai-parser', 'vllmgrpc-parser', 'vllmhttp-parser', 'passthrough-parser',
  // admission and flow control
  'latency-slo-admitter', 'probabilistic-admitter',
];

/** Plugin types the guide's images knew that llm-d-router v0.10 renamed, split or deprecated: what to use instead. */
const ROUTER_RENAMED_PLUGINS: Readonly<Record<string, string>> = {
  'pd-profile-handler': 'disagg-profile-handler with a decider (always-disagg-pd-decider or prefix-based-pd-decider)',
  'prefill-header-handler': 'disagg-profile-handler (it sets the prefill header itself)',
  'disagg-headers-handler': 'disagg-profile-handler',
  'by-label-selector': 'label-selector-filter',
  'by-label': 'label-selector-filter',
  'tokenizer': 'token-producer',
  'decision-tree-filter': 'a scheduling profile of filters (decision-tree-filter was removed)',
};

/** The release of the scheduling stack (EPP image, charts, CRDs) a pool or stack is built for. */
export class SchedulerRelease implements HasSourceExpression {
  /**
   * The versions the Furiosa-LLM + llm-d guide pins: the GAIE `inferencepool` chart v1.3.0 and its
   * objects, EPP metric names as `*-metric` flags, config apiVersion
   * `inference.networking.x-k8s.io/v1alpha1`, Gateway API v1.4.1, Inference Extension CRDs v1.3.0.
   */
  public static readonly GUIDE_PINS = new SchedulerRelease({
    id: 'guide-pins',
    chart: 'gateway-api-inference-extension inferencepool v1.3.0',
    image: { hub: 'registry.k8s.io/gateway-api-inference-extension', name: 'epp', tag: 'v1.3.0', pullPolicy: 'Always' },
    configApiVersion: 'inference.networking.x-k8s.io/v1alpha1',
    versionLabel: '0.0.0',
    gatewayApiVersion: 'v1.4.1',
    inferenceExtensionVersion: 'v1.3.0',
    objectiveApiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    pluginTypes: GUIDE_PLUGIN_TYPES,
    renamedPlugins: {},
  });

  /**
   * llm-d-router v0.10.0 (2026-08-17): the `llm-d-router-gateway` / `-standalone` charts' objects,
   * image `ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0`, metric names in the
   * `core-metrics-extractor` plugin's `engineConfigs` (the EPP exits when a `*-metric` flag is set),
   * config apiVersion `llm-d.ai/v1alpha1`, InferencePool `appProtocol` and
   * `endpointPickerRef.failureMode`, InferenceObjective in `llm-d.ai/v1alpha2`, Gateway API v1.5.1
   * and Inference Extension CRDs v1.6.0.
   */
  public static readonly LLM_D_ROUTER_V0_10 = new SchedulerRelease({
    id: 'llm-d-router-v0.10',
    chart: 'llm-d/llm-d-router llm-d-router-gateway v0.10.0',
    image: { hub: 'ghcr.io/llm-d', name: 'llm-d-router-endpoint-picker', tag: 'v0.10.0', pullPolicy: 'IfNotPresent' },
    configApiVersion: 'llm-d.ai/v1alpha1',
    versionLabel: 'v0.10.0',
    gatewayApiVersion: 'v1.5.1',
    inferenceExtensionVersion: 'v1.6.0',
    objectiveApiVersion: 'llm-d.ai/v1alpha2',
    pluginTypes: ROUTER_PLUGIN_TYPES,
    renamedPlugins: ROUTER_RENAMED_PLUGINS,
  });

  /** Stable id, e.g. `llm-d-router-v0.10`. */
  public readonly id: string;
  /** The chart whose objects the pool renders. */
  public readonly chart: string;
  /** The EPP image a pool uses unless `epp.image` says otherwise. */
  public readonly image: SchedulerReleaseImage;
  /** `apiVersion` of the EndpointPickerConfig files this EPP reads. */
  public readonly configApiVersion: string;
  /** The chart's appVersion (its `app.kubernetes.io/version` label, which the ServiceMonitor selects on). */
  public readonly versionLabel: string;
  /** Gateway API release whose CRDs the prerequisites write. */
  public readonly gatewayApiVersion: string;
  /** Gateway API Inference Extension release whose CRDs the prerequisites write. */
  public readonly inferenceExtensionVersion: string;
  /** apiVersion of InferenceObjective objects. */
  public readonly objectiveApiVersion: string;
  private readonly spec: ReleaseSpec;

  private constructor(spec: ReleaseSpec) {
    this.spec = spec;
    this.id = spec.id;
    this.chart = spec.chart;
    this.image = spec.image;
    this.configApiVersion = spec.configApiVersion;
    this.versionLabel = spec.versionLabel;
    this.gatewayApiVersion = spec.gatewayApiVersion;
    this.inferenceExtensionVersion = spec.inferenceExtensionVersion;
    this.objectiveApiVersion = spec.objectiveApiVersion;
  }

  /** Whether the pool renders the llm-d-router charts' objects (true) or the inferencepool chart's. */
  public get isLlmdRouter(): boolean {
    return this.spec.id === 'llm-d-router-v0.10';
  }

  /** Whether the EPP of this release takes the `*-metric` flags (it exits on them since llm-d-router v0.9). */
  public get acceptsMetricFlags(): boolean {
    return !this.isLlmdRouter;
  }

  /** The plugin types the EPP of this release registers. */
  public get pluginTypes(): readonly string[] {
    return this.spec.pluginTypes;
  }

  /** What replaces a plugin type this release no longer registers, if it was renamed or split. */
  public replacementFor(pluginType: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.spec.renamedPlugins, pluginType) ? this.spec.renamedPlugins[pluginType] : undefined;
  }

  /** How `cdk8s-llm-d convert` writes this value: the static constant. */
  public [SOURCE_EXPRESSION](): SourceExpression {
    return { importName: 'SchedulerRelease', method: this.isLlmdRouter ? 'LLM_D_ROUTER_V0_10' : 'GUIDE_PINS', constant: true };
  }

  /** Whether the EPP of this release registers a plugin type. */
  public registers(pluginType: string): boolean {
    return this.spec.pluginTypes.includes(pluginType);
  }
}

/** The five EPP flags that carried metric names before engineConfigs (refused by EPP >= v0.9). */
export const LEGACY_METRIC_FLAGS: readonly string[] = [
  'total-queued-requests-metric',
  'total-running-requests-metric',
  'kv-cache-usage-percentage-metric',
  'lora-info-metric',
  'cache-info-metric',
];

/** Which config apiVersion an EPP image reads, from its repository and tag; undefined when unknown (custom builds, digests). */
export function imageConfigApiVersion(image: { readonly name?: string; readonly tag?: string }): string | undefined {
  const name = image.name ?? '';
  if (name === 'llm-d-router-endpoint-picker') return 'llm-d.ai/v1alpha1';
  if (name === 'epp') return 'inference.networking.x-k8s.io/v1alpha1';
  if (name === 'llm-d-inference-scheduler') {
    const m = /^v?(\d+)\.(\d+)/.exec(image.tag ?? '');
    if (!m) return undefined;
    const [major, minor] = [Number(m[1]), Number(m[2])];
    return major > 0 || minor >= 9 ? 'llm-d.ai/v1alpha1' : 'inference.networking.x-k8s.io/v1alpha1';
  }
  return undefined;
}
