/**
 * Helm-compatible values handling for the migration CLI: merging several `-f` files and
 * `--set` / `--set-string` / `--set-file` overrides exactly the way `helm template` does
 * (helm's `cli/values` merge and its `strvals` parser), so the same command line yields the same
 * values. Each merge step also records which file or `--set` last set each key path
 * ({@link ValueSources}), so an error about a key can name the file it came from.
 */

import { YAML, yaml11FloatNeedsDigit } from '../core/yaml';
import { MAX_YAML_NESTING, scanYamlText } from '../core/yaml-read';

export type Values = Record<string, unknown>;

/**
 * Parses a values file the way helm reads it (sigs.k8s.io/yaml over go-yaml v2, i.e. YAML 1.1):
 * `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0755` is octal, `1_000` is 1000, `<<` merges;
 * timestamps stay strings and there are no sexagesimal numbers (go-yaml v2 has neither); `.`, `+.`
 * and `._` are strings, not NaN (go-yaml v2 needs a digit in a float).
 * Throws the yaml library's error on invalid YAML.
 */
export function parseValuesYaml(text: string): unknown {
  const { depth, nesting, entries } = scanYamlText(text);
  if (depth > VALUES_LIMITS.maxDepth) throw new ValuesLimitError(`nesting of [ and { is ${depth} levels deep; at most ${VALUES_LIMITS.maxDepth} are read`);
  // The parser must never meet deeper nesting: a stack overflow inside it can abort the process.
  if (nesting > MAX_YAML_NESTING) throw new ValuesLimitError(`nesting too deep to read: about ${nesting} levels (indentation, "- " and "[{"); at most ${MAX_YAML_NESTING} are read`);
  // Lines and flow separators bound the number of nodes; refuse before the parser builds them all.
  if (entries > 3 * VALUES_LIMITS.maxNodes) throw new ValuesLimitError(`about ${entries} entries (lines and flow items); at most ${VALUES_LIMITS.maxNodes} keys and list items are read`);
  let doc: ReturnType<typeof YAML.parseDocument>;
  try {
    doc = YAML.parseDocument(text, {
      version: '1.1',
      // The library's own duplicate-key check is quadratic in the keys of a map; see duplicateKey.
      uniqueKeys: false,
      customTags: (tags) => yaml11FloatNeedsDigit(tags).filter((t) => typeof t === 'string' || !(t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME')),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new ValuesLimitError('nesting too deep to read');
    throw e;
  }
  // The parser reports its own stack overflow (deep block nesting) as an error of the document.
  if (doc.errors.length > 0 && /Maximum call stack/.test(doc.errors[0].message)) throw new ValuesLimitError('nesting too deep to read');
  if (doc.errors.length > 0) throw doc.errors[0];
  const dup = duplicateKey(doc.contents);
  if (dup) throw new Error(`Map keys must be unique: "${dup}" is repeated`);
  // go-yaml refuses tags it does not know; the yaml library would read `!!js/function "x"` as a string.
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) throw new Error(`unknown YAML tag: ${unknownTag.message.split('\n')[0].replace(/^Unresolved tag: /, '')}`);
  const value = doc.toJS({ maxAliasCount: 100 });
  const problem = valuesTreeProblem(value);
  if (problem) throw new ValuesLimitError(problem);
  return value;
}

/** The first key repeated in a map of the document (go-yaml refuses them), found in linear time. */
function duplicateKey(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (YAML.isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = YAML.isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (k !== '<<' && seen.has(k)) return k;
        seen.add(k);
        stack.push(pair.value);
      }
    } else if (YAML.isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

/** Bounds on what the CLI reads, so no values file or --set can take unbounded time or memory. */
export const VALUES_LIMITS = {
  /** Bytes of one values file or --set-file file. */
  maxFileBytes: 2 * 1024 * 1024,
  /** Nesting of maps and lists. */
  maxDepth: 64,
  /** Map keys and list items in one document. */
  maxNodes: 100_000,
} as const;

/** Keys that would reach a JavaScript object's prototype machinery; never chart keys. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** An input beyond {@link VALUES_LIMITS}, or a key in {@link FORBIDDEN_KEYS}; exit code 2. */
export class ValuesLimitError extends Error {}

/** The first of: a forbidden key, nesting beyond the limit, more nodes than the limit (with the key path). */
export function valuesTreeProblem(root: unknown): string | undefined {
  let nodes = 0;
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > VALUES_LIMITS.maxDepth) return `${path || 'the values'} is nested ${depth} levels deep; at most ${VALUES_LIMITS.maxDepth} are read`;
    if (Array.isArray(v)) {
      nodes += v.length;
      v.forEach((x, i) => stack.push({ v: x, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const k of Object.keys(v)) {
        const p = child(path, k);
        if (FORBIDDEN_KEYS.includes(k)) return `key "${p}" is not allowed: ${FORBIDDEN_KEYS.join(', ')} are never chart keys (they would reach JavaScript object internals)`;
        nodes++;
        stack.push({ v: (v as Values)[k], path: p, depth: depth + 1 });
      }
    }
    if (nodes > VALUES_LIMITS.maxNodes) return `more than ${VALUES_LIMITS.maxNodes} keys and list items; larger values are not read`;
  }
  return undefined;
}

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Error in a `--set` expression (helm's strvals parser would refuse it too); exit code 2. */
export class SetSyntaxError extends Error {}

/** A key path in the notation the adapters use in their problems: `a.b[0].c`. */
function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** One key path segment of the provenance tree and what set it. */
interface SourceNode {
  source?: string;
  readonly children: Map<string, SourceNode>;
}

/** The prefixes of a field that may be its first key, shortest first: up to each `.` or `[` (keys may hold dots), and the whole field. */
function keyPrefixes(rest: string): string[] {
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    return end < 0 ? [rest] : [rest.slice(0, end + 1)];
  }
  const out: string[] = [];
  for (let i = 1; i < rest.length; i++) if (rest[i] === '.' || rest[i] === '[') out.push(rest.slice(0, i));
  out.push(rest);
  return out;
}

/** `a.b[0].c` -> ['a', 'b', '[0]', 'c'] (keys with dots are matched against the tree in {@link ValueSources.sourcesOf}). */
function segments(path: string): string[] {
  return path.match(/\[\d+\]|[^.[\]]+/g) ?? [];
}

/**
 * Which values source (a `-f` file name, or `--set expr`) last set each key path. Paths use the
 * adapters' notation (`decode.containers[0].image`), so a problem's field can be looked up. Kept
 * as a tree, so recording n keys takes time linear in n.
 */
export class ValueSources {
  private readonly root: SourceNode = { children: new Map() };

  private node(path: string): SourceNode {
    let cur = this.root;
    for (const seg of segments(path)) {
      let next = cur.children.get(seg);
      if (!next) {
        next = { children: new Map() };
        cur.children.set(seg, next);
      }
      cur = next;
    }
    return cur;
  }

  /** `source` set the value at `path`, replacing whatever was below it. */
  public record(path: string, source: string): void {
    const n = this.node(path);
    n.children.clear();
    n.source = source;
  }

  /**
   * The map at `path` is about to be merged with another source's map: it is no longer set as a
   * whole by one source, so its current keys keep the source that set the map.
   */
  public splitMap(path: string, keys: readonly string[]): void {
    const n = this.node(path);
    const prev = n.source;
    if (prev === undefined) return;
    n.source = undefined;
    for (const k of keys) this.record(child(path, k), prev);
  }

  /**
   * The sources responsible for the value at `field`: the source that set it or its nearest
   * enclosing key, else every source that set something below it (a map merged from several
   * files). Empty when no source touched it (a chart default).
   */
  public sourcesOf(field: string): string[] {
    let cur: SourceNode | undefined = this.root;
    let rest = field;
    let deepest: string | undefined;
    while (cur && rest !== '') {
      // The longest child key that the rest of the field starts with (keys may hold dots).
      let best: [string, SourceNode] | undefined;
      for (const key of keyPrefixes(rest)) {
        const n = cur.children.get(key);
        if (n) best = [key, n];
      }
      cur = best?.[1];
      if (cur?.source !== undefined) deepest = cur.source;
      if (best) rest = rest.slice(best[0].length).replace(/^\./, '');
    }
    if (deepest !== undefined) return [deepest];
    if (!cur) return [];
    const below = new Set<string>();
    const stack = [cur];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.source !== undefined) below.add(n.source);
      stack.push(...n.children.values());
    }
    return [...below];
  }

  /** Every recorded path and its source (for tests and debugging). */
  public entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const stack: Array<[string, SourceNode]> = [['', this.root]];
    while (stack.length > 0) {
      const [p, n] = stack.pop()!;
      if (n.source !== undefined) out.push([p, n.source]);
      for (const [k, c] of n.children) stack.push([k.startsWith('[') ? `${p}${k}` : child(p, k), c]);
    }
    return out.sort(([x], [y]) => x.localeCompare(y));
  }
}

/**
 * Merges `override` into `base` like helm merges `-f` files: maps merge key by key, everything
 * else (lists included) is replaced, and a `null` is kept (it deletes the chart's default for
 * that key later, when the adapter coalesces the values with the chart's defaults).
 * Returns a new object; `base` is not modified. With `sources`, records `source` for every
 * key path the override set.
 */
export function mergeValues(base: Values, override: Values, sources?: ValueSources, source = 'values', path = ''): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(override)) {
    const p = child(path, k);
    if (FORBIDDEN_KEYS.includes(k)) throw new ValuesLimitError(`key "${p}" is not allowed: ${FORBIDDEN_KEYS.join(', ')} are never chart keys`);
    if (isMap(v) && Object.prototype.hasOwnProperty.call(out, k) && isMap(out[k])) {
      sources?.splitMap(p, Object.keys(out[k] as Values));
      out[k] = mergeValues(out[k] as Values, v, sources, source, p);
    } else {
      out[k] = v;
      sources?.record(p, source);
    }
  }
  return out;
}

