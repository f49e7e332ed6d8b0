/**
 * Pieces the Helm values adapters share: Helm's coalescing of user values over a chart's
 * defaults, a {@link ValuesReader} that reads typed values and records a {@link Problem} naming
 * the values key path of every wrong value, and small helpers that keep the props they build short.
 *
 * Not the same as `mergeValues` (src/cli/values.ts), which merges `-f` files and `--set`s the way
 * `helm template` does before the chart is involved: there a `null` is KEPT so that it can delete
 * the chart's default here, in {@link coalesceValues}.
 */
import { LlmdValidationError, Problem, reportProblem } from '../core/errors';
import type { HelmValuesContext, ValuesWarning } from './registry';

/** A YAML mapping from a values file (or the chart's values.yaml). */
export type ValuesMap = Record<string, unknown>;

/** True for a mapping: an object that is neither `null` nor a list. */
export function isValuesMap(v: unknown): v is ValuesMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Helm's coalescing of user values over the chart's defaults (chartutil.CoalesceValues): a `null`
 * in `override` deletes the key (the chart's default included), maps merge key by key, anything
 * else (lists included) replaces the default. Returns a new object; neither input is modified.
 */
export function coalesceValues(base: ValuesMap, override: ValuesMap): ValuesMap {
  const out: ValuesMap = { ...base };
  for (const [k, v] of Object.entries(override)) {
    // Never a chart key: kept as a plain own property (assigning `__proto__` would replace the
    // prototype) so the adapter's key checks report it as unknown.
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') {
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      continue;
    }
    if (v === null) delete out[k];
    else if (isValuesMap(v) && Object.prototype.hasOwnProperty.call(out, k) && isValuesMap(out[k])) out[k] = coalesceValues(out[k] as ValuesMap, v);
    else out[k] = v;
  }
  return out;
}

/** The key path of `key` below `path` (`a.b` + `c` = `a.b.c`; `''` + `c` = `c`). */
export function keyPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The list, or `undefined` when it is absent or empty. */
export function nonEmptyList<T>(l: readonly T[] | undefined): readonly T[] | undefined {
  return l && l.length > 0 ? l : undefined;
}

/** The map, or `undefined` when it is absent or has no keys. */
export function nonEmptyMap<T extends object>(m: T | undefined): T | undefined {
  return m && Object.keys(m).length > 0 ? m : undefined;
}

/** A copy of `o` without the keys whose value is `undefined`, so generated code and snapshots stay short. */
export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Throws one {@link LlmdValidationError} listing every problem (none: returns), each reported
 * under `source`, e.g. `values (llm-d-infra)`.
 */
export function throwValuesProblems(problems: readonly Problem[], source: string): void {
  if (problems.length > 0) {
    throw new LlmdValidationError(problems.map((p) => reportProblem(source, p)));
  }
}

/** The problem for a key the chart doesn't have at this place; `known` are the keys it has. */
export function unknownKeyProblem(field: string, value: unknown, known: readonly string[]): Problem {
  const key = field.slice(field.lastIndexOf('.') + 1);
  const near = nearestKey(key, known);
  return { field, value, allowed: `one of the chart's keys here: ${known.join(', ')}`, why: near ? `unknown key; did you mean "${near}"?` : 'unknown key' };
}

/**
 * The known key nearest to `key` (case-insensitive) within a third of its length and at most 2
 * edits (`replcas` -> `replicas`; nothing for a one-letter key); undefined when none is that near.
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    if (Math.abs(k.length - key.length) >= bestDistance) continue;
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (two rows: linear memory). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** How a {@link ValuesReader} treats what it reads; the chart adapters differ here. */
export interface ValuesReaderOptions {
  /**
   * Treat a `null` value like an absent key. Otherwise a `null` left after coalescing (inside a
   * list, or below a key the chart has no default for) is refused as the wrong type.
   * @default false
   */
  readonly nullIsAbsent?: boolean;
  /**
   * Refuse Helm template expressions (`{{ }}`) in every string read with `str`, `optStr` and
   * `strMap` (see {@link ValuesReader.noTemplates}).
   * @default false
   */
  readonly refuseTemplates?: boolean;
}

const TEMPLATE_WHY = 'Helm template expressions in values are not evaluated; write the value itself';

/**
 * Reads values with type checks. Each reader takes the map `obj`, the `key` to read and the key
 * path of `obj` (`''` at the top), returns the value or `undefined` when the key is absent, and
 * when the value has the wrong type records a problem naming `path.key` and returns `undefined`.
 * The problems are collected in {@link problems} so that all of them are reported at once.
 */
export class ValuesReader {
  /** Every problem found so far, in the order found. */
  public readonly problems: Problem[] = [];
  /** Values rendered as the chart renders them that are likely mistakes, in the order found. */
  public readonly warnings: ValuesWarning[] = [];
  private readonly nullIsAbsent: boolean;
  private readonly refuseTemplates: boolean;

  constructor(options: ValuesReaderOptions = {}) {
    this.nullIsAbsent = options.nullIsAbsent ?? false;
    this.refuseTemplates = options.refuseTemplates ?? false;
  }

  /** Records a problem; returns `undefined` so a reader can `return this.problem(...)`. */
  public problem(field: string, value: unknown, allowed: string, why?: string): undefined {
    this.problems.push({ field, value, allowed, ...(why ? { why } : {}) });
    return undefined;
  }

  /** Records a warning: `value` at `field` is rendered as the chart renders it, and `message` says how. */
  public warn(field: string, value: unknown, message: string): void {
    this.warnings.push({ field, value, message });
  }

