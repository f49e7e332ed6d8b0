/**
 * src/core/user-paths.ts, the naming of a built construct's field by the prop the user wrote,
 * pinned down case by case: written to kill the mutants StrykerJS left alive (docs/mutation.md).
 */
import { givenField, join, tableField, topKey } from '../../src/core/user-paths';

describe('topKey', () => {
  test.each([
    ['decode.parallelism.tensor', 'decode'],
    ['containers[0].args', 'containers'],
    ['replicas', 'replicas'],
    ['', ''],
    // A field that starts with a separator has an empty top key, not the whole field.
    ['[0].name', ''],
    ['.a', ''],
  ])('%j → %j', (field, top) => {
    expect(topKey(field)).toBe(top);
  });
});

describe('givenField', () => {
  const given = {
    decode: { parallelism: { tensor: 0 }, monitoring: {} },
    containers: [{ name: 'vllm', args: ['--a', '--b'] }],
    scalar: 5,
    nothing: null,
    unset: undefined,
  };

  test('a field the user wrote, or whose parent the user wrote, is named under the prefix', () => {
    expect(givenField('decode.parallelism.tensor', given, 'models[0].modelService')).toBe('models[0].modelService.decode.parallelism.tensor');
    expect(givenField('decode.parallelism', given, 'ms')).toBe('ms.decode.parallelism');
    expect(givenField('decode', given, 'ms')).toBe('ms.decode');
  });

  test('list indexes are followed, and kept as written', () => {
    expect(givenField('containers[0].args[1]', given, 'ms')).toBe('ms.containers[0].args[1]');
    expect(givenField('containers[0].name', given, 'ms')).toBe('ms.containers[0].name');
    expect(givenField('containers[1].name', given, 'ms')).toBeUndefined();
    expect(givenField('containers[0].args[2]', given, 'ms')).toBeUndefined();
  });

  test('an empty prefix gives the field itself', () => {
    expect(givenField('decode.parallelism.tensor', given, '')).toBe('decode.parallelism.tensor');
    expect(givenField('containers[0]', given, '')).toBe('containers[0]');
  });

  test('a field the user did not write is not named', () => {
    expect(givenField('decode.monitoring.podMonitor', given, 'ms')).toBeUndefined();
    expect(givenField('prefill.replicas', given, 'ms')).toBeUndefined();
    expect(givenField('decode.replicas', given, 'ms')).toBeUndefined();
  });

  test('a path through a scalar or null stops there', () => {
    expect(givenField('scalar.x', given, 'ms')).toBeUndefined();
    expect(givenField('nothing.x', given, 'ms')).toBeUndefined();
    // The scalar or null itself was written by the user.
    expect(givenField('scalar', given, 'ms')).toBe('ms.scalar');
    expect(givenField('nothing', given, 'ms')).toBe('ms.nothing');
  });

  test('a key present with the value undefined was not written', () => {
    expect(givenField('unset', given, 'ms')).toBeUndefined();
    expect(givenField('unset.x', given, 'ms')).toBeUndefined();
  });

  test('inherited properties are not fields the user wrote', () => {
    expect(givenField('toString', given, 'ms')).toBeUndefined();
    expect(givenField('decode.constructor', given, 'ms')).toBeUndefined();
    expect(givenField('__proto__', {}, 'ms')).toBeUndefined();
  });

  test('no overrides, or a field with no parts, names nothing', () => {
    expect(givenField('decode', undefined, 'ms')).toBeUndefined();
    expect(givenField('', given, 'ms')).toBeUndefined();
    expect(givenField('..', given, 'ms')).toBeUndefined();
  });
});

describe('tableField', () => {
  const table = {
    'decode.replicas': 'models[0].replicas',
    'decode.containers[0].args': 'models[0].servingArgs',
    'decode.containers[0]': 'models[0].container',
    decode: 'models[0].decode',
    'image': 'models[0].image',
  };

  test('an exact entry', () => {
    expect(tableField('decode.replicas', table)).toBe('models[0].replicas');
    expect(tableField('image', table)).toBe('models[0].image');
  });

  test('the longest entry that is a parent, with the rest of the field kept', () => {
    expect(tableField('decode.containers[0].args[2]', table)).toBe('models[0].servingArgs[2]');
    expect(tableField('decode.containers[0].env[1].value', table)).toBe('models[0].container.env[1].value');
    expect(tableField('decode.parallelism.tensor', table)).toBe('models[0].decode.parallelism.tensor');
    expect(tableField('decode[3]', { decode: 'd' })).toBe('d[3]');
  });

  test('the longest entry wins whatever the order of the table', () => {
    const reversed = Object.fromEntries(Object.entries(table).reverse());
    expect(tableField('decode.containers[0].args[2]', reversed)).toBe('models[0].servingArgs[2]');
    expect(tableField('decode.replicas', reversed)).toBe('models[0].replicas');
  });

  test('a field that only starts with the letters of an entry is not under it', () => {
    expect(tableField('decodeX', table)).toBeUndefined();
    expect(tableField('decode.replicasMax', table)).toBe('models[0].decode.replicasMax');
    expect(tableField('imagePullPolicy', table)).toBeUndefined();
    expect(tableField('prefill.replicas', table)).toBeUndefined();
    expect(tableField('x', {})).toBeUndefined();
  });
});

describe('join', () => {
  test.each([
    ['', 'a.b', 'a.b'],
    ['', '[0]', '[0]'],
    ['p', 'a', 'p.a'],
    ['p', '[0].a', 'p[0].a'],
    ['models[1]', 'x', 'models[1].x'],
  ])('%j + %j → %j', (prefix, field, joined) => {
    expect(join(prefix, field)).toBe(joined);
  });
});

describe('givenField with list indices of more than one digit', () => {
  test('containers[10].args is found under the eleventh container', () => {
    const containers = Array.from({ length: 11 }, (_, i) => (i === 10 ? { args: ['--x'] } : {}));
    expect(givenField('decode.containers[10].args', { decode: { containers } }, 'models[0].modelService')).toBe('models[0].modelService.decode.containers[10].args');
    expect(givenField('decode.containers[10].image', { decode: { containers } }, 'p')).toBeUndefined();
  });
});
