/**
 * Property tests over IstioGieGateway (listeners, ports, service type, log level) and
 * InferenceRoute (rules, matches, weights, timeouts) props, judged by an oracle (see support.ts).
 *
 * IstioGieGateway rules covered (path `fuzz/gw`): gateway and release names DNS-1123 labels; at
 * least one listener; listener names DNS-1123 subdomains, unique; listener ports 1-65535; the
 * protocols of the Gateway API; host names; port/protocol/hostname unique; TLS only on HTTPS and
 * TLS listeners, which need a certificate; certificate Secret names and namespaces; the log level;
 * quantities; the Service type, ports 1-65535, node ports 30000-32767 and not on a ClusterIP
 * Service, node ports and port names unique.
 * Meaning: the Gateway's listeners are the given ones (name, port, protocol, host name, TLS
 * certificates, allowed routes), its labels carry the given ones; the gateway-parameters ConfigMap
 * has the Service type and ports and the proxy log level; the access-log Telemetry as asked.
 *
 * InferenceRoute rules covered (path `fuzz/route`): route and rule names; the listener named by
 * sectionName; host names; at least one backend per rule, not every weight 0; weights from 0 to
 * 1000000; backend ports 1-65535 and served by the pool; each pool and port once per rule; paths
 * (normalized absolute paths for PathPrefix and Exact); header names (RFC 7230 tokens); Gateway
 * API durations, the backend timeout at most the request timeout.
 * Meaning: the HTTPRoute's parent, host names and labels; per rule its name, matches (path type and
 * value, headers, method), timeouts and backends (pool, namespace, port, weight); a ReferenceGrant
 * per pool of another namespace.
 */
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { GatewayListener, IstioGieGateway, IstioGieGatewayProps } from '../../src/gateway';
import { InferenceRoute, InferenceRouteMatch, InferenceRouteProps } from '../../src/routing';
import {
  Arbs,
  bothModes,
  checkOracle,
  dnsLabel,
  Expected,
  hits,
  isDnsLabel,
  isDnsSubdomain,
  isPort,
  junkString,
  MALFORMED_QUANTITIES,
  named,
  ofKind,
  Oracle,
  SEED,
  VALID_QUANTITIES,
  validLabels,
} from './support';

const VALID_HOSTNAMES = ['api.example.com', '*.example.com', 'llm.internal'];
const hostname = (mostly: Arbs['mostly']) => mostly(fc.constantFrom(...VALID_HOSTNAMES), fc.oneof(junkString, fc.constantFrom('Bad_Host', '10.0.0.1', 'a..b')));

const gatewayProps = ({ mostly, name, port, quantity, labels }: Arbs): fc.Arbitrary<IstioGieGatewayProps> => {
  const listener: fc.Arbitrary<GatewayListener> = fc
    .record({
      name: mostly(dnsLabel, fc.oneof(junkString, fc.constant('Bad Name'))),
      port,
      protocol: mostly(fc.constantFrom('HTTP' as const, 'HTTPS' as const, 'TLS' as const, 'TCP' as const), fc.constant('QUIC' as never)),
      hostname: hostname(mostly),
      certs: fc.array(fc.record({ name: mostly(dnsLabel, junkString), namespace: mostly(fc.constant(undefined), dnsLabel) }, { requiredKeys: ['name'] }), { maxLength: 2 }),
      from: fc.constantFrom(undefined, 'All' as const, 'Same' as const),
      tlsOnPlain: mostly(fc.constant(false), fc.constant(true)),
    }, { requiredKeys: ['name', 'port', 'protocol'] })
    .map(({ name: n, port: p, protocol, hostname: h, certs, from, tlsOnPlain }) => {
      const secure = protocol === 'HTTPS' || protocol === 'TLS';
      return {
        name: n,
        port: p,
        protocol,
        ...(secure && h !== undefined ? { hostname: h } : {}),
        ...(secure || tlsOnPlain ? { tls: { certificateRefs: certs } } : {}),
        ...(from ? { allowedRoutes: { namespaces: { from } } } : {}),
      };
    });
  return fc.record({
    releaseName: name,
    name: mostly(fc.constant(undefined), name),
    listeners: mostly(fc.uniqueArray(listener, { minLength: 1, maxLength: 3, selector: (l) => l.name }), fc.array(listener, { maxLength: 3 })),
    logLevel: mostly(fc.constantFrom('error' as const, 'warn' as const, 'info' as const, 'debug' as const), fc.constant('verbose' as never)),
    labels,
    proxyResources: fc.record({ requests: fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] }), limits: fc.record({ memory: quantity }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    service: fc.record({
      type: mostly(fc.constantFrom('ClusterIP' as const, 'LoadBalancer' as const, 'NodePort' as const), fc.constant('External' as never)),
      ports: fc.array(fc.record({ port, name: mostly(dnsLabel, junkString), nodePort: mostly(fc.constant(undefined), fc.integer({ min: 29990, max: 32770 })) }, { requiredKeys: ['port'] }), { maxLength: 2 }),
    }, { requiredKeys: [] }),
    accessLogging: fc.boolean(),
  }, { requiredKeys: [] });
};