  /** Hands every warning to the caller's `warn` (the CLI prints them). */
  public sendWarnings(ctx: HelmValuesContext): void {
    for (const w of this.warnings) ctx.warn?.(w);
  }

  /** Refuses keys of `obj` outside `known`; `refused` maps chart keys we don't support to the reason. */
  public keys(obj: ValuesMap, path: string, known: readonly string[], refused: Readonly<Record<string, string>> = {}): void {
    for (const k of Object.keys(obj)) {
      const p = keyPath(path, k);
      if (Object.prototype.hasOwnProperty.call(refused, k)) this.problem(p, obj[k], 'leave it unset', refused[k]);
      else if (!known.includes(k)) this.problems.push(unknownKeyProblem(p, obj[k], known));
    }
  }

  /** A map. */
  public map(obj: ValuesMap, key: string, path: string): ValuesMap | undefined {
    const v = obj[key];
    if (this.absent(v)) return undefined;
    if (!isValuesMap(v)) return this.problem(keyPath(path, key), v, 'a map');
    return v;
  }

  /** A string (refused when it holds a template expression, with `refuseTemplates`). */
  public str(obj: ValuesMap, key: string, path: string): string | undefined {
    const v = obj[key];
    if (this.absent(v)) return undefined;
    if (typeof v !== 'string') return this.problem(keyPath(path, key), v, 'a string');
    if (this.refuseTemplates) this.noTemplates(v, keyPath(path, key));
    return v;
  }

  /** A non-empty string, `undefined` for "" or absent. */
  public optStr(obj: ValuesMap, key: string, path: string): string | undefined {
    const s = this.str(obj, key, path);
    return s === '' ? undefined : s;
  }

  /** `true` or `false`. */
  public bool(obj: ValuesMap, key: string, path: string): boolean | undefined {
    const v = obj[key];
    if (this.absent(v)) return undefined;
    if (typeof v !== 'boolean') return this.problem(keyPath(path, key), v, 'true or false');
    return v;
  }

  /** An integer. */
  public int(obj: ValuesMap, key: string, path: string): number | undefined {
    const v = obj[key];
    if (this.absent(v)) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.problem(keyPath(path, key), v, 'an integer');
    return v;
  }

  /** A list of anything. */
  public list(obj: ValuesMap, key: string, path: string): unknown[] | undefined {
    const v = obj[key];
    if (this.absent(v)) return undefined;
    if (!Array.isArray(v)) return this.problem(keyPath(path, key), v, 'a list');
    return v;
  }

  /** A list of strings; the items that are not strings are refused and left out. */
  public strList(obj: ValuesMap, key: string, path: string): string[] | undefined {
    const l = this.list(obj, key, path);
    if (!l) return undefined;
    l.forEach((x, i) => {
      if (typeof x !== 'string') this.problem(`${keyPath(path, key)}[${i}]`, x, 'a string (quote numbers and booleans)');
    });
    return l.filter((x): x is string => typeof x === 'string');
  }

  /** A map of strings (labels, annotations); values that are not strings are refused. */
  public strMap(obj: ValuesMap, key: string, path: string): Record<string, string> | undefined {
    const m = this.map(obj, key, path);
    if (!m) return undefined;
    for (const [k, v] of Object.entries(m)) {
      const p = `${keyPath(path, key)}.${k}`;
      if (typeof v !== 'string') this.problem(p, v, 'a string (quote "true" and numbers)');
      else if (this.refuseTemplates) this.noTemplates(v, p);
    }
    return m as Record<string, string>;
  }

  /** A list of maps, each with a string `name`; the items that are not are refused and left out. */
  public namedMaps(obj: ValuesMap, key: string, path: string): ValuesMap[] | undefined {
    const l = this.list(obj, key, path);
    if (!l) return undefined;
    const out: ValuesMap[] = [];
    l.forEach((x, i) => {
      if (!isValuesMap(x)) this.problem(`${keyPath(path, key)}[${i}]`, x, 'a map');
      else if (typeof x.name !== 'string') this.problem(`${keyPath(path, key)}[${i}].name`, x.name, 'a string');
      else out.push(x);
    });
    return out;
  }

  /** A list of maps; the items that are not maps are refused and left out. */
  public maps(obj: ValuesMap, key: string, path: string): ValuesMap[] | undefined {
    const l = this.list(obj, key, path);
    if (!l) return undefined;
    l.forEach((x, i) => {
      if (!isValuesMap(x)) this.problem(`${keyPath(path, key)}[${i}]`, x, 'a map');
    });
    return l.filter(isValuesMap);
  }

  /**
   * Refuses Helm template expressions (`{{`) in `v` and every string below it, which the chart
   * would evaluate with `tpl` and we don't.
   */
  public noTemplates(v: unknown, path: string): void {
    if (typeof v === 'string' && v.includes('{{')) this.problem(path, v, 'a literal value', TEMPLATE_WHY);
    else if (Array.isArray(v)) v.forEach((x, i) => this.noTemplates(x, `${path}[${i}]`));
    else if (isValuesMap(v)) for (const [k, x] of Object.entries(v)) this.noTemplates(x, `${path}.${k}`);
  }

  /** Throws one {@link LlmdValidationError} listing every problem found, reported under `source`. */
  public throwIfProblems(source: string): void {
    throwValuesProblems(this.problems, source);
  }

  private absent(v: unknown): boolean {
    return v === undefined || (this.nullIsAbsent && v === null);
  }
}
