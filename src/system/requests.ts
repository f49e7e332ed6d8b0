/**
 * The request path: listener (port, protocol, hostname) → HTTPRoute (parents, hostnames,
 * matches, weights) → InferencePool or Service → the pods it selects → a container listening on
 * the target port. Reports routes that attach to no listener, rules that can never match,
 * backends that select no pods or no listening port, pools no route reaches, and models only a
 * client that sends the model header can reach.
 */
import { isVllmImage } from '../core/image-users';
import { kvConnectorOf, kvTransferConfigOf } from '../core/vllm-args';
import { selectorMatches } from '../core/labels';
import { asArray, asObject, Json } from '../core/object-rules/json';
import { describeObject, identityOf, ObjectIdentity, SystemFinding, SystemManifest } from './finding';
import { allContainers, PodGroup } from './workloads';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const POOL_GROUPS = new Set(['inference.networking.k8s.io', 'inference.networking.x-k8s.io']);
/** The header the Inference Extension's body-based router sets from the request body's `model`. */
export const MODEL_HEADER = 'x-gateway-model-name';
/** Images of the Inference Extension's body-based router. */
const BBR_IMAGE = /(^|\/)bbr(:|@|$)/;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Whether the body-based router runs among the pods: it sets the model header from the request body. */
function hasBodyRouter(groups: readonly PodGroup[]): boolean {
  return groups.some((g) => allContainers(g.spec).some((c) => BBR_IMAGE.test(str(c.image))));
}
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

interface Found {
  readonly id: ObjectIdentity;
  readonly source?: string;
  readonly manifest: Json;
}

function index(manifests: readonly SystemManifest[]): Map<string, Found> {
  const out = new Map<string, Found>();
  for (const { manifest, source } of manifests) {
    const id = identityOf(manifest);
    out.set(`${groupOf(id.apiVersion)}/${id.kind}/${id.namespace}/${id.name}`, { id, source, manifest: manifest as Json });
  }
  return out;
}

/** Whether a listener hostname and a route hostname can both hold for one request (Gateway API wildcard rules). */
export function hostnamesIntersect(listener: string, route: string): boolean {
  const matches = (wild: string, host: string): boolean => (wild.startsWith('*.') ? host.endsWith(wild.slice(1)) && host.length > wild.length - 1 : wild === host);
  return listener === route || matches(listener, route) || matches(route, listener);
}

/** Why a listener does not admit the route, or undefined when it does. */
function listenerRefusal(listener: Json, gateway: Found, route: Found): string | undefined {
  const name = str(listener.name);
  const protocol = str(listener.protocol);
  const allowed = asObject(listener.allowedRoutes) ?? {};
  const kinds = asArray(allowed.kinds).map(asObject);
  if (kinds.length > 0 ? !kinds.some((k) => k?.kind === 'HTTPRoute' && (k.group === undefined || k.group === GATEWAY_GROUP)) : protocol !== 'HTTP' && protocol !== 'HTTPS') {
    return `listener ${name} (${protocol}) does not admit HTTPRoutes`;
  }
  const from = str(asObject(allowed.namespaces)?.from) || 'Same';
  if (from === 'Same' && route.id.namespace !== gateway.id.namespace) return `listener ${name} admits routes of namespace ${gateway.id.namespace} only (allowedRoutes.namespaces.from: Same)`;
  const listenerHost = str(listener.hostname);
  const routeHosts = asArray(asObject(route.manifest.spec)?.hostnames).map(str);
  if (listenerHost && routeHosts.length > 0 && !routeHosts.some((h) => hostnamesIntersect(listenerHost, h))) return `listener ${name} serves ${listenerHost}, which none of the route's hostnames (${routeHosts.join(', ')}) matches`;
  return undefined;
}

/** The pods a label selector picks in a namespace. */
function selected(groups: readonly PodGroup[], namespace: string, selector: Readonly<Record<string, unknown>>): PodGroup[] {
  if (Object.keys(selector).length === 0) return [];
  return groups.filter((g) => g.workload.namespace === namespace && selectorMatches(selector as Record<string, string>, g.labels));
}

/** Whether some container of the group declares the port (a number, or a port name). */
function listensOn(g: PodGroup, port: number | string): boolean {
  return allContainers(g.spec).some((c) => asArray(c.ports).map(asObject).some((p) => (typeof port === 'number' ? p?.containerPort === port : p?.name === port)));
}