interface RouteInput extends Omit<InferenceRouteProps, 'gateway' | 'rules'> {
  rules: Array<{ name?: string; matches?: InferenceRouteMatch[]; backends: Array<{ pool: number; weight?: number; port?: number }>; timeouts?: { request?: string; backendRequest?: string } }>;
}

const VALID_PATHS = ['/', '/v1', '/v1/completions'];
const VALID_DURATIONS = ['0s', '10s', '1m', '300s', '1h30m', '500ms'];

const routeProps = ({ mostly, name, port, labels }: Arbs): fc.Arbitrary<RouteInput> => {
  const duration = mostly(fc.constantFrom(...VALID_DURATIONS), fc.oneof(junkString, fc.constantFrom('1 hour', '-1s', '1000000s')));
  const match: fc.Arbitrary<InferenceRouteMatch> = fc.record({
    path: fc.record({ type: fc.constantFrom('PathPrefix' as const, 'Exact' as const, 'RegularExpression' as const), value: mostly(fc.constantFrom(...VALID_PATHS), fc.oneof(junkString, fc.constantFrom('v1', '/a//b', ''))) }, { requiredKeys: ['value'] }),
    headers: fc.array(fc.record({ name: mostly(fc.constantFrom('x-model', 'X-Gateway-Model-Name'), junkString), value: fc.string({ maxLength: 10 }) }), { maxLength: 2 }),
    method: fc.constantFrom(undefined, 'GET' as const, 'POST' as const),
  }, { requiredKeys: [] });
  const backend = fc.record({ pool: fc.constantFrom(0, 1, 2), weight: mostly(fc.integer({ min: 0, max: 100 }), fc.oneof(fc.constant(-1), fc.constant(1000001), fc.constant(0.5))), port: mostly(fc.constant(undefined), port) }, { requiredKeys: ['pool'] });
  const rule = fc.record({
    name: mostly(fc.constant(undefined), name),
    matches: mostly(fc.constant(undefined), fc.array(match, { maxLength: 2 })),
    backends: mostly(fc.array(backend, { minLength: 1, maxLength: 2 }), fc.array(backend, { maxLength: 3 })),
    timeouts: fc.record({ request: duration, backendRequest: duration }, { requiredKeys: [] }),
  }, { requiredKeys: ['backends'] });
  return fc.record({
    name: mostly(fc.constant(undefined), name),
    namespace: mostly(fc.constant(undefined), fc.constantFrom('llm-d', 'team-a')),
    sectionName: mostly(fc.constant(undefined), fc.constantFrom('default', 'nope')),
    hostnames: fc.array(hostname(mostly), { maxLength: 2 }),
    labels,
    rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
  }, { requiredKeys: ['rules'] });
};

const POOLS = [
  { name: 'gaie', namespace: 'llm-d', ports: [8000] },
  { name: 'gaie-b', namespace: 'llm-d', ports: [8000, 8200] },
  { name: 'other', namespace: 'team-b', ports: [8000] },
];
const POOL_REFS = POOLS.map((p) => InferenceRoute.poolRef(p));

// --- the Gateway API's rules ---------------------------------------------------------------------

