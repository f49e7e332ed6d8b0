/**
 * The one input layer of every CLI command that reads files (`render`, `convert` and `migrate`
 * values and `--set-file` files, `diff`'s and `check`'s synth output, `check --nodes`): reads a
 * file within a byte bound (a device like /dev/zero never ends), never blocks (a FIFO, socket or
 * terminal is refused, whether named directly or through a symlink), and decodes it the way Helm
 * does: UTF-8, with a UTF-8 BOM dropped and UTF-16 files (with a BOM) decoded; invalid UTF-8 is
 * refused instead of turning into U+FFFD. {@link parseYamlDocuments} parses YAML within bounds on
 * nesting, entries and aliases. Every failure is the caller's error (exit 2), with the file named.
 */
import * as fs from 'fs';
import { YAML } from '../core/yaml';

const CHUNK = 64 * 1024;

/** The file's bytes, at most `maxBytes` of them; `fail(why)` builds the error to throw. */
function readBounded(file: string, maxBytes: number, fail: (why: string) => Error): Buffer {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO without a writer, or a terminal, must not hang.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : code === 'ELOOP' ? 'a symlink loop' : `cannot read (${code ?? 'unknown error'})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw fail('is a directory, not a file');
    if (st.isFIFO() || st.isSocket()) throw fail('is a FIFO or socket, not a file (give a regular file)');
    if (st.isBlockDevice()) throw fail('is a block device, not a file (give a regular file)');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw fail(`larger than ${maxBytes} bytes, the most this input is read up to`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    // EAGAIN: a terminal or other device with nothing to read now (it would block).
    if ((e as NodeJS.ErrnoException).code !== undefined) throw fail(`cannot read (${(e as NodeJS.ErrnoException).code}${(e as NodeJS.ErrnoException).code === 'EAGAIN' ? ': a device that would block, not a file' : ''})`);
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes to text: UTF-16 by its BOM, else strict UTF-8 (a UTF-8 BOM is dropped). */
export function decodeInput(bytes: Buffer, fail: (why: string) => Error): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const le = Buffer.from(bytes.subarray(2));
    le.swap16();
    return le.toString('utf16le');
  }
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    const at = firstInvalidUtf8(bytes.subarray(start)) + start;
    throw fail(`not valid UTF-8 (at byte ${at}); Helm refuses it too`);
  }
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let lo = 0;
  let hi = b.length;
  // Binary search on prefixes that decode (a prefix may end mid-sequence, so allow 3 bytes slack).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Reads and decodes an input file within `maxBytes`. */
export function readBoundedText(file: string, maxBytes: number, fail: (why: string) => Error): string {
  return decodeInput(readBounded(file, maxBytes, fail), fail);
}

/** Bounds on parsing YAML text (besides its byte size, which the read bounds). */
export interface YamlLimits {
  /** Nesting of `[` and `{` (the parser recurses on them), checked before parsing. */
  readonly maxFlowDepth: number;
  /**
   * A bound of all nesting, checked before parsing: on each line its indentation, the `- ` and
   * `? ` that open nested collections at its start, and the `[`/`{` open there. The parser recurses
   * once per level, and a stack overflow inside it can end the process (V8 aborts when a regular
   * expression is compiled with the stack exhausted), so nesting is never left to the parser.
   */
  readonly maxNesting: number;
  /** Lines and flow items, a bound of the nodes the parser builds, checked before parsing. */
  readonly maxEntries: number;
}

/** Synth output: large files of many documents, CRDs nested deeply in blocks. */
export const MANIFEST_YAML_LIMITS: YamlLimits = { maxFlowDepth: 200, maxNesting: 300, maxEntries: 4_000_000 };

/** Most nesting (see {@link YamlLimits.maxNesting}) of any YAML the CLI parses. */
export const MAX_YAML_NESTING = 300;

/**
 * How deep `[`/`{` nest outside quoted scalars and comments, a bound of all nesting (see
 * {@link YamlLimits.maxNesting}), and how many lines and flow items there are: one linear pass
 * before parsing.
 */
export function scanYamlText(text: string): { depth: number; nesting: number; entries: number } {
  let depth = 0;
  let max = 0;
  let nesting = 0;
  let entries = 0;
  let quote: string | undefined;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    if (lineStart && quote === undefined) {
      // Indentation, then `- ` / `? ` indicators that open a collection each.
      let j = i;
      while (j < text.length && text[j] === ' ') j++;
      let level = j - i;
      while (j + 1 < text.length && (text[j] === '-' || text[j] === '?') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
        level++;
        j += 2;
        while (j < text.length && text[j] === ' ') j++;
      }
      nesting = Math.max(nesting, level + depth);
      lineStart = false;
    }
    const c = text[i];
    if (c === '\n') lineStart = true;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      // Only a quote that starts a scalar opens one; an apostrophe inside a word does not.
      const prev = i > 0 ? text[i - 1] : ' ';
      if (/[\s[{,:]/.test(prev)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
      entries++;
    } else if (c === '\n' || (c === ',' && depth > 0)) {
      entries++;
    } else if (c === '[' || c === '{') {
      max = Math.max(max, ++depth);
      nesting = Math.max(nesting, depth);
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return { depth: max, nesting, entries };
}

/**
 * The YAML documents of `text` as plain data, within `limits`: nesting and size checked before
 * parsing, the parser's own recursion limit caught, aliases expanded at most 100 times (an alias
 * bomb is refused). `fail(why)` builds the error to throw; no parser error escapes as another.
 */
export function parseYamlDocuments(text: string, limits: YamlLimits, fail: (why: string) => Error): unknown[] {
  const { depth, nesting, entries } = scanYamlText(text);
  if (depth > limits.maxFlowDepth) throw fail(`nesting of [ and { is ${depth} levels deep; at most ${limits.maxFlowDepth} are read`);
  if (nesting > limits.maxNesting) throw fail(`nesting too deep to read: about ${nesting} levels (indentation, "- " and "[{"); at most ${limits.maxNesting} are read`);
  if (entries > limits.maxEntries) throw fail(`about ${entries} entries (lines and flow items); at most ${limits.maxEntries} are read`);
  try {
    const parsed = YAML.parseAllDocuments(text);
    const docs = Array.isArray(parsed) ? parsed : [parsed];
    const error = docs.flatMap((d) => d.errors)[0];
    // The parser reports its own stack overflow as an error of the document.
    if (error && /Maximum call stack/.test(error.message)) throw fail('nesting too deep to read');
    if (error) throw fail(`not YAML (${error.message.split('\n')[0]})`);
    return docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch (e) {
    if (e instanceof RangeError) throw fail('nesting too deep to read');
    // The yaml library's alias-bomb guard (a ReferenceError) and its other refusals.
    if (e instanceof ReferenceError || (e instanceof Error && e.name.startsWith('YAML'))) throw fail(`not read: ${e.message.split('\n')[0]}`);
    throw e;
  }
}