/** Whether no container of the group declares any port (then a listening port cannot be told). */
function declaresNoPorts(g: PodGroup): boolean {
  return allContainers(g.spec).every((c) => asArray(c.ports).length === 0);
}

interface Backend {
  readonly kind: 'InferencePool' | 'Service';
  readonly found: Found;
  readonly selector: Readonly<Record<string, unknown>>;
  /** Ports a request is sent to on the pods. */
  readonly targetPorts: ReadonlyArray<number | string>;
}

function backendOf(ref: Json, route: Found, objects: ReadonlyMap<string, Found>): Backend | undefined {
  const kind = str(ref.kind) || 'Service';
  const group = ref.group === undefined ? (kind === 'Service' ? '' : GATEWAY_GROUP) : str(ref.group);
  const namespace = str(ref.namespace) || route.id.namespace;
  if (kind === 'InferencePool' && POOL_GROUPS.has(group)) {
    const found = objects.get(`${group}/InferencePool/${namespace}/${str(ref.name)}`);
    if (!found) return undefined;
    const spec = asObject(found.manifest.spec) ?? {};
    const sel = asObject(spec.selector);
    const selector = asObject(sel?.matchLabels) ?? sel ?? {};
    const ports = asArray(spec.targetPorts).map((p) => asObject(p)?.number).filter((n): n is number => typeof n === 'number');
    if (typeof spec.targetPortNumber === 'number') ports.push(spec.targetPortNumber);
    return { kind: 'InferencePool', found, selector, targetPorts: ports };
  }
  if (kind === 'Service' && group === '') {
    const found = objects.get(`/Service/${namespace}/${str(ref.name)}`);
    if (!found) return undefined;
    const spec = asObject(found.manifest.spec) ?? {};
    const port = asArray(spec.ports).map(asObject).find((p) => p?.port === ref.port) ?? asObject(asArray(spec.ports)[0]);
    const target = port?.targetPort ?? port?.port;
    return { kind: 'Service', found, selector: asObject(spec.selector) ?? {}, targetPorts: typeof target === 'number' || typeof target === 'string' ? [target] : [] };
  }
  return undefined;
}

/** The routing sidecar of a decode pod: the port it forwards to, and its KV connector. */
function routingSidecar(g: PodGroup): { container: Json; vllmPort?: number; connector?: string } | undefined {
  for (const c of allContainers(g.spec)) {
    const args = asArray(c.args).map(String);
    if (!/(^|\/)llm-d-routing-sidecar(:|@|$)/.test(str(c.image)) && !args.some((a) => a.startsWith('--vllm-port='))) continue;
    const port = args.find((a) => a.startsWith('--vllm-port='))?.slice('--vllm-port='.length);
    return { container: c, vllmPort: port !== undefined && /^[0-9]+$/.test(port) ? Number(port) : undefined, connector: args.find((a) => a.startsWith('--connector='))?.slice('--connector='.length) };
  }
  return undefined;
}

/**
 * Prefill/decode behind one pool: the decode pods' routing sidecar forwards to the vLLM port of
 * its own pod, and asks prefill pods (pods of the same pool without the sidecar) to prefill; vLLM
 * on both must run the KV connector the sidecar's connector hands the cache over with.
 */
function prefillDecodeFindings(route: Found, field: string, pods: readonly PodGroup[]): SystemFinding[] {
  const out: SystemFinding[] = [];
  const decode = pods.filter((g) => routingSidecar(g) !== undefined);
  if (decode.length === 0) return out;
  const base = { rule: 'request-path' as const, severity: 'error' as const, object: route.id, source: route.source, field };
  for (const g of decode) {
    const sidecar = routingSidecar(g)!;
    const others = allContainers(g.spec).filter((c) => c !== sidecar.container);
    if (sidecar.vllmPort !== undefined && !others.some((c) => asArray(c.ports).map(asObject).some((p) => p?.containerPort === sidecar.vllmPort)) && others.some((c) => asArray(c.ports).length > 0)) {
      out.push({ ...base, value: sidecar.vllmPort, allowed: `a container of ${describeObject(g.workload)} that listens on ${sidecar.vllmPort}`, why: `the routing sidecar of ${describeObject(g.workload)} forwards decode requests to port ${sidecar.vllmPort}, where no container of its pod listens` });
    }
  }
  const prefill = pods.filter((g) => routingSidecar(g) === undefined);
  const nixl = decode.some((g) => /^nixl/.test(routingSidecar(g)?.connector ?? ''));
  if (prefill.length > 0 && nixl) {
    for (const g of [...decode, ...prefill]) {
      const vllm = allContainers(g.spec).find((c) => kvTransferConfigOf(asArray(c.args).map(String)) !== undefined || isVllmImage(str(c.image)) || asArray(c.command).map(String).includes('vllm'));
      if (!vllm) continue;
      const config = kvTransferConfigOf(asArray(vllm.args).map(String));
      if (config === undefined || kvConnectorOf(config) !== 'NixlConnector') {
        out.push({ ...base, severity: 'warning', value: config ?? '(none)', allowed: `--kv-transfer-config {"kv_connector":"NixlConnector","kv_role":"kv_both"} on ${describeObject(g.workload)}`, why: `decode pods hand the KV cache over with the sidecar's ${routingSidecar(decode[0])?.connector} connector; without vLLM's NixlConnector on both roles, decode recomputes every prompt` });
      }
    }
  }
  return out;
}