const PROTOCOLS = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'];
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const isHostname = (h: string) => h.length <= 253 && HOSTNAME.test(h);
/** HTTPPathMatch PathPrefix / Exact: an absolute path the gateway would not normalize into another. */
const isNormalizedPath = (v: string) => v.startsWith('/') && !['//', '/./', '/../', '#'].some((s) => v.includes(s)) && !v.endsWith('/.') && !v.endsWith('/..') && !/%2f/i.test(v);
/** RFC 7230 token. */
const isHeaderName = (v: string) => /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(v);
/** Gateway API Duration: 1 to 4 groups of up to 5 digits with a unit; in milliseconds. */
function duration(d: string): number | undefined {
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(d)) return undefined;
  let ms = 0;
  for (const [, n, unit] of d.matchAll(/([0-9]+)(ms|h|m|s)/g)) ms += Number(n) * { h: 3600000, m: 60000, s: 1000, ms: 1 }[unit]!;
  return ms;
}

// --- IstioGieGateway oracle ------------------------------------------------------------------------

const GW = 'fuzz/gw';

function gatewayName(p: IstioGieGatewayProps): string {
  // The chart's fullname: `<release>-inference-gateway`, `trunc 63 | trimSuffix "-"`.
  return p.name ?? `${p.releaseName ?? 'llm-d-infra'}-inference-gateway`.slice(0, 63).replace(/-+$/, '');
}

