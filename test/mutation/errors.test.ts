/**
 * src/core/errors.ts, the one shape of every refusal, pinned down function by function: written
 * to kill the mutants StrykerJS left alive (docs/mutation.md). Only this module is loaded (not
 * synth/validate), so the app-wide rules here are the test's own.
 */
import { Construct } from 'constructs';
import {
  addProblems,
  addWarnings,
  constructWarnings,
  describeProblem,
  fail,
  LlmdValidationError,
  originField,
  Problem,
  reportProblem,
  problemOf,
  ReportedProblem,
  restate,
  setAppRules,
  setPropOrigin,
  showValue,
  structuredProblems,
  withoutRepeatedProps,
} from '../../src/core/errors';

/** A fresh construct tree: `root` (path '') with children by id. */
function tree(...ids: string[]): { root: Construct; at: Record<string, Construct> } {
  const root = new Construct(undefined as unknown as Construct, '');
  const at: Record<string, Construct> = {};
  for (const id of ids) at[id] = new Construct(root, id);
  return { root, at };
}

function thrown(f: () => unknown): LlmdValidationError {
  try {
    f();
  } catch (e) {
    return e as LlmdValidationError;
  }
  throw new Error('did not throw');
}

const P: Problem = { field: 'decode.replicas', value: -1, allowed: 'a non-negative integer' };

// First: the module's state is fresh only until a test sets the app-wide rules.
describe('before any app-wide rules are set', () => {
  test('a construct with checks adds no validation to the root of its tree', () => {
    const { root, at } = tree('c');
    addProblems(at.c, () => [P]);
    expect(root.node.validate()).toEqual([]);
    expect(at.c.node.validate()).toEqual([describeProblem(P)]);
  });
});

describe('showValue', () => {
  test.each<[unknown, string]>([
    [undefined, 'undefined'],
    ['x', '"x"'],
    ['', '""'],
    ['a"b', '"a\\"b"'],
    [0, '0'],
    [null, 'null'],
    [true, 'true'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: { b: 1 } }, '{"a":{"b":1}}'],
  ])('%p → %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });

  test('what JSON cannot show is shown by String()', () => {
    expect(showValue(() => 1)).toBe('() => 1');
    expect(showValue(Symbol('s'))).toBe('Symbol(s)');
    expect(showValue(10n)).toBe('10');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(showValue(cyclic)).toBe('[object Object]');
  });

  test('a long value is cut at 200 characters, ending in ...', () => {
    const at200 = ['x'.repeat(196)]; // ["xxx…"]: 200 characters of JSON
    expect(JSON.stringify(at200)).toHaveLength(200);
    expect(showValue(at200)).toBe(JSON.stringify(at200));
    const at201 = ['x'.repeat(197)];
    const shown = showValue(at201);
    expect(shown).toHaveLength(200);
    expect(shown).toBe(`${JSON.stringify(at201).slice(0, 197)}...`);
    // A long string is shown whole: it is the value the user wrote.
    expect(showValue('y'.repeat(300))).toBe(`"${'y'.repeat(300)}"`);
  });
});

describe('describeProblem and reportProblem', () => {
  test('the message: field, value, why when given, allowed', () => {
    expect(describeProblem(P)).toBe('decode.replicas: value -1 is not allowed; allowed: a non-negative integer');
    expect(describeProblem({ ...P, why: 'a count' })).toBe('decode.replicas: value -1 is not allowed (a count); allowed: a non-negative integer');
    expect(describeProblem({ ...P, why: '' })).toBe('decode.replicas: value -1 is not allowed; allowed: a non-negative integer');
  });

  test('a reported problem carries the fields, why only when given', () => {
    const r = reportProblem('app/chart', P);
    expect(r).toStrictEqual({ path: 'app/chart', field: 'decode.replicas', value: -1, allowed: 'a non-negative integer', message: describeProblem(P) });
    expect('why' in r).toBe(false);
    expect(reportProblem('p', { ...P, why: 'w' })).toStrictEqual({ path: 'p', field: P.field, value: -1, allowed: P.allowed, why: 'w', message: describeProblem({ ...P, why: 'w' }) });
    expect(reportProblem('p', { ...P, why: '' }).why).toBe('');
  });
});

