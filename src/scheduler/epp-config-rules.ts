// The rules of an EndpointPickerConfig: which plugin types take which parameters, what each
// release registers, and the checks of typed specs and of YAML text.
import { Problem } from '../core/errors';
import { checkLabels } from '../core/labels';
import { YAML } from '../core/yaml';
import { BUILT_IN_ENGINES } from './engine-configs';
import type { EndpointPickerConfigSpec, EppCustomPlugin, EppPdProfileHandlerPlugin, EppPluginSpec, EppSchedulingProfile, PdProfileHandlerParameters } from './epp-config-types';
import { EPP_CONFIG_API_VERSION, EPP_CONFIG_KIND } from './epp-config-types';
import { SchedulerRelease } from './scheduler-release';

const GUIDE_PINS_TYPES = SchedulerRelease.GUIDE_PINS.pluginTypes;

// --- catalogue -------------------------------------------------------------------------------

type ParamKind = 'positiveInt' | 'nonNegativeInt' | 'string' | 'labels' | 'bool' | 'object' | 'engineConfigs';

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
  'active-request-scorer': {},
  'running-requests-size-scorer': {},
  'token-load-scorer': {},
  'inflight-load-producer': {},
  'always-disagg-pd-decider': {},
  'passthrough-parser': {},
  'openai-parser': {},
  'vllmgrpc-parser': {},
  'core-metrics-extractor': { defaultEngine: 'string', engineLabelKey: 'string', engineConfigs: 'engineConfigs' },
  'metrics-data-source': { scheme: 'string', path: 'string', insecureSkipVerify: 'bool' },
  'disagg-profile-handler': { profiles: 'object', deciders: 'object', stageOrder: 'string' },
  'prefix-based-pd-decider': { nonCachedTokens: 'nonNegativeInt' },
  'approx-prefix-cache-producer': { blockSizeTokens: 'positiveInt', maxPrefixTokensToMatch: 'positiveInt', lruCapacityPerServer: 'positiveInt' },
  'label-selector-filter': { matchLabels: 'labels' },
};

/** The plugin types this library checks (others need `custom: true`). */
export const KNOWN_EPP_PLUGIN_TYPES: readonly string[] = Object.keys(CATALOGUE);

/** The name a profile uses for a plugin: its `name`, or its `type`. */
export function eppPluginName(p: { readonly type: string; readonly name?: string }): string {
  return p.name ?? p.type;
}


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
    case 'bool':
      return typeof value === 'boolean' ? undefined : { field, value, allowed: 'true or false' };
    case 'object':
      return isRecord(value) ? undefined : { field, value, allowed: 'a mapping' };
    case 'engineConfigs':
      if (!Array.isArray(value)) return { field, value, allowed: 'a list of engine configs ({name, queuedRequestsSpec, ...})' };
      return value.flatMap((c, i) => (isRecord(c) ? [] : [{ field: `${field}[${i}]`, value: c, allowed: 'a mapping with a name and metric specs' }]));
  }
}

/** The config apiVersions of the two releases; a file in the other one is a release mismatch. */
const KNOWN_CONFIG_API_VERSIONS: readonly string[] = [EPP_CONFIG_API_VERSION, 'llm-d.ai/v1alpha1'];

/** Prefix-cache-scorer parameters that llm-d-router moved to approx-prefix-cache-producer. */
const MOVED_PREFIX_PARAMETERS: readonly string[] = ['hashBlockSize', 'maxPrefixBlocksToMatch', 'lruCapacityPerServer'];

