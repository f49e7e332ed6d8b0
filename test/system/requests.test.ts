import { checkSystem, SystemFinding } from '../../src/system';
import { hostnamesIntersect } from '../../src/system/requests';

type Json = Record<string, unknown>;
const m = (manifest: Json) => ({ manifest });

const gateway = (listeners: Json[], namespace = 'gw') => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace }, spec: { gatewayClassName: 'istio', listeners } });
const route = (o: { namespace?: string; parent?: Json; hostnames?: string[]; rules?: Json[] } = {}) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: o.namespace ?? 'gw' },
  spec: { parentRefs: [o.parent ?? { name: 'gw', namespace: 'gw' }], ...(o.hostnames ? { hostnames: o.hostnames } : {}), rules: o.rules ?? [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool', port: 8000 }] }] },
});
const pool = (namespace = 'gw', port = 8000) => ({ apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: { name: 'pool', namespace }, spec: { selector: { matchLabels: { app: 'ms' } }, targetPorts: [{ number: port }], endpointPickerRef: { name: 'epp', port: { number: 9002 } } } });
const servers = (namespace = 'gw', port = 8000, image = 'vllm/vllm-openai:v0.11.0') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ms', namespace },
  spec: { replicas: 1, selector: { matchLabels: { app: 'ms' } }, template: { metadata: { labels: { app: 'ms' } }, spec: { containers: [{ name: 'vllm', image, ports: [{ containerPort: port }] }] } } },
});
const http = { name: 'http', port: 80, protocol: 'HTTP' };
const paths = (fs: readonly SystemFinding[]) => fs.filter((f) => f.rule === 'request-path').map((f) => `${f.severity}:${f.field}`);

describe('request path', () => {
  test('a route on a listener that admits it, to a pool whose pods listen on its target port: nothing to report', () => {
    expect(paths(checkSystem([m(gateway([http])), m(route()), m(pool()), m(servers())]))).toEqual([]);
  });

  test.each([
    ['another namespace, listener admits Same', gateway([http]), route({ namespace: 'team' }), 'admits routes of namespace gw only'],
    ['a hostname no listener serves', gateway([{ ...http, hostname: 'llm.example.com' }]), route({ hostnames: ['other.example.com'] }), 'none of the route\'s hostnames'],
    ['a TCP listener', gateway([{ name: 'tcp', port: 80, protocol: 'TCP' }]), route(), 'does not admit HTTPRoutes'],
    ['a sectionName no listener has', gateway([http]), route({ parent: { name: 'gw', namespace: 'gw', sectionName: 'https' } }), 'none has that sectionName/port'],
  ])('a route attaches to nothing: %s', (_, gw, r, why) => {
    const f = checkSystem([m(gw), m(r), m(pool()), m(servers())]).filter((x) => x.rule === 'request-path' && x.severity === 'error');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ field: 'spec.parentRefs[0]', object: { kind: 'HTTPRoute', name: 'r' } });
    expect(f[0].allowed).toContain(why);
  });

  test('All namespaces and a wildcard hostname admit the route', () => {
    const gw = gateway([{ ...http, hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }]);
    expect(paths(checkSystem([m(gw), m(route({ namespace: 'team', hostnames: ['llm.example.com'] })), m(pool('team')), m(servers('team'))]))).toEqual([]);
    expect(hostnamesIntersect('*.example.com', 'a.example.com')).toBe(true);
    expect(hostnamesIntersect('*.example.com', 'example.com')).toBe(false);
    expect(hostnamesIntersect('a.example.com', 'b.example.com')).toBe(false);
  });

  test('a rule with the same matches as an earlier one never matches', () => {
    const backendRefs = [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }];
    const r = route({ rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs }, { backendRefs }] });
    expect(paths(checkSystem([m(gateway([http])), m(r), m(pool()), m(servers())]))).toEqual(['error:spec.rules[1].matches']);
  });

  test('no container listens on the pool\'s target port: error; a pool selecting no pods: warning', () => {
    expect(paths(checkSystem([m(gateway([http])), m(route()), m(pool('gw', 8200)), m(servers())]))).toEqual(['error:spec.rules[0].backendRefs[0]']);
    expect(paths(checkSystem([m(gateway([http])), m(route()), m(pool())]))).toEqual(['warning:spec.rules[0].backendRefs[0]']);
  });

  test('a pool no route reaches is reported as a model no request reaches (when the output has routes at all)', () => {
    expect(checkSystem([m(pool()), m(servers())]).filter((x) => x.rule === 'request-path')).toEqual([]);
    const other = { ...route(), metadata: { name: 'other', namespace: 'gw' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] } };
    const f = checkSystem([m(pool()), m(servers()), m(other)]).filter((x) => x.rule === 'request-path');
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', object: expect.objectContaining({ kind: 'InferencePool', name: 'pool' }), why: expect.stringContaining('serves no request') })]);
  });

  test('rules on the model header reach plain OpenAI clients only with the body-based router', () => {
    const r = route({ rules: [{ matches: [{ headers: [{ name: 'X-Gateway-Model-Name', value: 'm' }] }], backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }] }] });
    expect(paths(checkSystem([m(gateway([http])), m(r), m(pool()), m(servers())]))).toEqual(['warning:spec.rules[0].matches']);
    const bbr = { ...servers('gw', 9004, 'registry.k8s.io/gateway-api-inference-extension/bbr:v1.3.0'), metadata: { name: 'bbr', namespace: 'gw' } };
    (bbr.spec as any).selector = { matchLabels: { app: 'bbr' } };
    (bbr.spec as any).template.metadata.labels = { app: 'bbr' };
    expect(paths(checkSystem([m(gateway([http])), m(r), m(pool()), m(servers()), m(bbr)]))).toEqual([]);
  });
});

