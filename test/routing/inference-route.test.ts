import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { IInferencePoolRef } from '../../src/core/contracts';
import { IstioGieGateway } from '../../src/gateway';
import { InferenceRoute, InferenceRouteProps, inferenceRoutesOf, parseGatewayDuration, timeoutProblems } from '../../src/routing';
import { expectContains, expectRefusal, FIXTURES, newChart, objectOf, synth } from '../support';

/** A pool whose ports grow later, like an InferenceSchedulerPool before addModelServer(). */
class FakePool implements IInferencePoolRef {
  public readonly poolGroup = 'inference.networking.k8s.io';
  public readonly ports: number[];
  constructor(public readonly poolName: string, public readonly poolNamespace: string, ports: number[] = [8000]) {
    this.ports = ports;
  }
  public get servedPorts(): readonly number[] {
    return this.ports;
  }
}

const GATEWAY = InferenceRoute.gatewayRef({ name: 'llm-d-infra-inference-gateway', namespace: 'llm-d' });

function render(props: Partial<InferenceRouteProps> = {}, ns = 'llm-d') {
  const { chart } = newChart(ns);
  const route = new InferenceRoute(chart, 'route', { gateway: GATEWAY, ...props });
  return { chart, route };
}

/** Builds the route `route` (to the guide's gateway) into the chart of a refusal test. */
const route = (props: Partial<InferenceRouteProps>) => (chart: Chart) => new InferenceRoute(chart, 'route', { gateway: GATEWAY, ...props });

describe('InferenceRoute seed 000', () => {
  test('reproduces the guide\'s httproute.yaml', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gateway');
    const route = new InferenceRoute(chart, 'route', { gateway });
    route.addBackend(new FakePool('gaie', 'llm-d'));
    const objects = synth(chart);
    expectContains(fs.readFileSync(path.join(FIXTURES, 'seed000', 'httproute.yaml'), 'utf8'), objects);
    const r = objectOf(objects, 'HTTPRoute', 'llm-d');
    expect(r.metadata.namespace).toBe('llm-d');
    expect(r.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'llm-d-infra-inference-gateway' }],
      rules: [
        {
          backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie', port: 8000, weight: 1 }],
          timeouts: { backendRequest: '0s', request: '0s' },
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        },
      ],
    });
  });

  test('snapshot', () => {
    const { chart, route } = render({ backends: [{ pool: new FakePool('gaie', 'llm-d') }] });
    route.addRule({ name: 'canary', matches: [{ headers: [{ name: 'x-canary', value: 'true' }] }], backends: [{ pool: new FakePool('gaie-v2', 'llm-d'), weight: 1 }] });
    expect(synth(chart)).toMatchSnapshot();
  });
});