const gatewayOracle: Oracle<IstioGieGatewayProps> = {
  refusals(p) {
    const out: Expected[] = [];
    const at = (field: string, value: unknown) => out.push({ path: GW, field, value });
    const name = gatewayName(p);
    // A name made from releaseName is refused once, at releaseName, as the user wrote it.
    if (p.name !== undefined && !isDnsLabel(name)) at('name', name);
    if (!isDnsLabel(p.releaseName ?? 'llm-d-infra')) at('releaseName', p.releaseName);
    if (p.logLevel !== undefined && !['error', 'warn', 'info', 'debug'].includes(p.logLevel)) at('logLevel', p.logLevel);
    for (const part of ['requests', 'limits'] as const) {
      for (const [k, v] of Object.entries(p.proxyResources?.[part] ?? {})) if (MALFORMED_QUANTITIES.includes(v as string)) at(`proxyResources.${part}.${k}`, v);
    }
    const service = p.service ?? {};
    if (service.type !== undefined && !['ClusterIP', 'LoadBalancer', 'NodePort'].includes(service.type)) at('service.type', service.type);
    const nodePorts: unknown[] = [];
    const portNames: unknown[] = [];
    (service.ports ?? []).forEach((sp, i) => {
      const f = `service.ports[${i}]`;
      if (!isPort(sp.port)) at(`${f}.port`, sp.port);
      if (sp.name !== undefined && portNames.includes(sp.name)) at(`${f}.name`, sp.name);
      portNames.push(sp.name);
      if (sp.nodePort !== undefined) {
        if (nodePorts.includes(sp.nodePort)) at(`${f}.nodePort`, sp.nodePort);
        nodePorts.push(sp.nodePort);
        if (sp.nodePort < 30000 || sp.nodePort > 32767) at(`${f}.nodePort`, sp.nodePort);
        else if ((service.type ?? 'ClusterIP') === 'ClusterIP') at(`${f}.nodePort`, sp.nodePort);
      }
    });
    const listeners = p.listeners ?? [{ name: 'default', port: 80, protocol: 'HTTP' }];
    if (listeners.length === 0) at('listeners', []);
    const names: string[] = [];
    const combos: string[] = [];
    listeners.forEach((l, i) => {
      const f = `listeners[${i}]`;
      if (!isDnsSubdomain(l.name) || names.includes(l.name)) at(`${f}.name`, l.name);
      names.push(l.name);
      if (!isPort(l.port)) at(`${f}.port`, l.port);
      else {
        const combo = `${l.port}/${l.protocol}/${l.hostname ?? '*'}`;
        if (combos.includes(combo)) at(f, { port: l.port, protocol: l.protocol, hostname: l.hostname });
        combos.push(combo);
      }
      if (!PROTOCOLS.includes(l.protocol)) at(`${f}.protocol`, l.protocol);
      if (l.hostname !== undefined && !isHostname(l.hostname)) at(`${f}.hostname`, l.hostname);
      if (['HTTP', 'TCP', 'UDP'].includes(l.protocol) && l.tls) at(`${f}.tls`, l.tls);
      if (['HTTPS', 'TLS'].includes(l.protocol)) {
        const refs = l.tls?.certificateRefs ?? [];
        if (refs.length === 0) at(`${f}.tls.certificateRefs`, refs);
        refs.forEach((c, j) => {
          if (!isDnsSubdomain(c.name)) at(`${f}.tls.certificateRefs[${j}].name`, c.name);
          if (c.namespace !== undefined && !isDnsLabel(c.namespace)) at(`${f}.tls.certificateRefs[${j}].namespace`, c.namespace);
        });
      }
    });
    return out;
  },

  valid(p) {
    const listeners = p.listeners ?? [];
    const service = p.service ?? {};
    const type = service.type ?? 'ClusterIP';
    const combos = listeners.map((l) => `${l.port}/${l.protocol}/${l.hostname ?? '*'}`);
    return (
      isDnsLabel(p.releaseName ?? 'llm-d-infra') && isDnsLabel(gatewayName(p)) &&
      (p.logLevel === undefined || ['error', 'warn', 'info', 'debug'].includes(p.logLevel)) &&
      (p.labels === undefined || validLabels(p.labels)) &&
      [...Object.values(p.proxyResources?.requests ?? {}), ...Object.values(p.proxyResources?.limits ?? {})].every((q) => VALID_QUANTITIES.includes(q as string)) &&
      ['ClusterIP', 'LoadBalancer', 'NodePort'].includes(type) &&
      (service.ports ?? []).every((sp) => isPort(sp.port) && (sp.name === undefined || isDnsLabel(sp.name)) && (sp.nodePort === undefined || (type !== 'ClusterIP' && sp.nodePort >= 30000 && sp.nodePort <= 32767))) &&
      new Set((service.ports ?? []).flatMap((sp) => (sp.name === undefined ? [] : [sp.name]))).size === (service.ports ?? []).filter((sp) => sp.name !== undefined).length &&
      new Set((service.ports ?? []).flatMap((sp) => (sp.nodePort === undefined ? [] : [sp.nodePort]))).size === (service.ports ?? []).filter((sp) => sp.nodePort !== undefined).length &&
      (p.listeners === undefined || listeners.length > 0) &&
      new Set(listeners.map((l) => l.name)).size === listeners.length && new Set(combos).size === combos.length &&
      listeners.every((l) => {
        const secure = l.protocol === 'HTTPS' || l.protocol === 'TLS';
        const refs = l.tls?.certificateRefs ?? [];
        return isDnsLabel(l.name) && isPort(l.port) && PROTOCOLS.includes(l.protocol) &&
          (l.hostname === undefined || VALID_HOSTNAMES.includes(l.hostname)) &&
          (secure ? refs.length > 0 && refs.every((c) => isDnsLabel(c.name)) : l.tls === undefined);
      })
    );
  },

  meaning(p, objects) {
    const name = gatewayName(p);
    const gateway = named(objects, 'Gateway', name);
    expect(gateway.metadata.labels).toEqual(expect.objectContaining(p.labels ?? {}));
    const listeners = p.listeners ?? [{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }];
    expect(gateway.spec.listeners).toEqual(listeners.map((l) => ({
      name: l.name,
      port: l.port,
      protocol: l.protocol,
      ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
      ...(l.allowedRoutes ? { allowedRoutes: l.allowedRoutes } : {}),
      ...(l.tls ? { tls: (l.tls.certificateRefs ?? []).length > 0 ? { certificateRefs: l.tls.certificateRefs } : {} } : {}),
    })));
    // The gateway-parameters ConfigMap Istio reads: the Service and the proxy's log level.
    const parameters = named(objects, 'ConfigMap', name);
    expect(gateway.spec.infrastructure.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name });
    const service = parse(parameters.data.service).spec;
    expect(service.type).toBe(p.service?.type ?? 'ClusterIP');
    expect(service.ports ?? []).toEqual(p.service?.ports ?? []);
    const args: string[] = parse(parameters.data.deployment).spec.template.spec.containers[0].args;
    expect(args[args.indexOf('--proxyLogLevel') + 1]).toBe(p.logLevel ?? 'warn');
    expect(ofKind(objects, 'Telemetry')).toHaveLength((p.accessLogging ?? true) ? 1 : 0);
  },
};

