/**
 * The EndpointPickerConfig file the endpoint picker (EPP) reads with `--config-file`: which
 * plugins it instantiates (filters, scorers, pickers, profile handlers) and which scheduling
 * profiles use them with what weight.
 *
 * Configs are plain data ({@link EndpointPickerConfigSpec}) so they can sit in construct props and
 * be printed by `cdk8s-llm-d convert`; {@link EndpointPickerConfig} is a small typed builder that
 * produces such data, holds the presets and renders/validates it.
 */
import { stringifyYaml, YamlDialect } from '../core/manifest-yaml';
import { YAML } from '../core/yaml';
import { Problem } from '../core/errors';
import { checkLabels } from '../core/labels';

/** `YAML.stringify(doc, { indentSeq: false, lineWidth: 0 })`. */
const EPP_YAML: YamlDialect = { version: '1.2', indentSeq: false, lineWidth: 0, library: { indentSeq: false, lineWidth: 0 } };

/** `apiVersion` of the EndpointPickerConfig file (constant; the EPP refuses anything else). */
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
    | 'session-affinity-scorer';
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
}

// --- catalogue -------------------------------------------------------------------------------

type ParamKind = 'positiveInt' | 'nonNegativeInt' | 'string' | 'labels';

/** Plugin types with typed parameters, and the parameters each accepts. */
const CATALOGUE: Readonly<Record<string, Readonly<Record<string, ParamKind>>>> = {
  'queue-scorer': {},
  'kv-cache-utilization-scorer': {},
  'lora-affinity-scorer': {},
  'prefix-cache-scorer': { hashBlockSize: 'positiveInt', maxPrefixBlocksToMatch: 'positiveInt', lruCapacityPerServer: 'positiveInt' },
  'max-score-picker': { maxNumOfEndpoints: 'positiveInt' },
  'random-picker': { maxNumOfEndpoints: 'positiveInt' },
  'weighted-random-picker': { maxNumOfEndpoints: 'positiveInt' },
  'single-profile-handler': {},
  'pd-profile-handler': { threshold: 'nonNegativeInt', hashBlockSize: 'positiveInt', decodeProfile: 'string', prefillProfile: 'string' },
  'prefill-header-handler': { prefillProfile: 'string' },
  'prefill-filter': {},
  'decode-filter': {},
  'by-label-selector': { matchLabels: 'labels' },
  'load-aware-scorer': { threshold: 'positiveInt' },
  'session-affinity-scorer': {},
};

/** The plugin types this library checks (others need `custom: true`). */
export const KNOWN_EPP_PLUGIN_TYPES: readonly string[] = Object.keys(CATALOGUE);

