/**
 * Helpers to name a problem of a construct that another construct built (a stack's model
 * service, pool or downloader) by the prop the user wrote: see `setPropOrigin` in ./errors.
 */

/** `decode.parallelism.tensor` → `decode`; `containers[0].args` → `containers`. */
export function topKey(field: string): string {
  const m = /^[^.[]*/.exec(field);
  return m ? m[0] : field;
}

/**
 * `prefix.field` when the user set `field` (or a part of it) in `given`, an override passed
 * through as is: `decode.parallelism.tensor` is given by `{ decode: { parallelism: { tensor: 0 } } }`
 * but not by `{ decode: { monitoring: {} } }`. Else undefined.
 */
export function givenField(field: string, given: object | undefined, prefix: string): string | undefined {
  let at: unknown = given;
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (typeof at !== 'object' || at === null) return undefined;
    const key = m[1] ?? m[2];
    if (!Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at === undefined || at === given ? undefined : join(prefix, field);
}

/**
 * The user's path for `field` from a table of derived fields (`{ 'decode.replicas': 'models[0].replicas' }`):
 * the longest entry that is `field` or a parent of it, with the rest of `field` kept
 * (`decode.containers[0].args[2]` → `models[0].servingArgs[2]`).
 */
export function tableField(field: string, table: Readonly<Record<string, string>>): string | undefined {
  let best: string | undefined;
  for (const from of Object.keys(table)) {
    if ((field === from || field.startsWith(`${from}.`) || field.startsWith(`${from}[`)) && (best === undefined || from.length > best.length)) best = from;
  }
  return best === undefined ? undefined : `${table[best]}${field.slice(best.length)}`;
}

/** `a` + `.b` / `[0]`. */
export function join(prefix: string, field: string): string {
  if (prefix === '') return field;
  return field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`;
}
