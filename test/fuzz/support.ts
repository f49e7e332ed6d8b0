/**
 * Shared pieces of the property tests: the property itself (synth succeeds and every object is
 * schema-valid, or synth refuses with LlmdValidationError and nothing else) and small arbitraries
 * that mix valid values with junk.
 */
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { LlmdValidationError } from '../../src/core/errors';
import { validateTree } from '../../src/synth/validate';
import { formatSchemaFindings, validateManifests } from '../../src/testing';
import { SCHEMA_OPTIONS } from '../security/corpus';

/** Fixed seed so failures reproduce; each suite passes its own path to vary the stream. */
export const SEED = 20260108;

export interface Outcome {
  accepted: number;
  refused: number;
}

/**
 * Builds and synthesizes in memory. Returns 'accepted' when every object validates against the
 * schemas, 'refused' on an LlmdValidationError; throws (failing the property) on schema findings
 * or on any other exception type.
 */
export function synthOutcome(build: (chart: Chart, app: App) => void): 'accepted' | 'refused' {
  let objects: object[];
  try {
    const app = new App({ outdir: '/nonexistent-fuzz-outdir' });
    const chart = new Chart(app, 'fuzz', { namespace: 'llm-d' });
    build(chart, app);
    validateTree(app);
    objects = app.charts.flatMap((c) => c.toJson() as object[]);
  } catch (e) {
    if (e instanceof LlmdValidationError) return 'refused';
    throw e;
  }
  const findings = validateManifests(objects, SCHEMA_OPTIONS);
  if (findings.length > 0) throw new Error(`accepted input gave invalid manifests:\n${formatSchemaFindings(findings)}`);
  return 'accepted';
}

/** Runs the property and returns how many inputs were accepted and refused. */
export function check<T>(arb: fc.Arbitrary<T>, build: (input: T) => (chart: Chart, app: App) => void, numRuns: number): Outcome {
  const outcome: Outcome = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(arb, (input) => {
      outcome[synthOutcome(build(plain(input)))]++;
    }),
    { seed: SEED, numRuns },
  );
  return outcome;
}

/** Short strings of any printable ASCII. */
export const junkString = fc.string({ maxLength: 12 });

/** DNS-1123 labels. */
export const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);

/**
 * Arbitraries for one run: with `junk` off they give valid values only (the construct may still
 * refuse a combination), with it on they mix junk into 1 in 4 values. Properties draw from both
 * (`bothModes`), so many runs synthesize and many are refused.
 */
export function arbitraries(junk: boolean) {
  const mostly = <T, U>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
    junk ? fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: bad, weight: 1 }) : valid;
  const labelKey = mostly(fc.constantFrom('app', 'llm-d.ai/model', 'example.com/team', 'tier'), fc.oneof(junkString, fc.constant('bad key!'), fc.constant('a/b/c')));
  const labelValue = mostly(fc.oneof(dnsLabel, fc.constant('')), fc.oneof(junkString, fc.constant('x'.repeat(64))));
  return {
    mostly,
    /** Names: valid DNS labels; junk, too long or upper case. */
    name: mostly(dnsLabel, fc.oneof(junkString, fc.constant('x'.repeat(70)), fc.constant('Upper_Case'))),
    /** Ports: 1-65535; out of range or fractional. */
    port: mostly(fc.integer({ min: 1, max: 65535 }), fc.oneof(fc.integer({ min: -5, max: 0 }), fc.integer({ min: 65536, max: 70000 }), fc.constant(80.5))),
    /** Kubernetes quantities. */
    quantity: mostly(fc.constantFrom('100m', '1', '2', '500Mi', '1Gi', '20Gi', '1.5', '4'), fc.oneof(junkString, fc.constant('5 GB'), fc.constant('-1Gi'))),
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
