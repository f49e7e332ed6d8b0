/**
 * The API server's create-time rules for the objects this library writes, applied to the JSON
 * that is about to be written: metadata, pod templates, replica counts, Services, claims and
 * HTTPRoute matches. The constructs check their props close to the input; these rules are the
 * backstop that keeps any combination of props from reaching a manifest the cluster rejects.
 */
import { Problem } from '../errors';
import { loneSurrogateAt } from '../manifest-yaml';
import { checkLabels, isLabelKey } from '../labels';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../names';
import { isPortName } from '../ports';
import { schemaProblems } from './kube-schema';
import { podSpecApplyProblems, podSpecProblems, podSpecWarnings } from './pod-spec-rules';
import { quantityValue } from '../quantities';
import { resourceProblems } from './resource-rules';
import { routeProblems } from './route-rules';
import { INT32_MAX, Json, asArray, asObject, integerProblem } from './json';

const MAX_ANNOTATIONS_BYTES = 256 * 1024;
/** etcd's default request limit: the API server refuses larger objects ("request is too large"). */
const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;
/** A ConfigMap's or Secret's data, together. */
const MAX_DATA_BYTES = 1024 * 1024;
/** Kinds whose names only have to be a path segment (RBAC allows ":" as in system:...). */
const PATH_SEGMENT_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** Label maps (labels, selectors): the shared label rules; a map that is not a map is the schema's to report. */
function labelMapProblems(field: string, labels: unknown): Problem[] {
  return checkLabels(field, asObject(labels) as Readonly<Record<string, string>> | undefined);
}

function annotationProblems(field: string, annotations: unknown): Problem[] {
  const out: Problem[] = [];
  let bytes = 0;
  for (const [k, v] of Object.entries(asObject(annotations) ?? {})) {
    if (!isLabelKey(k)) out.push({ field, value: k, allowed: 'a qualified key: optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."' });
    if (typeof v !== 'string') out.push({ field: `${field}.${k}`, value: v, allowed: 'a string (quote numbers and booleans)' });
    bytes += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) out.push({ field, value: `${bytes} bytes`, allowed: 'at most 256 KiB of annotations in total' });
  return out;
}

/** Object names by kind: Services are DNS-1035 labels, a few kinds DNS-1123 labels, the rest subdomains. */
function nameProblem(kind: string, name: unknown): Problem | undefined {
  if (typeof name !== 'string') return { field: 'metadata.name', value: name, allowed: 'a name' };
  if (kind === 'Service') {
    return isDns1035Label(name) ? undefined : { field: 'metadata.name', value: name, allowed: 'a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter' };
  }
  if (PATH_SEGMENT_NAMED.has(kind)) {
    return name !== '' && name !== '.' && name !== '..' && !/[/%]/.test(name) ? undefined : { field: 'metadata.name', value: name, allowed: 'a name without "/" or "%", other than "." and ".."' };
  }
  if (kind === 'Namespace') return isDns1123Label(name) ? undefined : { field: 'metadata.name', value: name, allowed: 'a DNS-1123 label: at most 63 lower-case letters, digits and "-"' };
  return isDns1123Subdomain(name) ? undefined : { field: 'metadata.name', value: name, allowed: 'a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and "."' };
}

function metadataProblems(field: string, meta: Json | undefined): Problem[] {
  if (!meta) return [];
  return [...labelMapProblems(`${field}.labels`, meta.labels), ...annotationProblems(`${field}.annotations`, meta.annotations)];
}

/** A pod template: its metadata and its pod spec. */
function templateProblems(field: string, template: unknown): Problem[] {
  const t = asObject(template);
  if (!t) return [];
  const spec = asObject(t.spec);
  return [...metadataProblems(`${field}.metadata`, asObject(t.metadata)), ...(spec ? podSpecProblems(`${field}.spec`, spec) : [])];
}

function replicasProblem(field: string, replicas: unknown, min = 0): Problem | undefined {
  if (replicas === undefined || replicas === null) return undefined;
  return integerProblem(field, replicas, min, INT32_MAX, `an integer from ${min} to ${INT32_MAX}`);
}

function selectorProblems(spec: Json): Problem[] {
  const match = asObject(asObject(spec.selector)?.matchLabels);
  const labels = asObject(asObject(asObject(spec.template)?.metadata)?.labels) ?? {};
  if (!match) return [];
  const missing = Object.entries(match).filter(([k, v]) => labels[k] !== v);
  return missing.length === 0 ? [] : [{ field: 'spec.selector.matchLabels', value: Object.fromEntries(missing), allowed: 'labels the pod template carries', why: 'the selector does not match the template labels' }];
}