describe('LlmdValidationError', () => {
  const problems: ReportedProblem[] = [reportProblem('a', P), { path: 'b/c', message: 'other' }];

  test('one message line per problem, with its path', () => {
    const e = new LlmdValidationError(problems);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('LlmdValidationError');
    expect(e.message).toBe(`cdk8s-llm-d: 2 problem(s) in the input:\n  [a] ${describeProblem(P)}\n  [b/c] other`);
    expect(e.problems).toBe(problems);
  });

  test('the stack is the message, and the problems are not an enumerable dump', () => {
    const e = new LlmdValidationError(problems);
    expect(e.stack).toBe(`LlmdValidationError: ${e.message}`);
    expect(Object.keys(e)).not.toContain('problems');
    expect(Object.keys(e)).not.toContain('stack');
    const problemsProp = Object.getOwnPropertyDescriptor(e, 'problems')!;
    expect(problemsProp.enumerable).toBe(false);
    const stack = Object.getOwnPropertyDescriptor(e, 'stack')!;
    expect(stack).toMatchObject({ enumerable: false, writable: true, configurable: true });
    e.stack = 'rewritten';
    expect(e.stack).toBe('rewritten');
  });

  test('no problems', () => {
    expect(new LlmdValidationError([]).message).toBe('cdk8s-llm-d: 0 problem(s) in the input:\n');
  });
});

describe('fail and prop origins', () => {
  test('fail throws the problem at the construct path', () => {
    const { at } = tree('pool');
    const e = thrown(() => fail(at.pool, P));
    expect(e).toBeInstanceOf(LlmdValidationError);
    expect(e.problems).toStrictEqual([reportProblem('pool', P)]);
  });

  test('a built construct reports at the stack, by the prop the user wrote', () => {
    const { at } = tree('stack', 'built');
    setPropOrigin(at.built, { scope: at.stack, userField: (f) => (f === 'decode.replicas' ? 'models[0].replicas' : undefined) });
    expect(originField(at.built, 'decode.replicas')).toBe('models[0].replicas');
    expect(originField(at.built, 'other')).toBeUndefined();
    expect(originField(at.stack, 'decode.replicas')).toBeUndefined();
    expect(thrown(() => fail(at.built, P)).problems).toStrictEqual([reportProblem('stack', { ...P, field: 'models[0].replicas' })]);
    // A field the stack derived itself stays at the built construct.
    expect(thrown(() => fail(at.built, { ...P, field: 'other' })).problems).toStrictEqual([reportProblem('built', { ...P, field: 'other' })]);
  });

  test('origins chain: a stack builds a construct that builds another', () => {
    const { at } = tree('stack', 'service', 'server');
    setPropOrigin(at.server, { scope: at.service, userField: (f) => `decode.${f}` });
    setPropOrigin(at.service, { scope: at.stack, userField: (f) => (f.startsWith('decode.') ? `models[0].${f.slice('decode.'.length)}` : undefined) });
    const problems = structuredOf(at.server, { field: 'replicas', value: 0, allowed: 'x' });
    expect(problems).toStrictEqual([reportProblem('stack', { field: 'models[0].replicas', value: 0, allowed: 'x' })]);
  });

  test('a cycle of origins ends after eight hops', () => {
    const { at } = tree('a', 'b');
    const hops: string[] = [];
    const hop = (name: string) => (f: string): string => {
      hops.push(name);
      return `${f}+`;
    };
    setPropOrigin(at.a, { scope: at.b, userField: hop('a') });
    setPropOrigin(at.b, { scope: at.a, userField: hop('b') });
    const [r] = structuredOf(at.a, { field: 'f', value: 1, allowed: 'x' });
    expect(hops).toHaveLength(8);
    expect(r.field).toBe('f++++++++');
    // Eight hops from a: back at a, restated all the same.
    expect(r.path).toBe('a');
    expect(restate(at.a, { field: 'f', value: 1, allowed: 'x' })).toStrictEqual({ path: 'a', problem: { field: 'f++++++++', value: 1, allowed: 'x' } });
  });
});

