/**
 * Structural check of core objects against the Kubernetes v1.34 OpenAPI definitions vendored in
 * `src/testing/schemas/kubernetes-1.34.json`: unknown fields and wrong types, as the API server's
 * strict field validation refuses them. This is what catches a passthrough (a values file's
 * tolerations, `extraConfig`, security contexts) that is not the Kubernetes type it claims to be.
 * The definitions are read once, on the first object checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Problem } from '../errors';
import { Json, asObject } from './json';

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly oneOf?: readonly Schema[];
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
}

interface Definitions {
  readonly kinds: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, Schema>>;
}

let loaded: Definitions | undefined;

function definitions(): Definitions {
  if (loaded === undefined) {
    // lib/src/core/object-rules -> package root, and src/core/object-rules -> repository root.
    const candidates = [path.join(__dirname, '..', '..', '..', '..', 'src', 'testing', 'schemas'), path.join(__dirname, '..', '..', 'testing', 'schemas')];
    const dir = candidates.find((d) => fs.existsSync(path.join(d, 'kubernetes-1.34.json')));
    loaded = dir === undefined ? { kinds: {}, definitions: {} } : (JSON.parse(fs.readFileSync(path.join(dir, 'kubernetes-1.34.json'), 'utf8')) as Definitions);
  }
  return loaded;
}

const REF_PREFIX = '#/definitions/';
const article = (t: string | undefined): string => (/^[aeiou]/.test(t ?? '') ? `an ${t}` : `a ${t}`);
const MAX_PROBLEMS = 20;

function primitiveOk(type: string | undefined, format: string | undefined, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v) && (format !== 'int32' || (v >= -(2 ** 31) && v < 2 ** 31));
    default: return true;
  }
}

function check(defs: Definitions['definitions'], schema: Schema, v: unknown, field: string, out: Problem[]): void {
  // The API server treats null as absent.
  if (v === null || v === undefined || out.length >= MAX_PROBLEMS) return;
  if (schema.$ref) {
    const target = defs[schema.$ref.slice(REF_PREFIX.length)];
    if (target) check(defs, target, v, field, out);
    return;
  }
  if (schema.oneOf) {
    if (!schema.oneOf.some((s) => primitiveOk(s.type, s.format, v))) out.push({ field, value: v, allowed: schema.oneOf.map((s) => article(s.type)).join(' or ') });
    return;
  }
  if (schema.enum && !schema.enum.includes(v)) {
    out.push({ field, value: v, allowed: schema.enum.map((e) => JSON.stringify(e)).join(', ') });
    return;
  }
  if (schema.type === 'array') {
    if (!Array.isArray(v)) out.push({ field, value: v, allowed: 'a list' });
    else if (schema.items) v.forEach((x, i) => check(defs, schema.items!, x, `${field}[${i}]`, out));
    return;
  }
  if (schema.type === 'object' || schema.properties) {
    const o = asObject(v);
    if (!o) {
      out.push({ field, value: v, allowed: 'a map' });
      return;
    }
    objectCheck(defs, schema, o, field, out);
    return;
  }
  if (!primitiveOk(schema.type, schema.format, v)) {
    out.push({ field, value: v, allowed: schema.format === 'int32' ? 'a 32-bit integer' : article(schema.type) });
  }
}

function objectCheck(defs: Definitions['definitions'], schema: Schema, o: Json, field: string, out: Problem[]): void {
  const props = schema.properties;
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const at = (k: string) => (field === '' ? k : `${field}.${k}`);
  for (const [k, x] of Object.entries(o)) {
    if (props && Object.prototype.hasOwnProperty.call(props, k)) check(defs, props[k], x, at(k), out);
    else if (extra) check(defs, extra, x, at(k), out);
    else if (props && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true && x !== null && x !== undefined) {
      out.push({ field: at(k), value: x, allowed: `a field of ${field === '' ? 'the object' : 'this object'}: ${Object.keys(props).join(', ')}`, why: 'unknown field' });
    }
  }
  for (const r of schema.required ?? []) {
    if (o[r] === undefined || o[r] === null) out.push({ field: at(r), value: undefined, allowed: `a value (required)` });
  }
}

const roots = new Map<string, Schema>();

/** A kind's schema as the root of an object: `status` is the controller's (cdk8s never writes it). Built once per kind. */
function rootSchema(def: string, schema: Schema): Schema {
  let root = roots.get(def);
  if (root === undefined) {
    root = { ...schema, properties: { ...schema.properties, status: {} } };
    roots.set(def, root);
  }
  return root;
}

/** The pod templates of kinds whose schema is not vendored here but that embed core types. */
const EMBEDDED_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  'leaderworkerset.x-k8s.io/v1/LeaderWorkerSet': ['spec.leaderWorkerTemplate.leaderTemplate', 'spec.leaderWorkerTemplate.workerTemplate'],
};

function at(o: Json, dotted: string): unknown {
  let v: unknown = o;
  for (const k of dotted.split('.')) v = asObject(v)?.[k];
  return v;
}

/** Unknown fields and wrong types in a core object (or the pod templates a known custom resource embeds). */
export function schemaProblems(manifest: Json): Problem[] {
  const key = `${String(manifest.apiVersion)}/${String(manifest.kind)}`;
  const embedded = EMBEDDED_TEMPLATES[key];
  const defs = definitions();
  const out: Problem[] = [];
  const def = defs.kinds[key];
  if (def !== undefined) {
    const schema = defs.definitions[def];
    if (schema) check(defs.definitions, rootSchema(def, schema), manifest, '', out);
  } else if (embedded) {
    const template = defs.definitions['io.k8s.api.core.v1.PodTemplateSpec'];
    for (const p of embedded) if (template) check(defs.definitions, template, at(manifest, p), p, out);
  }
  return out;
}