/** How a `--set`-style flag reads its values. */
export type SetKind = 'set' | 'set-string' | 'set-file';

/** helm strvals `typedVal`: true/false/null (any case), integers not starting with 0; else a string. */
export function typedValue(val: string, forceString = false): unknown {
  if (forceString) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return 0;
  // Go's strconv.ParseInt(val, 10, 64): optional sign, decimal digits, within int64.
  if (val.length > 0 && val[0] !== '0' && /^[+-]?\d+$/.test(val)) {
    const n = Number(val);
    // Beyond 2^53 a JS number would silently change the digits; keep the text instead.
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  }
  return val;
}

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function checkSetKey(key: string, path: string): void {
  if (FORBIDDEN_KEYS.includes(key)) throw new SetSyntaxError(`key "${path}" is not allowed: ${FORBIDDEN_KEYS.join(', ')} are never chart keys (they would reach JavaScript object internals)`);
}

/** End of input: helm's io.EOF, which ends parsing without error at a key boundary. */
class Eof {}
const EOF = new Eof();

function kindName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isMap(v)) return 'a map';
  return `a ${typeof v}`;
}

/** A port of helm's `pkg/strvals` parser (the `--set` syntax), with value provenance. */
class StrvalsParser {
  private readonly runes: string[];
  private pos = 0;

