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
 * anchors and aliases; `undefined`; class instances; control characters; rare string shapes)
 * makes the whole document go through the library instead, so output never differs.
 */
import { YAML } from './yaml';

/** Thrown inside the writer when a document needs the library. */
class NeedsLibrary extends Error {}

/** The `yaml` options this writer reproduces. */
export interface YamlDialect {
  /** YAML version: which plain scalars would read back as non-strings. */
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

const schemas = new Map<string, Schema>();

function schemaFor(version: '1.1' | '1.2'): Schema {
  let schema = schemas.get(version);
  if (schema === undefined) {
    const lib = new YAML.Document(null, { version }).schema as unknown as { tags: ScalarTag[]; compat?: ScalarTag[] | null };
    // The YAML 1.1 merge key `<<` is written plain by the library (its own tag), like any plain string.
    const implicit = (t: ScalarTag) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.tag !== 'tag:yaml.org,2002:merge' && t.test instanceof RegExp;
    const tags = [...lib.tags, ...(lib.compat ?? [])].filter(implicit);
    schema = { tags, cache: new Map() };
    schemas.set(version, schema);
  }
  return schema;
}

// The library's rules (stringifyString.js), for strings without control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]/;
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

function quoted(value: string): string {
  // Single-line only: the library's single quotes (when the value has " but no ') or JSON.
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/** A single-line string as a plain or quoted scalar. */
function lineScalar(value: string, schema: Schema): string {
  const cached = schema.cache.get(value);
  if (cached !== undefined) return cached;
  if (CONTROL.test(value)) throw new NeedsLibrary();
  let out = value;
  if (NOT_PLAIN.test(value)) {
    out = quoted(value);
  } else if (DOCUMENT_MARKER.test(value)) {
    throw new NeedsLibrary();
  } else {
    for (const t of schema.tags) {
      if ((t.test as RegExp).test(value)) {
        out = quoted(value);
        break;
      }
    }
  }
  if (schema.cache.size >= 50_000) schema.cache.clear();
  schema.cache.set(value, out);
  return out;
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
    this.schema = schemaFor(dialect.version);
  }

  /** A value in a block context with the given indentation (the library's ctx.indent). */
  public node(v: unknown, indent: string): string {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return this.value(v, indent);
      case 'number':
        if (!Number.isFinite(v)) throw new NeedsLibrary();
        return Object.is(v, -0) ? '-0' : JSON.stringify(v);
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
      if (this.dialect.lineWidth !== 0) throw new NeedsLibrary();
      if (CONTROL.test(v)) throw new NeedsLibrary();
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
 * One document written directly, or `undefined` when it needs the library (see the module
 * comment). Exported for tests.
 */
export function writeYamlDirectly(doc: unknown, dialect: YamlDialect): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || Object.keys(doc).length === 0) return undefined;
  try {
    return `${new Writer(dialect).node(doc, '')}\n`;
  } catch (e) {
    if (e instanceof NeedsLibrary) return undefined;
    throw e;
  }
}

/** One document, exactly as `YAML.stringify(doc, dialect.library)`. */
export function stringifyYaml(doc: unknown, dialect: YamlDialect): string {
  return writeYamlDirectly(doc, dialect) ?? YAML.stringify(doc, dialect.library);
}

/** Several documents separated by `---`, exactly as cdk8s's `Yaml.stringify(...docs)`. */
export function stringifyManifests(...docs: unknown[]): string {
  return docs.map((d) => (d === undefined ? '\n' : stringifyYaml(d, CDK8S_YAML))).join('---\n');
}
