/**
 * Property tests over IstioGieGateway (listeners, ports, service type, log level) and
 * InferenceRoute (rules, matches, weights, timeouts) props: any input either synthesizes into
 * schema-valid manifests or is refused with an LlmdValidationError.
 */
import * as fc from 'fast-check';
import { GatewayListener, IstioGieGateway, IstioGieGatewayProps } from '../../src/gateway';
import { InferenceRoute, InferenceRouteMatch, InferenceRouteProps } from '../../src/routing';
import { Arbs, bothModes, check, dnsLabel, junkString } from './support';

const hostname = (mostly: Arbs['mostly']) => mostly(fc.constantFrom('api.example.com', '*.example.com', 'llm.internal'), fc.oneof(junkString, fc.constantFrom('Bad_Host', '10.0.0.1', 'a..b')));

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

const routeProps = ({ mostly, name, port, labels }: Arbs) => {
  const duration = mostly(fc.constantFrom('0s', '10s', '1m', '300s', '1h30m', '500ms'), fc.oneof(junkString, fc.constantFrom('1 hour', '-1s', '1000000s')));
  const match: fc.Arbitrary<InferenceRouteMatch> = fc.record({
    path: fc.record({ type: fc.constantFrom('PathPrefix' as const, 'Exact' as const, 'RegularExpression' as const), value: mostly(fc.constantFrom('/', '/v1', '/v1/completions'), fc.oneof(junkString, fc.constantFrom('v1', '/a//b', ''))) }, { requiredKeys: ['value'] }),
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
  InferenceRoute.poolRef({ name: 'gaie', namespace: 'llm-d', ports: [8000] }),
  InferenceRoute.poolRef({ name: 'gaie-b', namespace: 'llm-d', ports: [8000, 8200] }),
  InferenceRoute.poolRef({ name: 'other', namespace: 'team-b', ports: [8000] }),
];

describe('fuzz: IstioGieGateway', () => {
  test('synth gives schema-valid manifests or an LlmdValidationError', () => {
    const r = check(bothModes(gatewayProps), (p) => (chart) => new IstioGieGateway(chart, 'gw', p), 200);
    expect(r.accepted).toBeGreaterThan(20);
    expect(r.refused).toBeGreaterThan(20);
  });
});

describe('fuzz: InferenceRoute', () => {
  test('synth gives schema-valid manifests or an LlmdValidationError', () => {
    const r = check(bothModes(routeProps), (p) => (chart) => {
      const gw = new IstioGieGateway(chart, 'gw', { listeners: [{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] });
      const props: InferenceRouteProps = { ...p, gateway: gw, rules: p.rules.map((r) => ({ ...r, backends: r.backends.map((b) => ({ ...b, pool: POOLS[b.pool] })) })) };
      new InferenceRoute(chart, 'route', props);
    }, 200);
    // Fewer accepted since the system model refuses rules whose matches repeat an earlier rule's (they never match).
    expect(r.accepted).toBeGreaterThan(10);
    expect(r.refused).toBeGreaterThan(20);
  });
});