  constructor(
    text: string,
    private readonly reader: (rs: string) => unknown,
    private readonly onSet: (path: string) => void,
  ) {
    this.runes = Array.from(text);
  }

  public parse(data: Values): void {
    for (;;) {
      const r = this.key(data, 0, '');
      if (r === EOF) return;
    }
  }

  private read(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }

  /** helm runesUntil: reads up to a stop rune; a backslash escapes the next rune. */
  private until(stop: string): { text: string; last: string | undefined } {
    let text = '';
    for (;;) {
      const r = this.read();
      if (r === undefined) return { text, last: undefined };
      if (stop.includes(r)) return { text, last: r };
      if (r === '\\') {
        const next = this.read();
        if (next === undefined) return { text, last: undefined };
        text += next;
      } else {
        text += r;
      }
    }
  }

  private set(data: Values, key: string, value: unknown, path: string): void {
    if (key.length === 0) throw new SetSyntaxError('empty key');
    checkSetKey(key, path);
    data[key] = value;
    this.onSet(path);
  }

  /** Returns EOF when the input ended cleanly, undefined when more may follow. */
  private key(data: Values, level: number, parent: string): Eof | undefined {
    const { text: k, last } = this.until('=[,.');
    const path = child(parent, k);
    if (last === undefined) {
      if (k.length === 0) return EOF;
      throw new SetSyntaxError(`key "${k}" has no value`);
    }
    if (k.length === 0) throw new SetSyntaxError(last === ',' ? 'empty key (cannot end with ,)' : `empty key before "${last}"`);
    checkSetKey(k, path);
    switch (last) {
      case '[': {
        const i = this.keyIndex();
        let list: unknown[] = [];
        if (hasOwn(data, k)) {
          const existing = data[k];
          if (!Array.isArray(existing)) throw new SetSyntaxError(`${path} is ${kindName(existing)}, not a list: cannot set ${path}[${i}]`);
          list = existing;
        }
        const r = this.listItem(list, i, level, path);
        data[k] = r.list;
        return r.eof;
      }
      case '=': {
        const vl = this.valList();
        if (vl === EOF) {
          this.set(data, k, '', path);
          return EOF;
        }
        if (vl !== undefined) {
          this.set(data, k, vl, path);
          return undefined;
        }
        const { text, last: end } = this.until(',');
        this.set(data, k, this.reader(text), path);
        return end === undefined ? EOF : undefined;
      }
      case ',':
        throw new SetSyntaxError(`key "${k}" has no value (cannot end with ,)`);
      default: {
        // '.'
        if (level + 1 > MAX_NESTED_NAME_LEVEL) throw new SetSyntaxError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        let inner: Values = {};
        if (hasOwn(data, k)) {
          const existing = data[k];
          if (!isMap(existing)) throw new SetSyntaxError(`${path} is ${kindName(existing)}, not a map: cannot set a key below it`);
          inner = existing;
        }
        const r = this.key(inner, level + 1, path);
        if (r === undefined && Object.keys(inner).length === 0) throw new SetSyntaxError(`key map "${k}" has no value`);
        if (Object.keys(inner).length > 0) data[k] = inner;
        return r;
      }
    }
  }

