/**
 * A small typed builder for the PromQL this library writes (alerts, dashboards, autoscaler
 * queries): queries are trees rendered in one place, never strings concatenated from names.
 *
 * - Label values are written as double-quoted string literals by Prometheus's lexer rules
 *   (promql/parser/lex.go, Go's escapes): `\` and `"` escaped, control characters, U+FFFD (which
 *   the lexer reads as a UTF-8 decoding error) and line separators as `\uXXXX`; `$` and `[` too,
 *   so Grafana's `$var`, `${var}` and `[[var]]` interpolation never sees them in a dashboard query.
 *   A value with a lone surrogate (not encodable as UTF-8) is a problem.
 * - Regular-expression values are built from escaped literals ({@link PromRegex}) or checked
 *   against a conservative subset of RE2; anything outside it is a problem.
 * - Metric names, label names and durations are checked against PromQL's syntax.
 *
 * What is wrong is not thrown: each node keeps {@link Problem}s naming the prop the value came
 * from (`field`), for the construct to report with `addProblems`.
 */
import type { Problem } from './errors';

/** A label matcher's operator. */
export type MatchOperator = '=' | '!=' | '=~' | '!~';
/** Binary operators, by PromQL's precedence: `or` < `and`/`unless` < comparisons < `+ -` < `* / %` < `^`. */
export type BinaryOperator = 'or' | 'and' | 'unless' | '==' | '!=' | '>' | '<' | '>=' | '<=' | '+' | '-' | '*' | '/' | '%' | '^';
/** The aggregations the library uses. */
export type AggregationOperator = 'sum' | 'avg' | 'max' | 'min' | 'count';

/** Legacy metric-name syntax (what the lexer reads without quotes). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Label-name syntax. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** PromQL's duration (prometheus/common model.ParseDuration): units in this order, each at most once, or `0`. */
const DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;
const DURATION_ALLOWED = 'a Prometheus duration: digits and units y, w, d, h, m, s, ms in this order, each at most once, e.g. "5m" or "1h30m"';
/** Words the lexer reads as keywords, operators or aggregations (case-insensitively): not a metric name without braces. */
const KEYWORDS = new Set([
  'and', 'or', 'unless', 'atan2', 'sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values',
  'quantile', 'limitk', 'limit_ratio', 'offset', 'smoothed', 'anchored', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right',
  'fill', 'fill_left', 'fill_right', 'bool', 'start', 'end', 'step', 'range', 'inf', 'nan',
]);
/** RE2's largest repeat count. */
const MAX_REPEAT = 1000;

/** Milliseconds of a PromQL duration, or undefined when it is not one. */
export function parsePromDuration(d: string): number | undefined {
  if (d === '0') return 0;
  const m = d === '' ? null : DURATION.exec(d);
  if (!m) return undefined;
  const units = [365 * 86400000, 7 * 86400000, 86400000, 3600000, 60000, 1000, 1];
  return units.reduce((total, mult, i) => total + (m[2 + 2 * i] ? Number(m[2 + 2 * i]) * mult : 0), 0);
}

/** A problem unless `d` is a PromQL duration (`positive`: above 0, as a range must be). */
export function durationProblem(field: string, d: unknown, positive = false): Problem | undefined {
  const ms = typeof d === 'string' ? parsePromDuration(d) : undefined;
  if (ms === undefined) return { field, value: d, allowed: DURATION_ALLOWED };
  if (positive && ms === 0) return { field, value: d, allowed: `${DURATION_ALLOWED}, above 0` };
  return undefined;
}

/** A problem unless `name` is a metric name PromQL reads without quotes. */
export function metricNameProblem(field: string, name: unknown): Problem | undefined {
  if (typeof name === 'string' && METRIC_NAME.test(name) && !KEYWORDS.has(name.toLowerCase())) return undefined;
  return { field, value: name, allowed: 'a metric name matching ^[a-zA-Z_:][a-zA-Z0-9_:]*$ that is not a PromQL keyword' };
}

/** A problem unless `name` is a label name. */
export function labelNameProblem(field: string, name: unknown): Problem | undefined {
  return typeof name === 'string' && LABEL_NAME.test(name) ? undefined : { field, value: name, allowed: 'a label name matching ^[a-zA-Z_][a-zA-Z0-9_]*$' };
}

