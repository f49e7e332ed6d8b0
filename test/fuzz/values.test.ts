/**
 * Property tests over values files: each reference case's values with random keys replaced by
 * junk (wrong types, negative and huge numbers, hostile strings, nulls, extra keys) are rendered
 * by the CLI, which either exits 0 with manifests that pass the schema validation, or exits 2 with
 * the problems listed and nothing on stdout. Never an internal error. An oracle knows some keys:
 * a `replicas`, a `containerPort` or a parallelism size given a value of the wrong type or out of
 * range must be refused naming that key (and the file) with that value.
 *
 * The furiosa-modelservice cases with random parallelism and replicas, judged by the oracle:
 * tensor/data/pipeline sizes not integers (the values schema) or not positive (the construct), and
 * replicas not integers or negative, are refused naming the key and value; valid sizes needing
 * more than 8 RNGD cards a pod (`ceil(tensor * data * pipeline / 8)`) are refused by the RNGD rule
 * (`decode.parallelism`); a parallelism of 0 is unset (the chart's default); everything else
 * renders, with the replicas in the decode Deployment, the sizes in the `furiosa-llm serve` flags
 * and env, and the cards in the `furiosa.ai/rngd` requests and limits (with DRA, the chart's claim
 * template count of 1 device).
 *
 * And the hostile-key property: `__proto__`, `constructor` or `prototype` anywhere in a values file
 * is refused, and rendering the same values without it afterwards prints exactly what it printed
 * before (no state leaks from a hostile file into the next render).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseValuesYaml } from '../../src/cli/values';
import { formatSchemaFindings, validateManifests } from '../../src/testing';
import { parseManifests } from '../../src/testing/semdiff';
import { cli, CliCase, registeredCases } from '../cli/support';
import { SCHEMA_OPTIONS } from '../security/corpus';
import { argAfter, envValue, isNonNegativeInt, isPort, isPositiveInt, Manifest, named, ofKind, SEED } from './support';

type Tree = unknown;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-values-fuzz-'));
const CASES = registeredCases();

/** Every key path of a values tree (maps and lists), the root excluded. */
function paths(v: Tree, at: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...at, i], ...paths(x, [...at, i])]);
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]);
  return [];
}

/** A copy of `v` with the value at `where` replaced (or, for `add`, a key added to the map there). */
function edit(v: Tree, where: ReadonlyArray<string | number>, replace: (old: Tree) => Tree): Tree {
  if (where.length === 0) return replace(v);
  const [head, ...rest] = where;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? edit(x, rest, replace) : x));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, Tree> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: k === head ? edit(x, rest, replace) : x, enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

const junk: fc.Arbitrary<Tree> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 70000, '', ' ', '-512Mi', '0', '1e400', 'Upper Case', 'a\r\nb', '{{ .Release.Name }}', 'x'.repeat(300), '=', '../..', []),
  fc.constantFrom({}, { extra: 1 }, [{ name: 'x' }], [1, 'a', null]),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -100, max: 100000 }),
);

interface Mutation {
  readonly c: CliCase;
  readonly pick: number;
  readonly value: Tree;
  readonly addKey: string | undefined;
  /** Pick among the keys the oracle knows (half the runs). */
  readonly known: boolean;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  c: fc.constantFrom(...CASES.map((x) => x.name)).map((n) => CASES.find((x) => x.name === n)!),
  pick: fc.nat(),
  value: junk,
  addKey: fc.option(fc.constantFrom('extra', 'replicas', 'name', 'image', 'port'), { nil: undefined }),
  known: fc.boolean(),
});

function valuesOf(c: CliCase): Tree {
  return parseValuesYaml(fs.readFileSync(path.join(c.dir, 'values.yaml'), 'utf8')) ?? {};
}