  private keyIndex(): number {
    const { text, last } = this.until(']');
    if (last === undefined) throw new SetSyntaxError(`error parsing index: unclosed "[${text}"`);
    if (!/^[+-]?\d+$/.test(text)) throw new SetSyntaxError(`error parsing index: "${text}" is not an integer`);
    const i = Number(text);
    if (i < 0) throw new SetSyntaxError(`negative ${i} index not allowed`);
    if (i > MAX_INDEX) throw new SetSyntaxError(`index of ${i} is greater than maximum supported index of ${MAX_INDEX}`);
    return i;
  }

  private setIndex(list: unknown[], i: number, value: unknown): unknown[] {
    while (list.length <= i) list.push(null);
    list[i] = value;
    return list;
  }

  private listItem(list: unknown[], i: number, level: number, parent: string): { list: unknown[]; eof: Eof | undefined } {
    const path = `${parent}[${i}]`;
    const { text: k, last } = this.until('[.=');
    if (k.length > 0) throw new SetSyntaxError(`unexpected data at end of array index: "${k}"`);
    if (last === undefined) throw new SetSyntaxError(`${path} has no value`);
    switch (last) {
      case '=': {
        const vl = this.valList();
        if (vl === EOF) {
          this.onSet(path);
          return { list: this.setIndex(list, i, ''), eof: EOF };
        }
        if (vl !== undefined) {
          this.onSet(path);
          return { list: this.setIndex(list, i, vl), eof: undefined };
        }
        const { text, last: end } = this.until(',');
        const value = this.reader(text);
        this.onSet(path);
        return { list: this.setIndex(list, i, value), eof: end === undefined ? EOF : undefined };
      }
      case '[': {
        if (level + 1 > MAX_NESTED_NAME_LEVEL) throw new SetSyntaxError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        const next = this.keyIndex();
        let current: unknown[] = [];
        if (list.length > i && list[i] !== null && list[i] !== undefined) {
          if (!Array.isArray(list[i])) throw new SetSyntaxError(`${path} is ${kindName(list[i])}, not a list: cannot set ${path}[${next}]`);
          current = list[i] as unknown[];
        }
        const r = this.listItem(current, next, level + 1, path);
        return { list: this.setIndex(list, i, r.list), eof: r.eof };
      }
      default: {
        // '.'
        let inner: Values = {};
        if (list.length > i && isMap(list[i])) inner = list[i] as Values;
        if (level + 1 > MAX_NESTED_NAME_LEVEL) throw new SetSyntaxError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        const r = this.key(inner, level + 1, path);
        return { list: this.setIndex(list, i, inner), eof: r };
      }
    }
  }

  /** `{a,b}` list; undefined when the value is not a list; EOF at end of input. */
  private valList(): unknown[] | Eof | undefined {
    const r = this.read();
    if (r === undefined) return EOF;
    if (r !== '{') {
      this.pos--;
      return undefined;
    }
    const list: unknown[] = [];
    for (;;) {
      const { text, last } = this.until(',}');
      if (last === undefined) throw new SetSyntaxError(`list must terminate with '}'`);
      list.push(this.reader(text));
      if (last === '}') {
        // A ',' right after '}' is consumed.
        if (this.pos < this.runes.length && this.runes[this.pos] === ',') this.pos++;
        return list;
      }
    }
  }
}

/** Where a `--set` applies: the provenance record and the label of this flag. */
export interface SetTracking {
  readonly sources: ValueSources;
  /** How the flag is named in messages, e.g. `--set decode.replicas=2`. */
  readonly label: string;
}

/**
 * Applies one `--set`-style argument (`a.b=c`, `a.list[1].x=2`, `a=1,b=2`, `l={x,y}`, `a\.b=c`) to
 * `values` in place, exactly like helm's strvals parser: `set` types true/false/null/integers,
 * `set-string` keeps every value a string, `set-file` reads each value from the file it names
 * (`readFile`). A `null` value is kept (it removes the chart's default for that key).
 */
export function applySet(values: Values, expr: string, kind: SetKind = 'set', track?: SetTracking, readFile?: (file: string) => string): void {
  const reader =
    kind === 'set-file'
      ? (rs: string): unknown => {
          if (!readFile) throw new SetSyntaxError('--set-file needs a file reader');
          return readFile(rs);
        }
      : (rs: string): unknown => typedValue(rs, kind === 'set-string');
  const onSet = (path: string): void => track?.sources.record(path, track.label);
  try {
    new StrvalsParser(expr, reader, onSet).parse(values);
  } catch (e) {
    if (e instanceof SetSyntaxError) throw new SetSyntaxError(`--${kind} ${JSON.stringify(expr)}: ${e.message}`);
    throw e;
  }
}
