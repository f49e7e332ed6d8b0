/**
 * The PromQL builder (src/core/promql.ts): what it writes reads back, through an independent
 * reader that follows Prometheus's lexer (test/support/promql.ts), to the tree it was built from:
 * label values round-trip exactly, and the number and order of matchers and operators hold.
 */
import fc from 'fast-check';
import {
  aggregate, AggregationOperator, BinaryOperator, delta, durationProblem, eq, histogramQuantile, LabelMatcher, matchesRegex, metricNameProblem, neq,
  notMatchesRegex, parsePromDuration, PromExpr, PromRegex, quoteString, rate, re2Problem, scalar, selector, subquery, sum,
} from '../../src/core/promql';
import { parsePromQL, PromNode, tokenize } from '../support/promql';

const anyValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '\n', '\r', '\t', '\u0000', '\u0085', '\u2028', '\ufffd', '$', '[', '`', "'", 'a', '.', '*', '(', '|'), maxLength: 20 }),
);
const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/).filter((n) => metricNameProblem('m', n) === undefined);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/);

/** A matcher as generated: regex matchers carry the literal text their regex matches. */
type GenMatcher = { label: string; op: '=' | '!='; value: string } | { label: string; op: '=~' | '!~'; text: string };
const genMatcher: fc.Arbitrary<GenMatcher> = fc.oneof(
  fc.record({ label: labelName, op: fc.constantFrom('=' as const, '!=' as const), value: anyValue }),
  fc.record({ label: labelName, op: fc.constantFrom('=~' as const, '!~' as const), text: anyValue }),
);

type Gen =
  | { k: 'sel'; metric: string; matchers: GenMatcher[] }
  | { k: 'num'; value: number }
  | { k: 'rate'; metric: string; matchers: GenMatcher[]; range: string }
  | { k: 'agg'; op: AggregationOperator; by?: string[]; e: Gen }
  | { k: 'bin'; op: BinaryOperator; l: Gen; r: Gen }
  | { k: 'hq'; q: number; e: Gen }
  | { k: 'delta'; e: Gen; range: string; step: string };

const duration = fc.constantFrom('5m', '1m', '15m', '1h30m', '30s', '2d', '1w', '100ms');
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const { tree } = fc.letrec<{ tree: Gen; vector: Gen }>((tie) => ({
  // Instant vectors: what aggregations, quantiles and subqueries take.
  vector: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('sel' as const), metric: metricName, matchers: fc.array(genMatcher, { maxLength: 4 }) }),
    fc.record({ k: fc.constant('rate' as const), metric: metricName, matchers: fc.array(genMatcher, { maxLength: 3 }), range: duration }),
    fc.record({ k: fc.constant('agg' as const), op: fc.constantFrom<AggregationOperator>('sum', 'avg', 'max', 'min', 'count'), by: fc.option(fc.array(labelName, { minLength: 1, maxLength: 3 }), { nil: undefined }), e: tie('vector') }),
    fc.record({ k: fc.constant('bin' as const), op: fc.constantFrom<BinaryOperator>('==', '!=', '>', '<', '>=', '<=', '+', '-', '*', '/', '%', '^'), l: tie('vector'), r: tie('tree') }),
    fc.record({ k: fc.constant('bin' as const), op: fc.constantFrom<BinaryOperator>('or', 'and', 'unless'), l: tie('vector'), r: tie('vector') }),
    fc.record({ k: fc.constant('hq' as const), q: fc.double({ min: 0, max: 1, noNaN: true }), e: tie('vector') }),
    fc.record({ k: fc.constant('delta' as const), e: tie('vector'), range: duration, step: duration }),
  ),
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('num' as const), value: finite }),
    tie('vector'),
    fc.record({ k: fc.constant('bin' as const), op: fc.constantFrom<BinaryOperator>('+', '-', '*', '/', '%', '^', '>', '=='), l: tie('tree'), r: tie('tree') }),
  ),
}));

const builtMatcher = (m: GenMatcher): LabelMatcher => {
  if (!('text' in m)) return m.op === '=' ? eq(m.label, m.value) : neq(m.label, m.value);
  const re = PromRegex.sequence(PromRegex.literal(m.text));
  return m.op === '=~' ? matchesRegex(m.label, re) : notMatchesRegex(m.label, re);
};

function build(g: Gen): PromExpr {
  switch (g.k) {
    case 'sel': return selector(g.metric, g.matchers.map(builtMatcher));
    case 'num': return scalar(g.value);
    case 'rate': return rate(selector(g.metric, g.matchers.map(builtMatcher)).over(g.range));
    case 'agg': return aggregate(g.op, build(g.e), g.by);
    case 'bin': return build(g.l).op(g.op, build(g.r));
    case 'hq': return histogramQuantile(g.q, build(g.e));
    case 'delta': return delta(subquery(build(g.e), g.range, g.step));
  }
}

