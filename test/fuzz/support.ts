/**
 * Shared pieces of the property tests.
 *
 * Each property draws inputs (valid values mixed with junk) and judges them with an oracle the
 * test writes itself, from the rules as documented, not from the library's code:
 *
 * - `refusals(input)`: the problems the covered rules must raise, each as the rule's identity
 *   (construct path and the prop field the user wrote) and the refused value. When any is
 *   expected, synth must throw an LlmdValidationError whose `problems` hold every one of them.
 * - `valid(input)`: every value lies in its valid domain and no combination rule applies. Synth
 *   must then succeed.
 * - `meaning(input, objects)`: for every accepted input, the values reached the objects where
 *   they should (replicas in `spec.replicas`, parallelism in the serve args, ports in Services...).
 *
 * Accepted output must also be schema-valid; anything thrown other than LlmdValidationError fails.
 * Inputs neither refused by a covered rule nor valid (junk the oracle does not model) may go
 * either way, but when accepted their meaning is checked too.
 */
import { isDeepStrictEqual } from 'util';
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { LlmdValidationError, ReportedProblem, showValue } from '../../src/core/errors';
import { validateTree } from '../../src/synth/validate';
import { formatSchemaFindings, validateManifests } from '../../src/testing';
import { SCHEMA_OPTIONS } from '../security/corpus';

/** Fixed seed so failures reproduce; each suite passes its own path to vary the stream. */
export const SEED = 20260108;

/** A rendered object, read freely. */
export type Manifest = Record<string, any>;

export type SynthResult = { readonly accepted: true; readonly objects: Manifest[] } | { readonly accepted: false; readonly problems: readonly ReportedProblem[] };

/**
 * Builds and synthesizes in memory: the objects (checked against the schemas; findings throw) or
 * the problems of an LlmdValidationError. Any other exception propagates (failing the property).
 */
export function synth(build: (chart: Chart, app: App) => void): SynthResult {
  let objects: Manifest[];
  try {
    const app = new App({ outdir: '/nonexistent-fuzz-outdir' });
    const chart = new Chart(app, 'fuzz', { namespace: 'llm-d' });
    build(chart, app);
    validateTree(app);
    objects = app.charts.flatMap((c) => c.toJson() as Manifest[]);
  } catch (e) {
    if (e instanceof LlmdValidationError) return { accepted: false, problems: e.problems };
    throw e;
  }
  const findings = validateManifests(objects, SCHEMA_OPTIONS);
  if (findings.length > 0) throw new Error(`accepted input gave invalid manifests:\n${formatSchemaFindings(findings)}`);
  return { accepted: true, objects };
}

/** A problem a rule must raise: its identity (construct path and prop field) and the refused value. */
export interface Expected {
  readonly path: string;
  readonly field: string;
  /** The refused value (compared deeply, NaN equal to NaN). Left out when a rule reports a derived value. */
  readonly value?: unknown;
  /** A name to count the rule by when its field is shared with another rule. @default - the field, indexes dropped */
  readonly rule?: string;
}

/** The oracle of one property (see the module comment). */
export interface Oracle<T> {
  refusals(input: T): Expected[];
  valid(input: T): boolean;
  meaning(input: T, objects: Manifest[]): void;
}

/** What a property run saw. */
export interface OracleOutcome {
  /** Inputs the oracle refused, refused with every expected problem. */
  refusedByRule: number;
  /** Inputs the oracle called valid, accepted with their meaning. */
  acceptedValid: number;
  /** Inputs outside the oracle's model, accepted (meaning checked) or refused. */
  acceptedOther: number;
  refusedOther: number;
  /** Expected problems met, by rule name or field with indexes dropped (`models[].replicas`): which rules were exercised. */
  byRule: Record<string, number>;
}

/** How many times the named rules (see {@link OracleOutcome.byRule}) refused an input. */
export function hits(outcome: OracleOutcome, ...rules: string[]): number {
  return rules.reduce((n, r) => n + (outcome.byRule[r] ?? 0), 0);
}

/** `models[2].key` → `models[].key`. */
export function ruleKey(field: string): string {
  return field.replace(/\[[^\]]*\]/g, '[]');
}

