/**
 * Props read once into plain data. A construct's props come from code, and TypeScript's types let
 * through values no one means: getters and Proxies that answer differently on each read, objects
 * whose `toString` changes its answer, cyclic objects, arrays with holes. A construct that reads
 * `props.x` once to validate it and again to render it could then validate one value and render
 * another. Every public construct therefore calls {@link plainProps} on the first line of its
 * constructor and uses only the copy it returns:
 *
 * - **Plain data is copied, each property read exactly once.** A plain object (prototype
 *   `Object.prototype` or `null`, a Proxy of one included) is copied by its own enumerable string
 *   keys, an array by its indexes `0 .. length - 1`; each value is read once (a getter or a Proxy's
 *   `get` runs once and its result is used) and copied in turn. Symbol keys, non-enumerable
 *   properties and an array's non-index keys are ignored (they are never props). The same object
 *   met twice (not a cycle) is read once and its one copy used in both places.
 * - **Everything else is kept as it is:** primitives, functions, and objects of any other prototype:
 *   constructs, cdk8s and cdk8s-plus objects, and this library's own classes (`PoolProvider`,
 *   `ModelServerEngine`, `HubClient`, `SchedulerRelease`, `EndpointPickerConfig`,
 *   `AutoscalingSignal`, PromQL expressions), whose state is theirs.
 * - **A conversion runs once.** A plain object with its own enumerable `toString` function stands
 *   for a string (as a name cast to `string`): its `toString` is called once, with the object as
 *   `this`, and the string is the copy (`valueOf`, when there is no own `toString`, gives a
 *   string, number, boolean or bigint the same way); a value used in a name is then one string
 *   however often it is used. A plain object's own `toJSON` is called at most once (on first use)
 *   and its answer kept. A class instance's methods are its own (kept as it is, above).
 * - **Refused with the field named** (an {@link LlmdValidationError} at the construct's path):
 *   a cycle (`a cycle: the value refers back to models[0]`), a hole in an array
 *   (`a sparse array: index 3 is a hole`), an array length that is not one, nesting deeper than
 *   {@link PLAIN_PROPS_LIMITS}`.maxDepth` levels, more than `maxEntries` keys and array items in
 *   all, and a read that throws (a getter or Proxy trap), with its message but no stack trace.
 */
import { IConstruct } from 'constructs';
import { fail, LlmdValidationError, Problem, reportProblem } from './errors';

/** Bounds of one construct's props: far above any real configuration, far below what hurts. */
export const PLAIN_PROPS_LIMITS = {
  /** Levels of nested objects and arrays (the props object itself is level 0). */
  maxDepth: 64,
  /** Object keys and array items, all levels together. */
  maxEntries: 1_000_000,
} as const;

/** Own methods that make a plain object stand for a primitive, in the order JavaScript tries them for a string. */
const CONVERSIONS = ['toString', 'valueOf'] as const;

/** The one refusal a copy ends in (thrown through the recursion, reported at the construct's path). */
class Refusal {
  constructor(public readonly problem: Problem) {}
}

interface CopyState {
  /** Objects being copied (ancestors of the current value), with their prop paths: a cycle is one of them met again. */
  readonly open: Map<object, string>;
  /** Objects already copied: met again (shared, not a cycle), their copy is reused. */
  readonly copies: Map<object, unknown>;
  entries: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `a.b`, or `a["app.kubernetes.io/name"]` for a key that is not an identifier. */
function keyPath(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function shownPath(path: string): string {
  return path === '' ? '(the props)' : path;
}

/** The message of something a getter or Proxy trap threw, without its stack; never throws itself. */
function thrownMessage(e: unknown): string {
  try {
    const m = e instanceof Error ? e.message : typeof e === 'string' ? e : undefined;
    if (typeof m !== 'string') return 'a value that is not an Error';
    // One line: a message cannot add lines (or a stack) to the error's list of problems.
    // eslint-disable-next-line no-control-regex -- the control characters are what is replaced
    const line = m.replace(/\s*[\u0000-\u001f\u007f-\u009f\u2028\u2029]+\s*/g, ' ');
    return line.length > 200 ? `${line.slice(0, 197)}...` : line;
  } catch {
    return 'an error whose message cannot be read';
  }
}

/** Runs one read of the input (a getter, a Proxy trap); what it throws becomes a refusal at `path`. */
function read<T>(path: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Refusal) throw e;
    throw new Refusal({ field: shownPath(path), value: undefined, why: `reading ${what} threw: ${thrownMessage(e)}`, allowed: 'a value that can be read (a getter or Proxy that does not throw)' });
  }
}