/** A problem when `value` cannot be a label value: a lone UTF-16 surrogate has no UTF-8 encoding. */
export function labelValueProblem(field: string, value: unknown): Problem | undefined {
  if (typeof value !== 'string') return { field, value, allowed: 'a string' };
  return /[\ud800-\udfff]/u.test(value) ? { field, value, allowed: 'a string of Unicode characters (no lone UTF-16 surrogate: it has no UTF-8 encoding)' } : undefined;
}

const hex4 = (cp: number): string => `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * `value` as a PromQL double-quoted string literal. Escapes `\` and `"`; writes line feed, carriage
 * return and tab as `\n`, `\r`, `\t`; other C0 and C1 control characters, DEL, U+2028, U+2029,
 * U+FFFD, `$` and `[` as `\uXXXX`; a lone surrogate (see {@link labelValueProblem}) as `\uFFFD`.
 * Every other character is written as itself.
 */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\uFFFD';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || cp === 0xfffd || ch === '$' || ch === '[') out += hex4(cp);
    else out += ch;
  }
  return `${out}"`;
}

/** RE2 metacharacters (Go's regexp.QuoteMeta). */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/**
 * A regular expression for a `=~` or `!~` matcher (RE2 syntax; Prometheus anchors it at both
 * ends). Build it from escaped literals, or give a pattern that is checked against a conservative
 * subset of RE2.
 */
export class PromRegex {
  /** Matches `text` exactly: every RE2 metacharacter escaped. */
  public static literal(text: string): PromRegex {
    return new PromRegex(text.replace(REGEX_META, (c) => `\\${c}`));
  }

  /** `.*`: any string. */
  public static anything(): PromRegex {
    return new PromRegex('.*');
  }

  /** The parts one after the other. */
  public static sequence(...parts: PromRegex[]): PromRegex {
    return new PromRegex(parts.map((p) => p.source).join(''));
  }

  /** A pattern written by hand, checked by {@link re2Problem} when used in a matcher. */
  public static pattern(source: string): PromRegex {
    return new PromRegex(source);
  }

  private constructor(public readonly source: string) {}
}

/**
 * A problem unless `pattern` is in a subset of RE2 this library can vouch for: literal characters,
 * escaped metacharacters, `.`, `^`, `$`, `\d \D \s \S \w \W \b \B`, character classes of literals,
 * escapes and ranges, groups `( )` and `(?: )`, `|`, and the repeats `* + ? {n} {n,} {n,m}` (at
 * most 1000, optionally lazy). Refused: backreferences, look-around, flags, named groups, Unicode
 * classes, `\Q...\E`, `\x`, a bare `{`, `}` or `]`, a repeat of nothing, nested repeats, and what
 * JavaScript's `u` mode does not compile either.
 */
export function re2Problem(field: string, pattern: unknown): Problem | undefined {
  const allowed = 'an RE2 regular expression of the supported subset: literals, escaped metacharacters, ., ^, $, \\d \\s \\w \\b (and their negations), classes, ( ), (?: ), |, and * + ? {n,m} repeats of at most 1000';
  if (typeof pattern !== 'string') return { field, value: pattern, allowed };
  const why = re2SubsetError(pattern);
  if (why === undefined) {
    try {
      new RegExp(pattern, 'u');
    } catch (e) {
      return { field, value: pattern, allowed, why: (e as Error).message };
    }
    return undefined;
  }
  return { field, value: pattern, allowed, why };
}

const ESCAPABLE = new Set('\\.+*?()|[]{}^$-/'.split(''));
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

