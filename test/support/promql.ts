/**
 * An independent reader of the PromQL this library writes, for tests: a tokenizer that follows
 * Prometheus's lexer (promql/parser/lex.go: string escapes as Go's, a raw line break or U+FFFD in
 * a string refused, no `\'` in a double-quoted string) and a precedence-climbing parser for the
 * subset the library emits. It shares no code with src/core/promql.ts, so a query that reads back
 * to the structure a test expects was escaped right.
 */

/** A parsed query, as plain data. Parentheses leave no trace. */
export type PromNode =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'selector'; readonly metric: string; readonly matchers: readonly PromMatcher[]; readonly range?: string }
  | { readonly type: 'subquery'; readonly expr: PromNode; readonly range: string; readonly step?: string }
  | { readonly type: 'call'; readonly fn: string; readonly args: readonly PromNode[] }
  | { readonly type: 'aggregate'; readonly op: string; readonly by?: readonly string[]; readonly expr: PromNode }
  | { readonly type: 'binary'; readonly op: string; readonly lhs: PromNode; readonly rhs: PromNode };

export interface PromMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

type Token =
  | { t: 'ident'; v: string }
  | { t: 'number'; v: number }
  | { t: 'duration'; v: string }
  | { t: 'string'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

const AGGREGATORS = new Set(['sum', 'avg', 'max', 'min', 'count']);
const KEYWORD_OPS = new Set(['and', 'or', 'unless']);

/** Go's escapes in a double-quoted PromQL string (lexEscape + strutil.Unquote). */
function readString(src: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let out = '';
  for (;;) {
    if (i >= src.length) throw new Error('unterminated quoted string');
    const cp = src.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (ch === '"') return { value: out, end: i };
    if (ch === '\n') throw new Error('unterminated quoted string (a raw line break)');
    if (cp === 0xfffd) throw new Error('invalid UTF-8 rune (Prometheus reads U+FFFD as a decoding error)');
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Error('lone surrogate: not encodable as UTF-8');
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = src[i++];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (e in simple) {
      out += simple[e];
      continue;
    }
    const digits = (n: number, base: number): number => {
      const text = src.slice(i, i + n);
      const re = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
      if (text.length !== n || !re.test(text)) throw new Error(`bad escape \\${e}${text}`);
      i += n;
      return parseInt(text, base);
    };
    let code: number;
    if (e >= '0' && e <= '7') {
      i--;
      code = digits(3, 8);
      if (code > 255) throw new Error('octal escape above 255');
      // \NNN is a byte; above 0x7f it would not be UTF-8 on its own.
      if (code > 0x7f) throw new Error('octal escape of a non-ASCII byte');
    } else if (e === 'x') {
      code = digits(2, 16);
      if (code > 0x7f) throw new Error('\\x escape of a non-ASCII byte');
    } else if (e === 'u') {
      code = digits(4, 16);
    } else if (e === 'U') {
      code = digits(8, 16);
    } else {
      throw new Error(`unknown escape sequence \\${e}`);
    }
    if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) throw new Error('escape sequence is an invalid Unicode code point');
    out += String.fromCodePoint(code);
  }
}