function servicePortProblems(spec: Json): Problem[] {
  const out: Problem[] = [];
  const ports = asArray(spec.ports);
  const names = new Set<string>();
  const nodePorts = new Set<string>();
  const numbers = new Set<string>();
  const headless = spec.clusterIP === 'None';
  ports.forEach((raw, i) => {
    const p = asObject(raw);
    if (!p) return;
    const f = `spec.ports[${i}]`;
    const port = integerProblem(`${f}.port`, p.port, 1, 65535, 'a port number from 1 to 65535');
    if (port) out.push(port);
    const key = `${String(p.port)}/${String(p.protocol ?? 'TCP')}`;
    if (!port && numbers.has(key)) out.push({ field: `${f}.port`, value: p.port, allowed: 'each port and protocol once per Service' });
    numbers.add(key);
    const tp = p.targetPort;
    if (tp !== undefined && tp !== null) {
      if (typeof tp === 'string' ? !isPortName(tp) : integerProblem('', tp, 1, 65535, '') !== undefined) {
        out.push({ field: `${f}.targetPort`, value: tp, allowed: 'a port number from 1 to 65535 or a container port name' });
      }
    }
    if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) out.push({ field: `${f}.name`, value: p.name, allowed: 'a name (required when a Service has more than one port)' });
    if (typeof p.name === 'string' && p.name !== '') {
      if (!isDns1123Label(p.name)) out.push({ field: `${f}.name`, value: p.name, allowed: 'a DNS-1123 label' });
      else if (names.has(p.name)) out.push({ field: `${f}.name`, value: p.name, allowed: 'each port name once per Service' });
      names.add(p.name);
    }
    if (p.nodePort !== undefined && p.nodePort !== null) {
      const np = integerProblem(`${f}.nodePort`, p.nodePort, 1, 65535, 'a port number from 1 to 65535 (the cluster default range is 30000-32767)');
      if (np) out.push(np);
      const type = spec.type ?? 'ClusterIP';
      if (type === 'ClusterIP' || headless) out.push({ field: `${f}.nodePort`, value: p.nodePort, allowed: 'no nodePort on a ClusterIP Service (use type NodePort or LoadBalancer)' });
      const key = `${String(p.nodePort)}/${String(p.protocol ?? 'TCP')}`;
      if (nodePorts.has(key)) out.push({ field: `${f}.nodePort`, value: p.nodePort, allowed: 'each nodePort once per Service' });
      nodePorts.add(key);
    }
  });
  return out;
}

function claimProblems(field: string, spec: Json): Problem[] {
  const requests = asObject(asObject(spec.resources)?.requests);
  const out = resourceProblems(`${field}.resources`, asObject(spec.resources));
  const storage = requests?.storage;
  const size = quantityValue(storage);
  if (size === undefined || size <= 0) out.push({ field: `${field}.resources.requests.storage`, value: storage, allowed: 'a size greater than zero, such as "50Gi"' });
  return out;
}

/** Where each kind keeps its pod templates. */
function podTemplates(kind: string, spec: Json): Array<[string, unknown]> {
  switch (kind) {
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'DaemonSet': case 'Job':
      return [['spec.template', spec.template]];
    case 'CronJob':
      return [['spec.jobTemplate.spec.template', asObject(asObject(spec.jobTemplate)?.spec)?.template]];
    case 'LeaderWorkerSet': {
      const lwt = asObject(spec.leaderWorkerTemplate) ?? {};
      return [['spec.leaderWorkerTemplate.leaderTemplate', lwt.leaderTemplate], ['spec.leaderWorkerTemplate.workerTemplate', lwt.workerTemplate]];
    }
    default:
      return [];
  }
}

