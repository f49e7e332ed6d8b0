import { YAML, yaml11FloatNeedsDigit } from '../core/yaml';

/**
 * "Golden is contained in ours" comparison of Kubernetes manifests, the parity rule of the
 * project (a port of `shared/reference/semdiff.py`). Objects match by kind and name; every leaf
 * of a golden object must be in ours with an equal value; ours may add fields and objects. Lists
 * of named things (containers, env, ports, volumes) match by name, other lists by position; a
 * list of scalars (args, command, RBAC verbs, selector values) must keep its length, since an
 * added argument or verb changes what the object does; strings that hold YAML are compared
 * parsed; Helm bookkeeping labels are ignored.
 *
 * Exported so teams migrating from Helm can assert in their own tests that a chart's
 * `helm template` output is contained in what cdk8s-llm-d synthesizes.
 */
export interface ManifestComparison {
  /** Golden objects found in ours. */
  readonly objectsFound: number;
  readonly objectsTotal: number;
  /** Golden leaves found in ours with equal values. */
  readonly leavesMatched: number;
  readonly leavesTotal: number;
  /** `Kind/name` of golden objects absent from ours. */
  readonly missingObjects: string[];
  /** One line per difference. */
  readonly differences: string[];
  /** True when every golden object and leaf was found. */
  readonly contained: boolean;
  /** `semdiff: objects=A/B leaves=C/D missing_objects=E extra_objects=F` */
  readonly summary: string;
}

type Json = unknown;
type Obj = Record<string, unknown>;

const IGNORED_LABELS = new Set(['helm.sh/chart', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version', 'app.kubernetes.io/instance']);

/** Parses a multi-document YAML string the way PyYAML's safe_load_all does (YAML 1.1). */
export function parseManifests(text: string): Obj[] {
  return YAML.parseAllDocuments(text, { version: '1.1', customTags: yaml11FloatNeedsDigit })
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Obj => isObj(d) && Boolean(d.kind));
}

/** A mapping. YAML 1.1 timestamps load as Date: they are values (PyYAML's datetime), not mappings. */
function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Not a mapping or a list: what semdiff.py counts as one item of a list of scalars. */
function isScalar(v: unknown): boolean {
  return !isObj(v) && !Array.isArray(v);
}

function keyOf(o: Obj): string {
  const md = isObj(o.metadata) ? o.metadata : {};
  return `${String(o.kind)}/${String(md.name)}`;
}

function norm(v: Json): Json {
  if (typeof v === 'boolean' || v === null || v === undefined) return v;
  // Like Python's str(): numbers compare equal to their string form (8 == "8").
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.includes('\n') || s.startsWith('{')) {
      try {
        const p = YAML.parse(s, { version: '1.1' }) as unknown;
        if (typeof p === 'object' && p !== null) return p;
      } catch {
        // not YAML: compare as text
      }
    }
    return v;
  }
  return v;
}

function isNamedList(lst: Json[]): boolean {
  return lst.length > 0 && lst.every((x) => isObj(x) && ('name' in x || 'containerPort' in x || 'mountPath' in x));
}

function ident(x: Obj): unknown {
  return x.name || x.containerPort || x.mountPath;
}

function count(v: Json): number {
  if (isObj(v)) return Object.values(v).reduce<number>((a, x) => a + count(x), 0) || 1;
  if (Array.isArray(v)) return v.reduce<number>((a, x) => a + count(x), 0) || 1;
  return 1;
}

function short(v: Json): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length < 120 ? s : `${s.slice(0, 117)}...`;
}

function isEmpty(v: Json): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

