import * as YAML from 'yaml';
import { compareManifests, parseManifests } from '../../src/testing/semdiff';
import { caseNames, loadCase } from '../support';

type Path = ReadonlyArray<string | number>;
type Obj = Record<string, unknown>;

/** The labels semdiff ignores (Helm bookkeeping): changing one in ours is no difference. */
const IGNORED_LABELS = new Set(['helm.sh/chart', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version', 'app.kubernetes.io/instance']);

const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const isScalar = (v: unknown): boolean => !isMap(v) && !Array.isArray(v);
const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);

/**
 * `v` with every string semdiff compares parsed (a multi-line or `{...}` YAML document, such as
 * a config file in a ConfigMap) replaced by its document. semdiff compares the two alike, and
 * editing the parsed form lets every leaf of an Envoy config be checked without re-parsing 8 kB
 * of YAML per edit.
 */
function expanded(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(expanded);
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expanded(x)]));
  if (typeof v !== 'string' || !(v.trim().includes('\n') || v.trim().startsWith('{'))) return v;
  try {
    const doc = YAML.parse(v, { version: '1.1' }) as unknown;
    return typeof doc === 'object' && doc !== null ? expanded(doc) : v;
  } catch {
    return v;
  }
}

/** Fields the rule deliberately does not read: Helm bookkeeping labels and null annotations. */
function ignored(path: Path, value: unknown): boolean {
  const [grand, parent, key] = path.slice(-3);
  return grand === 'metadata' && ((parent === 'labels' && IGNORED_LABELS.has(String(key))) || (parent === 'annotations' && value === null));
}

/** Every node below `v` with its path, depth first. */
function nodes(v: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  const here = { path, value: v };
  if (Array.isArray(v)) return [here, ...v.flatMap((x, i) => nodes(x, [...path, i]))];
  if (isMap(v)) return [here, ...Object.entries(v).flatMap(([k, x]) => nodes(x, [...path, k]))];
  return [here];
}

/** A copy of `v` with the node at `path` replaced (`undefined`: the field removed); the rest is shared. */
function edited(v: unknown, path: Path, edit: (v: unknown) => unknown): unknown {
  if (path.length === 0) return edit(v);
  const [step, ...rest] = path;
  if (Array.isArray(v)) return v.map((x, i) => (i === step ? edited(x, rest, edit) : x));
  const copy = { ...(v as Obj) };
  const next = edited(copy[step], rest, edit);
  if (next === undefined) delete copy[step];
  else copy[step] = next;
  return copy;
}

/** A different value of the same kind. */
function changed(v: unknown): unknown {
  if (typeof v === 'string') return `${v}-changed`;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (v instanceof Date) return new Date(v.getTime() + 86_400_000);
  return 'changed';
}

/**
 * Edits of ours that must each break containment of one (expanded) golden object: every scalar
 * changed, every non-empty field removed, every list of scalars grown by one item, in the object
 * and in the YAML documents its strings hold. Returns the edits the comparator missed, so a comparator
 * that accepts any scalar or ignores added arguments fails with the list of what it let through.
 */
function undetectedEdits(golden: Obj): { changed: string[]; removed: string[]; grown: string[]; scalarLists: number } {
  const missed = (path: Path, edit: (v: unknown) => unknown): boolean => compareManifests([golden], [edited(golden, path, edit) as Obj]).contained;
  const where = (n: { path: Path }): string => [`${String(golden.kind)}/${String((golden.metadata as Obj).name)}`, ...n.path].join('.');
  const all = nodes(golden).filter((n) => n.path.length > 0 && !ignored(n.path, n.value));
  const scalarLists = all.filter((n) => Array.isArray(n.value) && n.value.length > 0 && n.value.every(isScalar));
  return {
    changed: all.filter((n) => isScalar(n.value) && missed(n.path, changed)).map(where),
    removed: all.filter((n) => typeof n.path[n.path.length - 1] === 'string' && !isEmpty(n.value) && missed(n.path, () => undefined)).map(where),
    grown: scalarLists.filter((n) => missed(n.path, (v) => [...(v as unknown[]), '--trust-remote-code'])).map(where),
    scalarLists: scalarLists.length,
  };
}

