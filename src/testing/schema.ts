import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { YAML } from '../core/yaml';
import { isLabelKey, isLabelValue } from '../core/labels';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../core/names';
import { isPortName } from '../core/ports';
import { isQuantity } from '../core/quantities';

/**
 * Schema validation of Kubernetes manifests, the strict way an API server with
 * `--validate=strict` (field validation "Strict") would check them, plus the name and label rules
 * the API server applies on create:
 *
 * - core kinds against the Kubernetes v1.34.0 OpenAPI definitions vendored in
 *   `schemas/kubernetes-1.34.json` (see `schemas/README.md`);
 * - custom resources against the `openAPIV3Schema` of the exact CRD versions vendored in the
 *   package's `crds/*.yaml`;
 * - a few GKE policy kinds (networking.gke.io/v1 HealthCheckPolicy, GCPBackendPolicy) against small
 *   hand-written schemas.
 *
 * Unknown fields are errors wherever the schema does not say `x-kubernetes-preserve-unknown-fields`.
 * `null` values are treated as absent (as the API server does). CEL rules
 * (`x-kubernetes-validations`) are not evaluated.
 *
 * Schemas are loaded and compiled lazily, once per process, and cached per apiVersion/kind.
 * Needs the `ajv` package (a dependency of this package) at call time only: an app that does not
 * validate schemas never loads it.
 */
export interface SchemaFinding {
  /** Kind of the object (or `<no kind>`). */
  readonly kind: string;
  /** `metadata.name` of the object (or `<no name>`). */
  readonly name: string;
  /** Dotted path of the offending field inside the object, e.g. `spec.rules[0].foo`; `` for the object itself. */
  readonly path: string;
  readonly message: string;
}

export interface ValidateManifestsOptions {
  /**
   * Kinds accepted without a schema, as `apiVersion/kind` (`monitoring.googleapis.com/v1/PodMonitoring`)
   * or a whole group version with `*` (`gateway.kgateway.dev/v1alpha1/*`). Their metadata is still checked.
   * @default [] (an unknown apiVersion/kind is a finding)
   */
  readonly allowUnvalidated?: readonly string[];
  /**
   * Extra JSON schemas (draft-07, as ajv takes them) by `apiVersion/kind`. They take precedence over
   * the built-in ones. Schemas are used as given (no additionalProperties added).
   * @default {}
   */
  readonly extraSchemas?: Readonly<Record<string, object>>;
  /**
   * Folder of CRD YAML files to validate custom resources against.
   * @default the package's `crds/` folder
   */
  readonly crdDir?: string;
}

type Obj = Record<string, unknown>;
type Schema = Record<string, unknown>;

const CORE_REF = 'k8s';
const OBJECT_META = `${CORE_REF}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/** Validates manifests (plain JSON objects as `chart.toJson()` or a YAML parser gives them). */
export function validateManifests(objects: readonly object[], options: ValidateManifestsOptions = {}): SchemaFinding[] {
  const reg = registry(options.crdDir);
  const out: SchemaFinding[] = [];
  for (const raw of objects) {
    const obj = withoutNulls(raw) as Obj;
    const kind = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
    const meta = isObj(obj.metadata) ? obj.metadata : {};
    const name = typeof meta.name === 'string' && meta.name ? meta.name : '<no name>';
    const add = (p: string, message: string) => out.push({ kind, name, path: p, message });

    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      if (typeof obj.apiVersion !== 'string') add('apiVersion', 'required field "apiVersion" is missing or not a string');
      if (typeof obj.kind !== 'string') add('kind', 'required field "kind" is missing or not a string');
      continue;
    }
    const key = `${obj.apiVersion}/${obj.kind}`;
    const extra = options.extraSchemas?.[key];
    const validate = extra ? reg.compileExtra(extra) : reg.validator(obj.apiVersion, obj.kind);
    if (validate) {
      if (!validate(obj)) for (const f of describeErrors(validate.errors ?? [])) add(f.path, f.message);
    } else if (!isAllowed(options.allowUnvalidated ?? [], obj.apiVersion, obj.kind)) {
      add('', `unknown apiVersion/kind "${key}": no Kubernetes 1.34 schema, vendored CRD or allowUnvalidated entry for it`);
    }
    for (const f of checkNames(obj)) add(f.path, f.message);
  }
  return out;
}

/** One line per finding: `Kind/name path: message`. */
export function formatSchemaFindings(findings: readonly SchemaFinding[]): string {
  return findings.map((f) => `${f.kind}/${f.name}${f.path ? ` ${f.path}` : ''}: ${f.message}`).join('\n');
}

function isAllowed(allow: readonly string[], apiVersion: string, kind: string): boolean {
  return allow.includes(`${apiVersion}/${kind}`) || allow.includes(`${apiVersion}/*`);
}

// ---------------------------------------------------------------------------------------------
// names and labels

interface PathMessage {
  readonly path: string;
  readonly message: string;
}

const LABEL_NAME_KINDS = new Set(['Namespace']);
const DNS1035_NAME_KINDS = new Set(['Service']);
/** RBAC objects only need a valid path segment as name (e.g. `system:foo`). */
const PATH_SEGMENT_NAME_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

