import { applySet, mergeValues, parseValuesYaml, SetSyntaxError, typedValue, ValueSources } from '../../src/cli/values';
import { parseArgs, UsageError } from '../../src/cli/args';
import { toTypeScriptLiteral } from '../../src/cli/codegen';

describe('mergeValues (helm -f merging)', () => {
  test('maps merge, lists are replaced, later wins, null is kept for the chart coalesce', () => {
    const base = { a: { b: 1, c: [1, 2], d: 'x' }, e: true, g: { h: 1 } };
    const over = { a: { c: [3], d: null, f: 2 }, e: false, g: null };
    expect(mergeValues(base, over)).toEqual({ a: { b: 1, c: [3], d: null, f: 2 }, e: false, g: null });
    expect(base).toEqual({ a: { b: 1, c: [1, 2], d: 'x' }, e: true, g: { h: 1 } });
  });
  test('a map replaces a scalar or null and vice versa', () => {
    expect(mergeValues({ a: null, b: { x: 1 } }, { a: { y: 2 }, b: 's' })).toEqual({ a: { y: 2 }, b: 's' });
  });
});

describe('parseValuesYaml (helm reads values as YAML 1.1 with go-yaml v2)', () => {
  test('YAML 1.1 scalars like helm, timestamps and h:m:s stay strings', () => {
    const text = 'a: yes\nb: Off\nc: 0755\nd: 2001-12-14\ne: 1_000\nf: 1:20\ng: ~\nh: 0x1F\ni: "yes"\nj: y\nbase: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n';
    expect(parseValuesYaml(text)).toStrictEqual({ a: true, b: false, c: 493, d: '2001-12-14', e: 1000, f: '1:20', g: null, h: 31, i: 'yes', j: true, base: { x: 1 }, m: { x: 1, z: 2 } });
  });
  test('a float needs a digit: ".", "+." and "._" are strings, like go-yaml (Istio exportTo: [.])', () => {
    expect(parseValuesYaml('a: [., +., ._, .5, 1., -1.5_0, .inf, .NaN]\n')).toStrictEqual({ a: ['.', '+.', '._', 0.5, 1, -1.5, Infinity, NaN] });
  });
  test('duplicate keys are an error, like go-yaml', () => {
    expect(() => parseValuesYaml('a: 1\na: 2\n')).toThrow(/unique/i);
  });
});

describe('typedValue (helm strvals typedVal)', () => {
  test.each<[string, unknown]>([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['null', null],
    ['NULL', null],
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['+5', 5],
    ['-0', 0],
    ['-007', -7],
    ['007', '007'],
    ['00009', '00009'],
    ['1.5', '1.5'],
    ['1e3', '1e3'],
    ['0x10', '0x10'],
    ['', ''],
    ['9007199254740993', '9007199254740993'],
    ['yes', 'yes'],
  ])('%j -> %j', (raw, expected) => {
    expect(typedValue(raw)).toStrictEqual(expected);
  });
  test('--set-string keeps every value a string', () => {
    expect(typedValue('true', true)).toBe('true');
    expect(typedValue('12', true)).toBe('12');
  });
});