describe('compareManifests on the reference cases', () => {
  // semdiff.py prints these totals for each expected.yaml compared with itself.
  const PY_LEAVES: Record<string, number> = {
    'bbr-istio': 76, 'furiosa-dra': 56, 'furiosa-hf-dp': 67, 'furiosa-seed000': 66, 'gaie-defaults': 122, 'gaie-ha-monitoring': 214, 'gaie-seed000': 180, 'infra-seed000': 46,
    'router-gateway-defaults': 167, 'router-gateway-furiosa-seed000': 239, 'router-standalone-defaults': 339, 'router-standalone-optimized-baseline': 354,
    'upstream-cpu': 92, 'upstream-pd': 134, 'upstream-pvc-hf': 138, 'upstream-xpu': 64,
  };

  test('every reference case has its semdiff.py leaf count here', () => {
    expect(caseNames('')).toEqual(Object.keys(PY_LEAVES).sort());
  });

  // Comparing a file with itself alone would pass a comparator that accepts any value: each case
  // also checks that every edit of its objects is found.
  test.each(caseNames(''))('%s: contained in itself, and every changed scalar, removed field or object and grown scalar list is found', (name) => {
    const c = loadCase(name);
    const r = compareManifests(c.expectedText, c.expectedText);
    expect(r.differences).toEqual([]);
    expect([r.contained, r.leavesMatched, r.leavesTotal, r.objectsFound]).toEqual([true, PY_LEAVES[name], PY_LEAVES[name], c.expected.length]);

    // The expanded objects read the same as the text (so edits of them stand for edits of it).
    const objects = c.expected.map((o) => expanded(o) as Obj);
    expect(compareManifests(c.expected, objects).summary).toBe(r.summary);
    const withoutEach = objects.map((_, i) => compareManifests(objects, objects.filter((__, j) => j !== i)).missingObjects);
    expect(withoutEach).toEqual(c.expected.map((o) => [`${String(o.kind)}/${String((o.metadata as Obj).name)}`]));

    const edits = objects.map(undetectedEdits);
    expect({ changed: edits.flatMap((e) => e.changed), removed: edits.flatMap((e) => e.removed), grown: edits.flatMap((e) => e.grown) }).toEqual({ changed: [], removed: [], grown: [] });
    // Every case has args, a command or RBAC verbs: the grown-list check is never vacuous.
    expect(edits.reduce((a, e) => a + e.scalarLists, 0)).toBeGreaterThan(0);
  });
});