/** The findings of the request path over the manifests. */
export function requestPathFindings(manifests: readonly SystemManifest[], groups: readonly PodGroup[]): SystemFinding[] {
  const objects = index(manifests);
  const out: SystemFinding[] = [];
  const reachedPools = new Set<string>();
  const bbr = hasBodyRouter(groups);
  const routes = [...objects.values()].filter((o) => o.id.kind === 'HTTPRoute');
  for (const route of routes) {
    const spec = asObject(route.manifest.spec) ?? {};
    const base = { rule: 'request-path' as const, object: route.id, source: route.source };
    // Parents: each known Gateway must have a listener that admits the route.
    let attached = 0;
    let known = 0;
    asArray(spec.parentRefs).map(asObject).forEach((p, i) => {
      if (!p || (p.kind !== undefined && p.kind !== 'Gateway')) return;
      const gateway = objects.get(`${str(p.group) || GATEWAY_GROUP}/Gateway/${str(p.namespace) || route.id.namespace}/${str(p.name)}`);
      if (!gateway) return;
      known++;
      const listeners = asArray(asObject(gateway.manifest.spec)?.listeners).map(asObject).filter((l): l is Json => l !== undefined)
        .filter((l) => (p.sectionName === undefined || l.name === p.sectionName) && (p.port === undefined || l.port === p.port));
      const refusals = listeners.map((l) => listenerRefusal(l, gateway, route));
      if (refusals.some((r) => r === undefined)) {
        attached++;
        return;
      }
      out.push({
        ...base,
        severity: 'error',
        field: `spec.parentRefs[${i}]`,
        value: { name: p.name, ...(p.sectionName ? { sectionName: p.sectionName } : {}) },
        allowed: `a listener of ${describeObject(gateway.id)} that admits the route${listeners.length === 0 ? ' (none has that sectionName/port)' : `: ${refusals.join('; ')}`}`,
        why: `the route attaches to nothing on ${describeObject(gateway.id)}: no request reaches its backends`,
      });
    });
    // Rules: an earlier rule with the same matches takes every request of a later one.
    const seen = new Map<string, number>();
    asArray(spec.rules).map(asObject).forEach((r, i) => {
      const matches = JSON.stringify(asArray(r?.matches).length > 0 ? r?.matches : [{ path: { type: 'PathPrefix', value: '/' } }]);
      const earlier = seen.get(matches);
      if (earlier !== undefined) {
        out.push({ ...base, severity: 'error', field: `spec.rules[${i}].matches`, value: JSON.parse(matches), allowed: `matches that differ from rule ${earlier}'s (or one rule with weighted backendRefs)`, why: `rule ${earlier} has the same matches and takes every request first: rule ${i} never matches` });
      } else seen.set(matches, i);
      asArray(r?.backendRefs).map(asObject).forEach((ref, j) => {
        if (!ref) return;
        const backend = backendOf(ref, route, objects);
        if (!backend) return;
        if (backend.kind === 'InferencePool' && (known === 0 || attached > 0)) reachedPools.add(`${backend.found.id.namespace}/${backend.found.id.name}`);
        const field = `spec.rules[${i}].backendRefs[${j}]`;
        const pods = selected(groups, backend.found.id.namespace, backend.selector);
        if (pods.length === 0) {
          // A warning: the pods may be applied separately (another chart or app).
          out.push({ ...base, severity: 'warning', field, value: ref.name, allowed: `a ${backend.kind === 'InferencePool' ? 'pool' : 'Service'} whose selector matches the labels of pods of the output, or pods applied separately`, why: `${describeObject(backend.found.id)} selects no pods of the output (selector ${JSON.stringify(backend.selector)}): unless they come from elsewhere, every request to it fails` });
          return;
        }
        out.push(...prefillDecodeFindings(route, field, pods));
        const listening = pods.filter((g) => declaresNoPorts(g) || backend.targetPorts.some((port) => listensOn(g, port)));
        if (backend.targetPorts.length > 0 && listening.length === 0) {
          out.push({ ...base, severity: 'error', field, value: ref.name, allowed: `target port(s) ${backend.targetPorts.join(', ')} declared by a container of the selected pods (${pods.map((g) => g.workload.name).join(', ')})`, why: `no container of the pods ${describeObject(backend.found.id)} selects listens on ${backend.targetPorts.join(', ')}` });
        }
      });
      // Plain OpenAI clients name the model in the body: a rule on the model header reaches them only through the body-based router.
      const onHeader = asArray(r?.matches).length > 0 && asArray(r?.matches).every((m) => asArray(asObject(m)?.headers).some((h) => str(asObject(h)?.name).toLowerCase() === MODEL_HEADER));
      if (onHeader && !bbr) {
        out.push({ ...base, severity: 'warning', field: `spec.rules[${i}].matches`, value: JSON.parse(matches), allowed: 'the Inference Extension\'s body-based router (BodyBasedRouter), which sets the header from the body\'s "model"', why: `only clients that send the ${MODEL_HEADER} header reach this rule; plain OpenAI clients name the model in the body` });
      }
    });
  }
  // Without any route in the output, routes come from elsewhere (a chart rendered alone): unreached pools say nothing then.
  const pools = routes.length === 0 ? [] : [...objects.values()].filter((o) => o.id.kind === 'InferencePool' && POOL_GROUPS.has(groupOf(o.id.apiVersion)));
  for (const pool of pools) {
    if (reachedPools.has(`${pool.id.namespace}/${pool.id.name}`)) continue;
    out.push({ rule: 'request-path', severity: 'warning', object: pool.id, source: pool.source, field: 'metadata.name', value: pool.id.name, allowed: 'an HTTPRoute of the output that attaches to a gateway and names this pool in a backendRef (or a route applied separately)', why: `no route of the output reaches ${describeObject(pool.id)}: its model serves no request` });
  }
  return out;
}