describe('restating a problem in the words of the user', () => {
  test('userProblem restates value and allowed too; userField names the field when it declines', () => {
    const { at } = tree('stack', 'built');
    setPropOrigin(at.built, {
      scope: at.stack,
      userProblem: (p) => (p.field === 'decode.parallelism.tensor' ? { field: 'models[0].tensorParallelism', value: { tensor: p.value }, allowed: 'at most 8' } : undefined),
      userField: (f) => (f === 'decode.replicas' ? 'models[0].replicas' : undefined),
    });
    expect(restate(at.built, { field: 'decode.parallelism.tensor', value: 16, allowed: 'a divisor of 8' })).toStrictEqual({
      path: 'stack',
      problem: { field: 'models[0].tensorParallelism', value: { tensor: 16 }, allowed: 'at most 8' },
    });
    expect(restate(at.built, P)).toStrictEqual({ path: 'stack', problem: { ...P, field: 'models[0].replicas' } });
    // Neither knows the field: not restated.
    expect(restate(at.built, { ...P, field: 'other' })).toBeUndefined();
    expect(thrown(() => fail(at.built, { field: 'decode.parallelism.tensor', value: 16, allowed: 'x' })).problems).toStrictEqual([
      reportProblem('stack', { field: 'models[0].tensorParallelism', value: { tensor: 16 }, allowed: 'at most 8' }),
    ]);
  });

  test('a construct not built from props, or a field its builder derived, is not restated', () => {
    const { at } = tree('alone', 'stack', 'built');
    expect(restate(at.alone, P)).toBeUndefined();
    setPropOrigin(at.built, { scope: at.stack, userField: () => undefined });
    expect(restate(at.built, P)).toBeUndefined();
  });

  test('restated through a chain of builders, each in its own words', () => {
    const { at } = tree('stack', 'service', 'server');
    setPropOrigin(at.server, { scope: at.service, userProblem: (p) => ({ ...p, field: `decode.${p.field}`, value: [p.value] }), userField: () => 'never' });
    setPropOrigin(at.service, { scope: at.stack, userField: (f) => `models[0].${f}` });
    expect(restate(at.server, P)).toStrictEqual({ path: 'stack', problem: { ...P, field: 'models[0].decode.decode.replicas', value: [-1] } });
    expect(restate(at.service, P)).toStrictEqual({ path: 'stack', problem: { ...P, field: 'models[0].decode.replicas' } });
  });
});

describe('a problem found in another construct (problemOf)', () => {
  test("is reported at that construct's path, whichever construct's check returns it", () => {
    const { at } = tree('stack', 'route');
    const p = { ...P, field: 'spec.rules' };
    expect(problemOf(at.route, p)).toBe(p);
    addProblems(at.stack, () => [p]);
    expect(structuredProblems(at.stack)).toStrictEqual([reportProblem('route', p)]);
    expect(restate(at.stack, p)).toStrictEqual({ path: 'route', problem: p });
    expect(at.stack.node.validate()).toEqual([`(route) ${describeProblem(p)}`]);
  });

  test('is restated through the origins of that construct', () => {
    const { at } = tree('stack', 'route', 'other');
    setPropOrigin(at.route, { scope: at.stack, userField: (f) => `route.${f}` });
    const p = problemOf(at.route, { ...P, field: 'spec.rules' });
    expect(restate(at.other, p)).toStrictEqual({ path: 'stack', problem: { ...p, field: 'route.spec.rules' } });
  });

  test('is not a named prop: two constructs that find it both report it', () => {
    const { at } = tree('a', 'b', 'route');
    const p = problemOf(at.route, { ...P, field: 'spec.rules' });
    const found = [...structuredOf(at.a, p), ...structuredOf(at.b, p)];
    expect(found).toHaveLength(2);
    expect(withoutRepeatedProps(found)).toStrictEqual(found);
  });
});

/** The structured problems of a construct with one check returning `p`. */
function structuredOf(c: Construct, p: Problem): ReportedProblem[] {
  addProblems(c, () => [p]);
  return structuredProblems(c);
}

describe('addProblems, structuredProblems and the validations cdk8s runs', () => {
  test('every check of a construct, in order, with other validations as messages', () => {
    const { at } = tree('c');
    addProblems(at.c, () => [P]);
    addProblems(at.c, () => [{ ...P, field: 'b' }, { ...P, field: 'c' }]);
    at.c.node.addValidation({ validate: () => ['foreign'] });
    expect(structuredProblems(at.c)).toStrictEqual([
      reportProblem('c', P),
      reportProblem('c', { ...P, field: 'b' }),
      reportProblem('c', { ...P, field: 'c' }),
      { path: 'c', message: 'foreign' },
    ]);
    expect(structuredProblems(tree('d').at.d)).toEqual([]);
  });

  test('node.validate() gives the messages, with the path where a problem moved to the stack', () => {
    const { at } = tree('stack', 'built');
    setPropOrigin(at.built, { scope: at.stack, userField: (f) => (f === 'moved' ? 'models[0].x' : undefined) });
    addProblems(at.built, () => [{ ...P, field: 'moved' }, { ...P, field: 'kept' }]);
    expect(at.built.node.validate()).toEqual([`(stack) ${describeProblem({ ...P, field: 'models[0].x' })}`, describeProblem({ ...P, field: 'kept' })]);
    // structuredProblems reads the checks structured, and node.validate() is quiet meanwhile;
    // afterwards it answers again.
    expect(structuredProblems(at.built)).toHaveLength(2);
    expect(at.built.node.validate()).toHaveLength(2);
  });

  test('a check that throws leaves validate() answering again', () => {
    const { at } = tree('c');
    at.c.node.addValidation({ validate: () => { throw new Error('boom'); } });
    addProblems(at.c, () => [P]);
    expect(() => structuredProblems(at.c)).toThrow('boom');
    const { at: other } = tree('d');
    addProblems(other.d, () => [P]);
    expect(other.d.node.validate()).toEqual([describeProblem(P)]);
  });
});

