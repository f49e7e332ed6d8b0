/**
 * Prints plain data (construct props produced by a Helm values adapter) as a TypeScript
 * literal, so `cdk8s-llm-d convert` can hand teams code to commit instead of values files.
 */

import { commentLines } from '../core/comments';
import { hasSourceExpression, SOURCE_EXPRESSION } from '../core/source-expression';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(k: string): string {
  // `{ __proto__: x }` (quoted or not) sets the prototype instead of a key; values never carry it.
  if (k === '__proto__') throw new Error('cannot print a __proto__ key as TypeScript');
  return IDENTIFIER.test(k) ? k : quote(k);
}

/** Lists of short scalars print on one line: `[8000, 8001]`. */
const INLINE_LIST_WIDTH = 80;

/**
 * A TypeScript expression for `value`, indented by `indent` levels of two spaces. Values that
 * spell themselves (`PoolProvider.istio({...})`) print as that call; the names they need are
 * added to `imports`.
 */
export function toTypeScriptLiteral(value: unknown, indent = 0, imports?: Set<string>): string {
  const pad = '  '.repeat(indent + 1);
  const end = '  '.repeat(indent);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (hasSourceExpression(value)) {
    const src = value[SOURCE_EXPRESSION]();
    if (!IDENTIFIER.test(src.importName) || !IDENTIFIER.test(src.method)) throw new Error(`cannot print ${src.importName}.${src.method} as TypeScript`);
    imports?.add(src.importName);
    if (src.constant) return `${src.importName}.${src.method}`;
    return `${src.importName}.${src.method}(${src.argument === undefined ? '' : toTypeScriptLiteral(src.argument, indent, imports)})`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
      const inline = `[${value.map((v) => toTypeScriptLiteral(v)).join(', ')}]`;
      if (inline.length <= INLINE_LIST_WIDTH && !inline.includes('\n')) return inline;
    }
    const items = value.map((v) => `${pad}${toTypeScriptLiteral(v, indent + 1, imports)},`);
    return `[\n${items.join('\n')}\n${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, v]) => `${pad}${key(k)}: ${toTypeScriptLiteral(v, indent + 1, imports)},`);
    return `{\n${items.join('\n')}\n${end}}`;
  }
  throw new Error(`cannot print a ${typeof value} as TypeScript`);
}

/** A single-quoted string literal; every control and line-terminator character is escaped, so no input can end the literal or the line. */
function quote(s: string): string {
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex -- the control characters are what is escaped
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${body}'`;
}

/**
 * The cdk8s app `convert rngd-stack` prints: one {@link RngdServingStack} (itself a chart, id
 * `id`) with the props composed from the guide's three charts' values, as a literal.
 */
export function rngdStackToTypeScript(props: object, id: string, command: string): string {
  const imports = new Set<string>(['RngdServingStack']);
  const propsLiteral = toTypeScriptLiteral(props, 0, imports);
  // Every comment line goes through the one escaping rule: no value may end the comment.
  const header = commentLines('// ', [
    'Converted from the values of the Furiosa-LLM + llm-d guide\'s three charts (llm-d-infra,',
    'inferencepool, furiosa llm-d-modelservice) by:',
    `  ${command}`,
    'One RngdServingStack: the gateway, the pool and its endpoint picker, the model servers, and an',
    'HTTPRoute from the gateway to the pool. The props are plain data: edit them here instead of the',
    `values files. Synthesizing this app (e.g. \`cdk8s synth\` with app "npx ts-node main.ts") writes`,
    `dist/${id}.k8s.yaml, which contains what the three charts render.`,
  ]);
  return [
    ...header,
    `import { App } from 'cdk8s';`,
    `import { ${[...imports].sort().join(', ')} } from 'cdk8s-llm-d';`,
    ``,
    `const app = new App();`,
    ``,
    `new RngdServingStack(app, ${toTypeScriptLiteral(id)}, ${propsLiteral});`,
    ``,
    `app.synth();`,
    ``,
  ].join('\n');
}