describe('compareManifests (port of semdiff.py)', () => {
  const golden = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: { helm.sh/chart: x, app: y }
data:
  cfg: |
    a: 1
    b: [1, 2]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: c
        args: ["--x", "1"]
        env: [{ name: A, value: "1" }]
`;

  test('extra fields, extra objects, helm labels and reformatted YAML strings are fine', () => {
    const ours = parseManifests(golden.replace('cfg: |\n    a: 1\n    b: [1, 2]', 'cfg: "b: [1, 2]\\na: 1\\n"').replace('labels: { helm.sh/chart: x, app: y }', 'labels: { app: y, extra: z }') + '\n---\nkind: Service\nmetadata: { name: s }\n');
    const r = compareManifests(golden, ours);
    expect(r.differences).toEqual([]);
    expect(r.contained).toBe(true);
    expect(r.summary).toBe('semdiff: objects=2/2 leaves=16/16 missing_objects=0 extra_objects=1');
  });

  test('a changed value, a missing named item and a missing object are reported', () => {
    const ours = parseManifests(golden.replace('replicas: 2', 'replicas: 3').replace('env: [{ name: A, value: "1" }]', 'env: [{ name: B, value: "1" }]').replace('kind: ConfigMap', 'kind: Secret'));
    const r = compareManifests(golden, ours);
    expect(r.contained).toBe(false);
    expect(r.missingObjects).toEqual(['ConfigMap/a']);
    expect(r.differences).toEqual(expect.arrayContaining(['Deployment/d.spec.replicas: expected "2", got "3"', 'Deployment/d.spec.template.spec.containers[c].env[A]: missing']));
  });

  // Each edit alone breaks containment; the summaries are what semdiff.py prints for the same files.
  test.each<[string, string, string, string, string]>([
    ['a changed scalar', 'replicas: 2', 'replicas: 3', 'Deployment/d.spec.replicas: expected "2", got "3"', 'objects=2/2 leaves=15/16 missing_objects=0 extra_objects=0'],
    ['a changed item of a list of scalars', 'args: ["--x", "1"]', 'args: ["--x", "2"]', 'Deployment/d.spec.template.spec.containers[c].args[1]: expected "1", got "2"', 'objects=2/2 leaves=15/16 missing_objects=0 extra_objects=0'],
    ['a reordered list of scalars', 'args: ["--x", "1"]', 'args: ["1", "--x"]', 'Deployment/d.spec.template.spec.containers[c].args[0]: expected "--x", got "1"', 'objects=2/2 leaves=14/16 missing_objects=0 extra_objects=0'],
    ['a changed value in a YAML document held by a string', '    a: 1', '    a: 2', 'ConfigMap/a.data.cfg.a: expected "1", got "2"', 'objects=2/2 leaves=15/16 missing_objects=0 extra_objects=0'],
    ['a grown list of scalars in a YAML document held by a string', '    b: [1, 2]', '    b: [1, 2, 3]', 'ConfigMap/a.data.cfg.b: list length 3 != expected 2', 'objects=2/2 leaves=16/17 missing_objects=0 extra_objects=0'],
    ['a missing object', 'kind: ConfigMap', 'kind: Secret', 'missing object: ConfigMap/a', 'objects=1/2 leaves=9/15 missing_objects=1 extra_objects=1'],
    ['a missing field', '  replicas: 2\n', '', 'Deployment/d.spec.replicas: missing (expected 2)', 'objects=2/2 leaves=15/16 missing_objects=0 extra_objects=0'],
    ['a missing item of a named list', 'env: [{ name: A, value: "1" }]', 'env: []', 'Deployment/d.spec.template.spec.containers[c].env[A]: missing', 'objects=2/2 leaves=14/16 missing_objects=0 extra_objects=0'],
    ['a grown list of scalars (an added argument)', 'args: ["--x", "1"]', 'args: ["--x", "1", "--trust-remote-code"]', 'Deployment/d.spec.template.spec.containers[c].args: list length 3 != expected 2: expected ["--x","1"], got ["--x","1","--trust-remote-code"]', 'objects=2/2 leaves=16/17 missing_objects=0 extra_objects=0'],
    ['a list of scalars grown by a number', 'args: ["--x", "1"]', 'args: ["--x", "1", 8]', 'Deployment/d.spec.template.spec.containers[c].args: list length 3 != expected 2', 'objects=2/2 leaves=16/17 missing_objects=0 extra_objects=0'],
    ['a list of scalars grown by a boolean', 'args: ["--x", "1"]', 'args: ["--x", "1", true]', 'Deployment/d.spec.template.spec.containers[c].args: list length 3 != expected 2', 'objects=2/2 leaves=16/17 missing_objects=0 extra_objects=0'],
    ['a list of scalars grown by null', 'args: ["--x", "1"]', 'args: ["--x", "1", null]', 'Deployment/d.spec.template.spec.containers[c].args: list length 3 != expected 2', 'objects=2/2 leaves=16/17 missing_objects=0 extra_objects=0'],
    ['a shrunk list of scalars', 'args: ["--x", "1"]', 'args: ["--x"]', 'Deployment/d.spec.template.spec.containers[c].args: list length 1 != expected 2', 'objects=2/2 leaves=15/17 missing_objects=0 extra_objects=0'],
  ])('%s is not contained', (_what, from, to, difference, summary) => {
    expect(golden).toContain(from);
    const r = compareManifests(golden, golden.replace(from, to));
    expect(r.contained).toBe(false);
    expect(r.differences.some((d) => d.startsWith(difference))).toBe(true);
    expect(r.summary).toBe(`semdiff: ${summary}`);
  });

  test('a grown list of objects matched by position is extra detail, as in semdiff.py', () => {
    const g = 'kind: Pod\nmetadata: {name: p}\nspec:\n  tolerations: [{key: a, operator: Exists}]\n';
    const r = compareManifests(g, g.replace('[{key: a, operator: Exists}]', '[{key: a, operator: Exists}, {key: b, operator: Exists}]'));
    expect(r.differences).toEqual(['Pod/p.spec.tolerations: list length 2 != expected 1: expected [{"key":"a","operator":"Exists"}], got [{"key":"a","operator":"Exists"},{"key":"b","operator":"Exists"}]']);
    expect([r.contained, r.summary]).toEqual([true, 'semdiff: objects=1/1 leaves=4/4 missing_objects=0 extra_objects=0']);
  });

  test('a YAML 1.1 timestamp is a value, not an empty mapping', () => {
    const g = 'kind: A\nmetadata: {name: a}\nx: 2001-12-14\n';
    expect(compareManifests(g, g).contained).toBe(true);
    expect(compareManifests(g, g.replace('2001-12-14', '2002-12-14')).summary).toBe('semdiff: objects=1/1 leaves=2/3 missing_objects=0 extra_objects=0');
  });

  test('numbers and numeric strings compare equal, as in the Python rule', () => {
    expect(compareManifests('kind: A\nmetadata: {name: a}\nx: 8', 'kind: A\nmetadata: {name: a}\nx: "8"').contained).toBe(true);
  });
});