// --- InferenceRoute oracle ---------------------------------------------------------------------------

const ROUTE = 'fuzz/route';
const DEFAULT_MATCHES: InferenceRouteMatch[] = [{ path: { type: 'PathPrefix', value: '/' } }];

const routeOracle: Oracle<RouteInput> = {
  refusals(p) {
    const out: Expected[] = [];
    const at = (field: string, value: unknown) => out.push({ path: ROUTE, field, value });
    if (p.name !== undefined && !isDnsSubdomain(p.name)) at('name', p.name);
    if (p.sectionName !== undefined && p.sectionName !== 'default') at('sectionName', p.sectionName);
    (p.hostnames ?? []).forEach((h, i) => !isHostname(h) && at(`hostnames[${i}]`, h));
    const ruleNames: string[] = [];
    p.rules.forEach((r, k) => {
      const f = `rules[${k}]`;
      if (r.name !== undefined) {
        if (!isDnsLabel(r.name) || ruleNames.includes(r.name)) at(`${f}.name`, r.name);
        ruleNames.push(r.name);
      }
      if (r.backends.length === 0) at(`${f}.backends`, []);
      else if (r.backends.every((b) => (b.weight ?? 1) === 0)) at(`${f}.backends`, r.backends.map((b) => b.weight ?? 1));
      const seen: string[] = [];
      r.backends.forEach((b, j) => {
        const bf = `${f}.backends[${j}]`;
        const pool = POOLS[b.pool];
        if (b.weight !== undefined && !(Number.isInteger(b.weight) && b.weight >= 0 && b.weight <= 1000000)) at(`${bf}.weight`, b.weight);
        if (b.port !== undefined && !(isPort(b.port) && pool.ports.includes(b.port))) at(`${bf}.port`, b.port);
        const key = `${pool.name}/${b.port ?? pool.ports[0]}`;
        if (seen.includes(key)) at(bf, { pool: pool.name, port: b.port ?? pool.ports[0] });
        seen.push(key);
      });
      (r.matches ?? []).forEach((m, i) => {
        const mf = `${f}.matches[${i}]`;
        if (m.path && m.path.type !== 'RegularExpression' && !isNormalizedPath(m.path.value)) at(`${mf}.path.value`, m.path.value);
        if (m.path?.type === 'RegularExpression' && m.path.value === '') at(`${mf}.path.value`, '');
        (m.headers ?? []).forEach((h, hi) => !isHeaderName(h.name) && at(`${mf}.headers[${hi}].name`, h.name));
      });
      const t = r.timeouts ?? {};
      const request = t.request === undefined ? undefined : duration(t.request);
      const backend = t.backendRequest === undefined ? undefined : duration(t.backendRequest);
      if (t.request !== undefined && request === undefined) at(`${f}.timeouts.request`, t.request);
      if (t.backendRequest !== undefined && backend === undefined) at(`${f}.timeouts.backendRequest`, t.backendRequest);
      // 0s is no timeout: a backend timeout must fit in a finite request timeout.
      if (request !== undefined && backend !== undefined && request > 0 && (backend === 0 || backend > request)) out.push({ path: ROUTE, field: `${f}.timeouts.backendRequest`, value: t.backendRequest, rule: 'backendRequest <= request' });
    });
    return out;
  },

  valid(p) {
    // Rules whose matches repeat an earlier rule's never match (the system model refuses them).
    const matchKeys = p.rules.map((r) => JSON.stringify(r.matches ?? DEFAULT_MATCHES));
    return (
      routeOracle.refusals(p).length === 0 &&
      (p.name === undefined || isDnsLabel(p.name)) &&
      (p.hostnames ?? []).every((h) => VALID_HOSTNAMES.includes(h)) &&
      (p.labels === undefined || validLabels(p.labels)) &&
      new Set(matchKeys).size === matchKeys.length &&
      p.rules.every((r) => (r.name === undefined || isDnsLabel(r.name)) && (r.matches ?? []).every((m) =>
        (m.path === undefined || VALID_PATHS.includes(m.path.value)) && (m.headers ?? []).every((h) => ['x-model', 'X-Gateway-Model-Name'].includes(h.name))) &&
        [r.timeouts?.request, r.timeouts?.backendRequest].every((d) => d === undefined || VALID_DURATIONS.includes(d)))
    );
  },

  meaning(p, objects) {
    const namespace = p.namespace ?? 'llm-d';
    const route = named(objects, 'HTTPRoute', p.name ?? 'llm-d');
    expect(route.metadata.namespace).toBe(namespace);
    expect(route.metadata.labels).toEqual(expect.objectContaining(p.labels ?? {}));
    expect(route.spec.parentRefs).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'llm-d-infra-inference-gateway', ...(p.sectionName ? { sectionName: p.sectionName } : {}) })]);
    expect(route.spec.hostnames ?? []).toEqual(p.hostnames ?? []);
    expect(route.spec.rules).toHaveLength(p.rules.length);
    p.rules.forEach((r, k) => {
      const rendered = route.spec.rules[k];
      expect(rendered.name).toBe(r.name || undefined);
      expect(rendered.timeouts).toEqual(r.timeouts ?? { request: '0s', backendRequest: '0s' });
      expect(rendered.backendRefs).toEqual(r.backends.map((b) => {
        const pool = POOLS[b.pool];
        return { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: pool.name, weight: b.weight ?? 1, port: b.port ?? pool.ports[0], ...(pool.namespace !== namespace ? { namespace: pool.namespace } : {}) };
      }));
      expect(rendered.matches).toEqual((r.matches ?? DEFAULT_MATCHES).map((m) => ({
        ...(m.path ? { path: { type: m.path.type ?? 'PathPrefix', value: m.path.value } } : {}),
        ...((m.headers ?? []).length > 0 ? { headers: m.headers!.map((h) => ({ type: 'Exact', name: h.name, value: h.value })) } : {}),
        ...(m.method ? { method: m.method } : {}),
      })));
    });
    // A pool in another namespace than the route's gets its ReferenceGrant.
    const foreign = [...new Set(p.rules.flatMap((r) => r.backends.map((b) => POOLS[b.pool])).filter((pool) => pool.namespace !== namespace))];
    expect(ofKind(objects, 'ReferenceGrant').map((g) => `${g.metadata.namespace}/${g.spec.to[0].name}`).sort()).toEqual(foreign.map((pool) => `${pool.namespace}/${pool.name}`).sort());
  },
};

