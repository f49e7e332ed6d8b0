/**
 * The EndpointPickerConfig file the endpoint picker (EPP) reads with `--config-file`: which
 * plugins it instantiates (filters, scorers, pickers, profile handlers) and which scheduling
 * profiles use them with what weight.
 *
 * Configs are plain data ({@link EndpointPickerConfigSpec}) so they can sit in construct props and
 * be printed by `cdk8s-llm-d convert`; {@link EndpointPickerConfig} is a small typed builder that
 * produces such data, holds the presets and renders/validates it.
 */
import { Problem } from '../core/errors';
import { stringifyYaml, YamlDialect } from '../core/manifest-yaml';
import type { CoreMetricsExtractorParameters, MetricsDataSourceParameters } from './engine-configs';
import { validateConfigSpec, validateConfigText } from './epp-config-rules';
import type { EndpointPickerConfigSpec, EppPluginSpec, EppProfilePlugin, EppSchedulingProfile } from './epp-config-types';
import { EPP_CONFIG_API_VERSION, EPP_CONFIG_KIND } from './epp-config-types';
import type { SchedulerRelease } from './scheduler-release';

export * from './epp-config-types';
export { KNOWN_EPP_PLUGIN_TYPES, eppPluginName } from './epp-config-rules';

/** `YAML.stringify(doc, { indentSeq: false, lineWidth: 0 })`. */
const EPP_YAML: YamlDialect = { version: '1.2', indentSeq: false, lineWidth: 0, library: { indentSeq: false, lineWidth: 0 } };

// --- builder ---------------------------------------------------------------------------------

/** Options of the llm-d prefill/decode preset. */
export interface PrefillDecodeConfigOptions {
  /**
   * Uncached prompt tokens above which requests are disaggregated (pd-profile-handler threshold).
   * @default 0 (always prefill on a prefill pod)
   */
  readonly threshold?: number;
  /**
   * Hash block size shared by the prefix-cache-scorer and the pd-profile-handler.
   * @default 64
   */
  readonly hashBlockSize?: number;
  /**
   * Weight of the prefix-cache-scorer in both profiles.
   * @default 2
   */
  readonly prefixCacheWeight?: number;
}

/**
 * Typed builder of an EndpointPickerConfig. An instance is itself an
 * {@link EndpointPickerConfigSpec} (pass it where a spec is expected); the statics hold the
 * presets and the rendering/validation rules.
 *
 * ```ts
 * const cfg = new EndpointPickerConfig()
 *   .addPlugin({ type: 'queue-scorer' })
 *   .addPlugin({ type: 'prefix-cache-scorer', parameters: { hashBlockSize: 64 } })
 *   .addProfile('default', [{ pluginRef: 'queue-scorer', weight: 1 }, { pluginRef: 'prefix-cache-scorer', weight: 3 }]);
 * ```
 */
