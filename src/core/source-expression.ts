// Values that are not plain data (a `PoolProvider.istio({...})`) say how to write them as
// TypeScript, so `cdk8s-llm-d convert` can print props that hold them without knowing their kinds.

/** The key of a value's own TypeScript spelling. */
export const SOURCE_EXPRESSION = Symbol.for('cdk8s-llm-d.sourceExpression');

/** A call that rebuilds the value, `<importName>.<method>(<argument>)`, or a constant, `<importName>.<method>`. */
export interface SourceExpression {
  /** Exported name to import from the package, e.g. `PoolProvider`. */
  readonly importName: string;
  /** Static method (or, with `constant`, static property) of it. */
  readonly method: string;
  /** The single argument (plain data), or undefined for none. */
  readonly argument?: unknown;
  /** The value is the static property itself, not a call. @default false */
  readonly constant?: boolean;
}

/** A value that can spell itself as TypeScript. */
export interface HasSourceExpression {
  [SOURCE_EXPRESSION](): SourceExpression;
}

export function hasSourceExpression(v: unknown): v is HasSourceExpression {
  return typeof v === 'object' && v !== null && typeof (v as Partial<HasSourceExpression>)[SOURCE_EXPRESSION] === 'function';
}