/** Why `p` is outside the subset {@link re2Problem} accepts, or undefined. */
function re2SubsetError(p: string): string | undefined {
  const chars = [...p];
  let i = 0;
  if (chars.some((c) => /[\ud800-\udfff]/u.test(c))) return 'a lone UTF-16 surrogate';
  const escape = (inClass: boolean): string | undefined => {
    const e = chars[i++];
    if (e === undefined) return 'a trailing backslash';
    if (ESCAPABLE.has(e) || CLASS_ESCAPES.has(e) || (!inClass && (e === 'b' || e === 'B'))) return undefined;
    return `the escape \\${e}`;
  };
  const klass = (): string | undefined => {
    if (chars[i] === '^') i++;
    let first = true;
    while (chars[i] !== ']' || first) {
      const c = chars[i];
      if (c === undefined) return 'an unclosed character class';
      if (c === '[') return 'a [ inside a class (write \\[)';
      i++;
      if (c === '\\') {
        const bad = escape(true);
        if (bad) return bad;
      } else if (chars[i] === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']') {
        const hi = chars[i + 1];
        if (hi === '\\' || hi === '[') return 'a range ending in an escape';
        if (hi.codePointAt(0)! < c.codePointAt(0)!) return `the range ${c}-${hi} out of order`;
        i += 2;
      }
      first = false;
    }
    i++;
    return undefined;
  };
  const repeat = (): string | undefined => {
    const c = chars[i];
    if (c === '*' || c === '+' || c === '?') {
      i++;
    } else if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(chars.slice(i).join(''));
      if (!m) return 'a { that is not a repeat {n}, {n,} or {n,m} (write \\{)';
      const lo = Number(m[1]);
      const hi = m[3] ? Number(m[3]) : lo;
      if (lo > MAX_REPEAT || hi > MAX_REPEAT || hi < lo) return `the repeat ${m[0]} (at most ${MAX_REPEAT}, min <= max)`;
      i += [...m[0]].length;
    } else {
      return undefined;
    }
    if (chars[i] === '?') i++;
    if (chars[i] === '*' || chars[i] === '+' || chars[i] === '?' || chars[i] === '{') return 'a repeat of a repeat';
    return undefined;
  };
  const alternation = (depth: number): string | undefined => {
    for (;;) {
      // One branch: atoms, each with an optional repeat.
      for (;;) {
        const c = chars[i];
        if (c === undefined || c === '|' || c === ')') break;
        if (c === '*' || c === '+' || c === '?' || c === '{') return 'a repeat of nothing';
        if (c === '}' || c === ']') return `a bare ${c} (write \\${c})`;
        i++;
        let repeatable = true;
        if (c === '\\') {
          const bad = escape(false);
          if (bad) return bad;
          if (chars[i - 1] === 'b' || chars[i - 1] === 'B') repeatable = false;
        } else if (c === '[') {
          const bad = klass();
          if (bad) return bad;
        } else if (c === '(') {
          if (chars[i] === '?') {
            if (chars[i + 1] !== ':') return 'a group other than ( ) and (?: ) (flags, names, look-around)';
            i += 2;
          }
          const bad = alternation(depth + 1);
          if (bad) return bad;
          if (chars[i] !== ')') return 'an unclosed group';
          i++;
        } else if (c === '^' || c === '$') {
          repeatable = false;
        }
        if (repeatable) {
          const bad = repeat();
          if (bad) return bad;
        } else if (['*', '+', '?', '{'].includes(chars[i])) {
          return `a repeat of ${c === '\\' ? `\\${chars[i - 1]}` : c}`;
        }
      }
      if (chars[i] === '|') {
        i++;
        continue;
      }
      if (chars[i] === ')' && depth === 0) return 'an unopened )';
      return undefined;
    }
  };
  return alternation(0);
}

/** One label matcher: `label op "value"`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  /** The value (for `=~` and `!~`, the regular expression's source). */
  readonly value: string;
  /** The prop the value came from, named in problems. @default 'label value' */
  readonly field?: string;
}

/** `label="value"`. */
export function eq(label: string, value: string, field?: string): LabelMatcher {
  return { label, op: '=', value, field };
}

/** `label!="value"`. */
export function neq(label: string, value: string, field?: string): LabelMatcher {
  return { label, op: '!=', value, field };
}

/** `label=~"regex"`. */
export function matchesRegex(label: string, regex: PromRegex, field?: string): LabelMatcher {
  return { label, op: '=~', value: regex.source, field };
}

/** `label!~"regex"`. */
export function notMatchesRegex(label: string, regex: PromRegex, field?: string): LabelMatcher {
  return { label, op: '!~', value: regex.source, field };
}

const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  or: 1, and: 2, unless: 2, '==': 3, '!=': 3, '>': 3, '<': 3, '>=': 3, '<=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, '^': 6,
};
const ATOM = 100;