/** The tree the reader must find, with regex values left out (they are checked by what they match). */
function expected(g: Gen): PromNode {
  const matchers = (ms: GenMatcher[]) => ms.map((m) => ({ label: m.label, op: m.op, value: 'value' in m ? m.value : expect.any(String) }));
  switch (g.k) {
    case 'sel': return { type: 'selector', metric: g.metric, matchers: matchers(g.matchers) };
    case 'num': return { type: 'number', value: Object.is(g.value, -0) ? -0 : g.value };
    case 'rate': return { type: 'call', fn: 'rate', args: [{ type: 'selector', metric: g.metric, matchers: matchers(g.matchers), range: g.range }] };
    case 'agg': return { type: 'aggregate', op: g.op, ...(g.by ? { by: g.by } : {}), expr: expected(g.e) };
    case 'bin': return { type: 'binary', op: g.op, lhs: expected(g.l), rhs: expected(g.r) };
    case 'hq': return { type: 'call', fn: 'histogram_quantile', args: [{ type: 'number', value: g.q }, expected(g.e)] };
    case 'delta': return { type: 'call', fn: 'delta', args: [{ type: 'subquery', expr: expected(g.e), range: g.range, step: g.step }] };
  }
}

/** Regex matchers of a generated tree and of a parsed one, in order. */
function genRegexes(g: Gen): string[] {
  switch (g.k) {
    case 'sel': case 'rate': return g.matchers.flatMap((m) => ('text' in m ? [m.text] : []));
    case 'num': return [];
    case 'agg': case 'hq': case 'delta': return genRegexes(g.e);
    case 'bin': return [...genRegexes(g.l), ...genRegexes(g.r)];
  }
}
function parsedRegexes(n: PromNode): string[] {
  switch (n.type) {
    case 'selector': return n.matchers.filter((m) => m.op === '=~' || m.op === '!~').map((m) => m.value);
    case 'number': return [];
    case 'aggregate': case 'subquery': return parsedRegexes(n.expr);
    case 'call': return n.args.flatMap(parsedRegexes);
    case 'binary': return [...parsedRegexes(n.lhs), ...parsedRegexes(n.rhs)];
  }
}