function render(c: CliCase, values: Tree) {
  const file = path.join(tmp, `${c.name}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return cli(['render', c.chart, '--release', c.ref.release, '--namespace', c.ref.namespace, '-f', file, ...c.ref.sets.flatMap((s) => ['--set', s])], tmp);
}

/** A values key path as the problems name it: `decode.containers[0].ports[0].containerPort`. */
function fieldOf(where: ReadonlyArray<string | number>): string {
  return where.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The problems the CLI printed (`  [source] field: value V is not allowed ...`). */
function printedProblems(stderr: string): Array<{ source: string; field: string; value: string }> {
  return [...stderr.matchAll(/^ {2}\[([^\]]*)\] (\S+): value (.*?) is not allowed/gm)].map(([, source, field, value]) => ({ source, field, value }));
}

/** Asserts the CLI refused the values naming `field` of the values file, with `value` when it is printed whole. */
function expectRefusedAt(r: { code: number; stdout: string; stderr: string }, c: CliCase, field: string, value: unknown): void {
  const shown = JSON.stringify(value);
  const found = printedProblems(r.stderr).some((p) => p.field === field && p.source.includes(path.join(tmp, `${c.name}.json`)) && (shown.length > 200 || p.value === shown));
  if (r.code !== 2 || !found) throw new Error(`${c.name}: expected exit 2 naming ${field} = ${shown}; got exit ${r.code}:\n${r.stderr.slice(0, 2000)}`);
  expect(r.stdout).toBe('');
}

/**
 * The oracle of known keys (a value replacing a number): what the rules must refuse. Null is left
 * out (Helm deletes a key set to null: the chart's default applies).
 */
function knownKeyRefusal(where: ReadonlyArray<string | number>, old: Tree, value: Tree): boolean {
  if (typeof old !== 'number' || value === null) return false;
  const key = where[where.length - 1];
  if (key === 'replicas') return !isNonNegativeInt(value);
  if (key === 'containerPort') return !isPort(value);
  // The chart treats a parallelism of 0 as unset (its default applies, with a warning).
  if (where[where.length - 2] === 'parallelism' && ['tensor', 'data', 'pipeline'].includes(String(key))) return value !== 0 && !isPositiveInt(value);
  return false;
}

function valueAt(v: Tree, where: ReadonlyArray<string | number>): Tree {
  let out: Tree = v;
  for (const k of where) out = (out as Record<string | number, Tree>)?.[k];
  return out;
}

test('reference cases are there to mutate', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(10);
});

test('mutated values files render schema-valid manifests or are refused with exit 2 (known keys: by their rule)', () => {
  const seen = { accepted: 0, refused: 0, byKnownKey: 0 };
  fc.assert(
    fc.property(mutation, ({ c, pick, value, addKey, known }) => {
      const base = valuesOf(c);
      const all = paths(base);
      const knownPaths = all.filter((p) => knownKeyRefusal(p, valueAt(base, p), 'x'));
      const onKnown = known && knownPaths.length > 0;
      const where = onKnown ? knownPaths[pick % knownPaths.length] : all[pick % all.length];
      const mutated = addKey && !onKnown ? edit(base, where.slice(0, -1), (m) => (typeof m === 'object' && m !== null && !Array.isArray(m) ? { ...m, [addKey]: value } : m)) : edit(base, where, () => value);
      const r = render(c, mutated);
      expect(r.stderr).not.toContain('internal error');
      if ((onKnown || !addKey) && knownKeyRefusal(where, valueAt(base, where), value)) {
        expectRefusedAt(r, c, fieldOf(where), value);
        seen.byKnownKey++;
      }
      if (r.code === 2) {
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/problem\(s\) in the input|^error: /m);
        seen.refused++;
        return;
      }
      expect(r.code).toBe(0);
      const findings = validateManifests(parseManifests(r.stdout), SCHEMA_OPTIONS);
      if (findings.length > 0) throw new Error(`${c.name} ${JSON.stringify(where)}=${JSON.stringify(value)} rendered invalid manifests:\n${formatSchemaFindings(findings)}`);
      seen.accepted++;
    }),
    { seed: SEED + 18, numRuns: 100 },
  );
  // Both outcomes occur, so the property exercises the renderer and the refusals, known keys among them.
  expect(seen.accepted).toBeGreaterThan(5);
  expect(seen.refused).toBeGreaterThan(5);
  if (process.env.FUZZ_SURVEY === '1') process.stdout.write(`${JSON.stringify(seen)}\n`);
  expect(seen.byKnownKey).toBeGreaterThan(5);
});

const FURIOSA_CASES = CASES.filter((c) => c.chart === 'furiosa-modelservice');
const size = fc.oneof({ arbitrary: fc.constantFrom(1, 2, 4, 8, 16, 32, 64, 128), weight: 3 }, { arbitrary: fc.constantFrom<Tree>(0, -1, 1.5, '4', true), weight: 1 });

test('furiosa-modelservice parallelism and replicas: refused by their rule, or rendered into the serve flags, RNGD cards and replicas', () => {
  const seen = { refused: 0, rngd: 0, rendered: 0 };
  fc.assert(
    fc.property(
      fc.constantFrom(...FURIOSA_CASES.map((c) => c.name)),
      fc.record({ tensor: size, data: fc.oneof(fc.constant(1), size), pipeline: fc.option(fc.oneof(fc.constant(1), size), { nil: undefined }) }),
      fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 3 }, { arbitrary: fc.constantFrom<Tree>(-1, 2.5, '3'), weight: 1 }),
      (name, par, replicas) => {
        const c = FURIOSA_CASES.find((x) => x.name === name)!;
        const base = valuesOf(c) as Record<string, any>;
        const values = { ...base, decode: { ...base.decode, replicas, parallelism: { ...base.decode.parallelism, ...par } } };
        const r = render(c, values);
        expect(r.stderr).not.toContain('internal error');
        // The oracle: each value's own rule (0 is unset in a values file: the chart's default), then
        // the RNGD cards a pod needs (8 a node).
        const resolved = { tensor: par.tensor === 0 ? 4 : par.tensor, data: par.data === 0 ? 1 : par.data, pipeline: !par.pipeline ? 1 : par.pipeline };
        // The values are read in two stages: types first (an integer), then the construct's ranges.
        const keys = { 'decode.parallelism.tensor': resolved.tensor, 'decode.parallelism.data': resolved.data, 'decode.parallelism.pipeline': resolved.pipeline };
        const notInt = Object.entries({ ...keys, 'decode.replicas': replicas }).filter(([, v]) => !Number.isInteger(v));
        const outOfRange = [...Object.entries(keys).filter(([, v]) => (v as number) < 1), ...((replicas as number) < 0 ? [['decode.replicas', replicas]] : [])];
        const refused = notInt.length > 0 ? notInt : outOfRange;
        for (const [field, v] of refused) expectRefusedAt(r, c, field as string, v);
        if (refused.length > 0) {
          seen.refused++;
          return;
        }
        const cards = Math.ceil(((resolved.tensor as number) * (resolved.data as number) * (resolved.pipeline as number)) / 8);
        // With DRA the chart's claim template asks for its own count of devices (1 by default), whatever the parallelism.
        const dra = base.dra?.enabled === true;
        if (!dra && cards > 8) {
          expectRefusedAt(r, c, 'decode.parallelism', resolved);
          seen.rngd++;
          return;
        }
        if (r.code !== 0) throw new Error(`${c.name}: valid values refused:\n${r.stderr}`);
        // The meaning: replicas, the serve flags and env, the cards.
        const objects = parseManifests(r.stdout) as Manifest[];
        const deployment = named(objects, 'Deployment', `${c.ref.release}-llm-d-modelservice-decode`);
        expect(deployment.spec.replicas).toBe(replicas);
        const server: Manifest = deployment.spec.template.spec.containers.find((x: Manifest) => x.name === 'furiosa-llm');
        const flag = (k: 'tensor' | 'data' | 'pipeline') => ((resolved[k] as number) > 1 ? String(resolved[k]) : undefined);
        expect(argAfter(server.args, '--tensor-parallel-size')).toBe(flag('tensor'));
        expect(argAfter(server.args, '--data-parallel-size')).toBe(flag('data'));
        expect(argAfter(server.args, '--pipeline-parallel-size')).toBe(flag('pipeline'));
        expect([envValue(server, 'TP_SIZE'), envValue(server, 'DP_SIZE'), envValue(server, 'PP_SIZE')]).toEqual([resolved.tensor, resolved.data, resolved.pipeline].map(String));
        if (dra) {
          expect(ofKind(objects, 'ResourceClaimTemplate').map((t) => t.spec.spec.devices.requests[0].exactly.count)).toEqual([1]);
        } else {
          expect(server.resources.limits['furiosa.ai/rngd']).toBe(String(cards));
          expect(server.resources.requests['furiosa.ai/rngd']).toBe(String(cards));
        }
        seen.rendered++;
      },
    ),
    { seed: SEED + 20, numRuns: 50 },
  );
  if (process.env.FUZZ_SURVEY === '1') process.stdout.write(`${JSON.stringify(seen)}\n`);
  expect(Math.min(seen.refused, seen.rngd, seen.rendered)).toBeGreaterThan(3);
});

test('a hostile key anywhere is refused and changes nothing rendered afterwards', () => {
  const baseline = new Map(CASES.map((c) => [c.name, render(c, valuesOf(c)).stdout]));
  fc.assert(
    fc.property(fc.constantFrom(...CASES.map((x) => x.name)).map((n) => CASES.find((x) => x.name === n)!), fc.nat(), fc.constantFrom('__proto__', 'constructor', 'prototype'), junk, (c, pick, key, value) => {
      const base = valuesOf(c);
      const maps = [[], ...paths(base)].filter((p) => {
        let v: Tree = base;
        for (const k of p) v = (v as Record<string | number, Tree>)[k];
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      });
      const where = maps[pick % maps.length];
      const hostile = edit(base, where, (m) => {
        const out = { ...(m as Record<string, Tree>) };
        Object.defineProperty(out, key, { value: typeof value === 'object' && value !== null ? value : { securityContext: { privileged: true }, workingDir: value }, enumerable: true, writable: true, configurable: true });
        return out;
      });
      const r = render(c, hostile);
      if (r.code !== 2) throw new Error(`${c.name} ${JSON.stringify(where)} ${key}: exit ${r.code} ${r.stderr.slice(0, 300)} ${fs.readFileSync(path.join(tmp, `${c.name}.json`), 'utf8').slice(0, 300)}`);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`key "[^"]*${key}" is not allowed`));
      expect(render(c, base).stdout).toBe(baseline.get(c.name));
      expect(({} as Record<string, unknown>).securityContext).toBeUndefined();
    }),
    { seed: SEED + 19, numRuns: 40 },
  );
});