describe('applySet (helm strvals --set)', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['name1=value1', { name1: 'value1' }],
    ['name1=value1,name2=value2', { name1: 'value1', name2: 'value2' }],
    ['name1=value1,name2=value2,', { name1: 'value1', name2: 'value2' }],
    ['name1=,name2=value2', { name1: '', name2: 'value2' }],
    ['a=', { a: '' }],
    ['a.b=c', { a: { b: 'c' } }],
    ['a=1', { a: 1 }],
    ['a=true,b=false', { a: true, b: false }],
    ['a=null', { a: null }],
    ['a.b=null', { a: { b: null } }],
    ['a=1.5', { a: '1.5' }],
    ['a=007', { a: '007' }],
    ['name1=one\\,two,name2=three\\,four', { name1: 'one,two', name2: 'three,four' }],
    ['name1=one\\=two', { name1: 'one=two' }],
    ['a\\.b=c', { 'a.b': 'c' }],
    ['a=x\\,y', { a: 'x,y' }],
    ['a=x=y', { a: 'x=y' }],
    ['a=x.y[0]', { a: 'x.y[0]' }],
    ['l={x,2}', { l: ['x', 2] }],
    ['l={x,2},b=c', { l: ['x', 2], b: 'c' }],
    ['a.l={1,true,null}', { a: { l: [1, true, null] } }],
    ['l={}', { l: [''] }],
    ['l={a\\,b,c}', { l: ['a,b', 'c'] }],
    ['l[0]=foo', { l: ['foo'] }],
    ['l[0]=foo,l[1]=bar', { l: ['foo', 'bar'] }],
    ['l[1]=b', { l: [null, 'b'] }],
    ['l[0]={a,b}', { l: [['a', 'b']] }],
    ['l[0].name=c', { l: [{ name: 'c' }] }],
    ['l[0].name=c,l[0].v=1', { l: [{ name: 'c', v: 1 }] }],
    ['nested[0][0]=1', { nested: [[1]] }],
    ['nested[1][1]=1', { nested: [null, [null, 1]] }],
    ['a.b[0].c.d=x', { a: { b: [{ c: { d: 'x' } }] } }],
    ['labels.llm-d\\.ai/role=decode', { labels: { 'llm-d.ai/role': 'decode' } }],
    ['modelArtifacts.uri=pvc+hf://pvc-name/path/to/hf_hub_cache/facebook/opt-125m', { modelArtifacts: { uri: 'pvc+hf://pvc-name/path/to/hf_hub_cache/facebook/opt-125m' } }],
  ];
  test.each(cases)('%s', (expr, expected) => {
    const v: Record<string, unknown> = {};
    applySet(v, expr);
    expect(v).toStrictEqual(expected);
  });

  test('--set-string keeps strings, also in lists', () => {
    const v: Record<string, unknown> = {};
    applySet(v, 'a=1,b=true,l={1,null}', 'set-string');
    expect(v).toEqual({ a: '1', b: 'true', l: ['1', 'null'] });
  });

  test('--set-file reads the value from the named file', () => {
    const v: Record<string, unknown> = {};
    applySet(v, 'a.cfg=conf.yaml', 'set-file', undefined, (f) => `content of ${f}`);
    expect(v).toEqual({ a: { cfg: 'content of conf.yaml' } });
  });

  test('overrides merge into existing values', () => {
    const v: Record<string, unknown> = { decode: { replicas: 1, parallelism: { tensor: 8 } }, l: [{ name: 'a', x: 1 }, 'z'] };
    applySet(v, 'decode.replicas=3');
    applySet(v, 'l[0].x=2');
    applySet(v, 'l[1].y=3');
    expect(v).toEqual({ decode: { replicas: 3, parallelism: { tensor: 8 } }, l: [{ name: 'a', x: 2 }, { y: 3 }] });
  });

  test.each<[string, string]>([
    ['novalue', 'key "novalue" has no value'],
    ['a,b=1', 'key "a" has no value (cannot end with ,)'],
    ['a=1,,b=2', 'empty key'],
    ['=x', 'empty key'],
    ['a..b=1', 'empty key'],
    ['a[x]=1', 'error parsing index: "x" is not an integer'],
    ['a[0=1', 'error parsing index: unclosed "[0=1"'],
    ['a[-1]=1', 'negative -1 index not allowed'],
    ['a[65537]=1', 'index of 65537 is greater than maximum supported index of 65536'],
    ['a[0]x=1', 'unexpected data at end of array index: "x"'],
    ['l={a,b', "list must terminate with '}'"],
    ['a.b', 'key "b" has no value'],
  ])('bad expression %s is refused: %s', (expr, message) => {
    expect(() => applySet({}, expr)).toThrow(SetSyntaxError);
    expect(() => applySet({}, expr)).toThrow(`--set ${JSON.stringify(expr)}: ${message}`);
  });

  test('keys nested deeper than helm allows are refused', () => {
    expect(() => applySet({}, `${Array.from({ length: 32 }, (_, i) => `k${i}`).join('.')}=1`)).toThrow('maximum supported nested level of 30');
  });

  test.each<[Record<string, unknown>, string, string]>([
    [{ a: 'text' }, 'a.b=1', 'a is a string, not a map'],
    [{ a: null }, 'a.b=1', 'a is null, not a map'],
    [{ a: { b: 1 } }, 'a[0]=1', 'a is a map, not a list'],
    [{ a: [5] }, 'a[0][0]=1', 'a[0] is a number, not a list'],
  ])('like helm, --set cannot descend into a value of another kind (%j, %s)', (values, expr, message) => {
    expect(() => applySet(values, expr)).toThrow(message);
  });
});