describe('InferenceRoute options', () => {
  test('refs to objects outside the app', () => {
    expect(InferenceRoute.gatewayRef({ name: 'g', namespace: 'n', listenerNames: ['http'] })).toEqual({ gatewayName: 'g', gatewayNamespace: 'n', listenerNames: ['http'] });
    expect(InferenceRoute.poolRef({ name: 'p', namespace: 'n', ports: [8000] })).toEqual({ poolName: 'p', poolNamespace: 'n', poolGroup: 'inference.networking.k8s.io', servedPorts: [8000] });
    expect(InferenceRoute.poolRef({ name: 'p', namespace: 'n', ports: [8000], group: 'inference.networking.x-k8s.io' }).poolGroup).toBe('inference.networking.x-k8s.io');
  });

  test('name, namespace, labels, annotations, hostnames, sectionName', () => {
    const gateway = InferenceRoute.gatewayRef({ name: 'g', namespace: 'llm-d', listenerNames: ['http', 'https'] });
    const { chart } = render({ gateway, name: 'chat', namespace: 'llm-d', labels: { a: 'b' }, annotations: { c: 'd' }, hostnames: ['chat.example.com'], sectionName: 'https', backends: [{ pool: new FakePool('p', 'llm-d') }] });
    const r = objectOf(synth(chart), 'HTTPRoute', 'chat');
    expect(r.metadata.labels.a).toBe('b');
    expect(r.metadata.annotations).toEqual({ c: 'd' });
    expect(r.spec.hostnames).toEqual(['chat.example.com']);
    expect(r.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'g', sectionName: 'https' }]);
  });

  test('namespace defaults to the chart namespace; a gateway elsewhere gets parentRefs.namespace', () => {
    const { chart, route } = render({ gateway: InferenceRoute.gatewayRef({ name: 'g', namespace: 'gw-ns' }), backends: [{ pool: new FakePool('p', 'apps') }] }, 'apps');
    expect(route.routeNamespace).toBe('apps');
    const r = objectOf(synth(chart), 'HTTPRoute');
    expect(r.metadata.namespace).toBe('apps');
    expect(r.spec.parentRefs[0].namespace).toBe('gw-ns');
  });

  test('weighted backends for a canary; explicit port; addBackend after construction', () => {
    const stable = new FakePool('stable', 'llm-d', [8000, 8001]);
    const canary = new FakePool('canary', 'llm-d');
    const { chart, route } = render({ backends: [{ pool: stable, weight: 90, port: 8001 }] });
    route.addBackend(canary, { weight: 10 });
    const r = objectOf(synth(chart), 'HTTPRoute');
    expect(r.spec.rules).toHaveLength(1);
    expect(r.spec.rules[0].backendRefs).toEqual([
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'stable', port: 8001, weight: 90 },
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'canary', port: 8000, weight: 10 },
    ]);
  });

  test('several rules with path, header, query and method matches and timeouts', () => {
    const { chart, route } = render({ matches: [{ path: { value: '/v1' } }], timeouts: { request: '300s', backendRequest: '60s' }, backends: [{ pool: new FakePool('a', 'llm-d') }] });
    route.addRule({
      name: 'premium',
      matches: [
        { path: { type: 'Exact', value: '/v1/chat/completions' }, headers: [{ name: 'x-tier', value: 'premium' }], method: 'POST' },
        { queryParams: [{ name: 'tier', value: 'p.*', type: 'RegularExpression' }] },
      ],
      backends: [{ pool: new FakePool('b', 'llm-d') }],
    });
    const r = objectOf(synth(chart), 'HTTPRoute');
    expect(r.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1' } }]);
    expect(r.spec.rules[0].timeouts).toEqual({ request: '300s', backendRequest: '60s' });
    expect(r.spec.rules[1]).toEqual({
      name: 'premium',
      matches: [
        { path: { type: 'Exact', value: '/v1/chat/completions' }, headers: [{ type: 'Exact', name: 'x-tier', value: 'premium' }], method: 'POST' },
        { queryParams: [{ type: 'RegularExpression', name: 'tier', value: 'p.*' }] },
      ],
      backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'b', port: 8000, weight: 1 }],
      timeouts: { request: '0s', backendRequest: '0s' },
    });
  });

  test('only addRule: no empty default rule is rendered', () => {
    const { chart } = render({ rules: [{ backends: [{ pool: new FakePool('a', 'llm-d') }] }] });
    expect(objectOf(synth(chart), 'HTTPRoute').spec.rules).toHaveLength(1);
  });

  test('a pool in another namespace gets a ReferenceGrant there (once), or none when disabled', () => {
    const other = new FakePool('shared', 'pools');
    const { chart, route } = render({ backends: [{ pool: other }] });
    route.addRule({ matches: [{ path: { value: '/x' } }], backends: [{ pool: other }] });
    const objects = synth(chart);
    const grants = objects.filter((o) => o.kind === 'ReferenceGrant') as any[];
    expect(grants).toHaveLength(1);
    expect(grants[0].metadata).toMatchObject({ name: 'llm-d-llm-d-to-shared', namespace: 'pools' });
    expect(grants[0].spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'llm-d' }],
      to: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'shared' }],
    });
    expect(objectOf(objects, 'HTTPRoute').spec.rules[0].backendRefs[0].namespace).toBe('pools');
    const off = render({ backends: [{ pool: other }], createReferenceGrants: false });
    expect(synth(off.chart).filter((o) => o.kind === 'ReferenceGrant')).toHaveLength(0);
  });

  test('ports are read lazily: a pool that gets its port later validates', () => {
    const pool = new FakePool('gaie', 'llm-d', []);
    const { chart, route } = render();
    route.addBackend(pool, { port: 8000 });
    pool.ports.push(8000);
    expect(() => synth(chart)).not.toThrow();
  });

  test('durations', () => {
    expect(parseGatewayDuration('0s')).toBe(0);
    expect(parseGatewayDuration('1h2m3s4ms')).toBe(3723004);
    expect(parseGatewayDuration('500ms')).toBe(500);
    expect(parseGatewayDuration('1d')).toBeUndefined();
    expect(parseGatewayDuration('10')).toBeUndefined();
    expect(timeoutProblems({ request: '0s', backendRequest: '10m' }, 't')).toEqual([]);
  });
});

