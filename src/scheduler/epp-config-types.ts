// The data types of an EndpointPickerConfig file (what the EPP reads with `--config-file`):
// plugin specs with their typed parameters, scheduling profiles, the file as a whole.
import type { CoreMetricsExtractorParameters, MetricsDataSourceParameters } from './engine-configs';

/** `apiVersion` of the EndpointPickerConfig file of the guide-pins EPP (llm-d-router's is `llm-d.ai/v1alpha1`). */
export const EPP_CONFIG_API_VERSION = 'inference.networking.x-k8s.io/v1alpha1';
/** `kind` of the EndpointPickerConfig file. */
export const EPP_CONFIG_KIND = 'EndpointPickerConfig';

// --- typed parameters ------------------------------------------------------------------------

/** Parameters of `prefix-cache-scorer` (GIE approximate prefix cache, also in the llm-d scheduler). */
export interface PrefixCacheScorerParameters {
  /**
   * Prompt characters per hashed block.
   * @default 64 (the EPP's default)
   */
  readonly hashBlockSize?: number;
  /**
   * Maximum number of prefix blocks matched per request.
   * @default 256 (the EPP's default)
   */
  readonly maxPrefixBlocksToMatch?: number;
  /**
   * LRU capacity of the prefix index, in blocks per model server pod.
   * @default 31250 (the EPP's default)
   */
  readonly lruCapacityPerServer?: number;
}

/** Parameters of the pickers (`max-score-picker`, `random-picker`, `weighted-random-picker`). */
export interface PickerParameters {
  /**
   * How many endpoints the picker returns (the first one serves, the rest are fallbacks).
   * @default 1 (the EPP's default)
   */
  readonly maxNumOfEndpoints?: number;
}

/** Parameters of the llm-d scheduler's `pd-profile-handler` (prefill/decode disaggregation). */
export interface PdProfileHandlerParameters {
  /**
   * Uncached prompt tokens above which a request goes to prefill, then decode; 0 = always.
   * @default 0 (the scheduler's default)
   */
  readonly threshold?: number;
  /**
   * Block size used to estimate the cached prefix; must equal the prefix-cache-scorer's.
   * @default 64 (the scheduler's default)
   */
  readonly hashBlockSize?: number;
  /**
   * Name of the decode scheduling profile.
   * @default "decode"
   */
  readonly decodeProfile?: string;
  /**
   * Name of the prefill scheduling profile.
   * @default "prefill"
   */
  readonly prefillProfile?: string;
}

/** Parameters of the llm-d scheduler's `prefill-header-handler`. */
export interface PrefillHeaderHandlerParameters {
  /**
   * Name of the prefill scheduling profile.
   * @default "prefill"
   */
  readonly prefillProfile?: string;
}

/** Parameters of the llm-d scheduler's `by-label-selector` filter. */
export interface ByLabelSelectorParameters {
  /** Pods must carry all these labels. */
  readonly matchLabels: Readonly<Record<string, string>>;
}

/** Parameters of the llm-d scheduler's `load-aware-scorer`. */
export interface LoadAwareScorerParameters {
  /**
   * Queued requests at which a pod counts as overloaded.
   * @default 128 (the scheduler's default)
   */
  readonly threshold?: number;
}

/** Parameters of llm-d-router's `disagg-profile-handler` (prefill/decode, replaces pd-profile-handler). */
export interface DisaggProfileHandlerParameters {
  /** Names of the scheduling profiles per stage. @default - decode: "decode", prefill: "prefill" */
  readonly profiles?: { readonly decode?: string; readonly prefill?: string; readonly encode?: string };
  /** Decider plugins (by name) that choose when a stage runs, e.g. `{ prefill: 'prefix-based-pd-decider' }`. */
  readonly deciders?: { readonly prefill?: string; readonly encode?: string };
}

/** Parameters of llm-d-router's `prefix-based-pd-decider`. */
export interface PrefixBasedPdDeciderParameters {
  /** Uncached prompt tokens above which a request is disaggregated. @default 0 */
  readonly nonCachedTokens?: number;
}

/** Parameters of llm-d-router's `approx-prefix-cache-producer` (where the prefix-cache parameters moved). */
export interface ApproxPrefixCacheProducerParameters {
  /** Prompt tokens per hashed block. @default - the EPP's */
  readonly blockSizeTokens?: number;
  /** Longest prefix matched, in tokens (should match vLLM `--max-model-len`). @default - the EPP's */
  readonly maxPrefixTokensToMatch?: number;
  /** LRU capacity of the prefix index per model server. @default - the EPP's */
  readonly lruCapacityPerServer?: number;
}

/** Parameters of llm-d-router's `label-selector-filter` (was `by-label-selector`). */
export interface LabelSelectorFilterParameters {
  /** Pods must carry all these labels. */
  readonly matchLabels: Readonly<Record<string, string>>;
}

// --- plugin specs ----------------------------------------------------------------------------

interface PluginBase {
  /**
   * Instance name that profiles refer to with `pluginRef`.
   * @default - the plugin's type
   */
  readonly name?: string;
}

