import { IConstruct, IValidation, Node } from 'constructs';

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

/**
 * A problem as reported: where it was found (a construct path, or a values file and key) and the
 * printed message. `field`, `value` and `allowed` are absent only for messages of validations
 * that are not this library's (another construct's `node.addValidation`).
 */
export interface ReportedProblem extends Partial<Problem> {
  /** Construct path (`app/chart/pool`) or values source (`values.yaml`, `--set a=b`). */
  readonly path: string;
  /** The message, `field: value "x" is not allowed; allowed: ...`. */
  readonly message: string;
}

/** Renders a value for an error message: strings quoted, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
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

/** A {@link Problem} found at `path`, ready to report. */
export function reportProblem(path: string, p: Problem): ReportedProblem {
  return { path, field: p.field, value: p.value, allowed: p.allowed, ...(p.why !== undefined ? { why: p.why } : {}), message: describeProblem(p) };
}

/** Error thrown for bad input; carries every problem found, each with its path and field. */
export class LlmdValidationError extends Error {
  /** Every problem, in tree order; structured, so tools need not parse the message. */
  public readonly problems: readonly ReportedProblem[];

  constructor(problems: readonly ReportedProblem[]) {
    super(`cdk8s-llm-d: ${problems.length} problem(s) in the input:\n` + problems.map((p) => `  [${p.path}] ${p.message}`).join('\n'));
    this.name = 'LlmdValidationError';
    this.problems = problems;
  }
}

/**
 * Throws at construction time. Use only when a value makes further construction meaningless
 * (e.g. an unparseable model URI); everything else goes through {@link addProblems}.
 */
export function fail(scope: IConstruct, problem: Problem): never {
  throw new LlmdValidationError([reportProblem(scope.node.path, problem)]);
}

/**
 * A synth-time check that keeps its problems structured for {@link structuredProblems}, and
 * still answers cdk8s's `node.validate()` (plain `app.synth()`) with messages.
 */
class ProblemCheck implements IValidation {
  constructor(public readonly check: () => readonly Problem[]) {}

  public validate(): string[] {
    // validateTree reads the structured problems itself and must not count them twice.
    return structuredPass ? [] : this.check().map(describeProblem);
  }
}

const checks = new WeakMap<IConstruct, ProblemCheck[]>();
let structuredPass = false;

type AppRules = (root: IConstruct) => readonly ReportedProblem[];
let appRules: AppRules | undefined;
const appsWithRules = new WeakSet<IConstruct>();

/**
 * Sets the app-wide rules (object rules, name collisions, overlapping selectors) that plain
 * `app.synth()` and `cdk8s synth` run through a validation on the app's root: `validateTree` and
 * `synthApp` run them themselves, structured. Set once by synth/validate.
 */
export function setAppRules(rules: AppRules): void {
  appRules = rules;
}

/** Adds the app-wide rules to the root of `scope`'s tree, once per tree. */
function addAppRules(scope: IConstruct): void {
  const root = scope.node.root;
  if (appRules === undefined || appsWithRules.has(root)) return;
  appsWithRules.add(root);
  const rules = appRules;
  Node.of(root).addValidation({ validate: () => (structuredPass ? [] : rules(root).map((p) => `[${p.path}] ${p.message}`)) });
}

/** Runs `f` as validateTree does: the validations registered here then answer nothing (it reads them structured). */
function inStructuredPass<T>(f: () => T): T {
  const was = structuredPass;
  structuredPass = true;
  try {
    return f();
  } finally {
    structuredPass = was;
  }
}

/**
 * Registers a synth-time check. The check runs when the app is validated (`cdk8s synth`,
 * `App.synth()`, `validateTree`, `synthApp`) after every relation method has been called, and each
 * problem it returns is reported with the construct's path.
 */
export function addProblems(scope: IConstruct, check: () => readonly Problem[]): void {
  addAppRules(scope);
  const c = new ProblemCheck(check);
  Node.of(scope).addValidation(c);
  const list = checks.get(scope);
  if (list === undefined) checks.set(scope, [c]);
  else list.push(c);
}

/**
 * Every problem of one construct: this library's checks structured, other validations'
 * messages as they are.
 */
export function structuredProblems(c: IConstruct): ReportedProblem[] {
  const path = c.node.path;
  const out: ReportedProblem[] = [];
  for (const check of checks.get(c) ?? []) {
    for (const p of check.check()) out.push(reportProblem(path, p));
  }
  for (const message of inStructuredPass(() => c.node.validate())) out.push({ path, message });
  return out;
}

const warningChecks = new WeakMap<IConstruct, Array<() => readonly Problem[]>>();

/**
 * Registers a synth-time check whose findings are warnings: the cluster accepts the objects but
 * they are likely not what was meant. `validateTree` hands them to its `warn` callback (synthApp
 * prints them on stderr, the CLI too); they never stop a synth.
 */
export function addWarnings(scope: IConstruct, check: () => readonly Problem[]): void {
  const list = warningChecks.get(scope);
  if (list === undefined) warningChecks.set(scope, [check]);
  else list.push(check);
}

/** The warnings of one construct, reported at its path. */
export function constructWarnings(c: IConstruct): ReportedProblem[] {
  return (warningChecks.get(c) ?? []).flatMap((check) => check().map((p) => ({ ...reportProblem(c.node.path, p), message: `${p.field}: ${p.why ?? ''}; ${p.allowed}` })));
}
