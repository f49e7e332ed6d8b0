/**
 * Helm-compatible values handling for the migration CLI: merging several `-f` files and
 * `--set` overrides the way `helm template` does, so the same command line yields the same values.
 */

export type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merges `override` into `base` like Helm: maps merge key by key, everything else (lists
 * included) is replaced, and a `null` in the override deletes the key.
 */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) {
      delete out[k];
    } else if (isMap(v) && isMap(out[k])) {
      out[k] = mergeValues(out[k] as Values, v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Error in a `--set` expression; the CLI reports it with exit code 2. */
export class SetSyntaxError extends Error {}

/** Splits on `sep` outside `{...}` and not escaped with a backslash. */
function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === sep && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

/** Helm's strvals typing: `true`/`false`, `null` and integers are typed; the rest stays a string. */
function typedScalar(raw: string, forceString: boolean): unknown {
  const s = raw.replace(/\\(.)/g, '$1');
  if (forceString) return s;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (/^[-+]?(0|[1-9]\d*)$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  return s;
}

function parseValue(raw: string, forceString: boolean): unknown {
  if (raw.startsWith('{') && raw.endsWith('}')) {
    const inner = raw.slice(1, -1);
    return inner === '' ? [] : splitTopLevel(inner, ',').map((x) => typedScalar(x, forceString));
  }
  return typedScalar(raw, forceString);
}

type PathPart = { key: string } | { index: number };

/** Parses `a.b\.c[0].d` into parts; `\.` escapes a dot inside a key. */
export function parseSetPath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  let cur = '';
  const flush = () => {
    if (cur !== '') parts.push({ key: cur });
    cur = '';
  };
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && i + 1 < path.length) {
      cur += path[i + 1];
      i++;
    } else if (c === '.') {
      if (cur === '' && (parts.length === 0 || !('index' in parts[parts.length - 1]))) throw new SetSyntaxError(`empty key in "${path}"`);
      flush();
    } else if (c === '[') {
      flush();
      const end = path.indexOf(']', i);
      if (end < 0) throw new SetSyntaxError(`unclosed "[" in "${path}"`);
      const idx = path.slice(i + 1, end);
      if (!/^\d+$/.test(idx)) throw new SetSyntaxError(`list index "${idx}" in "${path}" is not a non-negative integer`);
      parts.push({ index: Number(idx) });
      i = end;
    } else {
      cur += c;
    }
  }
  flush();
  if (parts.length === 0 || !('key' in parts[0])) throw new SetSyntaxError(`"${path}" must start with a key`);
  return parts;
}

function assign(target: Values | unknown[], parts: PathPart[], value: unknown): void {
  const [head, ...rest] = parts;
  const next = rest[0];
  const container = (): Values | unknown[] => (next && 'index' in next ? [] : {});
  if ('key' in head) {
    const obj = target as Values;
    if (rest.length === 0) {
      if (value === null) delete obj[head.key];
      else obj[head.key] = value;
      return;
    }
    const existing = obj[head.key];
    const child = next && 'index' in next ? (Array.isArray(existing) ? existing : container()) : isMap(existing) ? existing : container();
    obj[head.key] = child;
    assign(child, rest, value);
  } else {
    const arr = target as unknown[];
    while (arr.length <= head.index) arr.push(null);
    if (rest.length === 0) {
      arr[head.index] = value;
      return;
    }
    const existing = arr[head.index];
    const child = next && 'index' in next ? (Array.isArray(existing) ? existing : container()) : isMap(existing) ? existing : container();
    arr[head.index] = child;
    assign(child, rest, value);
  }
}

/**
 * Applies one `--set` argument (`a.b=c`, `a.list[1].x=2`, `a=1,b=2`, `l={x,y}`) to `values`
 * in place, with Helm's typing of scalars. `forceString` is `--set-string`.
 */
export function applySet(values: Values, expr: string, forceString = false): void {
  for (const pair of splitTopLevel(expr, ',')) {
    const eq = pair.search(/(?<!\\)=/);
    if (eq <= 0) throw new SetSyntaxError(`"${pair}" is not of the form key=value`);
    assign(values, parseSetPath(pair.slice(0, eq)), parseValue(pair.slice(eq + 1), forceString));
  }
}
