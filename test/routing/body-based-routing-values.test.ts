/**
 * The `body-based-routing` chart adapter (v1.3.0): parity with real `helm template` output for the
 * reference case (test/fixtures/cases/bbr-*) and values variants rendered from the chart
 * (test/fixtures/variants/bbr-*), through the adapter and through the CLI; one test per values key;
 * refusals naming the key (and, on the command line, the file).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bodyBasedRouterPropsFromValues } from '../../src/helm/body-based-routing';
import type { ValuesWarning } from '../../src/helm/registry';
import { parseValuesYaml } from '../../src/cli/values';
import { BodyBasedRouter } from '../../src/routing';
import { validateManifests } from '../../src/testing';
import { compareManifests, parseManifests } from '../../src/testing/semdiff';
import { cli } from '../cli/support';
import { caseNames, ExpectedProblem, expectContains, expectRefusal, FIXTURES, loadCase, newChart, objectOf, synth } from '../support';

const ctx = { release: 'bbr', namespace: 'llm-d' };

interface Rendered {
  readonly name: string;
  readonly dir: string;
  readonly release: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  readonly expected: Record<string, unknown>[];
}

/** The reference cases and the variants, each a `helm template` run of the chart. */
function renderedFixtures(): Rendered[] {
  const cases = caseNames('bbr-').map((name) => {
    const c = loadCase(name);
    return { name, dir: path.join(FIXTURES, 'cases', name), release: c.release, namespace: c.namespace, values: c.values, expected: c.expected };
  });
  const vdir = path.join(FIXTURES, 'variants');
  const variants = fs.readdirSync(vdir).filter((n) => n.startsWith('bbr-')).sort().map((name) => {
    const dir = path.join(vdir, name);
    const words = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8').trim().split(/\s+/);
    return {
      name,
      dir,
      release: words[2],
      namespace: words[words.indexOf('-n') + 1],
      values: (parseValuesYaml(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>,
      expected: parseManifests(fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8')),
    };
  });
  return [...cases, ...variants];
}

const FIXTURES_RENDERED = renderedFixtures();

/** Lists of scalars (args) must be equal, not only start the same: an added argument changes what runs. */
function scalarListsDiffer(golden: unknown, ours: unknown, at = ''): string[] {
  if (Array.isArray(golden)) {
    if (golden.every((x) => typeof x !== 'object')) return JSON.stringify(golden.map(String)) === JSON.stringify(Array.isArray(ours) ? ours.map(String) : ours) ? [] : [at];
    return golden.flatMap((g, i) => {
      const name = (g as { name?: string })?.name;
      const o = Array.isArray(ours) ? (name !== undefined ? ours.find((x) => x?.name === name) : ours[i]) : undefined;
      return scalarListsDiffer(g, o, `${at}[${name ?? i}]`);
    });
  }
  if (golden && typeof golden === 'object') return Object.entries(golden).flatMap(([k, g]) => scalarListsDiffer(g, (ours as Record<string, unknown> | undefined)?.[k], `${at}.${k}`));
  return [];
}

function render(values: Record<string, unknown>, c = ctx, warn?: (w: ValuesWarning) => void): Record<string, any>[] {
  const { chart } = newChart(c.namespace);
  new BodyBasedRouter(chart, c.release, bodyBasedRouterPropsFromValues(values, { ...c, warn }));
  return synth(chart) as Record<string, any>[];
}

/** Reads the values, as a refusal test's subject. */
const refused = (values: Record<string, unknown>) => () => bodyBasedRouterPropsFromValues(values, ctx);
/** Where the adapter reports a problem of the values. */
const SOURCE = 'values (body-based-routing chart, release bbr)';

const args = (objects: Record<string, any>[]): string[] => objectOf(objects, 'Deployment').spec.template.spec.containers[0].args;

describe('parity with helm template (bbr-*)', () => {
  test('the reference case and the variants are there', () => {
    expect(caseNames('bbr-')).toEqual(['bbr-istio']);
    expect(FIXTURES_RENDERED.map((f) => f.name)).toEqual(expect.arrayContaining(['bbr-defaults', 'bbr-gke', 'bbr-istio-custom', 'bbr-kgateway-replicas0', 'bbr-multinamespace']));
  });

  test.each(FIXTURES_RENDERED.map((f) => [f.name, f] as const))('%s: every object and field of expected.yaml, and the same argument lists', (_name, f) => {
    const ours = render(f.values, { release: f.release, namespace: f.namespace });
    const r = compareManifests(f.expected, ours);
    expect(r.summary).toMatch(/^semdiff: objects=(\d+)\/\1 leaves=(\d+)\/\2 missing_objects=0/);
    expectContains(f.expected, ours);
    for (const g of f.expected) {
      const o = ours.find((x) => x.kind === g.kind && x.metadata.name === (g.metadata as { name: string }).name);
      expect(scalarListsDiffer(g, o)).toEqual([]);
    }
  });

  test.each(FIXTURES_RENDERED.map((f) => [f.name, f] as const))('%s: `cdk8s-llm-d render` prints the same, warnings only on stderr', (_name, f) => {
    const r = cli(['render', 'body-based-routing', '--release', f.release, '-n', f.namespace, '-f', 'values.yaml'], f.dir);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([]);
    expectContains(f.expected, parseManifests(r.stdout));
  });

  test('the reference case in numbers: 7 objects, 76 fields', () => {
    const c = loadCase('bbr-istio');
    expect(compareManifests(c.expected, render(c.values)).summary).toBe('semdiff: objects=7/7 leaves=76/76 missing_objects=0 extra_objects=0');
  });
});

describe('one test per values key', () => {
  test('chart defaults: provider none, the chart\'s names and image (pull policy Always)', () => {
    const props = bodyBasedRouterPropsFromValues({}, ctx);
    expect(props).toEqual({
      name: 'body-based-router',
      releaseName: 'bbr',
      namespace: 'llm-d',
      provider: 'none',
      replicas: 1,
      image: { hub: 'registry.k8s.io/gateway-api-inference-extension', name: 'bbr', tag: 'v1.3.0', pullPolicy: 'Always' },
      port: 9004,
      healthCheckPort: 9005,
      multiNamespace: false,
      flags: { v: '3' },
    });
  });

  test('bbr.name', () => {
    const objects = render({ bbr: { name: 'model-router' } });
    expect(objectOf(objects, 'Service').metadata.name).toBe('model-router');
    expect(objectOf(objects, 'ServiceAccount').metadata.name).toBe('model-router-bbr');
  });

  test('bbr.replicas; 0 renders 1 with a warning', () => {
    expect(objectOf(render({ bbr: { replicas: 4 } }), 'Deployment').spec.replicas).toBe(4);
    const warnings: ValuesWarning[] = [];
    expect(objectOf(render({ bbr: { replicas: 0 } }, ctx, (w) => warnings.push(w)), 'Deployment').spec.replicas).toBe(1);
    expect(warnings).toEqual([expect.objectContaining({ field: 'bbr.replicas', value: 0 })]);
  });

  test('bbr.image.{hub,name,tag,pullPolicy}; a numeric tag prints like Go', () => {
    const c = objectOf(render({ bbr: { image: { hub: 'quay.io/me', name: 'bbr2', tag: 1.3, pullPolicy: 'IfNotPresent' } } }), 'Deployment').spec.template.spec.containers[0];
    expect([c.image, c.imagePullPolicy]).toEqual(['quay.io/me/bbr2:1.3', 'IfNotPresent']);
  });

  test('bbr.port and bbr.healthCheckPort, with the flags that tell the router', () => {
    const objects = render({ bbr: { port: 9100, healthCheckPort: 9101, flags: { 'grpc-port': 9100, 'grpc-health-port': 9101 } } });
    expect(objectOf(objects, 'Service').spec.ports[0]).toMatchObject({ port: 9100, targetPort: 9100 });
    expect(args(objects)).toEqual(['--streaming', '--grpc-health-port', '9101', '--grpc-port', '9100', '--v', '3']);
  });

  test('bbr.multiNamespace', () => {
    const objects = render({ bbr: { multiNamespace: true } });
    expect(objects.filter((o) => o.kind.startsWith('Cluster')).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRole/bbr-configmap-reader', 'ClusterRoleBinding/bbr-configmap-reader']);
  });

  test('bbr.flags: merged with the default v: 3, in key order, numbers like Go; null drops one, flags: null all', () => {
    expect(args(render({ bbr: { flags: { 'zap-encoder': 'json', 'metrics-port': 9191 } } }))).toEqual(['--streaming', '--metrics-port', '9191', '--v', '3', '--zap-encoder', 'json']);
    // What the chart prints for 1000000 (an object rule then refuses it: an integer flag cannot parse it).
    expect(bodyBasedRouterPropsFromValues({ bbr: { flags: { 'metrics-port': 1000000 } } }, ctx).flags).toEqual({ 'metrics-port': '1e+06', v: '3' });
    expect(args(render({ bbr: { flags: { v: null, 'zap-encoder': 'json' } } }))).toEqual(['--streaming', '--zap-encoder', 'json']);
    expect(args(render({ bbr: { flags: null } }))).toEqual(['--streaming']);
  });

  test('bbr.resources (read by no template of v1.3.0) is applied, not dropped', () => {
    const resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } };
    expect(objectOf(render({ bbr: { resources } }), 'Deployment').spec.template.spec.containers[0].resources).toEqual(resources);
  });

  test.each([['istio', 'EnvoyFilter'], ['gke', 'GCPRoutingExtension'], ['none', undefined], ['kgateway', undefined], ['agentgateway', undefined]])('provider.name %s', (name, kind) => {
    const objects = render({ provider: { name }, inferenceGateway: { name: 'gw' } });
    const extra = objects.filter((o) => !['Deployment', 'Service', 'ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind)).map((o) => o.kind);
    if (kind) expect(extra).toContain(kind);
    else expect(extra).toEqual([]);
  });

  test('inferenceGateway.name: the Gateway the provider objects attach to (istio: the EnvoyFilter\'s target)', () => {
    expect(objectOf(render({ provider: { name: 'istio' }, inferenceGateway: { name: 'llm-d-infra-inference-gateway' } }), 'EnvoyFilter').spec.targetRefs[0].name).toBe('llm-d-infra-inference-gateway');
    expect(objectOf(render({ provider: { name: 'gke' }, inferenceGateway: { name: 'gw' } }), 'GCPRoutingExtension').spec.targetRefs[0].name).toBe('gw');
    expect(bodyBasedRouterPropsFromValues({}, ctx).gateway).toBeUndefined();
  });
});

describe('refused, naming the values key', () => {
  test.each<[string, Record<string, unknown>, ExpectedProblem[]]>([
    ['an unknown key, with the nearest one', { bbr: { replicaz: 2 } }, [{ path: SOURCE, field: 'bbr.replicaz', value: 2, allowed: 'one of the chart\'s keys here: name, replicas, image, port, healthCheckPort, multiNamespace, flags, resources', why: 'unknown key; did you mean "replicas"?' }]],
    ['an unknown top-level key', { inferencePool: {} }, [{ path: SOURCE, field: 'inferencePool', value: {}, allowed: 'one of the chart\'s keys here: bbr, provider, inferenceGateway', why: 'unknown key' }]],
    ['a value of the wrong type', { bbr: { port: '9004' } }, [{ path: SOURCE, field: 'bbr.port', value: '9004', allowed: 'an integer' }]],
    ['a map as a flag', { bbr: { flags: { v: { x: 1 } } } }, [{ path: SOURCE, field: 'bbr.flags.v', value: { x: 1 }, allowed: 'a string, number or boolean' }]],
    ['a provider name the chart ignores ("Istio")', { provider: { name: 'Istio' } }, [{ path: SOURCE, field: 'provider.name', value: 'Istio', allowed: 'istio, gke, or one of none, kgateway, agentgateway, nginx, envoy, envoy-gateway (no provider objects)', why: 'the chart matches "istio" and "gke" case-sensitively and renders nothing for other names' }]],
    ['a boolean flag value', { bbr: { flags: { 'secure-serving': false } } }, [{ path: SOURCE, field: 'bbr.flags.secure-serving', value: false, allowed: 'a flag that takes a value', why: expect.stringContaining('the chart passes flags as "--k" "v", and Go reads a boolean flag\'s') }]],
    ['a flag Go reads as boolean', { bbr: { flags: { 'zap-devel': 'true' } } }, [{ path: SOURCE, field: 'bbr.flags.zap-devel', value: 'true', allowed: 'a flag that takes a value', why: expect.stringContaining('the chart passes flags as "--k" "v", and Go reads a boolean flag\'s') }]],
    ['streaming as a flag', { bbr: { flags: { streaming: true } } }, [{ path: SOURCE, field: 'bbr.flags.streaming', value: true, allowed: 'unset', why: 'the chart always passes --streaming; a second one with a value ends the flags' }]],
    ['a port the router is not told', { bbr: { port: 9100 } }, [{ path: SOURCE, field: 'bbr.port', value: 9100, allowed: '9004, or 9100 with bbr.flags.grpc-port: 9100', why: expect.stringContaining('the chart sets the Service and container port but the router serves') }]],
    ['a port other than the grpc-port flag', { bbr: { port: 9100, flags: { 'grpc-port': 9200 } } }, [{ path: SOURCE, field: 'bbr.port', value: 9100, allowed: 'bbr.flags.grpc-port (9200)', why: expect.stringContaining('the chart sets the Service and container port but the router serves') }]],
    ['a health port the router is not told', { bbr: { healthCheckPort: 9200 } }, [{ path: SOURCE, field: 'bbr.healthCheckPort', value: 9200, allowed: '9005, or 9200 with bbr.flags.grpc-health-port: 9200', why: expect.stringContaining('the chart sets the container port and health check but the router') }]],
    ['a negative replica count', { bbr: { replicas: -1 } }, [{ path: SOURCE, field: 'bbr.replicas', value: -1, allowed: 'an integer of 1 or more' }]],
    ['an unknown pull policy', { bbr: { image: { pullPolicy: 'Sometimes' } } }, [{ path: SOURCE, field: 'bbr.image.pullPolicy', value: 'Sometimes', allowed: 'Always, IfNotPresent, Never' }]],
    ['an empty image hub', { bbr: { image: { hub: '' } } }, [{ path: SOURCE, field: 'bbr.image.hub', value: '', allowed: 'a non-empty value', why: 'the chart writes the image as <hub>/<name>:<tag>' }]],
    ['an empty name', { bbr: { name: '' } }, [{ path: SOURCE, field: 'bbr.name', value: '', allowed: 'the name of the Deployment and Service (a DNS-1035 label)' }]],
    ['a gateway name that cannot be one (istio)', { provider: { name: 'istio' }, inferenceGateway: { name: 'My Gateway' } }, [{ path: SOURCE, field: 'inferenceGateway.name', value: 'My Gateway', allowed: 'the name of the Gateway the router serves (a DNS-1123 subdomain)', why: 'the istio objects attach the router to it' }]],
  ])('%s', (_what, values, expected) => {
    expectRefusal(refused(values), expected);
  });

  test('a port out of range, reported once', () => {
    expectRefusal(refused({ bbr: { port: 0 } }), [{ path: SOURCE, field: 'bbr.port', value: 0, allowed: 'a port from 1 to 65535' }]);
  });

  test('every problem at once', () => {
    expectRefusal(refused({ bbr: { port: 'x', flags: { streaming: true } }, provider: { name: 'GKE' } }), [
      { path: SOURCE, field: 'bbr.port', value: 'x', allowed: 'an integer' },
      { path: SOURCE, field: 'provider.name', value: 'GKE', allowed: 'istio, gke, or one of none, kgateway, agentgateway, nginx, envoy, envoy-gateway (no provider objects)' },
      { path: SOURCE, field: 'bbr.flags.streaming', value: true, allowed: 'unset' },
    ]);
  });
});

describe('on the command line', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-bbr-'));
  const write = (name: string, text: string): string => {
    fs.writeFileSync(path.join(tmp, name), text);
    return name;
  };

  test('a refusal names the key and the file, exit code 2, nothing on stdout', () => {
    write('bad.yaml', 'bbr:\n  flags:\n    zap-devel: true\n');
    const r = cli(['render', 'body-based-routing', '--release', 'bbr', '-n', 'llm-d', '-f', 'bad.yaml'], tmp);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('[bad.yaml] bbr.flags.zap-devel: value true is not allowed');
    const set = cli(['render', 'body-based-routing', '--release', 'bbr', '--set', 'bbr.port=9100'], tmp);
    expect(set.stderr).toContain('[--set bbr.port=9100] bbr.port: value 9100 is not allowed');
  });

  test('a construct problem keeps its path and names the source of its value', () => {
    write('name.yaml', 'bbr:\n  name: Router\n');
    const r = cli(['render', 'body-based-routing', '--release', 'bbr', '-n', 'llm-d', '-f', 'name.yaml'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[bbr\/bbr, from bbr\.name \(name\.yaml\)\] name: value "Router" is not allowed/);
  });

  test('convert prints a BodyBasedRouter with the props; --set works as with helm', () => {
    const r = cli(['convert', 'body-based-routing', '--release', 'bbr', '-n', 'llm-d', '--set', 'provider.name=gke', '--set', 'inferenceGateway.name=gw', '--set', 'bbr.replicas=2'], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("import { BodyBasedRouter } from 'cdk8s-llm-d';");
    expect(r.stdout).toContain("new BodyBasedRouter(chart, 'bbr', {");
    expect(r.stdout).toContain("provider: 'gke',");
    expect(r.stdout).toContain("gatewayName: 'gw',");
    expect(r.stdout).toContain('replicas: 2,');
  });
});

describe('hostile values: refused with exit code 2 or rendered valid, never a crash', () => {
  const JUNK: unknown[] = [null, true, 0, -1, 1.5, 70000, '', ' ', 'Upper Case', 'a\r\nb', '{{ .Release.Name }}', 'x'.repeat(300), [], {}, { extra: 1 }, [1, 'a']];
  const base = FIXTURES_RENDERED.find((f) => f.name === 'bbr-istio-custom')!;
  const paths = (v: unknown, at: string[] = []): string[][] =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]) : [];
  const set = (v: unknown, where: string[], x: unknown): unknown => {
    if (where.length === 0) return x;
    const o = { ...(v as Record<string, unknown>) };
    o[where[0]] = set(o[where[0]], where.slice(1), x);
    return o;
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-bbr-junk-'));

  test.each(paths(base.values).map((p) => [p.join('.'), p] as const))('%s', (_key, where) => {
    for (const junk of JUNK) {
      fs.writeFileSync(path.join(tmp, 'v.json'), JSON.stringify(set(base.values, where, junk)));
      const r = cli(['render', 'body-based-routing', '--release', 'r1', '-n', 'serving', '-f', 'v.json'], tmp);
      expect([0, 2]).toContain(r.code);
      if (r.code === 2) {
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^cdk8s-llm-d: \d+ problem\(s\) in the input:\n/);
      } else {
        expect(validateManifests(parseManifests(r.stdout), { allowUnvalidated: ['networking.gke.io/v1/GCPRoutingExtension', 'networking.gke.io/v1/HealthCheckPolicy'] })).toEqual([]);
      }
    }
  });
});
