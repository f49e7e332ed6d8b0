/**
 * Pure rules of the inferencepool chart (gateway-api-inference-extension v1.3.0): object names,
 * the EPP command line, metric-name presets. Table-tested in test/scheduler/rules.test.ts.
 */
import { ModelServerMetricsFlavor } from '../core/contracts';

/** The two InferencePool API versions the chart renders. */
export type InferencePoolApiVersion = 'inference.networking.k8s.io/v1' | 'inference.networking.x-k8s.io/v1alpha2';

/** All values of {@link InferencePoolApiVersion}. */
export const INFERENCE_POOL_API_VERSIONS: readonly InferencePoolApiVersion[] = ['inference.networking.k8s.io/v1', 'inference.networking.x-k8s.io/v1alpha2'];

/**
 * Which metric names the EPP scrapes from the model servers.
 * - `vllm`: the EPP's built-in vLLM names (no flags; the chart's default).
 * - `furiosa`: furiosa-llm's names (the flags of the Furiosa-LLM + llm-d guide).
 * - `triton-tensorrt-llm`: the chart's `modelServerType: triton-tensorrt-llm` flags.
 * - `sglang`, `trtllm-serve`, `triton`: engines llm-d-router v0.10 knows (its `defaultEngine`).
 */
export type EppMetricsPreset = ModelServerMetricsFlavor | 'triton-tensorrt-llm' | 'sglang' | 'trtllm-serve' | 'triton';

/** All values of {@link EppMetricsPreset}. */
export const EPP_METRICS_PRESETS: readonly EppMetricsPreset[] = ['vllm', 'furiosa', 'triton-tensorrt-llm', 'sglang', 'trtllm-serve', 'triton'];

/** The presets the guide-pins EPP knows flags for (the others exist as llm-d-router engines only). */
export const GUIDE_METRICS_PRESETS: readonly EppMetricsPreset[] = ['vllm', 'furiosa', 'triton-tensorrt-llm'];

/**
 * The `--flag value` pairs of the `furiosa` preset, in the order the guide (seed 000) passes
 * them through the chart's `flags` (Helm ranges over the map in key order).
 */
export const FURIOSA_METRIC_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ['cache-info-metric', 'furiosa_llm_cache_config_info'],
  ['kv-cache-usage-percentage-metric', 'furiosa_llm_kv_cache_usage_percent'],
  // Empty: furiosa-llm exposes no LoRA metric; an empty name turns the scraper off.
  ['lora-info-metric', ''],
  ['total-queued-requests-metric', 'furiosa_llm_num_requests_waiting'],
  ['total-running-requests-metric', 'furiosa_llm_num_requests_running'],
];

/** The chart's fixed triton-tensorrt-llm arguments (rendered before the leader-election flag). */
export const TRITON_METRIC_ARGS: readonly string[] = [
  '--total-queued-requests-metric',
  'nv_trt_llm_request_metrics{request_type=waiting}',
  '--kv-cache-usage-percentage-metric',
  'nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=fraction}',
  '--lora-info-metric',
  '',
];

/** Flags of a preset that go through the `flags` list. */
export function presetFlags(preset: EppMetricsPreset): ReadonlyArray<readonly [string, string]> {
  return preset === 'furiosa' ? FURIOSA_METRIC_FLAGS : [];
}

/** Arguments of a preset that the chart renders at the `modelServerType` position. */
export function presetFixedArgs(preset: EppMetricsPreset): readonly string[] {
  return preset === 'triton-tensorrt-llm' ? TRITON_METRIC_ARGS : [];
}

/** Flags the construct renders itself; `flags` may not repeat them. */
export const RESERVED_EPP_FLAGS: readonly string[] = [
  'pool-name',
  'pool-namespace',
  'pool-group',
  'zap-encoder',
  'config-file',
  'ha-enable-leader-election',
  'tracing',
  'metrics-endpoint-auth',
];

/**
 * A flag value as the chart prints it (`"{{ $value }}"`); `null` removes a flag the preset or
 * the defaults would add (like `null` in Helm values deletes a default).
 */
export type EppFlagValue = string | number | boolean | null;

