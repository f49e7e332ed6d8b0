/**
 * A fast YAML writer for manifests, byte-for-byte the same as cdk8s's `Yaml.stringify` (the `yaml`
 * library with `{ keepUndefined: true, lineWidth: 0, version: '1.1' }`) for JSON data: plain
 * objects, arrays, strings, finite numbers, booleans and null. The library builds a node tree and
 * a context object per value before it writes anything, which made YAML most of the time of a
 * large synth; this writes the text directly, following the library's rules (block style, two
 * spaces, sequences indented under their key, plain scalars unless the YAML 1.1 schema would read
 * them as something else, double quotes, literal block scalars for multi-line strings).
 *
 * Anything outside that subset (shared or circular references, which the library writes as
 * anchors and aliases; `undefined`; class instances; rare string shapes) makes the whole document
 * go through the library instead, so output never differs.
 *
 * Where the library's output would not read back as the same single value under every YAML
 * parser a manifest meets (Go's go-yaml v2/v3 in kubectl, helm and kustomize, PyYAML, js-yaml, the
 * `yaml` library as 1.1 and as 1.2), the writer departs from it, on both paths (the library's
 * string and number output is replaced through a custom tag, {@link safeLibraryOptions}):
 * - characters YAML 1.1 parsers read as line breaks (U+0085, U+2028, U+2029) and characters some
 *   parser refuses or alters (C0 controls including tab, DEL, C1 controls, the BOM U+FEFF, U+FFFE,
 *   U+FFFF) are written escaped in a double-quoted scalar, never raw;
 * - a lone surrogate (half of a UTF-16 pair) is refused with the field named
 *   ({@link YamlWriteError}): no encoding writes it;
 * - a plain scalar is quoted when any of the YAML 1.1 and 1.2 schemas (or js-yaml's) would read
 *   it as something other than a string (`0o17` is an integer in 1.2 only, `yes` in 1.1 only), or
 *   it is the merge key `<<` or the 1.1 value key `=`;
 * - a number in exponent form has a fraction (`1.0e+21`): YAML 1.1 floats need one (PyYAML).
 */
import { YAML } from './yaml';

/** Thrown inside the writer when a document needs the library. */
class NeedsLibrary extends Error {}

/** The `yaml` options this writer reproduces. */
export interface YamlDialect {
  /** YAML version of the equivalent library call (plain scalars are quoted for both versions). */
  readonly version: '1.1' | '1.2';
  /** Sequences under a key indented by two spaces (the library's default) or not. */
  readonly indentSeq: boolean;
  /** 0: never fold lines; 80: the library's default (documents with long or multi-line strings use the library). */
  readonly lineWidth: 0 | 80;
  /** The options of the equivalent `YAML.stringify` call, used for documents the writer leaves to the library. */
  readonly library: Readonly<Record<string, unknown>>;
}

/** cdk8s's `Yaml.stringify` options. */
export const CDK8S_YAML: YamlDialect = { version: '1.1', indentSeq: true, lineWidth: 0, library: { keepUndefined: true, lineWidth: 0, version: '1.1' } };
/** `YAML.stringify(doc)`. */
export const DEFAULT_YAML: YamlDialect = { version: '1.2', indentSeq: true, lineWidth: 80, library: {} };

interface ScalarTag {
  readonly default?: boolean | string;
  readonly tag: string;
  readonly test?: RegExp;
}

interface Schema {
  /** Tags whose plain form would not read back as a string. */
  readonly tags: ScalarTag[];
  /** Single-line scalars repeat a lot (keys, label values); their text does not depend on context. */
  readonly cache: Map<string, string>;
}

let shared: Schema | undefined;

/**
 * The implicit tags of both YAML versions: whatever the dialect's version, a plain scalar that
 * either would read as a non-string is quoted, since the reader may be of either (go-yaml v2 and
 * PyYAML read 1.1, go-yaml v3 and js-yaml mostly 1.2).
 */