describe('prefill/decode behind one pool', () => {
  const kv = ['--kv-transfer-config', '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'];
  const role = (name: string, role: string, o: { sidecarTo?: number; vllmPort: number; args?: string[] }): Json => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'gw' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'ms', role } }, template: { metadata: { labels: { app: 'ms', role } }, spec: {
      ...(o.sidecarTo ? { initContainers: [{ name: 'routing-proxy', image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.3.0', restartPolicy: 'Always', args: ['--port=8000', `--vllm-port=${o.sidecarTo}`, '--connector=nixlv2'], ports: [{ containerPort: 8000 }] }] } : {}),
      containers: [{ name: 'vllm', image: 'ghcr.io/llm-d/llm-d-cuda:v0.4.0', args: o.args ?? [], ports: [{ containerPort: o.vllmPort }] }],
    } } },
  });
  const run = (decode: Json, prefill: Json) => paths(checkSystem([m(gateway([http])), m(route()), m(pool()), m(decode), m(prefill)]));

  test('the KV connector on both roles and the sidecar forwarding to its vLLM: nothing to report', () => {
    expect(run(role('d', 'decode', { sidecarTo: 8200, vllmPort: 8200, args: kv }), role('p', 'prefill', { vllmPort: 8000, args: kv }))).toEqual([]);
  });

  test('a sidecar forwarding to a port its vLLM does not listen on is an error', () => {
    expect(run(role('d', 'decode', { sidecarTo: 8200, vllmPort: 8300, args: kv }), role('p', 'prefill', { vllmPort: 8000, args: kv }))).toEqual(['error:spec.rules[0].backendRefs[0]']);
  });

  test('vLLM without the NIXL connector on a role is a warning per role', () => {
    expect(run(role('d', 'decode', { sidecarTo: 8200, vllmPort: 8200 }), role('p', 'prefill', { vllmPort: 8000 }))).toEqual(['warning:spec.rules[0].backendRefs[0]', 'warning:spec.rules[0].backendRefs[0]']);
  });
});