const SUBDOMAIN_RULE = 'a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit';
const LABEL_RULE = 'a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit';

function checkName(kind: string, name: string): string | undefined {
  if (PATH_SEGMENT_NAME_KINDS.has(kind)) {
    return name === '.' || name === '..' || /[/%]/.test(name) ? 'must be a path segment name: not "." or "..", without "/" or "%"' : undefined;
  }
  if (DNS1035_NAME_KINDS.has(kind)) {
    return isDns1035Label(name) ? undefined : 'must be a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
  }
  if (LABEL_NAME_KINDS.has(kind)) return isDns1123Label(name) ? undefined : `must be ${LABEL_RULE}`;
  return isDns1123Subdomain(name) ? undefined : `must be ${SUBDOMAIN_RULE}`;
}

function checkMeta(meta: unknown, at: string, out: PathMessage[]): void {
  if (!isObj(meta)) return;
  if (isObj(meta.labels)) {
    for (const [k, v] of Object.entries(meta.labels)) {
      if (!isLabelKey(k)) out.push({ path: `${at}.labels`, message: `label key "${k}" is not a qualified name (optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", ".")` });
      if (typeof v === 'string' && !isLabelValue(v)) out.push({ path: `${at}.labels.${k}`, message: `label value "${v}" is not valid: at most 63 alphanumerics, "-", "_", ".", starting and ending with an alphanumeric` });
    }
  }
  if (isObj(meta.annotations)) {
    for (const k of Object.keys(meta.annotations)) {
      if (!isLabelKey(k)) out.push({ path: `${at}.annotations`, message: `annotation key "${k}" is not a qualified name` });
    }
  }
  if (typeof meta.namespace === 'string' && !isDns1123Label(meta.namespace)) {
    out.push({ path: `${at}.namespace`, message: `namespace "${meta.namespace}" must be ${LABEL_RULE}` });
  }
}

/** A LabelSelector's matchLabels, or (`plain`) a Service's selector map. */
function checkSelector(sel: unknown, at: string, plain: boolean, out: PathMessage[]): void {
  if (!isObj(sel)) return;
  const labels = plain ? sel : sel.matchLabels;
  if (!isObj(labels)) return;
  if (!plain) at = `${at}.matchLabels`;
  for (const [k, v] of Object.entries(labels)) {
    if (!isLabelKey(k)) out.push({ path: at, message: `label key "${k}" is not a qualified name` });
    if (typeof v === 'string' && !isLabelValue(v)) out.push({ path: `${at}.${k}`, message: `label value "${v}" is not valid` });
  }
}

