/**
 * Metric names per model-server engine, as llm-d-router's `core-metrics-extractor` takes them
 * (`engineConfigs`). Since llm-d-router v0.9 they replace the EPP's `*-metric` flags.
 */
import type { EppMetricsPreset } from './rules';

/** One engine's metric names (`engineConfigs[]` of core-metrics-extractor). */
export interface EngineMetricsConfig {
  /** Engine name; pods labelled `llm-d.ai/engine-type: <name>` use it, `defaultEngine` names the fallback. */
  readonly name: string;
  /** Waiting-requests gauge. @default - none */
  readonly queuedRequestsSpec?: string;
  /** Running-requests gauge. @default - none */
  readonly runningRequestsSpec?: string;
  /** KV-cache usage gauge. @default - none */
  readonly kvUsageSpec?: string;
  /** LoRA info metric; empty turns LoRA scraping off. @default - none */
  readonly loraSpec?: string;
  /** Cache config info metric (block size, blocks). @default - none */
  readonly cacheInfoSpec?: string;
}

/** Parameters of `core-metrics-extractor`. */
export interface CoreMetricsExtractorParameters {
  /** Engine used for pods without an engine-type label: a built-in engine or one of `engineConfigs`. @default "vllm" */
  readonly defaultEngine?: string;
  /** Pod label naming a pod's engine. @default "llm-d.ai/engine-type" */
  readonly engineLabelKey?: string;
  /** Engines beyond the built-in ones (or overriding one of them). @default - none */
  readonly engineConfigs?: readonly EngineMetricsConfig[];
}

/** Parameters of `metrics-data-source`: how the EPP scrapes the model servers. */
export interface MetricsDataSourceParameters {
  /** @default "http" */
  readonly scheme?: 'http' | 'https';
  /** @default "/metrics" */
  readonly path?: string;
  /** Skip TLS verification with https. @default true (the chart's) */
  readonly insecureSkipVerify?: boolean;
}

/** Engines whose metric names llm-d-router v0.10 knows without engineConfigs. */
export const BUILT_IN_ENGINES: readonly string[] = ['vllm', 'sglang', 'trtllm-serve', 'triton-tensorrt-llm', 'triton'];

/** furiosa-llm's metric names (seed 000's table), formerly the guide's five `*-metric` flags. */
export const FURIOSA_ENGINE_CONFIG: EngineMetricsConfig = {
  name: 'furiosa-llm',
  queuedRequestsSpec: 'furiosa_llm_num_requests_waiting',
  runningRequestsSpec: 'furiosa_llm_num_requests_running',
  kvUsageSpec: 'furiosa_llm_kv_cache_usage_percent',
  // furiosa-llm exports no LoRA metric; empty turns the scraper off.
  loraSpec: '',
  cacheInfoSpec: 'furiosa_llm_cache_config_info',
};

/** The core-metrics-extractor parameters a metric preset stands for; undefined for vLLM (the built-in default). */
export function extractorParametersFor(preset: EppMetricsPreset): CoreMetricsExtractorParameters | undefined {
  if (preset === 'furiosa') return { defaultEngine: FURIOSA_ENGINE_CONFIG.name, engineConfigs: [FURIOSA_ENGINE_CONFIG] };
  if (preset === 'vllm') return undefined;
  return { defaultEngine: preset };
}
