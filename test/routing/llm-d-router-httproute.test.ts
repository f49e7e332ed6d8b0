/**
 * `render llm-d-router-gateway` with `httpRoute.create: true`: the chart's HTTPRoute rendered by an
 * InferenceRoute beside the pool, in parity with `helm template` for values variants
 * (test/fixtures/variants/httproute-*: defaults; baseModel, headerMatches and a gateway in another
 * namespace; an empty gateway name and the namespace written out).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseValuesYaml } from '../../src/cli/values';
import { addLlmdRouterHttpRoute, llmdRouterHttpRouteFromValues, llmdRouterPropsFromValues } from '../../src/helm/llm-d-router';
import { helmChart } from '../../src/helm/registry';
import '../../src/helm/charts';
import type { ValuesWarning } from '../../src/helm/registry';
import { InferenceRoute } from '../../src/routing';
import { compareManifests, parseManifests } from '../../src/testing/semdiff';
import { cli } from '../cli/support';
import { ExpectedProblem, expectContains, expectRefusal, FIXTURES, newChart, objectOf, synth } from '../support';

const DIR = path.join(FIXTURES, 'variants');
const NAMES = fs.readdirSync(DIR).filter((n) => n.startsWith('httproute-')).sort();
const SELECTOR = { router: { modelServers: { matchLabels: { app: 'm' } } } };
const ctx = { release: 'gaie', namespace: 'llm-d' };

function fixture(name: string) {
  const dir = path.join(DIR, name);
  const words = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8').trim().split(/\s+/);
  return {
    dir,
    release: words[2],
    namespace: words[words.indexOf('-n') + 1],
    values: (parseValuesYaml(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>,
    expected: parseManifests(fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8')),
  };
}

/** The CLI's path: the adapter's props, its construct, then what the chart renders beside it. */
function build(chartName: string, values: Record<string, unknown>, c: { release: string; namespace: string; warn?: (w: ValuesWarning) => void } = ctx) {
  const adapter = helmChart(chartName)!;
  const { chart } = newChart(c.namespace);
  const props = adapter.toProps(values, c);
  adapter.addCompanions?.(chart, c.release, adapter.create(chart, c.release, props), values, c);
  return { chart, props };
}

function render(values: Record<string, unknown>, c = ctx): Record<string, any>[] {
  return synth(build('llm-d-router-gateway', values, c).chart) as Record<string, any>[];
}

describe('parity with helm template (httproute-*)', () => {
  test('the variants are there', () => expect(NAMES).toEqual(['httproute-defaults', 'httproute-matches', 'httproute-samens']));

  test.each(NAMES)('%s: every object and field of expected.yaml (HTTPRoute included)', (name) => {
    const f = fixture(name);
    const ours = render(f.values, f);
    expect(f.expected.some((o) => o.kind === 'HTTPRoute')).toBe(true);
    expect(compareManifests(f.expected, ours).summary).toMatch(/^semdiff: objects=(\d+)\/\1 leaves=(\d+)\/\2 missing_objects=0/);
    expectContains(f.expected, ours);
  });

  test.each(NAMES)('%s: `cdk8s-llm-d render llm-d-router-gateway` prints it too', (name) => {
    const f = fixture(name);
    const r = cli(['render', 'llm-d-router-gateway', '--release', f.release, '-n', f.namespace, '-f', 'values.yaml'], f.dir);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([]);
    expect(r.stderr).toContain('httpRoute.create: value true renders the chart\'s HTTPRoute');
    expectContains(f.expected, parseManifests(r.stdout));
  });

  test('the HTTPRoute in numbers, for each variant', () => {
    const routeOnly = (objects: Record<string, unknown>[]) => objects.filter((o) => o.kind === 'HTTPRoute');
    const summaries = NAMES.map((n) => {
      const f = fixture(n);
      return compareManifests(routeOnly(f.expected), render(f.values, f)).summary;
    });
    expect(summaries).toEqual([
      'semdiff: objects=1/1 leaves=13/13 missing_objects=0 extra_objects=9',
      'semdiff: objects=1/1 leaves=23/23 missing_objects=0 extra_objects=10',
      'semdiff: objects=1/1 leaves=17/17 missing_objects=0 extra_objects=9',
    ]);
  });
});