describe('ValueSources (which file or --set set a key)', () => {
  test('files, maps merged from several files, and --set overrides', () => {
    const sources = new ValueSources();
    let v = mergeValues({}, { decode: { replicas: 1, containers: [{ name: 'a' }] }, routing: { proxy: { enabled: true } } }, sources, 'a.yaml');
    v = mergeValues(v, { decode: { replicas: 2 }, routing: 'x' }, sources, 'b.yaml');
    applySet(v, 'decode.containers[0].image=img', 'set', { sources, label: '--set decode.containers[0].image=img' });
    expect(sources.sourcesOf('decode.replicas')).toEqual(['b.yaml']);
    expect(sources.sourcesOf('decode.containers')).toEqual(['a.yaml']);
    expect(sources.sourcesOf('decode.containers[1].name')).toEqual(['a.yaml']);
    expect(sources.sourcesOf('decode.containers[0].image')).toEqual(['--set decode.containers[0].image=img']);
    expect(sources.sourcesOf('decode.containers[0].image.x')).toEqual(['--set decode.containers[0].image=img']);
    expect(sources.sourcesOf('routing')).toEqual(['b.yaml']);
    expect(sources.sourcesOf('routing.proxy.enabled')).toEqual(['b.yaml']);
    expect(sources.sourcesOf('decode').sort()).toEqual(['--set decode.containers[0].image=img', 'a.yaml', 'b.yaml']);
    expect(sources.sourcesOf('prefill.create')).toEqual([]);
  });
  test('a later value replaces what earlier sources set below it', () => {
    const sources = new ValueSources();
    const v = mergeValues({}, { a: { b: { c: 1 } } }, sources, 'a.yaml');
    applySet(v, 'a.b=flat', 'set', { sources, label: '--set a.b=flat' });
    expect(sources.entries()).toEqual([['a', 'a.yaml'], ['a.b', '--set a.b=flat']]);
    expect(sources.sourcesOf('a')).toEqual(['a.yaml']);
  });
});

describe('parseArgs', () => {
  test('render with all flags', () => {
    const a = parseArgs(['render', 'inferencepool', '--release', 'gaie', '-n', 'llm-d', '-f', 'a.yaml', '--values=b.yaml', '--set', 'x=1', '--set-string', 'y=2', '-o', 'out']);
    expect(a).toEqual({ command: 'render', chart: 'inferencepool', release: 'gaie', namespace: 'llm-d', valueFiles: ['a.yaml', 'b.yaml'], sets: [{ expr: 'x=1', kind: 'set' }, { expr: 'y=2', kind: 'set-string' }], outputDir: 'out', help: false });
  });
  test('--set-file and help topics', () => {
    expect(parseArgs(['render', 'c', '--set-file', 'a=f.txt']).sets).toEqual([{ expr: 'a=f.txt', kind: 'set-file' }]);
    expect(parseArgs(['help', 'convert'])).toMatchObject({ command: 'convert', help: true });
    expect(parseArgs(['render', '--help'])).toMatchObject({ command: 'render', help: true });
    expect(parseArgs([])).toMatchObject({ command: 'help' });
  });
  test('release may be positional like helm', () => {
    expect(parseArgs(['convert', 'llm-d-infra', 'infra']).release).toBe('infra');
  });
  test.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['render'], 'render needs a chart name'],
    [['render', 'x', '--bogus'], 'unknown flag "--bogus"'],
    [['render', 'x', '-f'], '-f needs a value'],
    [['convert', 'x', '-o', 'd'], '-o is only accepted by render'],
    [['help', 'frob'], 'unknown command "frob"'],
    [['render', 'x', 'rel', 'extra'], 'unexpected argument "extra"'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('toTypeScriptLiteral', () => {
  test('prints nested data with quoting and identifiers', () => {
    expect(toTypeScriptLiteral({ a: 1, 'llm-d.ai/role': "it's", l: [true, null], e: {}, n: [] , u: undefined })).toBe(
      "{\n  a: 1,\n  'llm-d.ai/role': 'it\\'s',\n  l: [true, null],\n  e: {},\n  n: [],\n}",
    );
  });
  test('long lists and lists of maps print one item a line', () => {
    expect(toTypeScriptLiteral([{ a: 1 }])).toBe('[\n  {\n    a: 1,\n  },\n]');
    const long = Array.from({ length: 12 }, (_, i) => `--flag-${i}`);
    expect(toTypeScriptLiteral(long).split('\n')).toHaveLength(14);
  });
  test('round-trips through eval', () => {
    const data = { s: 'a\nb\\c', deep: { x: [{ y: 'z' }] }, num: -1.5 };
    expect(new Function(`return ${toTypeScriptLiteral(data)};`)()).toEqual(data);
  });
});