function checkPodSpec(spec: unknown, at: string, out: PathMessage[]): void {
  if (!isObj(spec)) return;
  const seen = new Set<string>();
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: unknown, i) => {
      if (!isObj(c)) return;
      const p = `${at}.${field}[${i}]`;
      if (typeof c.name === 'string') {
        if (!isDns1123Label(c.name)) out.push({ path: `${p}.name`, message: `container name "${c.name}" must be ${LABEL_RULE}` });
        if (seen.has(c.name)) out.push({ path: `${p}.name`, message: `duplicate container name "${c.name}"` });
        seen.add(c.name);
      }
      if (Array.isArray(c.ports)) {
        c.ports.forEach((port: unknown, j) => {
          if (isObj(port) && typeof port.name === 'string' && !isPortName(port.name)) {
            out.push({ path: `${p}.ports[${j}].name`, message: `port name "${port.name}" must be an IANA service name: 1-15 lower-case letters, digits and "-", with at least one letter, no "--"` });
          }
        });
      }
    });
  }
}

function checkTemplate(tpl: unknown, at: string, out: PathMessage[]): void {
  if (!isObj(tpl)) return;
  checkMeta(tpl.metadata, `${at}.metadata`, out);
  checkPodSpec(tpl.spec, `${at}.spec`, out);
}