/** The name a profile uses for a plugin: its `name`, or its `type`. */
export function eppPluginName(p: { readonly type: string; readonly name?: string }): string {
  return p.name ?? p.type;
}

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

  /** The YAML text of a config, as the EPP reads it. */
  public static toYaml(spec: EndpointPickerConfigSpec): string {
    const doc: Record<string, unknown> = {
      apiVersion: EPP_CONFIG_API_VERSION,
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
    return stringifyYaml(doc, EPP_YAML);
  }

  /**
   * Problems with a config: plugin types outside the catalogue (unless `custom: true`), bad
   * typed parameters, duplicate plugin or profile names, profile references to undeclared
   * plugins, negative weights, and a pd-profile-handler without its two profiles.
   */
  public static validate(spec: EndpointPickerConfigSpec, field = 'config'): Problem[] {
    return validateSpec(spec, field, false);
  }

  /**
   * Problems with the YAML text of a config file given as-is: it must parse, have the constant
   * apiVersion/kind, declare plugins with a string `type`, and profiles may only refer to declared
   * plugins with weights of 0 or more. Plugin types are not checked against the catalogue (the
   * text is the explicit escape hatch for custom plugins); typed parameters of known types are.
   */
  public static validateYaml(text: string, field = 'config'): Problem[] {
    let doc: unknown;
    try {
      doc = YAML.parse(text);
    } catch (e) {
      return [{ field, value: text.length > 80 ? `${text.slice(0, 77)}...` : text, allowed: 'EndpointPickerConfig YAML text', why: `YAML syntax error: ${(e as Error).message.split('\n')[0]}` }];
    }
    if (!isRecord(doc)) return [{ field, value: doc, allowed: `a YAML mapping with apiVersion ${EPP_CONFIG_API_VERSION}, kind ${EPP_CONFIG_KIND}, plugins and schedulingProfiles` }];
    const problems: Problem[] = [];
    if (doc.apiVersion !== EPP_CONFIG_API_VERSION) problems.push({ field: `${field}.apiVersion`, value: doc.apiVersion, allowed: EPP_CONFIG_API_VERSION });
    if (doc.kind !== EPP_CONFIG_KIND) problems.push({ field: `${field}.kind`, value: doc.kind, allowed: EPP_CONFIG_KIND });
    const plugins = doc.plugins ?? [];
    const profiles = doc.schedulingProfiles ?? [];
    if (!Array.isArray(plugins) || !plugins.every((p) => isRecord(p) && typeof p.type === 'string' && (p.name === undefined || typeof p.name === 'string') && (p.parameters === undefined || p.parameters === null || isRecord(p.parameters)))) {
      problems.push({ field: `${field}.plugins`, value: plugins, allowed: 'a list of {type: string, name?: string, parameters?: mapping}' });
      return problems;
    }
    if (!Array.isArray(profiles) || !profiles.every((s) => isRecord(s) && typeof s.name === 'string' && Array.isArray(s.plugins) && s.plugins.every((r: unknown) => isRecord(r) && typeof r.pluginRef === 'string'))) {
      problems.push({ field: `${field}.schedulingProfiles`, value: profiles, allowed: 'a list of {name: string, plugins: [{pluginRef: string, weight?: number}]}' });
      return problems;
    }
    const spec: EndpointPickerConfigSpec = {
      plugins: plugins.map((p: Record<string, unknown>) => ({ ...p, parameters: p.parameters ?? undefined, custom: !(String(p.type) in CATALOGUE) })) as unknown as EppPluginSpec[],
      schedulingProfiles: profiles as unknown as EppSchedulingProfile[],
      featureGates: Array.isArray(doc.featureGates) ? (doc.featureGates as string[]) : undefined,
    };
    problems.push(...validateSpec(spec, field, true));
    return problems;
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

  public get plugins(): readonly EppPluginSpec[] {
    return [...this._plugins];
  }

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

// --- validation ------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkParam(field: string, kind: ParamKind, value: unknown): Problem | Problem[] | undefined {
  switch (kind) {
    case 'positiveInt':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? undefined : { field, value, allowed: 'an integer of 1 or more' };
    case 'nonNegativeInt':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? undefined : { field, value, allowed: 'an integer of 0 or more' };
    case 'string':
      return typeof value === 'string' && value.length > 0 ? undefined : { field, value, allowed: 'a non-empty string' };
    case 'labels':
      if (!isRecord(value) || Object.keys(value).length === 0) return { field, value, allowed: 'a non-empty map of label keys to values' };
      return checkLabels(field, value as Record<string, string>);
  }
}

function validateSpec(spec: EndpointPickerConfigSpec, field: string, fromText: boolean): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, string>();
  spec.plugins.forEach((p, i) => {
    const f = `${field}.plugins[${i}]`;
    const custom = (p as EppCustomPlugin).custom === true;
    const params = (p as { parameters?: unknown }).parameters;
    if (typeof p.type !== 'string' || p.type.length === 0) {
      problems.push({ field: `${f}.type`, value: p.type, allowed: 'a plugin type such as queue-scorer' });
      return;
    }
    const schema = CATALOGUE[p.type];
    if (!schema && !custom) {
      problems.push({
        field: `${f}.type`,
        value: p.type,
        allowed: `${KNOWN_EPP_PLUGIN_TYPES.join(', ')}; or mark a plugin of another type with custom: true`,
        why: 'unknown plugin type',
      });
    }
    if (p.name !== undefined && (typeof p.name !== 'string' || p.name.length === 0)) {
      problems.push({ field: `${f}.name`, value: p.name, allowed: 'a non-empty string' });
    }
    const name = eppPluginName(p);
    if (names.has(name)) {
      problems.push({ field: `${f}.name`, value: name, allowed: 'a plugin name not used by another plugin', why: `${names.get(name)} already declares it; give one of them a distinct name` });
    } else {
      names.set(name, f);
    }
    if (params !== undefined && !isRecord(params)) {
      problems.push({ field: `${f}.parameters`, value: params, allowed: 'a mapping of parameter names to values' });
    } else if (schema && isRecord(params) && !(custom && !fromText)) {
      for (const [k, v] of Object.entries(params)) {
        const kind = schema[k];
        if (!kind) {
          if (fromText) continue; // hand-written files may use parameters of newer EPP releases
          problems.push({
            field: `${f}.parameters.${k}`,
            value: v,
            allowed: Object.keys(schema).length > 0 ? `parameters of ${p.type}: ${Object.keys(schema).join(', ')}` : `no parameters (${p.type} takes none)`,
            why: 'unknown parameter; use a custom: true plugin to pass untyped parameters',
          });
          continue;
        }
        const pr = checkParam(`${f}.parameters.${k}`, kind, v);
        if (pr) problems.push(...(Array.isArray(pr) ? pr : [pr]));
      }
    }
    if (p.type === 'by-label-selector' && !custom && !isRecord(params)) {
      problems.push({ field: `${f}.parameters.matchLabels`, value: undefined, allowed: 'a non-empty map of label keys to values', why: 'by-label-selector needs matchLabels' });
    }
  });

  if (spec.schedulingProfiles.length === 0) {
    problems.push({ field: `${field}.schedulingProfiles`, value: [], allowed: 'at least one scheduling profile', why: 'the EPP needs a profile to schedule with' });
  }
  const profileNames = new Set<string>();
  spec.schedulingProfiles.forEach((s, i) => {
    const f = `${field}.schedulingProfiles[${i}]`;
    if (typeof s.name !== 'string' || s.name.length === 0) problems.push({ field: `${f}.name`, value: s.name, allowed: 'a non-empty string' });
    else if (profileNames.has(s.name)) problems.push({ field: `${f}.name`, value: s.name, allowed: 'a profile name not used by another profile' });
    profileNames.add(s.name);
    const refs = new Set<string>();
    s.plugins.forEach((r, j) => {
      const rf = `${f}.plugins[${j}]`;
      if (!names.has(r.pluginRef)) {
        problems.push({
          field: `${rf}.pluginRef`,
          value: r.pluginRef,
          allowed: names.size > 0 ? `a declared plugin: ${[...names.keys()].join(', ')}` : 'a declared plugin (none are declared)',
          why: 'the profile refers to a plugin that is not in plugins',
        });
      }
      if (refs.has(r.pluginRef)) problems.push({ field: `${rf}.pluginRef`, value: r.pluginRef, allowed: 'each plugin once per profile' });
      refs.add(r.pluginRef);
      if (r.weight !== undefined && !(typeof r.weight === 'number' && Number.isFinite(r.weight) && r.weight >= 0)) {
        problems.push({ field: `${rf}.weight`, value: r.weight, allowed: 'a number of 0 or more' });
      }
    });
  });

  // The P/D handler routes between two named profiles; both must exist.
  spec.plugins.forEach((p, i) => {
    if (p.type !== 'pd-profile-handler' || (p as EppCustomPlugin).custom) return;
    const params = ((p as EppPdProfileHandlerPlugin).parameters ?? {}) as PdProfileHandlerParameters;
    for (const [key, dflt] of [['prefillProfile', 'prefill'], ['decodeProfile', 'decode']] as const) {
      const want = params[key] ?? dflt;
      if (typeof want === 'string' && !profileNames.has(want)) {
        problems.push({
          field: `${field}.plugins[${i}].parameters.${key}`,
          value: want,
          allowed: `the name of a scheduling profile: ${[...profileNames].join(', ') || '(none)'}`,
          why: `pd-profile-handler needs a "${want}" profile`,
        });
      }
    }
  });

  (spec.featureGates ?? []).forEach((g, i) => {
    if (typeof g !== 'string' || g.length === 0) problems.push({ field: `${field}.featureGates[${i}]`, value: g, allowed: 'a feature gate name' });
  });
  return problems;
}
