import { IConstruct, IValidation, Node } from 'constructs';
import { useLibrarySynth } from './app-synth';

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

/**
 * Where the props of a construct that another construct built came from: the construct the user
 * configured (a stack) and, per field of the built construct's props, the prop the user wrote
 * (`decode.parallelism.tensor` → `models[0].tensorParallelism`). Undefined for a field the builder
 * derived itself: the problem then stays at the built construct's own path and field.
 */
export interface PropOrigin {
  /** The construct whose props the user wrote. */
  readonly scope: IConstruct;
  /** The user's prop path for a field of the built construct's props. */
  readonly userField: (field: string) => string | undefined;
  /**
   * A problem restated in the user's words when more than its field changes (the value the user
   * wrote, what is allowed of it); tried before `userField`.
   * @default - only the field is renamed
   */
  readonly userProblem?: (problem: Problem) => Problem | undefined;
}

const origins = new WeakMap<IConstruct, PropOrigin>();

/** Records that `built`'s props came from `origin`: its problems are reported in the user's words. */
export function setPropOrigin(built: IConstruct, origin: PropOrigin): void {
  origins.set(built, origin);
}

/**
 * A problem of `c` (or of an object of it) restated where the user wrote the value, through the
 * {@link setPropOrigin}s from `c` outwards; undefined when `c` was not built from a user's props.
 */
export function restate(c: IConstruct, p: Problem): { readonly path: string; readonly problem: Problem } | undefined {
  const r = restated(c, p);
  return r.at === c && r.problem === p ? undefined : { path: r.at.node.path, problem: r.problem };
}

/** Problems a construct's check found in another construct (a stack about a route of yours). */
const foundElsewhere = new WeakMap<Problem, IConstruct>();

/** `p`, to be reported at `c` whichever construct's check returns it. */
export function problemOf(c: IConstruct, p: Problem): Problem {
  foundElsewhere.set(p, c);
  return p;
}

function restated(c: IConstruct, p: Problem): { at: IConstruct; problem: Problem } {
  let at: IConstruct = foundElsewhere.get(p) ?? c;
  let problem = p;
  // A stack may build a construct that builds another: follow the chain to what the user wrote.
  for (let origin = origins.get(at), hops = 0; origin !== undefined && hops < 8; origin = origins.get(at), hops++) {
    const restatement = origin.userProblem?.(problem);
    const field = restatement === undefined ? origin.userField(problem.field) : restatement.field;
    if (field === undefined) break;
    problem = restatement ?? { ...problem, field };
    at = origin.scope;
  }
  return { at, problem };
}

/** A problem of `c` reported where the user wrote the value: through {@link setPropOrigin}s, outermost last. */
function reportAt(c: IConstruct, p: Problem): ReportedProblem {
  const { at, problem } = restated(c, p);
  const reported = reportProblem(at.node.path, problem);
  if (at !== c && !foundElsewhere.has(p)) named.add(reported);
  return reported;
}

/** Problems reported at a prop the user wrote rather than at the construct that found them. */
const named = new WeakSet<ReportedProblem>();

/**
 * `problems` without a repeat of a user's prop: two constructs built from one prop (the stack's
 * `maxRngdPerNode` reaches every model's service) report it once, the first time.
 */
export function withoutRepeatedProps(problems: readonly ReportedProblem[]): ReportedProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.field ?? ''}`;
    if (named.has(p) && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The user's prop path for `field` of `built`'s props, when another construct built it from the user's props. */
export function originField(built: IConstruct, field: string): string | undefined {
  return origins.get(built)?.userField(field);
}

/** Error thrown for bad input; carries every problem found, each with its path and field. */
export class LlmdValidationError extends Error {
  /** Every problem, in tree order; structured, so tools need not parse the message. */
  declare public readonly problems: readonly ReportedProblem[];

  constructor(problems: readonly ReportedProblem[]) {
    super(`cdk8s-llm-d: ${problems.length} problem(s) in the input:\n` + problems.map((p) => `  [${p.path}] ${p.message}`).join('\n'));
    this.name = 'LlmdValidationError';
    // Bad input is not a bug of the program: an uncaught one (`cdk8s synth`, a `main.ts`) prints
    // the list of problems, not the frames of the library that found them, nor the list again as
    // a raw object dump (Node prints an error's enumerable own properties).
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
    Object.defineProperty(this, 'stack', { value: `${this.name}: ${this.message}`, enumerable: false, writable: true, configurable: true });
  }
}

/**
 * Throws at construction time. Use only when a value makes further construction meaningless
 * (e.g. an unparseable model URI); everything else goes through {@link addProblems}.
 */
export function fail(scope: IConstruct, problem: Problem): never {
  throw new LlmdValidationError([reportAt(scope, problem)]);
}

/**
 * A synth-time check that keeps its problems structured for {@link structuredProblems}, and
 * still answers cdk8s's `node.validate()` (plain `app.synth()`) with messages.
 */
class ProblemCheck implements IValidation {
  constructor(private readonly scope: IConstruct, public readonly check: () => readonly Problem[]) {}

  public validate(): string[] {
    // validateTree reads the structured problems itself and must not count them twice.
    if (structuredPass) return [];
    return this.check().map((p) => {
      const r = reportAt(this.scope, p);
      return r.path === this.scope.node.path ? r.message : `(${r.path}) ${r.message}`;
    });
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
  useLibrarySynth(scope);
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
  const c = new ProblemCheck(scope, check);
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
    for (const p of check.check()) out.push(reportAt(c, p));
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
  return (warningChecks.get(c) ?? []).flatMap((check) => check().map((p) => {
    const r = reportAt(c, p);
    return { ...r, message: `${r.field}: ${p.why ?? ''}; ${p.allowed}` };
  }));
}