function schemaFor(): Schema {
  if (shared === undefined) {
    const implicit = (t: ScalarTag) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.tag !== 'tag:yaml.org,2002:merge' && t.test instanceof RegExp;
    const tags: ScalarTag[] = [];
    for (const version of ['1.1', '1.2'] as const) {
      const lib = new YAML.Document(null, { version }).schema as unknown as { tags: ScalarTag[]; compat?: ScalarTag[] | null };
      tags.push(...[...lib.tags, ...(lib.compat ?? [])].filter(implicit));
    }
    shared = { tags, cache: new Map() };
  }
  return shared;
}

/**
 * A character that needs a look: one written escaped ({@link ESCAPED}), or a surrogate (a
 * well-formed pair is written as it is, a lone half refused). Tested on every string first, so the
 * usual string costs one scan.
 */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;
/** Characters written escaped: every C0 control but LF (tab too), DEL, C1 (NEL U+0085 too), LS, PS, BOM, U+FFFE, U+FFFF. */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const ESCAPED_ALL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"\\\n]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Plain scalars a parser of some ecosystem reads as something else: the merge key, the 1.1 value key. */
const SPECIAL_PLAIN = /^(?:<<|=)$/;

// The library's rules (stringifyString.js), for strings without special characters.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A string that cannot be written as YAML (a lone surrogate); `field` names where it is. */
export class YamlWriteError extends Error {
  constructor(
    /** Where the value is in the document (`spec.containers[0].args[1]`, or a key path). */
    public readonly field: string,
    /** The code unit that cannot be written. */
    public readonly codeUnit: number,
  ) {
    super(`${field === '' ? 'the document' : field}: cannot write a lone surrogate U+${codeUnit.toString(16).toUpperCase()} as YAML (half of a UTF-16 pair; no encoding can write it): pass well-formed Unicode`);
    this.name = 'YamlWriteError';
  }
}