/** Whether `problems` holds one with the expected path, field and value. */
export function holds(problems: readonly ReportedProblem[], e: Expected): boolean {
  return problems.some((p) => p.path === e.path && p.field === e.field && (!('value' in e) || isDeepStrictEqual(p.value, e.value)));
}

function showExpected(e: Expected): string {
  return `[${e.path}] ${e.field}${'value' in e ? ` = ${showValue(e.value)}` : ''}`;
}

function showProblems(problems: readonly ReportedProblem[]): string {
  return problems.map((p) => `  [${p.path}] ${p.message}`).join('\n');
}

/** Judges one result against the oracle; throws (failing the property) on a disagreement. */
export function judge<T>(input: T, result: SynthResult, oracle: Oracle<T>, outcome: OracleOutcome): void {
  const expected = oracle.refusals(input);
  const valid = oracle.valid(input);
  if (expected.length > 0 && valid) throw new Error(`oracle bug: valid input with expected refusals ${expected.map(showExpected).join(', ')}`);
  if (expected.length > 0) {
    if (result.accepted) throw new Error(`accepted, but the rules must refuse it with:\n${expected.map((e) => `  ${showExpected(e)}`).join('\n')}`);
    const missing = expected.filter((e) => !holds(result.problems, e));
    if (missing.length > 0) {
      throw new Error(`refused without the expected problem(s):\n${missing.map((e) => `  ${showExpected(e)}`).join('\n')}\ngot:\n${showProblems(result.problems)}`);
    }
    for (const e of expected) {
      const rule = e.rule ?? ruleKey(e.field);
      outcome.byRule[rule] = (outcome.byRule[rule] ?? 0) + 1;
    }
    outcome.refusedByRule++;
    return;
  }
  if (!result.accepted) {
    if (valid) throw new Error(`a valid input was refused:\n${showProblems(result.problems)}`);
    outcome.refusedOther++;
    return;
  }
  oracle.meaning(input, result.objects);
  if (valid) outcome.acceptedValid++;
  else outcome.acceptedOther++;
}

/**
 * Runs the property: every input judged by the oracle. With FUZZ_SURVEY=1 in the environment,
 * judges the same inputs without stopping or shrinking and fails with every disagreement (to
 * debug an oracle).
 */