describe('the route', () => {
  test('defaults: named after the release, attached to inference-gateway, PathPrefix /, request timeout 300s, backend the pool', () => {
    const route = objectOf(render({ ...SELECTOR, httpRoute: { create: true } }), 'HTTPRoute', 'gaie');
    expect(route.metadata.namespace).toBe('llm-d');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway' }]);
    expect(route.spec.rules).toEqual([{
      backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie', port: 8000, weight: 1 }],
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      timeouts: { request: '300s' },
    }]);
  });

  test('no route unless httpRoute.create is true, and none from the standalone chart', () => {
    expect(render(SELECTOR).filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
    expect(llmdRouterHttpRouteFromValues(SELECTOR, ctx)).toBeUndefined();
    expect(synth(build('llm-d-router-standalone', SELECTOR).chart).filter((o) => o.kind === 'HTTPRoute')).toEqual([]);
  });

  test('baseModel first, then headerMatches in key order, all Exact', () => {
    const route = llmdRouterHttpRouteFromValues({ ...SELECTOR, httpRoute: { create: true, baseModel: 'Qwen/Qwen3-0.6B', headerMatches: { 'x-b': '2', 'X-A': '1' } } }, ctx)!;
    expect(route.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'X-Gateway-Base-Model-Name', value: 'Qwen/Qwen3-0.6B' }, { name: 'X-A', value: '1' }, { name: 'x-b', value: '2' }] }]);
  });

  test('the gateway: <release>-inference-gateway for an empty name (truncated like the chart), another namespace as given', () => {
    // trunc 63 | trimSuffix "-": 52 + "-inference-" is 63 characters.
    const long = 'r'.repeat(52);
    expect(llmdRouterHttpRouteFromValues({ ...SELECTOR, httpRoute: { create: true, inferenceGatewayName: '' } }, { ...ctx, release: long })!.gatewayName).toBe(`${long}-inference`);
    const route = objectOf(render({ ...SELECTOR, httpRoute: { create: true, inferenceGatewayNamespace: 'infra' } }), 'HTTPRoute');
    expect(route.spec.parentRefs[0].namespace).toBe('infra');
    // The chart writes the namespace whenever it is given, even the route's own.
    expect(objectOf(render({ ...SELECTOR, httpRoute: { create: true, inferenceGatewayNamespace: 'llm-d' } }), 'HTTPRoute').spec.parentRefs[0].namespace).toBe('llm-d');
  });

  test('an empty requestTimeout: no request timeout', () => {
    expect(objectOf(render({ ...SELECTOR, httpRoute: { create: true, requestTimeout: '' } }), 'HTTPRoute').spec.rules[0].timeouts).toEqual({});
  });

  test('the route follows the pool: its first target port', () => {
    const route = objectOf(render({ router: { modelServers: { matchLabels: { app: 'm' }, targetPorts: [{ number: 8200 }, { number: 8201 }] } }, httpRoute: { create: true } }), 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs[0].port).toBe(8200);
  });

  test('addLlmdRouterHttpRoute builds an InferenceRoute (its checks apply)', () => {
    const { chart } = newChart('llm-d');
    const pool = { poolName: 'p', poolNamespace: 'llm-d', poolGroup: 'inference.networking.k8s.io', servedPorts: [8000] };
    const r = addLlmdRouterHttpRoute(chart, 'p', pool, llmdRouterHttpRouteFromValues({ ...SELECTOR, httpRoute: { create: true } }, { release: 'p', namespace: 'llm-d' })!);
    expect(r).toBeInstanceOf(InferenceRoute);
    expect(r.node.id).toBe('p-route');
  });

  test('the CLI props are the pool props only (convert prints them); the route is built beside the pool, with a warning', () => {
    const warnings: ValuesWarning[] = [];
    const { props } = build('llm-d-router-gateway', { ...SELECTOR, httpRoute: { create: true } }, { ...ctx, warn: (w) => warnings.push(w) });
    expect(props).toEqual(llmdRouterPropsFromValues('gateway', { ...SELECTOR, httpRoute: { create: true } }, ctx));
    expect(Object.keys(props)).not.toContain('httpRoute');
    expect(warnings).toEqual([expect.objectContaining({ field: 'httpRoute.create', value: true })]);
  });
});

describe('refused, naming the values key', () => {
  const refusal = (httpRoute: Record<string, unknown>) => () => llmdRouterPropsFromValues('gateway', { ...SELECTOR, httpRoute: { create: true, ...httpRoute } }, ctx);

  test.each<[string, Record<string, unknown>, ExpectedProblem[]]>([
    ['a timeout the Gateway API cannot parse', { requestTimeout: '5 minutes' }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.requestTimeout', value: '5 minutes', allowed: 'a Gateway API duration: 1-4 groups of up to 5 digits with h, m, s or ms, e.g. "300s", "1h", "0s" for none' }]],
    ['a header name that is not an HTTP token', { headerMatches: { 'x tier': 'a' } }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.headerMatches.x tier', value: 'x tier', allowed: 'an HTTP header name (RFC 7230 token)' }]],
    ['a header value with a line break', { headerMatches: { 'x-tier': 'a\nb' } }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.headerMatches.x-tier', value: 'a\nb', allowed: 'a value without CR, LF or NUL characters' }]],
    ['a base model with a line break', { baseModel: 'a\r\nb' }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.baseModel', value: 'a\r\nb', allowed: 'a value without CR, LF or NUL characters' }]],
    ['a gateway namespace that cannot be one', { inferenceGatewayNamespace: 'Infra' }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.inferenceGatewayNamespace', value: 'Infra', allowed: 'a namespace (a DNS-1123 label), or "" for the release namespace' }]],
    ['a gateway name that cannot be one', { inferenceGatewayName: 'My Gateway' }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.inferenceGatewayName', value: 'My Gateway', allowed: 'the name of a Gateway (a DNS-1123 subdomain)' }]],
    ['a header value that is not a string', { headerMatches: { 'x-tier': 1 } }, [{ path: 'values (llm-d-router-gateway chart, release gaie)', field: 'httpRoute.headerMatches.x-tier', value: 1, allowed: 'a string' }]],
  ])('%s', (_what, httpRoute, expected) => {
    expectRefusal(refusal(httpRoute), expected);
  });

  test('on the command line: the key and the --set that set it', () => {
    const r = cli(['render', 'llm-d-router-gateway', '--release', 'gaie', '--set', 'router.modelServers.matchLabels.app=m', '--set', 'httpRoute.create=true', '--set', 'httpRoute.requestTimeout=soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[--set httpRoute.requestTimeout=soon] httpRoute.requestTimeout: value "soon" is not allowed');
  });
});