/** Thrown inside the writer at a lone surrogate; {@link stringifyYaml} finds the field and throws a {@link YamlWriteError} that names it. */
class LoneSurrogate extends YamlWriteError {}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** `value` as a double-quoted scalar with every special character escaped (`\xHH`, `\uHHHH`). */
function escapedScalar(value: string): string {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) throw new LoneSurrogate('', lone[0].charCodeAt(0));
  return `"${value.replace(ESCAPED_ALL, (c) => SHORT_ESCAPES[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

/** Whether `value` has a character written escaped, or a lone surrogate (refused when written). */
function needsEscape(value: string): boolean {
  return SPECIAL.test(value) && (ESCAPED.test(value) || LONE_SURROGATE.test(value));
}

function quoted(value: string): string {
  // Single-line only: the library's single quotes (when the value has " but no ') or JSON.
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/** Whether a parser of some ecosystem would read the plain scalar `value` as something other than this string. */
function plainMisread(value: string, schema: Schema): boolean {
  if (SPECIAL_PLAIN.test(value)) return true;
  for (const t of schema.tags) if ((t.test as RegExp).test(value)) return true;
  return false;
}

/** A single-line string as a plain or quoted scalar. */
function lineScalar(value: string, schema: Schema): string {
  const cached = schema.cache.get(value);
  if (cached !== undefined) return cached;
  let out = value;
  if (needsEscape(value)) {
    out = escapedScalar(value);
  } else if (NOT_PLAIN.test(value)) {
    out = quoted(value);
  } else if (DOCUMENT_MARKER.test(value)) {
    throw new NeedsLibrary();
  } else if (plainMisread(value, schema)) {
    out = quoted(value);
  }
  if (schema.cache.size >= 50_000) schema.cache.clear();
  schema.cache.set(value, out);
  return out;
}

/** A number as every parser reads it back: an exponent form gets a fraction (`1.0e+21`; YAML 1.1 floats need the dot). */
function numberScalar(v: number): string {
  if (Object.is(v, -0)) return '-0';
  const s = JSON.stringify(v);
  if (s.includes('e') && !s.includes('.')) return s.replace('e', '.0e');
  return s;
}

/** A multi-line value as a literal block scalar (the library's blockString with lineWidth 0). */
function blockLiteral(input: string, indent: string): string {
  let value = input;
  if (/\n[\t ]+$/.test(value)) throw new NeedsLibrary();
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) throw new NeedsLibrary(); // keep (+)
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}

class Writer {
  /** Every object and array seen: a second sighting would be an alias in the library. */
  private readonly seen = new Set<object>();
  private readonly schema: Schema;

  constructor(private readonly dialect: YamlDialect) {
    this.schema = schemaFor();
  }

  /** A value in a block context with the given indentation (the library's ctx.indent). */
  public node(v: unknown, indent: string): string {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return this.value(v, indent);
      case 'number':
        if (!Number.isFinite(v)) throw new NeedsLibrary();
        return numberScalar(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (Array.isArray(v)) return this.seq(v, indent);
        return this.map(v as Record<string, unknown>, indent);
      default:
        throw new NeedsLibrary();
    }
  }

  /** A string in value position. */
  private value(v: string, indent: string): string {
    if (v.includes('\n')) {
      if (needsEscape(v)) return escapedScalar(v);
      if (this.dialect.lineWidth !== 0) throw new NeedsLibrary();
      return blockLiteral(v, indent);
    }
    const out = lineScalar(v, this.schema);
    // The library folds a line only when it is longer than this (foldFlowLines).
    if (this.dialect.lineWidth !== 0 && out.length > Math.max(21, 1 + this.dialect.lineWidth - indent.length)) throw new NeedsLibrary();
    return out;
  }

  private track(v: object, proto: object): void {
    if (Object.getPrototypeOf(v) !== proto || this.seen.has(v)) throw new NeedsLibrary();
    this.seen.add(v);
  }

  private map(obj: Record<string, unknown>, indent: string): string {
    this.track(obj, Object.prototype);
    const keys = Object.keys(obj);
    if (keys.length === 0) return '{}';
    const inner = indent + '  ';
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = obj[k];
      if (k.includes('\n')) throw new NeedsLibrary();
      const key = lineScalar(k, this.schema);
      if (key.length > 1024) throw new NeedsLibrary();
      let line: string;
      if (v !== null && typeof v === 'object') {
        // Without indentSeq a sequence starts at its key's column.
        const at = !this.dialect.indentSeq && Array.isArray(v) ? indent : inner;
        const s = this.node(v, at);
        line = s === '{}' || s === '[]' ? `${key}: ${s}` : `${key}:\n${at}${s}`;
      } else {
        line = `${key}: ${this.node(v, inner)}`;
      }
      out += i === 0 ? line : `\n${indent}${line}`;
    }
    return out;
  }

  private seq(arr: unknown[], indent: string): string {
    this.track(arr, Array.prototype);
    if (arr.length === 0) return '[]';
    const inner = indent + '  ';
    let out = '';
    for (let i = 0; i < arr.length; i++) {
      if (!(i in arr)) throw new NeedsLibrary();
      const line = `- ${this.node(arr[i], inner)}`;
      out += i === 0 ? line : `\n${indent}${line}`;
    }
    return out;
  }
}

/**
 * Library options that write strings and numbers as the direct writer does: special characters
 * escaped, plain scalars quoted that some parser would misread, exponents with a fraction.
 */
const safeOptions = new WeakMap<YamlDialect, Record<string, unknown>>();

const SAFE_STRING_TAG = {
  identify: (v: unknown): boolean => typeof v === 'string' && (needsEscape(v) || (!v.includes('\n') && !NOT_PLAIN.test(v) && plainMisread(v, schemaFor()))),
  default: true,
  tag: 'tag:yaml.org,2002:str',
  // Never matches a scalar being read (this tag only writes); having a test makes the library
  // prefer it over its own tags that have one (the 1.1 merge key `<<`).
  test: /(?!)/,
  stringify: (item: { value: unknown }): string => {
    const v = String(item.value);
    return needsEscape(v) ? escapedScalar(v) : quoted(v);
  },
};

const SAFE_EXPONENT_TAG = {
  identify: (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && numberScalar(v) !== JSON.stringify(v),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  // Never matches a scalar being read: this tag only writes (and must win over the int and float tags).
  test: /(?!)/,
  stringify: (item: { value: unknown }): string => numberScalar(Number(item.value)),
};

/**
 * `YAML.stringify` options with the writer's string and number rules added as custom tags: for
 * YAML written with the library directly (other options, such as `defaultStringType`, apply to
 * every other scalar).
 */
export function withSafeScalars(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...options, customTags: (tags: unknown[]) => [SAFE_STRING_TAG, SAFE_EXPONENT_TAG, ...tags] };
}

/** `dialect.library` with the writer's string and number rules as custom tags (for documents the library writes). */
export function safeLibraryOptions(dialect: YamlDialect): Record<string, unknown> {
  let options = safeOptions.get(dialect);
  if (options === undefined) {
    options = withSafeScalars(dialect.library);
    safeOptions.set(dialect, options);
  }
  return options;
}

/** Where the first lone surrogate of `doc` is: the field path, the string or key that holds it, and its code unit. */
export interface LoneSurrogateAt {
  readonly field: string;
  readonly value: string;
  /** In a key (`field` names the entry), not in a value. */
  readonly inKey: boolean;
  readonly codeUnit: number;
}

/** The first string or key of `doc` with a lone surrogate (half of a UTF-16 pair, which no encoding writes). */
export function loneSurrogateAt(doc: unknown): LoneSurrogateAt | undefined {
  const seen = new Set<object>();
  const found = (field: string, value: string, inKey: boolean): LoneSurrogateAt => ({ field, value, inKey, codeUnit: value.charCodeAt(LONE_SURROGATE.exec(value)?.index ?? 0) });
  const walk = (v: unknown, at: string): LoneSurrogateAt | undefined => {
    if (typeof v === 'string') return LONE_SURROGATE.test(v) ? found(at, v, false) : undefined;
    if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const f = walk(v[i], `${at}[${i}]`);
        if (f) return f;
      }
      return undefined;
    }
    for (const [k, x] of Object.entries(v)) {
      const field = at === '' ? k : `${at}.${k}`;
      if (LONE_SURROGATE.test(k)) return found(field, k, true);
      const f = walk(x, field);
      if (f) return f;
    }
    return undefined;
  };
  return walk(doc, '');
}

function refused(doc: unknown): YamlWriteError {
  const at = loneSurrogateAt(doc);
  return at ? new YamlWriteError(at.inKey ? `${at.field} (the key)` : at.field, at.codeUnit) : new YamlWriteError('', 0xfffd);
}

/**
 * One document written directly, or `undefined` when it needs the library (see the module
 * comment). Exported for tests. Throws a {@link YamlWriteError} for a lone surrogate.
 */
export function writeYamlDirectly(doc: unknown, dialect: YamlDialect): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || Object.keys(doc).length === 0) return undefined;
  try {
    return `${new Writer(dialect).node(doc, '')}\n`;
  } catch (e) {
    if (e instanceof NeedsLibrary) return undefined;
    if (e instanceof LoneSurrogate) throw refused(doc);
    throw e;
  }
}

/**
 * One document: as `YAML.stringify(doc, dialect.library)` wherever that reads back the same under
 * every parser, with the departures the module comment lists. Throws a {@link YamlWriteError}
 * naming the field of a lone surrogate.
 */
export function stringifyYaml(doc: unknown, dialect: YamlDialect): string {
  const direct = writeYamlDirectly(doc, dialect);
  if (direct !== undefined) return direct;
  try {
    return YAML.stringify(doc, safeLibraryOptions(dialect));
  } catch (e) {
    if (e instanceof LoneSurrogate) throw refused(doc);
    throw e;
  }
}

/** Several documents separated by `---`, as cdk8s's `Yaml.stringify(...docs)` (with {@link stringifyYaml}'s departures). */
export function stringifyManifests(...docs: unknown[]): string {
  return docs.map((d) => (d === undefined ? '\n' : stringifyYaml(d, CDK8S_YAML))).join('---\n');
}