/** A PromQL expression: render it with `toString()`. */
export abstract class PromExpr {
  /** The query text. */
  public abstract toString(): string;
  /** Problems of the inputs (names, values, durations, numbers), each naming the prop it came from. */
  public abstract get problems(): readonly Problem[];
  /** Metric names the query reads, in order of first use. */
  public abstract get series(): readonly string[];
  /** Binding strength, for parentheses. @internal */
  public get precedence(): number {
    return ATOM;
  }

  /** `this op rhs`. */
  public op(op: BinaryOperator, rhs: PromExpr | number, field?: string): PromExpr {
    return new BinaryExpr(op, this, typeof rhs === 'number' ? scalar(rhs, field) : rhs);
  }

  /** `this > rhs`. */
  public gt(rhs: PromExpr | number, field?: string): PromExpr {
    return this.op('>', rhs, field);
  }

  /** `this < rhs`. */
  public lt(rhs: PromExpr | number, field?: string): PromExpr {
    return this.op('<', rhs, field);
  }

  /** `this == rhs`. */
  public eq(rhs: PromExpr | number, field?: string): PromExpr {
    return this.op('==', rhs, field);
  }

  /** `this / rhs`. */
  public div(rhs: PromExpr | number, field?: string): PromExpr {
    return this.op('/', rhs, field);
  }

  /** `this and rhs`. */
  public and(rhs: PromExpr): PromExpr {
    return this.op('and', rhs);
  }
}

class NumberLiteral extends PromExpr {
  constructor(private readonly value: number, private readonly field: string) {
    super();
  }
  public toString(): string {
    // A negative number reads as unary minus, which binds looser than ^: keep it whole.
    if (Object.is(this.value, -0)) return '(-0)';
    return this.value < 0 ? `(${String(this.value)})` : String(this.value);
  }
  public get problems(): readonly Problem[] {
    return Number.isFinite(this.value) ? [] : [{ field: this.field, value: this.value, allowed: 'a finite number' }];
  }
  public get series(): readonly string[] {
    return [];
  }
}

/** An instant-vector selector: `metric{matchers}`. */
export class VectorSelector extends PromExpr {
  /** @internal */
  constructor(public readonly metric: string, public readonly matchers: readonly LabelMatcher[], private readonly metricField: string) {
    super();
  }
  public toString(): string {
    return this.matchers.length === 0 ? this.metric : `${this.metric}{${this.matchers.map((m) => `${m.label}${m.op}${quoteString(m.value)}`).join(',')}}`;
  }
  public get problems(): readonly Problem[] {
    const out: Problem[] = [];
    const push = (p: Problem | undefined) => p && out.push(p);
    push(metricNameProblem(this.metricField, this.metric));
    for (const m of this.matchers) {
      push(labelNameProblem('label name', m.label));
      push(labelValueProblem(m.field ?? 'label value', m.value));
      if (m.op === '=~' || m.op === '!~') push(re2Problem(m.field ?? 'label value', m.value));
    }
    return out;
  }
  public get series(): readonly string[] {
    return [this.metric];
  }

  /** `metric{matchers}[range]`, a range vector. */
  public over(range: string, field = 'range'): RangeSelector {
    return new RangeSelector(this, range, field);
  }
}

/** A range-vector selector: `metric{matchers}[5m]`. */
export class RangeSelector extends PromExpr {
  /** @internal */
  constructor(private readonly selector: VectorSelector, private readonly range: string, private readonly field: string) {
    super();
  }
  public toString(): string {
    return `${this.selector.toString()}[${this.range}]`;
  }
  public get problems(): readonly Problem[] {
    const p = durationProblem(this.field, this.range, true);
    return p ? [...this.selector.problems, p] : this.selector.problems;
  }
  public get series(): readonly string[] {
    return this.selector.series;
  }
}

/** A subquery: `expr[range:step]`, a range vector. */
export class Subquery extends PromExpr {
  /** @internal */
  constructor(private readonly expr: PromExpr, private readonly range: string, private readonly step: string, private readonly field: string) {
    super();
  }
  public toString(): string {
    const inner = this.expr.precedence < ATOM ? `(${this.expr.toString()})` : this.expr.toString();
    return `${inner}[${this.range}:${this.step}]`;
  }
  public get problems(): readonly Problem[] {
    return [...this.expr.problems, durationProblem(this.field, this.range, true), durationProblem(`${this.field} (step)`, this.step, true)].filter((p): p is Problem => p !== undefined);
  }
  public get series(): readonly string[] {
    return this.expr.series;
  }
}

