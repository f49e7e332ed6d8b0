// A small schema language for chart values (which keys exist, of which type) and the Helm
// template semantics the adapters reproduce: Go's `%v` of scalars, `empty`, path lookups.
import type { Problem } from '../core/errors';
import { goFormatNumber } from '../scheduler/rules';
import { isValuesMap, keyPath, unknownKeyProblem } from './values-reader';

// --- schema of the user's values -------------------------------------------------------------

export type Schema =
  | { readonly t: 'map'; readonly keys: Readonly<Record<string, Schema>> }
  | { readonly t: 'dict'; readonly of: Schema }
  | { readonly t: 'list'; readonly of: Schema }
  | { readonly t: 'string' | 'int' | 'bool' | 'scalar' | 'object' | 'any' };

export const S = {
  str: { t: 'string' } as Schema,
  int: { t: 'int' } as Schema,
  bool: { t: 'bool' } as Schema,
  scalar: { t: 'scalar' } as Schema,
  object: { t: 'object' } as Schema,
  any: { t: 'any' } as Schema,
  map: (keys: Record<string, Schema>): Schema => ({ t: 'map', keys }),
  dict: (of: Schema): Schema => ({ t: 'dict', of }),
  list: (of: Schema): Schema => ({ t: 'list', of }),
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  int: 'an integer',
  bool: 'true or false',
  scalar: 'a string, number or boolean',
  object: 'a map',
  map: 'a map',
  dict: 'a map',
  list: 'a list',
};

export function checkValues(value: unknown, schema: Schema, path: string, out: Problem[]): void {
  if (value === null || value === undefined || schema.t === 'any') return; // null deletes a default
  const bad = (): void => {
    out.push({ field: path, value, allowed: TYPE_NAMES[schema.t] });
  };
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') bad();
      return;
    case 'int':
      if (!(typeof value === 'number' && Number.isInteger(value))) bad();
      return;
    case 'bool':
      if (typeof value !== 'boolean') bad();
      return;
    case 'scalar':
      if (!['string', 'number', 'boolean'].includes(typeof value)) bad();
      return;
    case 'object':
      if (!isValuesMap(value)) bad();
      return;
    case 'list':
      if (!Array.isArray(value)) return bad();
      value.forEach((v, i) => checkValues(v, schema.of, `${path}[${i}]`, out));
      return;
    case 'dict':
      if (!isValuesMap(value)) return bad();
      for (const [k, v] of Object.entries(value)) checkValues(v, schema.of, `${path}.${k}`, out);
      return;
    case 'map':
      if (!isValuesMap(value)) return bad();
      for (const [k, v] of Object.entries(value)) {
        const sub = Object.prototype.hasOwnProperty.call(schema.keys, k) ? schema.keys[k] : undefined;
        const p = keyPath(path, k);
        if (!sub) out.push(unknownKeyProblem(p, v, Object.keys(schema.keys)));
        else checkValues(v, sub, p, out);
      }
      return;
  }
}

// --- reading ---------------------------------------------------------------------------------

export function getValue(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (!isValuesMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** `provider.name` values of the Inference Extension's charts that render no provider objects. */
export const PROVIDERS_AS_NONE: readonly string[] = ['none', 'kgateway', 'agentgateway', 'nginx', 'envoy', 'envoy-gateway'];

/** Go's `%v` of a scalar from a values file (what `"{{ $value }}"` and `quote` print). */
export function goString(v: unknown): string {
  if (typeof v === 'number') return goFormatNumber(v);
  return String(v);
}

/** Helm's `empty`: nil, false, 0, "", empty map or list. */
export function helmEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isValuesMap(v) && Object.keys(v).length === 0);
}

/** The non-null items of a list value (Helm drops nothing, but nulls would fail the API server). */
export function listOf<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && x !== undefined) as T[]) : [];
}
