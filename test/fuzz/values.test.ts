/**
 * Property tests over values files: each reference case's values with random keys replaced by
 * junk (wrong types, negative and huge numbers, hostile strings, nulls, extra keys) are rendered
 * by the CLI, which either exits 0 with manifests that pass the schema validation, or exits 2 with
 * the problems listed and nothing on stdout. Never an internal error.
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
import { SEED } from './support';

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
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  c: fc.constantFrom(...CASES.map((x) => x.name)).map((n) => CASES.find((x) => x.name === n)!),
  pick: fc.nat(),
  value: junk,
  addKey: fc.option(fc.constantFrom('extra', 'replicas', 'name', 'image', 'port'), { nil: undefined }),
});

function valuesOf(c: CliCase): Tree {
  return parseValuesYaml(fs.readFileSync(path.join(c.dir, 'values.yaml'), 'utf8')) ?? {};
}

function render(c: CliCase, values: Tree) {
  const file = path.join(tmp, `${c.name}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return cli(['render', c.chart, '--release', c.ref.release, '--namespace', c.ref.namespace, '-f', file, ...c.ref.sets.flatMap((s) => ['--set', s])], tmp);
}

test('reference cases are there to mutate', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(10);
});

test('mutated values files render schema-valid manifests or are refused with exit 2', () => {
  const seen = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(mutation, ({ c, pick, value, addKey }) => {
      const base = valuesOf(c);
      const all = paths(base);
      const where = all[pick % all.length];
      const mutated = addKey ? edit(base, where.slice(0, -1), (m) => (typeof m === 'object' && m !== null && !Array.isArray(m) ? { ...m, [addKey]: value } : m)) : edit(base, where, () => value);
      const r = render(c, mutated);
      expect(r.stderr).not.toContain('internal error');
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
    { seed: SEED + 18, numRuns: 120 },
  );
  // Both outcomes occur, so the property exercises the renderer and the refusals.
  expect(seen.accepted).toBeGreaterThan(5);
  expect(seen.refused).toBeGreaterThan(5);
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