/** Tokens of a query; throws where Prometheus's lexer would fail. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let inBracket = false;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      const { value, end } = readString(src, i);
      out.push({ t: 'string', v: value });
      i = end;
      continue;
    }
    if (c === "'" || c === '`') throw new Error('this library writes only double-quoted strings');
    const two = src.slice(i, i + 2);
    if (['==', '!=', '>=', '<=', '=~', '!~'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>+-*/%^'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    // ':' outside brackets starts a metric name (as in the lexer); inside, it separates a subquery's range and step.
    if ('(){}[],'.includes(c) || (c === ':' && inBracket)) {
      if (c === '[') inBracket = true;
      if (c === ']') inBracket = false;
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    if (inBracket) {
      const m = /^[0-9]+(ms|s|m|h|d|w|y)(?:[0-9]+(ms|s|m|h|d|w))*/.exec(src.slice(i));
      if (!m) throw new Error(`bad duration at ${i}`);
      out.push({ t: 'duration', v: m[0] });
      i += m[0].length;
      continue;
    }
    const num = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i));
    if (num) {
      if (/^[a-zA-Z_:]/.test(src.slice(i + num[0].length))) throw new Error(`bad number at ${i}`);
      out.push({ t: 'number', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'ident', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
  }
  return out;
}

/** Binding power of binary operators, lowest first (PromQL's: or < and/unless < comparisons < +- < * / % < ^). */
function precedence(op: string): number {
  if (op === 'or') return 1;
  if (op === 'and' || op === 'unless') return 2;
  if (['==', '!=', '>', '<', '>=', '<='].includes(op)) return 3;
  if (op === '+' || op === '-') return 4;
  if (op === '*' || op === '/' || op === '%') return 5;
  if (op === '^') return 6;
  return 0;
}

/** Parses a query of the subset this library writes into plain data; throws on anything else. */
export function parsePromQL(src: string): PromNode {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const next = (): Token => {
    const t = toks[p++];
    if (!t) throw new Error('unexpected end of input');
    return t;
  };
  const expect = (t: Token['t'], v?: string): Token => {
    const tok = next();
    if (tok.t !== t || (v !== undefined && tok.v !== v)) throw new Error(`expected ${v ?? t}, got ${JSON.stringify(tok)}`);
    return tok;
  };
  const isPunct = (v: string): boolean => peek()?.t === 'punct' && peek()!.v === v;
  const binaryOp = (): string | undefined => {
    const t = peek();
    if (!t) return undefined;
    if (t.t === 'op' && precedence(t.v) > 0) return t.v;
    if (t.t === 'ident' && KEYWORD_OPS.has(t.v)) return t.v;
    return undefined;
  };

  const labelList = (): string[] => {
    expect('punct', '(');
    const out: string[] = [];
    while (!isPunct(')')) {
      out.push(expect('ident').v as string);
      if (isPunct(',')) next();
    }
    expect('punct', ')');
    return out;
  };

  const matchers = (): PromMatcher[] => {
    expect('punct', '{');
    const out: PromMatcher[] = [];
    while (!isPunct('}')) {
      const label = expect('ident').v as string;
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw new Error(`bad label name ${label}`);
      const op = expect('op').v as string;
      if (!['=', '!=', '=~', '!~'].includes(op)) throw new Error(`bad matcher operator ${op}`);
      const value = expect('string').v as string;
      out.push({ label, op: op as PromMatcher['op'], value });
      if (isPunct(',')) next();
      else if (!isPunct('}')) throw new Error('expected , or }');
    }
    expect('punct', '}');
    return out;
  };

  const postfix = (node: PromNode): PromNode => {
    if (!isPunct('[')) return node;
    next();
    const range = expect('duration').v as string;
    if (isPunct(':')) {
      next();
      const step = peek()?.t === 'duration' ? (next().v as string) : undefined;
      expect('punct', ']');
      return { type: 'subquery', expr: node, range, ...(step ? { step } : {}) };
    }
    expect('punct', ']');
    if (node.type !== 'selector' || node.range !== undefined) throw new Error('a range applies to a vector selector only');
    return { ...node, range };
  };

  const primary = (): PromNode => {
    const t = next();
    if (t.t === 'number') return { type: 'number', value: t.v };
    if (t.t === 'op' && t.v === '-') {
      const inner = primary();
      if (inner.type !== 'number') throw new Error('unary minus of a non-number');
      return { type: 'number', value: -inner.value };
    }
    if (t.t === 'punct' && t.v === '(') {
      const e = expr(0);
      expect('punct', ')');
      return postfix(e);
    }
    if (t.t === 'punct' && t.v === '{') {
      p--;
      return postfix({ type: 'selector', metric: '', matchers: matchers() });
    }
    if (t.t !== 'ident') throw new Error(`unexpected ${JSON.stringify(t)}`);
    const name = t.v;
    if (AGGREGATORS.has(name)) {
      let by: string[] | undefined;
      if (peek()?.t === 'ident' && peek()!.v === 'by') {
        next();
        by = labelList();
      }
      expect('punct', '(');
      const inner = expr(0);
      expect('punct', ')');
      if (peek()?.t === 'ident' && peek()!.v === 'by') {
        next();
        by = labelList();
      }
      return postfix({ type: 'aggregate', op: name, ...(by ? { by } : {}), expr: inner });
    }
    if (isPunct('(')) {
      next();
      const args: PromNode[] = [];
      while (!isPunct(')')) {
        args.push(expr(0));
        if (isPunct(',')) next();
      }
      expect('punct', ')');
      return postfix({ type: 'call', fn: name, args });
    }
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`bad metric name ${name}`);
    return postfix({ type: 'selector', metric: name, matchers: isPunct('{') ? matchers() : [] });
  };

  const expr = (minPrec: number): PromNode => {
    let lhs = primary();
    for (;;) {
      const op = binaryOp();
      if (op === undefined) break;
      const prec = precedence(op);
      if (prec < minPrec) break;
      next();
      const rhs = expr(op === '^' ? prec : prec + 1);
      lhs = { type: 'binary', op, lhs, rhs };
    }
    return lhs;
  };

  const out = expr(0);
  if (p !== toks.length) throw new Error(`trailing input after token ${p}: ${JSON.stringify(toks[p])}`);
  return out;
}

/** Every matcher of a parsed query, in order of appearance. */
export function matchersOf(node: PromNode): PromMatcher[] {
  switch (node.type) {
    case 'selector':
      return [...node.matchers];
    case 'subquery':
      return matchersOf(node.expr);
    case 'call':
      return node.args.flatMap(matchersOf);
    case 'aggregate':
      return matchersOf(node.expr);
    case 'binary':
      return [...matchersOf(node.lhs), ...matchersOf(node.rhs)];
    default:
      return [];
  }
}

// Small constructors for expected structures.
export const sel = (metric: string, ...matchers: Array<[string, PromMatcher['op'], string]>): PromNode => ({ type: 'selector', metric, matchers: matchers.map(([label, op, value]) => ({ label, op, value })) });
export const num = (value: number): PromNode => ({ type: 'number', value });
export const bin = (op: string, lhs: PromNode, rhs: PromNode): PromNode => ({ type: 'binary', op, lhs, rhs });