describe('fuzz: IstioGieGateway', () => {
  test('refused by the rule the oracle names, or accepted with the values in the objects', () => {
    const r = checkOracle(bothModes(gatewayProps), (p) => (chart) => new IstioGieGateway(chart, 'gw', p), gatewayOracle, 200, SEED);
    expect(r.acceptedValid).toBeGreaterThan(20);
    expect(r.refusedByRule).toBeGreaterThan(20);
    expect(hits(r, 'listeners[].port', 'service.ports[].port', 'service.ports[].nodePort')).toBeGreaterThan(5);
  });
});

describe('fuzz: InferenceRoute', () => {
  test('refused by the rule the oracle names, or accepted with the values in the objects', () => {
    const r = checkOracle(bothModes(routeProps), (p) => (chart) => {
      const gw = new IstioGieGateway(chart, 'gw', { listeners: [{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] });
      const props: InferenceRouteProps = { ...p, gateway: gw, rules: p.rules.map((x) => ({ ...x, backends: x.backends.map((b) => ({ ...b, pool: POOL_REFS[b.pool] })) })) };
      new InferenceRoute(chart, 'route', props);
    }, routeOracle, 200, SEED);
    // Fewer accepted since the system model refuses rules whose matches repeat an earlier rule's (they never match).
    expect(r.acceptedValid).toBeGreaterThan(10);
    expect(r.refusedByRule).toBeGreaterThan(20);
    expect(hits(r, 'rules[].backends[].weight', 'rules[].backends[].port')).toBeGreaterThan(5);
  });
});