describe('what the builder writes reads back to the tree it was built from', () => {
  test('any tree of selectors, numbers, rates, aggregations, binary operators, quantiles and subqueries, with any label values', () => {
    fc.assert(fc.property(tree, (g) => {
      const text = build(g).toString();
      const parsed = parsePromQL(text);
      expect(parsed).toEqual(expected(g));
      // A regex built from a literal matches that literal exactly, and it alone.
      const texts = genRegexes(g);
      const sources = parsedRegexes(parsed);
      expect(sources).toHaveLength(texts.length);
      sources.forEach((src, i) => {
        expect(new RegExp(`^(?:${src})$`, 'su').test(texts[i])).toBe(true);
        expect(src.replace(/\\(.)/gsu, '$1')).toBe(texts[i]);
        expect(re2Problem('f', src)).toBeUndefined();
      });
    }), { numRuns: 400 });
  });

  test('a label value reads back exactly, whatever it holds', () => {
    fc.assert(fc.property(anyValue, (v) => {
      const toks = tokenize(quoteString(v));
      expect(toks).toEqual([{ t: 'string', v }]);
      // Grafana's $var, ${var} and [[var]] never appear in the text.
      expect(quoteString(v)).not.toMatch(/\$|\[/);
    }), { numRuns: 1000 });
  });

  test.each([
    ['"', '"\\""'],
    ['\\', '"\\\\"'],
    ['a\nb', '"a\\nb"'],
    ['\u0000', '"\\u0000"'],
    ['\ufffd', '"\\uFFFD"'],
    ['${datasource}', '"\\u0024{datasource}"'],
    ['[[x]]', '"\\u005B\\u005Bx]]"'],
    ['ünïcødé 模型 😀', '"ünïcødé 模型 😀"'],
  ])('quotes %j as %s', (value, quoted) => {
    expect(quoteString(value)).toBe(quoted);
  });

  test('the library\'s own shapes read as before', () => {
    const svc = [eq('namespace', 'llm-d'), eq('service', 'gaie-epp')];
    expect(sum(rate(selector('a_total', svc).over('5m'))).div(sum(rate(selector('b_total', svc).over('5m')))).gt(0.05).toString())
      .toBe('sum(rate(a_total{namespace="llm-d",service="gaie-epp"}[5m])) / sum(rate(b_total{namespace="llm-d",service="gaie-epp"}[5m])) > 0.05');
    expect(histogramQuantile(0.9, sum(rate(selector('d_bucket', svc).over('5m')), ['le'])).toString())
      .toBe('histogram_quantile(0.9, sum by (le) (rate(d_bucket{namespace="llm-d",service="gaie-epp"}[5m])))');
    const w = sum(selector('w', [eq('namespace', 'n'), matchesRegex('pod', PromRegex.sequence(PromRegex.literal('ms.a-'), PromRegex.anything()))]));
    expect(w.gt(20).and(delta(subquery(w, '15m', '1m')).gt(0)).toString()).toBe('sum(w{namespace="n",pod=~"ms\\\\.a-.*"}) > 20 and delta(sum(w{namespace="n",pod=~"ms\\\\.a-.*"})[15m:1m]) > 0');
    // Parentheses only where precedence needs them.
    expect(scalar(1).op('+', scalar(2)).op('*', scalar(3)).toString()).toBe('(1 + 2) * 3');
    expect(scalar(1).op('-', scalar(2).op('-', scalar(3))).toString()).toBe('1 - (2 - 3)');
    expect(scalar(2).op('^', scalar(3).op('^', scalar(2))).toString()).toBe('2 ^ 3 ^ 2');
    expect(scalar(-1).op('^', scalar(2)).toString()).toBe('(-1) ^ 2');
  });
});

describe('what the builder refuses, as problems naming the prop', () => {
  test.each([
    ['a metric name with a dash', () => selector('my-metric', [], 'signal.metric'), 'signal.metric', 'my-metric'],
    ['a keyword as a metric name', () => selector('sum'), 'metric', 'sum'],
    ['a label name with a dot', () => selector('m', [eq('app.kubernetes.io/name', 'x')]), 'label name', 'app.kubernetes.io/name'],
    ['a lone surrogate in a value', () => selector('m', [eq('pod', 'a\ud800', 'pools[0].poolName')]), 'pools[0].poolName', 'a\ud800'],
    ['a range of 0', () => rate(selector('m').over('0', 'window')), 'window', '0'],
    ['a duration with units out of order', () => rate(selector('m').over('5s1m', 'window')), 'window', '5s1m'],
    ['an infinite threshold', () => selector('m').gt(Infinity, 'thresholds.queueWaiting'), 'thresholds.queueWaiting', Infinity],
    ['a backreference', () => selector('m', [matchesRegex('pod', PromRegex.pattern('(a)\\1'), 'pattern')]), 'pattern', '(a)\\1'],
    ['a look-ahead', () => selector('m', [matchesRegex('pod', PromRegex.pattern('a(?=b)'), 'pattern')]), 'pattern', 'a(?=b)'],
    ['an unbalanced group', () => selector('m', [matchesRegex('pod', PromRegex.pattern('a(b'), 'pattern')]), 'pattern', 'a(b'],
    ['a repeat above 1000', () => selector('m', [matchesRegex('pod', PromRegex.pattern('a{1001}'), 'pattern')]), 'pattern', 'a{1001}'],
    ['a bare brace', () => selector('m', [matchesRegex('pod', PromRegex.pattern('a{'), 'pattern')]), 'pattern', 'a{'],
  ])('%s', (_name, make, field, value) => {
    expect(make().problems).toEqual([expect.objectContaining({ field, value })]);
  });

  test.each(['a.*', 'ms-decode-.*', '(a|b)+c?', '[a-z0-9]{1,5}', '\\d+\\.\\d*', '^x$', '(?:a|b)*?', '[^\\]]'])('accepts the RE2 pattern %j', (p) => {
    expect(re2Problem('f', p)).toBeUndefined();
  });

  test.each([['5m', 300000], ['1h30m', 5400000], ['0', 0], ['1y', 31536000000], ['100ms', 100]])('the duration %s is %d ms', (d, ms) => {
    expect(parsePromDuration(d)).toBe(ms);
    expect(durationProblem('for', d)).toBeUndefined();
  });

  test.each(['', '5', '5m5m', '1s1h', '5 m', '-5m', '1.5h', '5M'])('refuses the duration %j', (d) => {
    expect(durationProblem('for', d)).toEqual(expect.objectContaining({ field: 'for', value: d }));
  });
});

test('a query lists the metric names it reads (series), in order of first use', () => {
  const q = sum(rate(selector('err_total').over('5m'))).div(sum(rate(selector('req_total').over('5m')))).gt(0.05).and(selector('err_total').gt(0));
  expect(q.series).toEqual(['err_total', 'req_total']);
  expect(scalar(1).series).toEqual([]);
});