/** Every create-time rule of one manifest (as `ApiObject.toJson()` returns it). */
export function objectProblems(manifest: Json): Problem[] {
  const kind = String(manifest.kind ?? '');
  const meta = asObject(manifest.metadata);
  const spec = asObject(manifest.spec) ?? {};
  const out: Problem[] = [];
  const name = nameProblem(kind, meta?.name);
  if (name) out.push(name);
  out.push(...metadataProblems('metadata', meta));
  for (const [field, template] of podTemplates(kind, spec)) out.push(...templateProblems(field, template));
  if (kind === 'Pod') out.push(...podSpecProblems('spec', spec));
  if (['Deployment', 'StatefulSet', 'ReplicaSet', 'LeaderWorkerSet'].includes(kind)) {
    const r = replicasProblem('spec.replicas', spec.replicas);
    if (r) out.push(r);
  }
  if (['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'].includes(kind)) out.push(...selectorProblems(spec));
  if (kind === 'LeaderWorkerSet') {
    const size = replicasProblem('spec.leaderWorkerTemplate.size', asObject(spec.leaderWorkerTemplate)?.size, 1);
    if (size) out.push(size);
  }
  if (kind === 'Job') {
    const policy = asObject(asObject(spec.template)?.spec)?.restartPolicy;
    if (policy !== 'Never' && policy !== 'OnFailure') out.push({ field: 'spec.template.spec.restartPolicy', value: policy, allowed: 'Never or OnFailure' });
    for (const k of ['backoffLimit', 'completions', 'parallelism']) {
      const p = replicasProblem(`spec.${k}`, spec[k]);
      if (p) out.push(p);
    }
  }
  if (kind === 'Service') out.push(...servicePortProblems(spec));
  if (kind === 'PersistentVolumeClaim') out.push(...claimProblems('spec', spec));
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') out.push(...routeProblems(spec));
  const scanned = scan(manifest, MAX_OBJECT_BYTES);
  if (scanned.surrogate) {
    const lone = loneSurrogateProblem(manifest);
    if (lone) out.push(lone);
  }
  if (scanned.size > MAX_OBJECT_BYTES) {
    const bytes = Buffer.byteLength(JSON.stringify(manifest));
    if (bytes > MAX_OBJECT_BYTES) out.push({ field: '', value: `${bytes} bytes`, allowed: 'an object of at most 1.5 MiB (etcd\'s request limit)' });
  }
  if (kind === 'ConfigMap' || kind === 'Secret') {
    const data = [manifest.data, manifest.binaryData, manifest.stringData].flatMap((m) => Object.entries(asObject(m) ?? {}));
    const size = data.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (size > MAX_DATA_BYTES) out.push({ field: 'data', value: `${size} bytes`, allowed: 'at most 1 MiB of data' });
    for (const [k] of data) if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) out.push({ field: 'data', value: k, allowed: 'keys of letters, digits, "-", "_" and "." (at most 253)' });
  }
  // The schema's findings for fields no rule above reported (a rule says more than "a 32-bit integer").
  const reported = new Set(out.map((p) => p.field));
  return [...out, ...schemaProblems(manifest).filter((p) => !reported.has(p.field))];
}

/** The pod specs of one manifest, each with its path. */
function podSpecs(manifest: Json): Array<[string, Json]> {
  const kind = String(manifest.kind ?? '');
  const spec = asObject(manifest.spec) ?? {};
  const specs: Array<[string, Json]> = podTemplates(kind, spec).flatMap(([f, t]) => {
    const ps = asObject(asObject(t)?.spec);
    return ps ? [[`${f}.spec`, ps] as [string, Json]] : [];
  });
  if (kind === 'Pod') specs.push(['spec', spec]);
  return specs;
}

/** What the API server accepts but is almost surely wrong, in one manifest. */
export function objectWarnings(manifest: Json): Problem[] {
  return podSpecs(manifest).flatMap(([f, ps]) => podSpecWarnings(f, ps));
}

/**
 * What the API server stores but server-side apply rejects or the program cannot start with (see
 * `podSpecApplyProblems`), in one manifest: refused for the constructs; the CLI keeps a chart's
 * output with them and warns.
 */
export function objectApplyProblems(manifest: Json): Problem[] {
  return podSpecs(manifest).flatMap(([f, ps]) => podSpecApplyProblems(f, ps));
}

/** A lone surrogate (half of a UTF-16 pair) in a string or key: no encoding writes it; the first one, with its field. */
export function loneSurrogateProblem(manifest: unknown): Problem | undefined {
  const at = loneSurrogateAt(manifest);
  return at && { field: at.field, value: at.value, allowed: 'well-formed Unicode text', why: 'it holds half of a UTF-16 surrogate pair, which no encoding (UTF-8 YAML or JSON) can write' };
}

/** Any surrogate code unit (paired or not): strings with one get the exact lone-surrogate check. */
const SURROGATE = /[\ud800-\udfff]/;

/**
 * A lower bound of the JSON size of `v` in bytes (string lengths, keys and a byte per scalar),
 * without building the JSON, and whether a string or key holds a surrogate; stops once above
 * `stop`. Only objects near the limit are serialized to measure them exactly.
 */
function scan(v: unknown, stop: number): { size: number; surrogate: boolean } {
  let n = 0;
  let surrogate = false;
  const walk = (x: unknown): void => {
    if (n > stop) return;
    if (typeof x === 'string') {
      n += x.length + 2;
      if (!surrogate && SURROGATE.test(x)) surrogate = true;
    } else if (Array.isArray(x)) for (const y of x) walk(y);
    else if (typeof x === 'object' && x !== null) {
      for (const k in x) {
        n += k.length + 3;
        if (!surrogate && SURROGATE.test(k)) surrogate = true;
        walk((x as Record<string, unknown>)[k]);
      }
    } else n += 1;
  };
  walk(v);
  return { size: n, surrogate };
}