/** Plugin types the release does not register (renamed ones name their replacement), and a defaultEngine with no engine config. */
function releaseProblems(spec: EndpointPickerConfigSpec, field: string, release: SchedulerRelease, fromText: boolean): Problem[] {
  const problems: Problem[] = [];
  spec.plugins.forEach((p, i) => {
    const f = `${field}.plugins[${i}]`;
    const replacement = release.replacementFor(p.type);
    if (replacement !== undefined) {
      problems.push({ field: `${f}.type`, value: p.type, allowed: replacement, why: `${release.id} no longer registers ${p.type}` });
      return;
    }
    const custom = (p as EppCustomPlugin).custom === true && !fromText;
    if (release.isLlmdRouter && !custom && !release.registers(p.type) && !fromText) {
      problems.push({ field: `${f}.type`, value: p.type, allowed: `${release.pluginTypes.join(', ')}; or mark a plugin of another type with custom: true`, why: `unknown plugin type: the ${release.id} EPP does not register it` });
    }
    const params = (p as { parameters?: unknown }).parameters;
    if (release.isLlmdRouter && p.type === 'prefix-cache-scorer' && isRecord(params)) {
      for (const k of Object.keys(params)) {
        if (MOVED_PREFIX_PARAMETERS.includes(k)) problems.push({ field: `${f}.parameters.${k}`, value: params[k], allowed: 'the parameter on an approx-prefix-cache-producer plugin', why: `${release.id} moved the prefix-cache parameters to approx-prefix-cache-producer` });
      }
    }
    if (p.type === 'core-metrics-extractor' && isRecord(params)) {
      const configs = Array.isArray(params.engineConfigs) ? params.engineConfigs : [];
      const names = configs.map((c: unknown) => (isRecord(c) ? c.name : undefined));
      names.forEach((n: unknown, j: number) => {
        if (typeof n !== 'string' || n === '' || n === 'default') problems.push({ field: `${f}.parameters.engineConfigs[${j}].name`, value: n, allowed: 'a non-empty engine name other than "default" (reserved)' });
      });
      const dflt = params.defaultEngine;
      if (dflt !== undefined && !(typeof dflt === 'string' && (BUILT_IN_ENGINES.includes(dflt) || names.includes(dflt)))) {
        problems.push({
          field: `${f}.parameters.defaultEngine`,
          value: dflt,
          allowed: `a built-in engine (${BUILT_IN_ENGINES.join(', ')}) or a name of engineConfigs${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
          why: 'the EPP exits: defaultEngine not found in engineConfigs; add an engineConfigs entry with that name',
        });
      }
    }
  });
  return problems;
}

export function validateSpecOf(spec: EndpointPickerConfigSpec, field: string, fromText: boolean, release?: SchedulerRelease): Problem[] {
  const problems: Problem[] = release ? releaseProblems(spec, field, release, fromText) : [];
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
    // The guide-pins catalogue: typed plugins its images register (llm-d-router types are checked by releaseProblems).
    const guideTypes = KNOWN_EPP_PLUGIN_TYPES.filter((t) => GUIDE_PINS_TYPES.includes(t));
    if (!custom && !release?.isLlmdRouter && !guideTypes.includes(p.type)) {
      problems.push({
        field: `${f}.type`,
        value: p.type,
        allowed: `${guideTypes.join(', ')}; or mark a plugin of another type with custom: true`,
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

/** Problems with a typed config spec. */
export function validateConfigSpec(spec: EndpointPickerConfigSpec, field: string, release?: SchedulerRelease): Problem[] {
  return validateSpecOf(spec, field, false, release);
}

/**
 * Problems with the YAML text of a config file (see EndpointPickerConfig.validateYaml).
 */
export function validateConfigText(text: string, field: string, release?: SchedulerRelease): Problem[] {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    return [{ field, value: text.length > 80 ? `${text.slice(0, 77)}...` : text, allowed: 'EndpointPickerConfig YAML text', why: `YAML syntax error: ${(e as Error).message.split('\n')[0]}` }];
  }
  if (!isRecord(doc)) return [{ field, value: doc, allowed: `a YAML mapping with apiVersion ${EPP_CONFIG_API_VERSION}, kind ${EPP_CONFIG_KIND}, plugins and schedulingProfiles` }];
  const problems: Problem[] = [];
  const wantApiVersion = release?.configApiVersion ?? EPP_CONFIG_API_VERSION;
  if (doc.apiVersion !== wantApiVersion) {
    problems.push({
      field: `${field}.apiVersion`,
      value: doc.apiVersion,
      allowed: wantApiVersion,
      ...(KNOWN_CONFIG_API_VERSIONS.includes(String(doc.apiVersion))
        ? { why: `the ${release?.id ?? 'guide-pins'} EPP cannot read a ${String(doc.apiVersion)} config; write ${wantApiVersion}, or pick the release whose EPP reads it` }
        : {}),
    });
  }
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
    plugins: plugins.map((p: Record<string, unknown>) => ({ ...p, parameters: p.parameters ?? undefined, custom: !(String(p.type) in CATALOGUE) && !(release?.registers(String(p.type)) ?? false) })) as unknown as EppPluginSpec[],
    schedulingProfiles: profiles as unknown as EppSchedulingProfile[],
    featureGates: Array.isArray(doc.featureGates) ? (doc.featureGates as string[]) : undefined,
  };
  problems.push(...validateSpecOf(spec, field, true, release));
  return problems;
}
