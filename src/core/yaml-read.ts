/**
 * YAML text parsed within bounds: nesting and size checked before the parser runs (its recursion
 * can abort the process), aliases expanded at most 100 times. For every YAML the library reads:
 * the CLI's inputs and the output folder a synth compares with.
 */
import { YAML } from './yaml';

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