/**
 * The flag list: preset flags that `flags` does not set, then `flags` in their given order, then
 * `--v` unless `flags` sets it. With the guide's values this is exactly the chart's order.
 * A `null` flag is not rendered and suppresses the preset or default flag of that name.
 */
export function resolveEppFlags(
  preset: ReadonlyArray<readonly [string, string]>,
  flags: Readonly<Record<string, EppFlagValue>> | undefined,
  logVerbosity: number,
): Array<[string, string]> {
  const given = flags ?? {};
  const out: Array<[string, string]> = [];
  for (const [k, v] of preset) if (!(k in given)) out.push([k, v]);
  for (const [k, v] of Object.entries(given)) if (v !== null) out.push([k, String(v)]);
  if (!('v' in given)) out.push(['v', String(logVerbosity)]);
  return out;
}

/** Inputs of {@link eppArgs}. */
export interface EppArgsInput {
  readonly poolName: string;
  readonly poolNamespace: string;
  readonly poolGroup: string;
  readonly configFile: string;
  readonly fixedArgs: readonly string[];
  readonly leaderElection: boolean;
  readonly flags: ReadonlyArray<readonly [string, string]>;
  readonly tracing: boolean;
  readonly metricsAuth: boolean;
}

/** The EPP container's args, in the chart's order. */
export function eppArgs(i: EppArgsInput): string[] {
  return [
    '--pool-name',
    i.poolName,
    '--pool-namespace',
    i.poolNamespace,
    '--pool-group',
    i.poolGroup,
    '--zap-encoder',
    'json',
    '--config-file',
    `/config/${i.configFile}`,
    ...i.fixedArgs,
    ...(i.leaderElection ? ['--ha-enable-leader-election'] : []),
    ...i.flags.flatMap(([k, v]) => [`--${k}`, v]),
    i.tracing ? '--tracing=true' : '--tracing=false',
    ...(i.metricsAuth ? [] : ['--metrics-endpoint-auth=false']),
  ];
}

/** The group of an apiVersion (`inference.networking.k8s.io/v1` → `inference.networking.k8s.io`). */
export function apiGroupOf(apiVersion: string): string {
  return apiVersion.split('/')[0];
}

/** The chart's `name` helper: `<release | lower | trim | trunc 40>-epp`. */
export function eppNameFor(poolName: string): string {
  return `${(poolName || 'default-pool').toLowerCase().trim().slice(0, 40)}-epp`;
}

/** The chart's `cluster-rbac-name` helper: `<release trunc 40>-<namespace trunc 40>-epp`. */
export function clusterRbacNameFor(poolName: string, namespace: string): string {
  const base = (poolName || 'default-pool').toLowerCase().trim().slice(0, 40);
  const ns = (namespace || 'default').toLowerCase().trim().slice(0, 40);
  return `${base}-${ns}-epp`;
}

/** A pool name from a construct id: lower-case, runs of other characters become "-". */
export function poolNameFromId(id: string): string {
  const s = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return s.slice(0, 63).replace(/-+$/, '') || 'pool';
}

/**
 * The metric preset for a set of model-server flavors: the one flavor they share, `vllm` (the
 * chart's default) when there are none, `undefined` when they disagree.
 */
export function presetForFlavors(flavors: readonly ModelServerMetricsFlavor[]): EppMetricsPreset | undefined {
  const set = new Set(flavors);
  if (set.size === 0) return 'vllm';
  if (set.size === 1) return [...set][0];
  return undefined;
}

/**
 * A number as a Go flag parses it: integers in plain digits (`strconv.ParseInt` refuses `1e+06`),
 * other numbers as JavaScript writes them (`strconv.ParseFloat` reads `1e-7`). What the typed props
 * render; values from a chart's values file keep Helm's `%v` ({@link goFormatNumber}).
 */
export function flagNumber(n: number): string {
  return Number.isSafeInteger(n) ? BigInt(n).toString() : String(n);
}

/**
 * Go's `%v` of a float64, which is what Helm prints for a number from a values file
 * (`1` → "1", `0.5` → "0.5", `1000000` → "1e+06").
 */
export function goFormatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  // strconv.FormatFloat(n, 'g', -1, 64): shortest digits, exponent form when exp < -4 || exp >= 6.
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}