class Call extends PromExpr {
  constructor(private readonly fn: string, private readonly args: readonly PromExpr[]) {
    super();
  }
  public toString(): string {
    return `${this.fn}(${this.args.map((a) => a.toString()).join(', ')})`;
  }
  public get problems(): readonly Problem[] {
    return this.args.flatMap((a) => a.problems);
  }
  public get series(): readonly string[] {
    return unique(this.args.flatMap((a) => a.series));
  }
}

class Aggregation extends PromExpr {
  constructor(private readonly agg: AggregationOperator, private readonly expr: PromExpr, private readonly by: readonly string[] | undefined) {
    super();
  }
  public toString(): string {
    return this.by ? `${this.agg} by (${this.by.join(', ')}) (${this.expr.toString()})` : `${this.agg}(${this.expr.toString()})`;
  }
  public get problems(): readonly Problem[] {
    return [...(this.by ?? []).map((l) => labelNameProblem('by', l)).filter((p): p is Problem => p !== undefined), ...this.expr.problems];
  }
  public get series(): readonly string[] {
    return this.expr.series;
  }
}

class BinaryExpr extends PromExpr {
  constructor(private readonly operator: BinaryOperator, private readonly lhs: PromExpr, private readonly rhs: PromExpr) {
    super();
  }
  public get precedence(): number {
    return PRECEDENCE[this.operator];
  }
  public toString(): string {
    const p = this.precedence;
    const rightAssoc = this.operator === '^';
    const wrap = (e: PromExpr, parens: boolean) => (parens ? `(${e.toString()})` : e.toString());
    const l = wrap(this.lhs, this.lhs.precedence < p || (rightAssoc && this.lhs.precedence === p));
    const r = wrap(this.rhs, this.rhs.precedence < p || (!rightAssoc && this.rhs.precedence === p));
    return `${l} ${this.operator} ${r}`;
  }
  public get problems(): readonly Problem[] {
    return [...this.lhs.problems, ...this.rhs.problems];
  }
  public get series(): readonly string[] {
    return unique([...this.lhs.series, ...this.rhs.series]);
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** `metric{matchers}`. `field` names the prop the metric name came from in a problem. */
export function selector(metric: string, matchers: readonly LabelMatcher[] = [], field = 'metric'): VectorSelector {
  return new VectorSelector(metric, matchers, field);
}

/** A number. */
export function scalar(value: number, field = 'number'): PromExpr {
  return new NumberLiteral(value, field);
}

/** `rate(range)`. */
export function rate(range: RangeSelector): PromExpr {
  return new Call('rate', [range]);
}

/** `expr[range:step]`: `expr` evaluated every `step` over `range`. */
export function subquery(expr: PromExpr, range: string, step: string, field = 'range'): Subquery {
  return new Subquery(expr, range, step, field);
}

/** `delta(range)`. */
export function delta(range: RangeSelector | Subquery): PromExpr {
  return new Call('delta', [range]);
}

/** `histogram_quantile(q, buckets)`. */
export function histogramQuantile(q: number, buckets: PromExpr): PromExpr {
  return new Call('histogram_quantile', [scalar(q, 'quantile'), buckets]);
}

/** `op(expr)` or `op by (labels) (expr)`. */
export function aggregate(op: AggregationOperator, expr: PromExpr, by?: readonly string[]): PromExpr {
  return new Aggregation(op, expr, by);
}

/** `sum(expr)` or `sum by (labels) (expr)`. */
export function sum(expr: PromExpr, by?: readonly string[]): PromExpr {
  return aggregate('sum', expr, by);
}

/** `avg(expr)`. */
export function avg(expr: PromExpr, by?: readonly string[]): PromExpr {
  return aggregate('avg', expr, by);
}

/** `max(expr)`. */
export function max(expr: PromExpr, by?: readonly string[]): PromExpr {
  return aggregate('max', expr, by);
}

/** Problems of several queries, each once (a prop used in several queries is reported once). */
export function queryProblems(queries: readonly PromExpr[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of queries.flatMap((q) => q.problems)) {
    const key = JSON.stringify([p.field, p.value, p.allowed]);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}
