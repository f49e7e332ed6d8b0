/**
 * The one escaping rule for text that goes into a comment we generate (the `#` header of
 * `migrate`'s YAML and of the istiod values file, the `//` header of `convert`'s TypeScript):
 * no value may end the comment and start a key or a statement.
 *
 * Line terminators: YAML 1.2 has LF and CR; YAML 1.1 parsers (go-yaml in kubectl, helm and
 * kustomize; PyYAML) also break lines at NEL U+0085, LS U+2028 and PS U+2029; JavaScript and
 * TypeScript at LF, CR, LS and PS. Each of them, every other C0 and C1 control and DEL (go-yaml
 * refuses them anywhere in a document), the BOM U+FEFF, U+FFFE, U+FFFF and lone surrogates are
 * written as the text `\uXXXX`. Everything else, including `#`, `*` and `/`, is harmless inside
 * a line comment and stays.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_COMMENT = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every character that could end a line comment (or break the file) written as `\uXXXX`. */
export function commentSafe(text: string): string {
  return text.replace(UNSAFE_IN_COMMENT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Lines of comment text as comment lines: `prefix` (`# `, `// `) before each; a line break inside a line is escaped, never kept. */
export function commentLines(prefix: '#' | '# ' | '//' | '// ', lines: readonly string[]): string[] {
  return lines.map((l) => `${prefix}${commentSafe(l)}`);
}