describe('the app-wide rules', () => {
  afterEach(() => setAppRules(() => []));

  test('added once to the root of each tree, quiet during the structured pass', () => {
    const calls: string[] = [];
    setAppRules((root) => {
      calls.push(root.node.id);
      return [reportProblem('x/y', P)];
    });
    const { root, at } = tree('a', 'b');
    addProblems(at.a, () => []);
    addProblems(at.b, () => []);
    addProblems(at.a, () => []);
    expect(root.node.validate()).toEqual([`[x/y] ${describeProblem(P)}`]);
    expect(calls).toEqual(['']);
    // The structured pass (validateTree) runs the rules itself.
    structuredProblems(root);
    expect(calls).toEqual(['']);
    // Another tree has its own.
    const other = tree('c');
    addProblems(other.at.c, () => []);
    expect(other.root.node.validate()).toHaveLength(1);
  });
});

describe('withoutRepeatedProps', () => {
  test("a problem of the user's prop reached through two built constructs is reported once", () => {
    const { at } = tree('stack', 'one', 'two');
    for (const built of [at.one, at.two]) setPropOrigin(built, { scope: at.stack, userField: (f) => (f === 'n' ? 'maxRngdPerNode' : undefined) });
    const problems = [...structuredOf(at.one, { field: 'n', value: 0, allowed: 'x' }), ...structuredOf(at.two, { field: 'n', value: 0, allowed: 'x' })];
    expect(problems).toHaveLength(2);
    expect(withoutRepeatedProps(problems)).toStrictEqual([problems[0]]);
  });

  test("a construct's own problems, repeated or not, all stay; so do different fields and paths", () => {
    const own = reportProblem('c', P);
    const again = reportProblem('c', P);
    expect(withoutRepeatedProps([own, again])).toStrictEqual([own, again]);
    const { at: mine } = tree('c');
    addProblems(mine.c, () => [P]);
    addProblems(mine.c, () => [P]);
    const twice = structuredProblems(mine.c);
    expect(twice).toHaveLength(2);
    expect(withoutRepeatedProps(twice)).toStrictEqual(twice);

    const { at } = tree('stack', 'one', 'two');
    for (const built of [at.one, at.two]) setPropOrigin(built, { scope: at.stack, userField: (f) => `m.${f}` });
    const a = structuredOf(at.one, { field: 'a', value: 0, allowed: 'x' });
    const b = structuredOf(at.two, { field: 'b', value: 0, allowed: 'x' });
    expect(withoutRepeatedProps([...a, ...b])).toHaveLength(2);
    // A named problem after an own one of the same path and field: the own one came first.
    expect(withoutRepeatedProps([reportProblem('stack', { ...P, field: 'm.a' }), ...a])).toHaveLength(1);
  });

  test('messages of other validations (no field) are never dropped', () => {
    const x: ReportedProblem = { path: 'p', message: 'm' };
    expect(withoutRepeatedProps([x, { ...x }])).toHaveLength(2);
  });
});

describe('warnings', () => {
  test('each warning check of a construct, reported at its path, why then allowed', () => {
    const { at } = tree('c');
    addWarnings(at.c, () => [{ ...P, why: 'likely a mistake' }]);
    addWarnings(at.c, () => [{ ...P, field: 'other' }]);
    expect(constructWarnings(at.c)).toStrictEqual([
      { ...reportProblem('c', { ...P, why: 'likely a mistake' }), message: 'decode.replicas: likely a mistake; a non-negative integer' },
      { ...reportProblem('c', { ...P, field: 'other' }), message: 'other: ; a non-negative integer' },
    ]);
    expect(constructWarnings(tree('d').at.d)).toEqual([]);
    // Warnings are not problems.
    expect(structuredProblems(at.c)).toEqual([]);
    expect(at.c.node.validate()).toEqual([]);
  });

  test('a warning of a built construct is named by the prop the user wrote', () => {
    const { at } = tree('stack', 'built');
    setPropOrigin(at.built, { scope: at.stack, userField: (f) => `models[0].${f}` });
    addWarnings(at.built, () => [{ ...P, why: 'w' }]);
    expect(constructWarnings(at.built)).toStrictEqual([{ ...reportProblem('stack', { ...P, field: 'models[0].decode.replicas', why: 'w' }), message: 'models[0].decode.replicas: w; a non-negative integer' }]);
  });
});
