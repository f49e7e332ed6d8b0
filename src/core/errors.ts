import { IConstruct, Node } from 'constructs';

/**
 * One thing wrong with the input: which field, what value it had, and what is allowed instead.
 * Every refusal in this library is expressed as a Problem so messages have one shape:
 * `[construct/path] field: value "x" is not allowed; allowed: ...`.
 */
export interface Problem {
  /** Dotted path of the offending prop, e.g. `decode.parallelism.tensor`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What would have been accepted. */
  readonly allowed: string;
  /** Why the value is refused, when that is not obvious from `allowed`. */
  readonly why?: string;
}

/** Renders a value for an error message: strings quoted, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  } catch {
    return String(value);
  }
}

/** `field: value "x" is not allowed (why); allowed: ...` */
export function describeProblem(p: Problem): string {
  const why = p.why ? ` (${p.why})` : '';
  return `${p.field}: value ${showValue(p.value)} is not allowed${why}; allowed: ${p.allowed}`;
}

/** Error thrown for bad input; carries the construct path and every problem found. */
export class LlmdValidationError extends Error {
  constructor(public readonly problems: ReadonlyArray<{ readonly path: string; readonly message: string }>) {
    super(
      `cdk8s-llm-d: ${problems.length} problem(s) in the input:\n` +
        problems.map((p) => `  [${p.path}] ${p.message}`).join('\n'),
    );
    this.name = 'LlmdValidationError';
  }
}

/**
 * Throws at construction time. Use only when a value makes further construction meaningless
 * (e.g. an unparseable model URI); everything else goes through {@link addProblems}.
 */
export function fail(scope: IConstruct, problem: Problem): never {
  throw new LlmdValidationError([{ path: scope.node.path, message: describeProblem(problem) }]);
}

/**
 * Registers a synth-time check. The check runs when the app is validated (`cdk8s synth`,
 * `App.synth()`, {@link validateTree}, `synthApp`) after every relation method has been called, and each
 * problem it returns is reported with the construct's path.
 */
export function addProblems(scope: IConstruct, check: () => readonly Problem[]): void {
  Node.of(scope).addValidation({ validate: () => check().map(describeProblem) });
}