export class EndpointPickerConfig implements EndpointPickerConfigSpec {
  /**
   * The chart's `default-plugins.yaml` (inferencepool v1.3.0, latency predictor off), exactly as
   * it renders it: queue-scorer, kv-cache-utilization-scorer, prefix-cache-scorer, one `default`
   * profile weighting them 2, 2, 3.
   */
  public static defaultPlugins(): EndpointPickerConfigSpec {
    return {
      plugins: [{ type: 'queue-scorer' }, { type: 'kv-cache-utilization-scorer' }, { type: 'prefix-cache-scorer' }],
      schedulingProfiles: [
        {
          name: 'default',
          plugins: [
            { pluginRef: 'queue-scorer', weight: 2 },
            { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
            { pluginRef: 'prefix-cache-scorer', weight: 3 },
          ],
        },
      ],
    };
  }

  /**
   * The llm-d inference scheduler's prefill/decode layout (needs the `llm-d-inference-scheduler`
   * image): prefill-header-handler, prefix-cache-scorer, prefill-filter, decode-filter,
   * max-score-picker, pd-profile-handler, and `prefill`/`decode` profiles.
   */
  public static prefillDecode(opts: PrefillDecodeConfigOptions = {}): EndpointPickerConfigSpec {
    const hashBlockSize = opts.hashBlockSize ?? 64;
    const weight = opts.prefixCacheWeight ?? 2;
    return {
      plugins: [
        { type: 'prefill-header-handler' },
        { type: 'prefix-cache-scorer', parameters: { hashBlockSize } },
        { type: 'prefill-filter' },
        { type: 'decode-filter' },
        { type: 'max-score-picker' },
        { type: 'pd-profile-handler', parameters: { threshold: opts.threshold ?? 0, hashBlockSize } },
      ],
      schedulingProfiles: [
        { name: 'prefill', plugins: [{ pluginRef: 'prefill-filter' }, { pluginRef: 'max-score-picker' }, { pluginRef: 'prefix-cache-scorer', weight }] },
        { name: 'decode', plugins: [{ pluginRef: 'decode-filter' }, { pluginRef: 'max-score-picker' }, { pluginRef: 'prefix-cache-scorer', weight }] },
      ],
    };
  }

  /**
   * llm-d-router v0.10's `default-plugins.yaml`: the same three scorers, plus the
   * `metrics-data-source` and the `core-metrics-extractor` that carries the metric names
   * (`extractor`, e.g. from {@link extractorParametersFor}), and the request parsers if any.
   */
  public static routerDefaultPlugins(opts: { readonly extractor?: CoreMetricsExtractorParameters; readonly metricsDataSource?: MetricsDataSourceParameters; readonly parsers?: readonly string[] } = {}): EndpointPickerConfigSpec {
    const base = EndpointPickerConfig.defaultPlugins();
    const ds = opts.metricsDataSource ?? {};
    const parsers = opts.parsers ?? [];
    return {
      plugins: [
        ...base.plugins,
        { type: 'metrics-data-source', parameters: { scheme: ds.scheme ?? 'http', path: ds.path ?? '/metrics', insecureSkipVerify: ds.insecureSkipVerify ?? true } },
        { type: 'core-metrics-extractor', ...(opts.extractor ? { parameters: opts.extractor } : {}) },
        ...parsers.map((type) => ({ type, custom: true as const })),
      ],
      schedulingProfiles: base.schedulingProfiles,
      ...(parsers.length > 0 ? { requestHandler: { parsers: parsers.map((pluginRef) => ({ pluginRef })) } } : {}),
    };
  }

  /**
   * llm-d-router v0.10's `payload-agnostic.yaml`: routing that does not read the request body
   * (passthrough parser, active-request and session-affinity scorers).
   */
  public static payloadAgnostic(): EndpointPickerConfigSpec {
    return {
      plugins: [{ type: 'passthrough-parser' }, { type: 'active-request-scorer' }, { type: 'session-affinity-scorer' }],
      requestHandler: { parsers: [{ pluginRef: 'passthrough-parser' }] },
      schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'active-request-scorer', weight: 1 }, { pluginRef: 'session-affinity-scorer', weight: 1 }] }],
    };
  }

  /**
   * Prefill/decode disaggregation for llm-d-router v0.10: `disagg-profile-handler` with a
   * `prefix-based-pd-decider` (the replacement of pd-profile-handler), the prefix-cache data from
   * `approx-prefix-cache-producer`, prefill and decode filters, and one profile each.
   */
  public static routerPrefillDecode(opts: { readonly nonCachedTokens?: number; readonly prefixCacheWeight?: number; readonly queueWeight?: number } = {}): EndpointPickerConfigSpec {
    const weights = [{ pluginRef: 'prefix-cache-scorer', weight: opts.prefixCacheWeight ?? 2 }, { pluginRef: 'queue-scorer', weight: opts.queueWeight ?? 1 }];
    return {
      plugins: [
        { type: 'approx-prefix-cache-producer' },
        { type: 'prefix-cache-scorer' },
        { type: 'queue-scorer' },
        { type: 'prefill-filter' },
        { type: 'decode-filter' },
        { type: 'max-score-picker' },
        { type: 'disagg-profile-handler', parameters: { deciders: { prefill: 'prefix-based-pd-decider' } } },
        { type: 'prefix-based-pd-decider', parameters: { nonCachedTokens: opts.nonCachedTokens ?? 0 } },
      ],
      schedulingProfiles: [
        { name: 'prefill', plugins: [{ pluginRef: 'prefill-filter' }, { pluginRef: 'max-score-picker' }, ...weights] },
        { name: 'decode', plugins: [{ pluginRef: 'decode-filter' }, { pluginRef: 'max-score-picker' }, ...weights] },
      ],
    };
  }

  /** The YAML text of a config, as the EPP reads it (`apiVersion` is the release's). */
  public static toYaml(spec: EndpointPickerConfigSpec, apiVersion: string = EPP_CONFIG_API_VERSION): string {
    const doc: Record<string, unknown> = {
      apiVersion,
      kind: EPP_CONFIG_KIND,
      plugins: spec.plugins.map((p) => {
        const out: Record<string, unknown> = { type: p.type };
        if (p.name !== undefined) out.name = p.name;
        const params = (p as { parameters?: unknown }).parameters;
        if (params !== undefined) out.parameters = params;
        return out;
      }),
      schedulingProfiles: spec.schedulingProfiles.map((s) => ({
        name: s.name,
        plugins: s.plugins.map((r) => (r.weight === undefined ? { pluginRef: r.pluginRef } : { pluginRef: r.pluginRef, weight: r.weight })),
      })),
    };
    if (spec.featureGates && spec.featureGates.length > 0) doc.featureGates = [...spec.featureGates];
    if (spec.requestHandler) doc.requestHandler = { parsers: spec.requestHandler.parsers.map((r) => ({ pluginRef: r.pluginRef })) };
    return stringifyYaml(doc, EPP_YAML);
  }

  /**
   * Problems with a config: plugin types outside the catalogue (unless `custom: true`), bad
   * typed parameters, duplicate plugin or profile names, profile references to undeclared
   * plugins, negative weights, and a pd-profile-handler without its two profiles.
   */
  public static validate(spec: EndpointPickerConfigSpec, field = 'config', release?: SchedulerRelease): Problem[] {
    return validateConfigSpec(spec, field, release);
  }

  /**
   * Problems with the YAML text of a config file given as-is: it must parse, have the constant
   * apiVersion/kind, declare plugins with a string `type`, and profiles may only refer to declared
   * plugins with weights of 0 or more. Plugin types are not checked against the catalogue (the
   * text is the explicit escape hatch for custom plugins); typed parameters of known types are.
   */
  public static validateYaml(text: string, field = 'config', release?: SchedulerRelease): Problem[] {
    return validateConfigText(text, field, release);
  }

  private readonly _plugins: EppPluginSpec[] = [];
  private readonly _profiles: EppSchedulingProfile[] = [];
  private readonly _featureGates: string[] = [];

  /** Starts from an existing spec (e.g. a preset), or empty. */
  constructor(from?: EndpointPickerConfigSpec) {
    if (from) {
      this._plugins.push(...from.plugins);
      this._profiles.push(...from.schedulingProfiles.map((s) => ({ name: s.name, plugins: [...s.plugins] })));
      this._featureGates.push(...(from.featureGates ?? []));
    }
  }

  /** The plugins, in the order added. */
  public get plugins(): readonly EppPluginSpec[] {
    return [...this._plugins];
  }

  /** The scheduling profiles, in the order added. */
  public get schedulingProfiles(): readonly EppSchedulingProfile[] {
    return this._profiles.map((s) => ({ name: s.name, plugins: [...s.plugins] }));
  }

  public get featureGates(): readonly string[] | undefined {
    return this._featureGates.length > 0 ? [...this._featureGates] : undefined;
  }

  /** Declares a plugin instance. */
  public addPlugin(plugin: EppPluginSpec): this {
    this._plugins.push(plugin);
    return this;
  }

  /** Adds a scheduling profile, or appends plugins to the profile of that name. */
  public addProfile(name: string, plugins: readonly EppProfilePlugin[]): this {
    const existing = this._profiles.find((s) => s.name === name);
    if (existing) (existing.plugins as EppProfilePlugin[]).push(...plugins);
    else this._profiles.push({ name, plugins: [...plugins] });
    return this;
  }

  /** Enables an EPP feature gate. */
  public addFeatureGate(gate: string): this {
    this._featureGates.push(gate);
    return this;
  }

  /** Plain data, for props. */
  public toSpec(): EndpointPickerConfigSpec {
    return { plugins: this.plugins, schedulingProfiles: this.schedulingProfiles, ...(this.featureGates ? { featureGates: this.featureGates } : {}) };
  }

  /** The YAML text. */
  public toYaml(): string {
    return EndpointPickerConfig.toYaml(this);
  }

  /** Problems (see the static {@link EndpointPickerConfig.validate}). */
  public validate(field = 'config'): Problem[] {
    return EndpointPickerConfig.validate(this, field);
  }
}