export function checkOracle<T>(arb: fc.Arbitrary<T>, build: (input: T) => (chart: Chart, app: App) => void, oracle: Oracle<T>, numRuns: number, seed = SEED): OracleOutcome {
  const outcome: OracleOutcome = { refusedByRule: 0, acceptedValid: 0, acceptedOther: 0, refusedOther: 0, byRule: {} };
  if (process.env.FUZZ_SURVEY === '1') {
    const failures: string[] = [];
    for (const raw of fc.sample(arb, { seed, numRuns })) {
      const input = plain(raw);
      try {
        judge(input, synth(build(input)), oracle, outcome);
      } catch (e) {
        failures.push(`${JSON.stringify(input, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}\n${(e as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`${failures.length} disagreement(s):\n\n${failures.join('\n\n')}`);
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
    return outcome;
  }
  fc.assert(
    fc.property(arb, (raw) => {
      const input = plain(raw);
      judge(input, synth(build(input)), oracle, outcome);
    }),
    { seed, numRuns },
  );
  return outcome;
}

/** The objects of one kind. */
export function ofKind(objects: readonly Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}

/** The one object of a kind and name; fails when there is none. */
export function named(objects: readonly Manifest[], kind: string, name: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length} (have: ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')})`);
  return found[0];
}

/** The env value of a container, by name. */
export function envValue(container: Manifest, name: string): unknown {
  return (container.env ?? []).find((e: Manifest) => e.name === name)?.value;
}

/** The value following `flag` in an argument list (undefined when the flag is absent). */
export function argAfter(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

// --- the rules' domains as Kubernetes and the Gateway API document them -----------------------

export const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
export const isPositiveInt = (n: unknown): n is number => isInt(n) && n >= 1;
export const isNonNegativeInt = (n: unknown): n is number => isInt(n) && n >= 0;
/** A TCP/UDP port number. */
export const isPort = (n: unknown): n is number => isInt(n) && n >= 1 && n <= 65535;
/** RFC 1123 label (Namespace, Service, container names). */
export const isDnsLabel = (s: unknown): s is string => typeof s === 'string' && s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
/** RFC 1123 subdomain (most object names). */
export const isDnsSubdomain = (s: unknown): s is string => typeof s === 'string' && s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
/** IANA_SVC_NAME (container port names). */
export const isPortName = (s: unknown): s is string => typeof s === 'string' && s.length >= 1 && s.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');

/** Short strings of any printable ASCII. */
export const junkString = fc.string({ maxLength: 12 });

/** DNS-1123 labels. */
export const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);

/** The valid values the arbitraries below draw from, for the oracles' domain checks. */
export const VALID_LABEL_KEYS: readonly string[] = ['app', 'llm-d.ai/model', 'example.com/team', 'tier'];
export const VALID_QUANTITIES: readonly string[] = ['100m', '1', '2', '500Mi', '1Gi', '20Gi', '1.5', '4'];
/** Junk the arbitraries give that is no quantity at all (the constructs' quantity rule). */
export const MALFORMED_QUANTITIES: readonly string[] = ['5 GB'];
/** Junk that is a quantity, but negative (the API server's rule, not the constructs'). */
export const NEGATIVE_QUANTITIES: readonly string[] = ['-1Gi'];

/** The amount a quantity of {@link VALID_QUANTITIES} stands for. */
export function quantityValue(q: string): number {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi)?$/.exec(q);
  if (!m) throw new Error(`not a quantity of the valid domain: ${q}`);
  return Number(m[1]) * { '': 1, m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] ?? '']!;
}

/** Labels in the valid domain: known keys (or `extraKeys`), DNS-label or empty values. */
export function validLabels(labels: unknown, extraKeys: readonly string[] = []): boolean {
  return typeof labels === 'object' && labels !== null && Object.entries(labels).every(([k, v]) => (VALID_LABEL_KEYS.includes(k) || extraKeys.includes(k)) && (v === '' || isDnsLabel(v)));
}

/**
 * Arbitraries for one run: with `junk` off they give valid values only (the construct may still
 * refuse a combination), with it on they mix junk into 1 in 4 values. Properties draw from both
 * (`bothModes`), so many runs synthesize and many are refused.
 */
export function arbitraries(junk: boolean) {
  const mostly = <T, U>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
    junk ? fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: bad, weight: 1 }) : valid;
  const labelKey = mostly(fc.constantFrom(...VALID_LABEL_KEYS), fc.oneof(junkString, fc.constant('bad key!'), fc.constant('a/b/c')));
  const labelValue = mostly(fc.oneof(dnsLabel, fc.constant('')), fc.oneof(junkString, fc.constant('x'.repeat(64))));
  return {
    mostly,
    /** Names: valid DNS labels; junk, too long or upper case. */
    name: mostly(dnsLabel, fc.oneof(junkString, fc.constant('x'.repeat(70)), fc.constant('Upper_Case'))),
    /** Ports: 1-65535; out of range or fractional. */
    port: mostly(fc.integer({ min: 1, max: 65535 }), fc.oneof(fc.integer({ min: -5, max: 0 }), fc.integer({ min: 65536, max: 70000 }), fc.constant(80.5))),
    /** Kubernetes quantities. */
    quantity: mostly(fc.constantFrom(...VALID_QUANTITIES), fc.oneof(junkString, fc.constantFrom(...MALFORMED_QUANTITIES, ...NEGATIVE_QUANTITIES))),
    labels: fc.dictionary(labelKey, labelValue, { maxKeys: 3, noNullPrototype: true }),
    /** Integers 0..max; negative, fractional or NaN. */
    count: (max: number) => mostly(fc.integer({ min: 0, max }), fc.oneof(fc.integer({ min: -3, max: -1 }), fc.constant(1.5), fc.constant(Number.NaN))),
  };
}

export type Arbs = ReturnType<typeof arbitraries>;

/** An arbitrary built once from valid values only and once with junk, drawn from equally. */
export function bothModes<T>(build: (a: Arbs) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(build(arbitraries(false)), build(arbitraries(true)));
}

/**
 * fast-check builds records with a null prototype; users pass object literals. cdk8s cannot
 * serialize null-prototype objects (it reads `constructor.name`), so inputs are copied into plain
 * objects first. Class instances (constructs) are kept as they are.
 */
export function plain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plain) as unknown as T;
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto === null || proto === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) as T;
  }
  return v;
}