/** A plugin without parameters. */
export interface EppSimplePlugin extends PluginBase {
  readonly type:
    | 'queue-scorer'
    | 'kv-cache-utilization-scorer'
    | 'lora-affinity-scorer'
    | 'single-profile-handler'
    | 'prefill-filter'
    | 'decode-filter'
    | 'session-affinity-scorer'
    | 'active-request-scorer'
    | 'running-requests-size-scorer'
    | 'token-load-scorer'
    | 'inflight-load-producer'
    | 'always-disagg-pd-decider'
    | 'passthrough-parser'
    | 'openai-parser'
    | 'vllmgrpc-parser';
}
/** `core-metrics-extractor` (llm-d-router): the metric names of each engine. */
export interface EppCoreMetricsExtractorPlugin extends PluginBase {
  readonly type: 'core-metrics-extractor';
  readonly parameters?: CoreMetricsExtractorParameters;
}
/** `metrics-data-source` (llm-d-router): where the EPP scrapes the model servers. */
export interface EppMetricsDataSourcePlugin extends PluginBase {
  readonly type: 'metrics-data-source';
  readonly parameters?: MetricsDataSourceParameters;
}
/** `disagg-profile-handler` (llm-d-router). */
export interface EppDisaggProfileHandlerPlugin extends PluginBase {
  readonly type: 'disagg-profile-handler';
  readonly parameters?: DisaggProfileHandlerParameters;
}
/** `prefix-based-pd-decider` (llm-d-router). */
export interface EppPrefixBasedPdDeciderPlugin extends PluginBase {
  readonly type: 'prefix-based-pd-decider';
  readonly parameters?: PrefixBasedPdDeciderParameters;
}
/** `approx-prefix-cache-producer` (llm-d-router). */
export interface EppApproxPrefixCacheProducerPlugin extends PluginBase {
  readonly type: 'approx-prefix-cache-producer';
  readonly parameters?: ApproxPrefixCacheProducerParameters;
}
/** `label-selector-filter` (llm-d-router). */
export interface EppLabelSelectorFilterPlugin extends PluginBase {
  readonly type: 'label-selector-filter';
  readonly parameters: LabelSelectorFilterParameters;
}
/** `prefix-cache-scorer`. */
export interface EppPrefixCacheScorerPlugin extends PluginBase {
  readonly type: 'prefix-cache-scorer';
  readonly parameters?: PrefixCacheScorerParameters;
}
/** A picker. */
export interface EppPickerPlugin extends PluginBase {
  readonly type: 'max-score-picker' | 'random-picker' | 'weighted-random-picker';
  readonly parameters?: PickerParameters;
}
/** `pd-profile-handler` (llm-d). */
export interface EppPdProfileHandlerPlugin extends PluginBase {
  readonly type: 'pd-profile-handler';
  readonly parameters?: PdProfileHandlerParameters;
}
/** `prefill-header-handler` (llm-d). */
export interface EppPrefillHeaderHandlerPlugin extends PluginBase {
  readonly type: 'prefill-header-handler';
  readonly parameters?: PrefillHeaderHandlerParameters;
}
/** `by-label-selector` (llm-d). */
export interface EppByLabelSelectorPlugin extends PluginBase {
  readonly type: 'by-label-selector';
  readonly parameters: ByLabelSelectorParameters;
}
/** `load-aware-scorer` (llm-d). */
export interface EppLoadAwareScorerPlugin extends PluginBase {
  readonly type: 'load-aware-scorer';
  readonly parameters?: LoadAwareScorerParameters;
}
/**
 * A plugin this library does not know (a custom build of the EPP, a newer release). Its type and
 * parameters are passed through unchecked; `custom: true` says that is intended.
 */
export interface EppCustomPlugin extends PluginBase {
  readonly type: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Must be `true`: marks the plugin as deliberately outside the typed catalogue. */
  readonly custom: true;
}

/** One entry of `plugins:`. */
export type EppPluginSpec =
  | EppSimplePlugin
  | EppPrefixCacheScorerPlugin
  | EppPickerPlugin
  | EppPdProfileHandlerPlugin
  | EppPrefillHeaderHandlerPlugin
  | EppByLabelSelectorPlugin
  | EppLoadAwareScorerPlugin
  | EppCoreMetricsExtractorPlugin
  | EppMetricsDataSourcePlugin
  | EppDisaggProfileHandlerPlugin
  | EppPrefixBasedPdDeciderPlugin
  | EppApproxPrefixCacheProducerPlugin
  | EppLabelSelectorFilterPlugin
  | EppCustomPlugin;

/** One plugin of a scheduling profile. */
export interface EppProfilePlugin {
  /** Name of a declared plugin (its `name`, or its `type` when unnamed). */
  readonly pluginRef: string;
  /**
   * Weight of a scorer's score (0 or more).
   * @default - not rendered: the EPP's default of 1 (scorers) and none (filters, pickers)
   */
  readonly weight?: number;
}

/** One entry of `schedulingProfiles:`. */
export interface EppSchedulingProfile {
  readonly name: string;
  readonly plugins: readonly EppProfilePlugin[];
}

/** The content of one EndpointPickerConfig file, as data. */
export interface EndpointPickerConfigSpec {
  readonly plugins: readonly EppPluginSpec[];
  readonly schedulingProfiles: readonly EppSchedulingProfile[];
  /**
   * Feature gates of the EPP (`featureGates:`).
   * @default - none
   */
  readonly featureGates?: readonly string[];
  /**
   * The request parsers (llm-d-router `requestHandler.parsers`), by plugin name.
   * @default - none: the EPP picks its parsers itself
   */
  readonly requestHandler?: { readonly parsers: readonly EppProfilePlugin[] };
}