function checkNames(obj: Obj): PathMessage[] {
  const out: PathMessage[] = [];
  const kind = obj.kind as string;
  const meta = obj.metadata;
  if (!isObj(meta)) {
    out.push({ path: 'metadata', message: 'required field "metadata" is missing' });
    return out;
  }
  if (typeof meta.name !== 'string' || meta.name === '') {
    out.push({ path: 'metadata.name', message: meta.generateName ? 'metadata.name is required (generateName is not usable with apply)' : 'required field "metadata.name" is missing' });
  } else {
    const bad = checkName(kind, meta.name);
    if (bad) out.push({ path: 'metadata.name', message: `name "${meta.name}" ${bad}` });
  }
  checkMeta(meta, 'metadata', out);
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  if (kind === 'Pod') checkPodSpec(spec, 'spec', out);
  if (!spec) return out;
  checkSelector(spec.selector, 'spec.selector', kind === 'Service', out);
  checkTemplate(spec.template, 'spec.template', out);
  if (isObj(spec.jobTemplate)) {
    checkMeta(spec.jobTemplate.metadata, 'spec.jobTemplate.metadata', out);
    if (isObj(spec.jobTemplate.spec)) checkTemplate(spec.jobTemplate.spec.template, 'spec.jobTemplate.spec.template', out);
  }
  if (isObj(spec.leaderWorkerTemplate)) {
    checkTemplate(spec.leaderWorkerTemplate.leaderTemplate, 'spec.leaderWorkerTemplate.leaderTemplate', out);
    checkTemplate(spec.leaderWorkerTemplate.workerTemplate, 'spec.leaderWorkerTemplate.workerTemplate', out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ajv errors -> findings

function jsonPointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$-]*$/.test(seg) ? `${out ? '.' : ''}${seg}` : `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function join(base: string, prop: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(prop) ? `${base ? `${base}.` : ''}${prop}` : `${base}[${JSON.stringify(prop)}]`;
}

function describeErrors(errors: readonly ErrorObject[]): PathMessage[] {
  // Errors of the branches of a failed anyOf/oneOf are folded into one "must be A or B" message.
  const folded = new Set<ErrorObject>();
  const out: PathMessage[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const branches = errors.filter((b) => b !== e && b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`));
    branches.forEach((b) => folded.add(b));
    folded.add(e);
    const wants = [...new Set(branches.map(describeExpectation))];
    out.push({ path: jsonPointerToPath(e.instancePath), message: wants.length ? `must be ${wants.join(' or ')}` : `must match ${e.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the allowed forms` });
  }
  for (const e of errors) {
    if (folded.has(e)) continue;
    const p = jsonPointerToPath(e.instancePath);
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        out.push({ path: join(p, String(params.additionalProperty)), message: `unknown field "${String(params.additionalProperty)}"` });
        break;
      case 'required':
        out.push({ path: join(p, String(params.missingProperty)), message: `required field "${String(params.missingProperty)}" is missing` });
        break;
      case 'enum':
        out.push({ path: p, message: `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` });
        break;
      default:
        out.push({ path: p, message: e.message ?? e.keyword });
    }
  }
  const seen = new Set<string>();
  return out.filter((f) => {
    const k = `${f.path}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function describeExpectation(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'type') return `${String(params.type)}`;
  if (e.keyword === 'format') return `a string of format ${String(params.format)}`;
  return e.message ?? e.keyword;
}

// ---------------------------------------------------------------------------------------------
// schema registry

interface CrdVersionIndex {
  /** `group/version/kind` -> the YAML text of the CRD document that defines it. */
  readonly chunks: Map<string, string>;
}

class Registry {
  private readonly ajv: Ajv;
  private readonly core: { kinds: Record<string, string>; definitions: Record<string, Schema> };
  private readonly cache = new Map<string, ValidateFunction | undefined>();
  private readonly extraCache = new WeakMap<object, ValidateFunction>();
  private crdIndex?: CrdVersionIndex;
  private readonly parsedCrds = new Map<string, Obj>();

  constructor(private readonly crdDir: string | undefined) {
    // Loaded here, not at module load, so importing the library does not need ajv.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AjvClass = (require('ajv') as { default: new (o: object) => Ajv }).default;
    // CRD patterns are Go (RE2) regular expressions: `(?i)` (in KEDA's) is a flag there.
    const goRegExp = (pattern: string, flags: string): RegExp => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags));
    this.ajv = new AjvClass({ allErrors: true, strict: false, validateSchema: false, inlineRefs: false, code: { regExp: Object.assign(goRegExp, { code: 'new RegExp' }) } });
    for (const [name, validate] of Object.entries(FORMATS)) this.ajv.addFormat(name, validate);
    this.core = JSON.parse(fs.readFileSync(findFile([path.join(__dirname, 'schemas'), path.join(__dirname, '..', '..', '..', 'src', 'testing', 'schemas')], 'kubernetes-1.34.json'), 'utf8'));
    const defs: Record<string, Schema> = {};
    for (const [n, d] of Object.entries(this.core.definitions)) defs[n] = strictCore(d);
    defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { oneOf: [{ type: 'string', format: 'quantity' }, { type: 'number' }] };
    this.ajv.addSchema({ $id: CORE_REF, definitions: defs });
  }

  validator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion}/${kind}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let v: ValidateFunction | undefined;
    const coreName = this.core.kinds[key];
    const hand = HAND_WRITTEN[key];
    if (coreName) v = this.ajv.compile({ $ref: `${CORE_REF}#/definitions/${coreName}` });
    else if (hand) v = this.ajv.compile(hand);
    else {
      const crdSchema = this.crdSchema(apiVersion, kind);
      if (crdSchema) v = this.ajv.compile(crdSchema);
    }
    this.cache.set(key, v);
    return v;
  }

  compileExtra(schema: object): ValidateFunction {
    let v = this.extraCache.get(schema);
    if (!v) {
      v = this.ajv.compile(schema);
      this.extraCache.set(schema, v);
    }
    return v;
  }

  private crdSchema(apiVersion: string, kind: string): Schema | undefined {
    const slash = apiVersion.lastIndexOf('/');
    if (slash < 0) return undefined;
    const group = apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const text = this.index().chunks.get(`${group}/${kind}`);
    if (text === undefined) return undefined;
    let crd = this.parsedCrds.get(`${group}/${kind}`);
    if (!crd) {
      crd = YAML.parse(text) as Obj;
      this.parsedCrds.set(`${group}/${kind}`, crd);
    }
    const spec = crd.spec as Obj;
    const versions = (spec.versions as Obj[]) ?? [];
    const ver = versions.find((x) => x.name === version && x.served !== false);
    const openApi = ver && isObj(ver.schema) ? ver.schema.openAPIV3Schema : undefined;
    if (!isObj(openApi)) return undefined;
    const root = convertCrd(openApi, false);
    const props = { ...((root.properties as Schema | undefined) ?? {}) };
    props.apiVersion = { type: 'string' };
    props.kind = { type: 'string' };
    props.metadata = { $ref: OBJECT_META };
    return { ...root, type: 'object', properties: props, additionalProperties: openApi['x-kubernetes-preserve-unknown-fields'] ? undefined : false };
  }

  /** Splits the CRD files into documents and finds each one's group and kind without parsing all of them. */
  private index(): CrdVersionIndex {
    if (this.crdIndex) return this.crdIndex;
    const dir = this.crdDir ?? findDir([path.join(__dirname, '..', '..', 'crds'), path.join(__dirname, '..', '..', '..', 'crds')]);
    const chunks = new Map<string, string>();
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const doc of text.split(/^---[ \t]*$/m)) {
        if (!/^kind:\s*CustomResourceDefinition\s*$/m.test(doc)) continue;
        const group = /^ {2}group:\s*["']?([^"'\s]+)/m.exec(doc)?.[1];
        const names = /^ {2}names:\s*$/m.exec(doc);
        const kind = names ? /^ {4}kind:\s*["']?([^"'\s]+)/m.exec(doc.slice(names.index))?.[1] : undefined;
        if (group && kind) {
          chunks.set(`${group}/${kind}`, doc);
        } else {
          const crd = YAML.parse(doc) as Obj;
          const spec = crd.spec as Obj;
          const key = `${String(spec.group)}/${String((spec.names as Obj).kind)}`;
          chunks.set(key, doc);
          this.parsedCrds.set(key, crd);
        }
      }
    }
    this.crdIndex = { chunks };
    return this.crdIndex;
  }
}