describe('InferenceRoute bad input', () => {
  test('backend port not served by the pool', () => {
    expectRefusal(route({ backends: [{ pool: new FakePool('gaie', 'llm-d'), port: 9000 }] }), [
      { path: 'test/route', field: 'backends[0].port', value: 9000, allowed: 'a port pool gaie serves: 8000', why: 'traffic to a port the pool does not serve reaches no model server' },
    ]);
    expectRefusal(route({ backends: [{ pool: new FakePool('gaie', 'llm-d', []) }] }), [
      { path: 'test/route', field: 'backends[0].port', value: undefined, allowed: 'a port pool gaie serves', why: 'pool gaie serves no port yet: add a model server to it or give the port' },
    ]);
    expectRefusal(route({ backends: [{ pool: new FakePool('gaie', 'llm-d', []), port: 8000 }] }), [
      { path: 'test/route', field: 'backends[0].port', value: 8000, allowed: 'a port pool gaie serves (it serves none yet: add a model server to it)' },
    ]);
  });

  test('ports outside 1-65535', () => {
    expectRefusal(route({ backends: [{ pool: new FakePool('gaie', 'llm-d'), port: 70000 }] }), [{ path: 'test/route', field: 'backends[0].port', value: 70000, allowed: 'an integer port number from 1 to 65535' }]);
  });

  test('no backends', () => {
    expectRefusal(route({}), [
      { path: 'test/route', field: 'backends', value: [], allowed: 'at least one backend (props.backends, addBackend() or addRule())', why: 'a route without backends answers every request with an error' },
    ]);
    expectRefusal(route({ rules: [{ backends: [] }] }), [{ path: 'test/route', field: 'rules[0].backends', value: [], allowed: 'at least one backend' }]);
  });

  test('weights', () => {
    expectRefusal(route({ backends: [{ pool: new FakePool('a', 'llm-d'), weight: -1 }] }), [{ path: 'test/route', field: 'backends[0].weight', value: -1, allowed: 'an integer from 0 to 1000000' }]);
    expectRefusal(route({ backends: [{ pool: new FakePool('a', 'llm-d'), weight: 0 }] }), [
      { path: 'test/route', field: 'backends', value: [0], allowed: 'at least one weight above 0', why: 'with every weight 0 the rule sends nothing and answers with errors' },
    ]);
    const p = new FakePool('a', 'llm-d');
    expectRefusal(route({ backends: [{ pool: p }, { pool: p }] }), [
      { path: 'test/route', field: 'backends[1]', value: { pool: 'a', port: 8000 }, allowed: 'each pool and port once per rule', why: 'merge the weights instead' },
    ]);
  });

  test('names', () => {
    expectRefusal(route({ name: 'Bad_Route', backends: [{ pool: new FakePool('a', 'llm-d') }] }), [
      { path: 'test/route', field: 'name', value: 'Bad_Route', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
    expectRefusal(route({ namespace: 'Bad NS', backends: [{ pool: new FakePool('a', 'Bad NS') }] }), [
      { path: 'test/route', field: 'namespace', value: 'Bad NS', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
    expectRefusal(route({ backends: [{ pool: InferenceRoute.poolRef({ name: 'Bad.Pool!', namespace: 'llm-d', ports: [8000] }) }] }), [
      { path: 'test/route', field: 'backends[0].pool.poolName', value: 'Bad.Pool!', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
    expectRefusal(route({ rules: [{ name: 'r', backends: [{ pool: new FakePool('a', 'llm-d') }] }, { name: 'r', backends: [{ pool: new FakePool('b', 'llm-d') }] }] }), [
      { path: 'test/route', field: 'rules[1].name', value: 'r', allowed: 'a name no other rule has', why: 'rule names must be unique in a route' },
    ]);
  });

  test('timeouts', () => {
    const pool = new FakePool('a', 'llm-d');
    expectRefusal(route({ backends: [{ pool }], timeouts: { request: '5 minutes' } }), [
      { path: 'test/route', field: 'timeouts.request', value: '5 minutes', allowed: 'a Gateway API duration: 1-4 groups of up to 5 digits with h, m, s or ms, e.g. "0s", "30s", "1m30s"' },
    ]);
    expectRefusal(route({ backends: [{ pool }], timeouts: { request: '30s', backendRequest: '60s' } }), [
      { path: 'test/route', field: 'timeouts.backendRequest', value: '60s', allowed: 'at most request (30s)', why: 'the Gateway API refuses a backend timeout longer than the request timeout (0s = none)' },
    ]);
    expectRefusal(route({ backends: [{ pool }], timeouts: { request: '30s', backendRequest: '0s' } }), [{ path: 'test/route', field: 'timeouts.backendRequest', value: '0s', allowed: 'at most request (30s)' }]);
  });

  test('matches and hostnames', () => {
    const pool = new FakePool('a', 'llm-d');
    expectRefusal(route({ backends: [{ pool }], matches: [{ path: { value: 'v1' } }] }), [
      { path: 'test/route', field: 'matches[0].path.value', value: 'v1', allowed: expect.stringContaining('an absolute path starting with "/" without "//", "/./" or "/../", not') },
    ]);
    expectRefusal(route({ backends: [{ pool }], matches: [{ headers: [{ name: 'bad header', value: 'x' }] }] }), [
      { path: 'test/route', field: 'matches[0].headers[0].name', value: 'bad header', allowed: 'an HTTP header name (RFC 7230 token)' },
    ]);
    expectRefusal(route({ backends: [{ pool }], hostnames: ['Not A Host'] }), [
      { path: 'test/route', field: 'hostnames[0]', value: 'Not A Host', allowed: 'a DNS host name, optionally with a leading "*." wildcard label' },
    ]);
  });

  test('sectionName not a listener of the gateway', () => {
    const gateway = InferenceRoute.gatewayRef({ name: 'g', namespace: 'llm-d', listenerNames: ['http'] });
    expectRefusal(route({ gateway, sectionName: 'https', backends: [{ pool: new FakePool('a', 'llm-d') }] }), [{ path: 'test/route', field: 'sectionName', value: 'https', allowed: 'a listener of gateway g: http' }]);
  });

  test('route namespace not allowed by the gateway listeners', () => {
    const { chart } = newChart('apps');
    const gateway = new IstioGieGateway(chart, 'gw', { namespace: 'gw-ns', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] });
    new InferenceRoute(chart, 'route', { gateway, backends: [{ pool: new FakePool('a', 'apps') }] });
    expectRefusal(chart, [
      { path: 'test/route', field: 'namespace', value: 'apps', allowed: 'the gateway\'s namespace "gw-ns"', why: expect.stringContaining('the listeners of gateway llm-d-infra-inference-gateway do not allow') },
    ]);
  });
});

describe('inferenceRoutesOf', () => {
  test('lists the routes of one app, in creation order, from any construct of it', () => {
    const a = newChart('a');
    const b = newChart('b');
    const gwA = new IstioGieGateway(a.chart, 'gw');
    const gwB = new IstioGieGateway(b.chart, 'gw');
    const r1 = new InferenceRoute(a.chart, 'r1', { gateway: gwA, name: 'r1' });
    const other = new InferenceRoute(b.chart, 'r', { gateway: gwB });
    const r2 = new InferenceRoute(a.chart, 'r2', { gateway: gwA, name: 'r2' });
    expect(inferenceRoutesOf(gwA)).toEqual([r1, r2]);
    expect(inferenceRoutesOf(b.chart)).toEqual([other]);
  });
});