/** `fn`, called at most once: later calls give the first call's answer (or throw its error again). */
function calledOnce(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  let outcome: { value: unknown } | { error: unknown } | undefined;
  return function (this: unknown, ...args: unknown[]): unknown {
    if (outcome === undefined) {
      try {
        outcome = { value: fn.apply(this, args) };
      } catch (error) {
        outcome = { error };
      }
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
}

function countEntry(state: CopyState, path: string): void {
  state.entries += 1;
  if (state.entries > PLAIN_PROPS_LIMITS.maxEntries) {
    throw new Refusal({ field: shownPath(path), value: `[entry ${state.entries}]`, why: `the props hold more than ${PLAIN_PROPS_LIMITS.maxEntries} keys and array items`, allowed: `at most ${PLAIN_PROPS_LIMITS.maxEntries} keys and array items in all` });
  }
}

function copyValue(value: unknown, path: string, depth: number, state: CopyState): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const back = state.open.get(value);
  if (back !== undefined) {
    throw new Refusal({ field: shownPath(path), value: { $ref: shownPath(back) }, why: `a cycle: the value refers back to ${shownPath(back)}`, allowed: 'plain data without cycles (each object and array holds only values below it)' });
  }
  if (state.copies.has(value)) return state.copies.get(value);
  const isArray = read(path, 'whether it is an array', () => Array.isArray(value));
  const proto = isArray ? Array.prototype : read(path, 'its prototype', () => Object.getPrototypeOf(value) as unknown);
  if (!isArray && proto !== Object.prototype && proto !== null) return value;
  if (depth > PLAIN_PROPS_LIMITS.maxDepth) {
    throw new Refusal({ field: shownPath(path), value: `[nested ${depth} levels deep]`, why: `nested deeper than ${PLAIN_PROPS_LIMITS.maxDepth} levels`, allowed: `objects and arrays nested at most ${PLAIN_PROPS_LIMITS.maxDepth} levels deep` });
  }
  state.open.set(value, path);
  const copy = isArray ? copyArray(value as readonly unknown[], path, depth, state) : copyObject(value, proto === null, path, depth, state);
  state.open.delete(value);
  state.copies.set(value, copy);
  return copy;
}

function copyArray(array: readonly unknown[], path: string, depth: number, state: CopyState): unknown[] {
  const length = read(path, 'its length', () => array.length as unknown);
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new Refusal({ field: shownPath(path), value: length, why: 'the array\'s length is not a whole number', allowed: 'an array' });
  }
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const at = `${path}[${i}]`;
    countEntry(state, at);
    const present = read(at, 'the item', () => Object.prototype.hasOwnProperty.call(array, i));
    if (!present) {
      throw new Refusal({ field: at, value: undefined, why: `a sparse array: index ${i} is a hole`, allowed: `an array without holes: every index from 0 to ${length - 1} set (remove the entry, or set it)` });
    }
    out.push(copyValue(read(at, 'the item', () => array[i]), at, depth + 1, state));
  }
  return out;
}

function copyObject(object: object, nullPrototype: boolean, path: string, depth: number, state: CopyState): unknown {
  const keys = read(path, 'its keys', () => Object.keys(object));
  const got = new Map<string, unknown>();
  for (const method of CONVERSIONS) {
    if (!keys.includes(method)) continue;
    const at = keyPath(path, method);
    countEntry(state, at);
    const fn = read(at, 'the property', () => (object as Record<string, unknown>)[method]);
    got.set(method, fn);
    if (typeof fn === 'function') return convertOnce(object, fn as () => unknown, method, path);
  }
  const out: Record<string, unknown> = nullPrototype ? Object.create(null) : {};
  for (const key of keys) {
    const at = keyPath(path, key);
    if (!got.has(key)) countEntry(state, at);
    const raw = got.has(key) ? got.get(key) : read(at, 'the property', () => (object as Record<string, unknown>)[key]);
    let v = copyValue(raw, at, depth + 1, state);
    if (key === 'toJSON' && typeof v === 'function') v = calledOnce(v as (...args: unknown[]) => unknown);
    // `__proto__` is an own key here (a JSON object can hold one): define it, never set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

/** A plain object with its own `toString` (or `valueOf`): the primitive it stands for, converted once. */
function convertOnce(object: object, fn: () => unknown, method: 'toString' | 'valueOf', path: string): unknown {
  const r = read(path, `its ${method}()`, () => fn.call(object));
  if (typeof r === 'string' || typeof r === 'number' || typeof r === 'boolean' || typeof r === 'bigint') return method === 'toString' ? String(r) : r;
  throw new Refusal({ field: shownPath(path), value: undefined, why: `its own ${method}() gave ${r === null ? 'null' : typeof r}, not a string or number`, allowed: `a string or number, or an object without its own ${method}` });
}

/**
 * A construct's props as plain data, every property read exactly once (see the module comment).
 * Call it on the first line of the constructor, after `super(scope, id)`, with `this` as `scope`;
 * a constructor that must pass props to `super` (a Chart) calls it before, with its `scope` and
 * `id`. Throws an {@link LlmdValidationError} naming the construct path and the prop path.
 */
export function plainProps<T>(scope: IConstruct, props: T, id?: string): T {
  try {
    return copyValue(props, '', 0, { open: new Map(), copies: new Map(), entries: 0 }) as T;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    if (id === undefined) fail(scope, e.problem);
    // Before super(): the construct does not exist yet; report at the path it would have.
    throw new LlmdValidationError([reportProblem([scope.node.path, id].filter((s) => s !== '').join('/'), e.problem)]);
  }
}