const registries = new Map<string, Registry>();

function registry(crdDir: string | undefined): Registry {
  const key = crdDir ?? '';
  let r = registries.get(key);
  if (!r) {
    r = new Registry(crdDir);
    registries.set(key, r);
  }
  return r;
}

function findFile(dirs: string[], name: string): string {
  for (const d of dirs) if (fs.existsSync(path.join(d, name))) return path.join(d, name);
  throw new Error(`cdk8s-llm-d testing: ${name} not found in ${dirs.join(', ')}`);
}

function findDir(dirs: string[]): string {
  for (const d of dirs) if (fs.existsSync(d)) return d;
  throw new Error(`cdk8s-llm-d testing: CRD folder not found in ${dirs.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// schema conversion

const INT32 = 2 ** 31;
const FORMATS: Record<string, Parameters<Ajv['addFormat']>[1]> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  float: { type: 'number', validate: () => true },
  double: { type: 'number', validate: () => true },
  byte: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
  'date-time': (s: string) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s),
  quantity: (s: string) => isQuantity(s),
  // Formats Kubernetes validates loosely or not at all; accepted as any string here.
  ...Object.fromEntries(['date', 'duration', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4', 'uuid5', 'password', 'int-or-string', 'string', 'url'].map((f) => [f, () => true])),
};

/** Core definitions: objects with declared properties get `additionalProperties: false`. */
function strictCore(def: Schema): Schema {
  const walk = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(walk);
    if (!isObj(s)) return s;
    const r: Schema = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === 'x-kubernetes-group-version-kind') continue;
      r[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, walk(pv)])) : walk(v);
    }
    if (isObj(s.properties) && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) r.additionalProperties = false;
    return r;
  };
  return walk(def) as Schema;
}

const CRD_DROP = new Set(['description', 'example', 'default', 'nullable', 'externalDocs']);

/**
 * A structural CRD schema (OpenAPI v3.0 subset) as an ajv draft-07 schema: int-or-string as
 * integer|string, OpenAPI boolean exclusive bounds as numbers, and `additionalProperties: false` on
 * every object that does not preserve unknown fields (what the API server prunes or, in strict
 * field validation, rejects). Value validations inside anyOf/oneOf/allOf/not are kept as they are.
 */
function convertCrd(s: Obj, inJunctor: boolean): Schema {
  const r: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (CRD_DROP.has(k) || k.startsWith('x-kubernetes-')) continue;
    if (k === 'properties' && isObj(v)) {
      r.properties = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, isObj(pv) ? convertCrd(pv, false) : pv]));
    } else if ((k === 'items' || k === 'not') && isObj(v)) {
      r[k] = convertCrd(v, k === 'not' || inJunctor);
    } else if (k === 'additionalProperties' && isObj(v)) {
      r[k] = convertCrd(v, false);
    } else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) {
      r[k] = v.map((b) => (isObj(b) ? convertCrd(b, true) : b));
    } else {
      r[k] = v;
    }
  }
  if (s.exclusiveMinimum === true) {
    r.exclusiveMinimum = s.minimum;
    delete r.minimum;
  } else if (s.exclusiveMinimum === false) delete r.exclusiveMinimum;
  if (s.exclusiveMaximum === true) {
    r.exclusiveMaximum = s.maximum;
    delete r.maximum;
  } else if (s.exclusiveMaximum === false) delete r.exclusiveMaximum;
  if (s['x-kubernetes-int-or-string']) {
    delete r.type;
    if (!r.anyOf) r.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.type === 'object' && !inJunctor && r.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) {
    r.additionalProperties = false;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// hand-written schemas of kinds without a vendored CRD

const META = { $ref: OBJECT_META };
const GKE_TARGET_REF = {
  type: 'object',
  required: ['group', 'kind', 'name'],
  additionalProperties: false,
  properties: { group: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' } },
};
const INT = { type: 'integer' };
const OPEN_OBJECT = { type: 'object' };

/**
 * A GKE policy (networking.gke.io/v1): strict top levels with a required `spec.targetRef` and a
 * strict `spec.default` holding `defaults` (the policy's own fields).
 */
function gkePolicySchema(defaults: Record<string, Schema>): Schema {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: META,
      spec: {
        type: 'object',
        required: ['targetRef'],
        additionalProperties: false,
        properties: {
          targetRef: GKE_TARGET_REF,
          default: { type: 'object', additionalProperties: false, properties: defaults },
        },
      },
      status: OPEN_OBJECT,
    },
  };
}

/**
 * networking.gke.io/v1 HealthCheckPolicy and GCPBackendPolicy, written from the GKE Gateway API
 * reference: the top levels and `spec.default` are strict, nested health-check and policy blocks
 * are checked for their known fields only where listed.
 */
const HAND_WRITTEN: Record<string, Schema> = {
  'networking.gke.io/v1/HealthCheckPolicy': gkePolicySchema({
    checkIntervalSec: INT,
    timeoutSec: INT,
    healthyThreshold: INT,
    unhealthyThreshold: INT,
    logConfig: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { enum: ['TCP', 'HTTP', 'HTTPS', 'HTTP2', 'GRPC'] },
        tcpHealthCheck: OPEN_OBJECT,
        httpHealthCheck: OPEN_OBJECT,
        httpsHealthCheck: OPEN_OBJECT,
        http2HealthCheck: OPEN_OBJECT,
        grpcHealthCheck: OPEN_OBJECT,
      },
    },
  }),
  'networking.gke.io/v1/GCPBackendPolicy': gkePolicySchema({
    timeoutSec: INT,
    logging: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, sampleRate: INT } },
    connectionDraining: { type: 'object', additionalProperties: false, properties: { drainingTimeoutSec: INT } },
    sessionAffinity: OPEN_OBJECT,
    securityPolicy: { type: 'string' },
    iap: OPEN_OBJECT,
    maxRatePerEndpoint: INT,
    backendPreference: { type: 'string' },
    scopes: { type: 'array' },
  }),
};

// ---------------------------------------------------------------------------------------------

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The object without `null` values (the API server treats them as absent); the same object when it has none. */
function withoutNulls(x: unknown): unknown {
  if (Array.isArray(x)) {
    let changed = false;
    const r = x.map((v) => {
      const n = withoutNulls(v);
      if (n !== v) changed = true;
      return n;
    });
    return changed ? r : x;
  }
  if (!isObj(x)) return x;
  let changed = false;
  const r: Obj = {};
  for (const [k, v] of Object.entries(x)) {
    if (v === null) {
      changed = true;
      continue;
    }
    const n = withoutNulls(v);
    if (n !== v) changed = true;
    r[k] = n;
  }
  return changed ? r : x;
}