function deepEqual(a: Json, b: Json): boolean {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function canon(v: Json): Json {
  if (Array.isArray(v)) return v.map(canon);
  if (isObj(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  return v;
}

function compare(gIn: Json, oIn: Json, path: string, out: string[]): [number, number] {
  const g = norm(gIn);
  const o = norm(oIn);
  if (isObj(g)) {
    if (Object.keys(g).length === 0) {
      const ok = isObj(o);
      if (!ok) out.push(`${path}: expected {}, got ${short(o)}`);
      return [ok ? 1 : 0, 1];
    }
    let m = 0;
    let t = 0;
    for (const [k, v] of Object.entries(g)) {
      if (path.endsWith('metadata.labels') && IGNORED_LABELS.has(k)) continue;
      if (path.endsWith('metadata.annotations') && (v === null || v === undefined)) continue;
      const has = isObj(o) && k in o;
      const sub = isObj(o) ? o[k] : undefined;
      if ((sub === null || sub === undefined) && !has) {
        if (isEmpty(v)) continue;
        out.push(`${path}.${k}: missing (expected ${short(v)})`);
        t += count(v);
        continue;
      }
      const [a, b] = compare(v, sub, `${path}.${k}`, out);
      m += a;
      t += b;
    }
    return [m, t];
  }
  if (Array.isArray(g)) {
    if (!Array.isArray(o)) {
      out.push(`${path}: expected list ${short(g)}, got ${short(o)}`);
      return [0, count(g)];
    }
    if (g.length === 0) {
      if (o.length > 0) {
        out.push(`${path}: expected [], got ${short(o)}`);
        return [0, 1];
      }
      return [1, 1];
    }
    let m = 0;
    let t = 0;
    if (isNamedList(g) && o.every(isObj)) {
      const idx = new Map<unknown, Obj>();
      for (const x of o as Obj[]) idx.set(ident(x), x);
      for (const x of g as Obj[]) {
        const y = idx.get(ident(x));
        if (y === undefined) {
          out.push(`${path}[${String(ident(x))}]: missing`);
          t += count(x);
          continue;
        }
        const [a, b] = compare(x, y, `${path}[${String(ident(x))}]`, out);
        m += a;
        t += b;
      }
      return [m, t];
    }
    if (g.length !== o.length) {
      out.push(`${path}: list length ${o.length} != expected ${g.length}: expected ${short(g)}, got ${short(o)}`);
      // Items ours adds to a list of objects are extra detail, but an argument, verb or selector
      // value added to a list of scalars changes its meaning (semdiff.py counts one more leaf).
      if (g.every(isScalar) && o.every(isScalar)) t += 1;
    }
    g.forEach((x, i) => {
      if (i >= o.length) {
        t += count(x);
        return;
      }
      const [a, b] = compare(x, o[i], `${path}[${i}]`, out);
      m += a;
      t += b;
    });
    return [m, t];
  }
  const ok = deepEqual(norm(g), norm(o));
  if (!ok) out.push(`${path}: expected ${short(g)}, got ${short(o)}`);
  return [ok ? 1 : 0, 1];
}

/** Compares golden manifests (e.g. `helm template` output) with ours. */
export function compareManifests(golden: readonly Obj[] | string, ours: readonly Obj[] | string): ManifestComparison {
  const g = typeof golden === 'string' ? parseManifests(golden) : golden.filter((d) => isObj(d) && d.kind);
  const o = typeof ours === 'string' ? parseManifests(ours) : ours.filter((d) => isObj(d) && d.kind);
  const oursBy = new Map(o.map((x) => [keyOf(x), x]));
  const goldenKeys = new Set(g.map(keyOf));
  let found = 0;
  let m = 0;
  let t = 0;
  const missingObjects: string[] = [];
  const differences: string[] = [];
  for (const x of g) {
    const y = oursBy.get(keyOf(x));
    if (!y) {
      missingObjects.push(keyOf(x));
      t += count(x);
      continue;
    }
    found += 1;
    const [a, b] = compare(x, y, keyOf(x), differences);
    m += a;
    t += b;
  }
  const extra = o.filter((x) => !goldenKeys.has(keyOf(x))).length;
  return {
    objectsFound: found,
    objectsTotal: g.length,
    leavesMatched: m,
    leavesTotal: t,
    missingObjects,
    differences: [...differences, ...missingObjects.map((k) => `missing object: ${k}`)],
    contained: m === t && missingObjects.length === 0,
    summary: `semdiff: objects=${found}/${g.length} leaves=${m}/${t} missing_objects=${missingObjects.length} extra_objects=${extra}`,
  };
}