/** Where a request naming a model goes: the pools (with weights) of the rule on its model header. */
export interface ModelRoute {
  /** The model, as the client names it. */
  readonly model: string;
  /** The route that carries it. */
  readonly route: ObjectIdentity;
  /** Pools and their share of the model's requests. */
  readonly backends: ReadonlyArray<{ readonly pool: string; readonly weight: number }>;
  /** A plain OpenAI client (model only in the body) reaches it: the body-based router is in the output. */
  readonly byBody: boolean;
}

/** The models the routes of the output serve by the model header, and whether the body alone reaches them. */
export function modelRoutes(manifests: readonly SystemManifest[], groups: readonly PodGroup[]): ModelRoute[] {
  const byBody = hasBodyRouter(groups);
  const out: ModelRoute[] = [];
  for (const { manifest } of manifests) {
    const id = identityOf(manifest);
    if (id.kind !== 'HTTPRoute') continue;
    for (const r of asArray(asObject(manifest.spec)?.rules).map(asObject)) {
      for (const match of asArray(r?.matches).map(asObject)) {
        const header = asArray(match?.headers).map(asObject).find((h) => str(h?.name).toLowerCase() === MODEL_HEADER && (h?.type === undefined || h.type === 'Exact'));
        if (!header) continue;
        const refs = asArray(r?.backendRefs).map(asObject).filter((b): b is Json => b !== undefined);
        const total = refs.reduce((n, b) => n + (typeof b.weight === 'number' ? b.weight : 1), 0);
        out.push({
          model: str(header.value),
          route: id,
          backends: refs.map((b) => ({ pool: str(b.name), weight: total > 0 ? (typeof b.weight === 'number' ? b.weight : 1) / total : 0 })),
          byBody,
        });
      }
    }
  }
  return out;
}
