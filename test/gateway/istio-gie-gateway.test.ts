import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Chart } from 'cdk8s';
import {
  gatewayFullname,
  gatewayServiceName,
  istioProxyArgs,
  istiodValues,
  istiodValuesYaml,
  IstioGieGateway,
  IstioGieGatewayProps,
  listenerProblems,
  writeIstiodValues,
} from '../../src/gateway';
import { istioGieGatewayFromHelmValues } from '../../src/helm';
import { caseNames, expectContains, expectRefusal, loadCase, newChart, objectOf, synth } from '../support';

function render(props: IstioGieGatewayProps = {}, ns = 'llm-d') {
  const { chart } = newChart(ns);
  const gw = new IstioGieGateway(chart, 'gw', props);
  return { chart, gw, objects: synth(chart) };
}

/** Builds the gateway `gw` into the chart of a refusal test. */
const gateway = (props: IstioGieGatewayProps) => (chart: Chart) => new IstioGieGateway(chart, 'gw', props);

function configMapDoc(objects: Record<string, unknown>[], key: 'deployment' | 'service', name = 'llm-d-infra-inference-gateway'): any {
  return YAML.parse(objectOf(objects, 'ConfigMap', name).data[key]);
}

const HTTPS = {
  name: 'https',
  port: 443,
  protocol: 'HTTPS' as const,
  hostname: 'api.example.com',
  tls: { mode: 'Terminate' as const, certificateRefs: [{ name: 'api-cert', namespace: 'certs' }] },
  allowedRoutes: { namespaces: { from: 'All' as const } },
};

describe('IstioGieGateway parity with llm-d-infra v1.3.10', () => {
  test.each(caseNames('infra-'))('%s via fromHelmValues', (name) => {
    const c = loadCase(name);
    const { chart } = newChart(c.namespace);
    istioGieGatewayFromHelmValues(chart, 'infra', c.values, { release: c.release, namespace: c.namespace });
    expectContains(c.expected, synth(chart));
  });

  test('infra-seed000 via typed props (the defaults are the guide\'s)', () => {
    const c = loadCase('infra-seed000');
    const { objects } = render({ gatewayClassName: 'istio' });
    expectContains(c.expected, objects);
  });

  test('snapshot of the guide gateway', () => {
    expect(render().objects).toMatchSnapshot();
  });

  test('snapshot with every option', () => {
    const { objects } = render({
      releaseName: 'prod',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }, HTTPS],
      labels: { team: 'ml' },
      annotations: { note: 'x' },
      commonLabels: { env: 'prod' },
      commonAnnotations: { owner: 'ml-platform' },
      logLevel: 'info',
      proxyResources: { limits: { cpu: '4', memory: '2Gi' } },
      service: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }], loadBalancerClass: 'metallb' },
      destinationRule: { host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
      tlsReferenceGrant: {},
    });
    expect(objects).toMatchSnapshot();
  });
});

describe('IstioGieGateway objects', () => {
  test('guide defaults: names, namespace, class, label, parametersRef, telemetry', () => {
    const { gw, objects } = render();
    expect(gw.gatewayName).toBe('llm-d-infra-inference-gateway');
    expect(gw.gatewayNamespace).toBe('llm-d');
    expect(gw.listenerNames).toEqual(['default']);
    expect(gw.serviceName).toBe('llm-d-infra-inference-gateway-istio');
    expect(gw.podLabels).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'llm-d-infra-inference-gateway' });
    const g = objectOf(objects, 'Gateway', 'llm-d-infra-inference-gateway');
    expect(g.metadata.namespace).toBe('llm-d');
    expect(g.metadata.labels['istio.io/enable-inference-extproc']).toBe('true');
    expect(g.spec.gatewayClassName).toBe('istio');
    expect(g.spec.infrastructure).toEqual({ parametersRef: { group: '', kind: 'ConfigMap', name: 'llm-d-infra-inference-gateway' } });
    expect(g.spec.listeners).toEqual([{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]);
    for (const o of objects) expect((o.metadata as any).namespace).toBe('llm-d');
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Gateway', 'Telemetry']);
    const t = objectOf(objects, 'Telemetry', 'llm-d-infra-inference-gateway-telemetry');
    expect(t.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'llm-d-infra-inference-gateway' }]);
  });

  test('namespace defaults to the chart namespace, then "default"', () => {
    expect(render({}, 'other').gw.gatewayNamespace).toBe('other');
    const { chart } = newChart();
    expect(new IstioGieGateway(chart, 'gw').gatewayNamespace).toBe('default');
    expect(render({ namespace: 'gw-ns' }).objects.every((o) => (o.metadata as any).namespace === 'gw-ns')).toBe(true);
  });

  test('naming: releaseName, nameOverride, name, truncation', () => {
    expect(render({ releaseName: 'r1' }).gw.gatewayName).toBe('r1-inference-gateway');
    expect(render({ releaseName: 'r1', nameOverride: 'gw' }).gw.gatewayName).toBe('r1-gw');
    expect(render({ name: 'my-gateway' }).gw.gatewayName).toBe('my-gateway');
    expect(gatewayFullname('a'.repeat(50), 'inference-gateway')).toBe(`${'a'.repeat(50)}-inference-ga`);
    expect(gatewayFullname('a'.repeat(62), undefined)).toBe('a'.repeat(62));
    expect(gatewayFullname('x'.repeat(45), undefined)).toBe(`${'x'.repeat(45)}-inference-gateway`);
    expect(gatewayFullname('x'.repeat(46), undefined)).toBe(`${'x'.repeat(46)}-inference-gatewa`);
    expect(gatewayFullname('r', undefined, `${'o'.repeat(62)}-x`)).toBe('o'.repeat(62));
    const { objects } = render({ name: 'my-gateway' });
    expect(objectOf(objects, 'ConfigMap', 'my-gateway')).toBeDefined();
    expect(objectOf(objects, 'Telemetry', 'my-gateway-telemetry')).toBeDefined();
  });

  test('service name follows the class', () => {
    expect(gatewayServiceName('g', 'istio')).toBe('g-istio');
    expect(gatewayServiceName('g', 'data-science-gateway-class')).toBe('g');
  });

  test('proxy args carry the log level', () => {
    expect(istioProxyArgs('debug')).toEqual([
      'proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local',
      '--proxyLogLevel', 'debug', '--proxyComponentLogLevel', 'misc:debug', '--log_output_level', 'default:debug',
    ]);
    const d = configMapDoc(render({ logLevel: 'error' }).objects, 'deployment');
    expect(d.spec.template.spec.containers[0].args).toContain('default:error');
  });

  test('proxy resources: chart default, override, default requests added when missing', () => {
    const def = configMapDoc(render().objects, 'deployment').spec.template.spec.containers[0];
    expect(def.resources).toEqual({ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } });
    const lim = configMapDoc(render({ proxyResources: { limits: { cpu: '1' } } }).objects, 'deployment').spec.template.spec.containers[0];
    expect(lim.resources).toEqual({ limits: { cpu: '1' }, requests: { memory: '128Mi' } });
    const none = configMapDoc(render({ proxyResources: {} }).objects, 'deployment').spec.template.spec.containers[0];
    expect(none.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
  });

  test('service: type, ports, loadBalancerClass', () => {
    expect(configMapDoc(render().objects, 'service')).toEqual({ spec: { type: 'ClusterIP' } });
    const s = configMapDoc(render({ service: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }).objects, 'service');
    expect(s).toEqual({ spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } });
    const lb = configMapDoc(render({ service: { type: 'LoadBalancer', loadBalancerClass: 'metallb' } }).objects, 'service');
    expect(lb).toEqual({ spec: { type: 'LoadBalancer', loadBalancerClass: 'metallb' } });
  });

  test('labels and annotations go where the chart puts them', () => {
    const { objects } = render({ labels: { a: '1' }, annotations: { b: '2' }, commonLabels: { c: '3' }, commonAnnotations: { d: '4' }, appName: 'infra' });
    const g = objectOf(objects, 'Gateway');
    const cm = objectOf(objects, 'ConfigMap');
    expect(g.metadata.labels).toMatchObject({ a: '1', c: '3', 'app.kubernetes.io/name': 'infra', 'app.kubernetes.io/component': 'inference-gateway' });
    expect(g.metadata.annotations).toEqual({ b: '2', d: '4' });
    expect(cm.metadata.labels.c).toBe('3');
    expect(cm.metadata.labels.a).toBeUndefined();
    expect(cm.metadata.labels['istio.io/enable-inference-extproc']).toBeUndefined();
    expect(cm.metadata.annotations).toEqual({ b: '2', d: '4' });
  });

  test('HTTPS listener with certificateRefs and hostname', () => {
    const { objects, gw } = render({ listeners: [HTTPS] });
    expect(objectOf(objects, 'Gateway').spec.listeners).toEqual([
      { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'api.example.com', allowedRoutes: { namespaces: { from: 'All' } }, tls: { mode: 'Terminate', certificateRefs: [{ name: 'api-cert', namespace: 'certs' }] } },
    ]);
    expect(gw.listenerNames).toEqual(['https']);
  });

  test('TLS passthrough listener needs no certificate', () => {
    const { objects } = render({ listeners: [{ name: 'tls', port: 8443, protocol: 'TLS', hostname: 'x.example.com', tls: { mode: 'Passthrough' } }] });
    expect(objectOf(objects, 'Gateway').spec.listeners[0].tls).toEqual({ mode: 'Passthrough' });
  });

  test('addListener is reflected in the output and validated', () => {
    const { chart } = newChart('llm-d');
    const gw = new IstioGieGateway(chart, 'gw');
    gw.addListener({ name: 'alt', port: 8080, protocol: 'HTTP' });
    expect(gw.listenerNames).toEqual(['default', 'alt']);
    expect(objectOf(synth(chart), 'Gateway').spec.listeners.map((l: any) => l.name)).toEqual(['default', 'alt']);
    gw.addListener({ name: 'alt', port: 8081, protocol: 'HTTP' });
    expectRefusal(chart, [
      { path: 'test/gw', field: 'listeners[2].name', value: 'alt', allowed: 'a name not used by another listener (listeners[1] is already "alt")', why: 'listener names must be unique within a Gateway' },
    ]);
  });

  test('allowsRoutesFrom follows allowedRoutes (Gateway API default Same)', () => {
    expect(render().gw.allowsRoutesFrom('elsewhere')).toBe(true);
    const same = render({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] }).gw;
    expect(same.allowsRoutesFrom('llm-d')).toBe(true);
    expect(same.allowsRoutesFrom('elsewhere')).toBe(false);
    const sel = render({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { a: 'b' } } } } }] }).gw;
    expect(sel.allowsRoutesFrom('elsewhere')).toBeUndefined();
  });

  test('accessLogging false drops the Telemetry', () => {
    expect(render({ accessLogging: false }).objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Gateway']);
  });

  test('infrastructureParameters false: bare Gateway', () => {
    const { objects } = render({ infrastructureParameters: false });
    expect(objects.map((o) => o.kind)).toEqual(['Gateway']);
    expect(objectOf(objects, 'Gateway').spec.infrastructure).toBeUndefined();
  });

  test('destinationRule', () => {
    const { objects } = render({
      destinationRule: { host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE' } }, subsets: [{ name: 'v1', labels: { v: '1' } }], exportTo: ['.'], workloadSelector: { matchLabels: { app: 'x' } } },
    });
    const dr = objectOf(objects, 'DestinationRule', 'llm-d-infra-inference-gateway');
    expect(dr.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(dr.metadata.namespace).toBe('llm-d');
    expect(dr.spec).toEqual({ host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE' } }, subsets: [{ name: 'v1', labels: { v: '1' } }], exportTo: ['.'], workloadSelector: { matchLabels: { app: 'x' } } });
  });

  test('destinationRule: trafficPolicy passes through in wire format, even fields the generated types rename', () => {
    // The generated DestinationRule class calls this field consecutive5XxErrors and would drop the wire name.
    const trafficPolicy = { outlierDetection: { consecutive5xxErrors: 5, interval: '10s' }, connectionPool: { http: { http1MaxPendingRequests: 1024, h2UpgradePolicy: 'UPGRADE' } } };
    const { objects } = render({ destinationRule: { host: 'h.llm-d.svc.cluster.local', trafficPolicy } });
    expect(objectOf(objects, 'DestinationRule').spec).toEqual({ host: 'h.llm-d.svc.cluster.local', trafficPolicy });
  });

  test('tlsReferenceGrant: defaults from the certificateRefs, explicit values win', () => {
    const { objects } = render({ listeners: [HTTPS], tlsReferenceGrant: {} });
    const rg = objectOf(objects, 'ReferenceGrant', 'llm-d-infra-inference-gateway-tls');
    expect(rg.metadata.namespace).toBe('certs');
    expect(rg.spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'llm-d' }]);
    // Not `to[].namespace` (no such field; kubectl's strict validation refuses it) unless asked.
    expect(rg.spec.to).toEqual([{ group: '', kind: 'Secret', name: 'api-cert' }]);
    const compat = objectOf(render({ listeners: [HTTPS], tlsReferenceGrant: { chartToNamespaceField: true } }).objects, 'ReferenceGrant');
    expect(compat.spec.to).toEqual([{ group: '', kind: 'Secret', name: 'api-cert', namespace: 'certs' }]);
    const explicit = render({ listeners: [HTTPS], tlsReferenceGrant: { name: 'grant', secretName: 's', secretNamespace: 'n' } }).objects;
    const rg2 = objectOf(explicit, 'ReferenceGrant', 'grant');
    expect(rg2.metadata.namespace).toBe('n');
    expect(rg2.spec.to[0].name).toBe('s');
  });

  test('data-science-gateway-class: service annotation, no proxy patch, no telemetry, no ext-proc label', () => {
    const { objects, gw } = render({ gatewayClassName: 'data-science-gateway-class', servingCertSecretName: 'my-cert' });
    expect(gw.serviceName).toBe('llm-d-infra-inference-gateway');
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Gateway']);
    const cm = objectOf(objects, 'ConfigMap');
    expect(cm.data.deployment).toBeUndefined();
    expect(YAML.parse(cm.data.service)).toEqual({ metadata: { annotations: { 'service.beta.openshift.io/serving-cert-secret-name': 'my-cert' } }, spec: { type: 'ClusterIP' } });
    expect(objectOf(objects, 'Gateway').metadata.labels['istio.io/enable-inference-extproc']).toBeUndefined();
    expect(objectOf(objects, 'Gateway').spec.infrastructure.parametersRef.kind).toBe('ConfigMap');
  });
});

describe('istiod values', () => {
  test('the guide\'s values (seed 000 step 2)', () => {
    expect(istiodValues()).toEqual({
      meshConfig: { defaultConfig: { proxyMetadata: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } } },
      pilot: { env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } },
    });
  });

  test('YAML text quotes "true" and parses back; extra entries cannot turn the flag off', () => {
    const text = istiodValuesYaml({ pilotEnv: { PILOT_TRACE_SAMPLING: '1', ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'false' } });
    expect(text).toContain('ENABLE_GATEWAY_API_INFERENCE_EXTENSION: "true"');
    expect(text.startsWith('#')).toBe(true);
    expect(YAML.parse(text)).toEqual({
      meshConfig: { defaultConfig: { proxyMetadata: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } } },
      pilot: { env: { PILOT_TRACE_SAMPLING: '1', ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } },
    });
  });

  test('gateway writes istiod-values.yaml next to the manifests', () => {
    const { app, chart } = newChart('llm-d');
    const gw = new IstioGieGateway(chart, 'gw', { istiod: { proxyMetadata: { ISTIO_META_X: 'y' } } });
    app.synth();
    const file = gw.writeIstiodValues(app.outdir);
    expect(file).toBe(path.join(app.outdir, 'istiod-values.yaml'));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('llm-d/llm-d-infra-inference-gateway');
    expect(YAML.parse(text).meshConfig.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_X: 'y', ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' });
    expect(gw.istiodValuesYaml()).toBe(text);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istiod-'));
    expect(fs.readFileSync(writeIstiodValues(path.join(dir, 'sub'), {}, 'x.yaml'), 'utf8')).toBe(istiodValuesYaml());
  });
});

describe('IstioGieGateway bad input', () => {
  test('invalid names', () => {
    expectRefusal(gateway({ name: 'Bad_Name' }), [
      { path: 'test/gw', field: 'name', value: 'Bad_Name', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit', why: 'Istio names the gateway Deployment and Service after the Gateway' },
    ]);
    expectRefusal(gateway({ name: 'a'.repeat(64) }), [
      { path: 'test/gw', field: 'name', value: 'a'.repeat(64), allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
    expectRefusal(gateway({ namespace: 'Not OK' }), [
      { path: 'test/gw', field: 'namespace', value: 'Not OK', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
  });

  test('a release name that makes an invalid gateway name is reported at releaseName', () => {
    expectRefusal(gateway({ releaseName: 'UPPER' }), [{ path: 'test/gw', field: 'releaseName', value: 'UPPER', allowed: expect.any(String) }]);
  });

  test('empty listeners', () => {
    expectRefusal(gateway({ listeners: [] }), [
      { path: 'test/gw', field: 'listeners', value: [], allowed: 'at least one listener', why: 'a Gateway without listeners accepts no traffic (the chart requires at least 1 item)' },
    ]);
  });

  test('ports outside 1-65535', () => {
    expectRefusal(gateway({ listeners: [{ name: 'x', port: 0, protocol: 'HTTP' }] }), [{ path: 'test/gw', field: 'listeners[0].port', value: 0, allowed: 'an integer port number from 1 to 65535' }]);
    expectRefusal(gateway({ listeners: [{ name: 'x', port: 65536, protocol: 'HTTP' }] }), [{ path: 'test/gw', field: 'listeners[0].port', value: 65536, allowed: 'an integer port number from 1 to 65535' }]);
    expectRefusal(gateway({ service: { ports: [{ port: 70000 }] } }), [{ path: 'test/gw', field: 'service.ports[0].port', value: 70000, allowed: 'an integer port number from 1 to 65535' }]);
  });

  test('duplicate listener names and port/protocol/hostname', () => {
    expectRefusal(gateway({ listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'a', port: 81, protocol: 'HTTP' }] }), [
      { path: 'test/gw', field: 'listeners[1].name', value: 'a', allowed: 'a name not used by another listener (listeners[0] is already "a")', why: 'listener names must be unique within a Gateway' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'b', port: 80, protocol: 'HTTP' }] }), [
      { path: 'test/gw', field: 'listeners[1]', value: { port: 80, protocol: 'HTTP' }, allowed: 'a port, protocol and hostname combination not used by listeners[0]', why: 'the Gateway API requires it to be unique per listener' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: '', port: 80, protocol: 'HTTP' }] }), [
      { path: 'test/gw', field: 'listeners[0].name', value: '', allowed: 'a non-empty DNS-1123 subdomain', why: 'the Gateway API requires a name on every listener' },
    ]);
  });

  test('HTTPS listener without certificateRefs, or without tls', () => {
    expectRefusal(gateway({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate' } }] }), [
      { path: 'test/gw', field: 'listeners[0].tls.certificateRefs', value: [], allowed: 'at least one certificate reference, e.g. [{ name: "my-tls-secret" }]', why: 'a HTTPS listener terminating TLS needs a certificate' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] }), [
      { path: 'test/gw', field: 'listeners[0].tls', value: undefined, allowed: 'tls settings with certificateRefs (mode Terminate)', why: 'a HTTPS listener needs TLS settings' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Passthrough' } }] }), [
      { path: 'test/gw', field: 'listeners[0].tls.mode', value: 'Passthrough', allowed: 'Terminate', why: 'an HTTPS listener terminates TLS; use protocol TLS for passthrough' },
    ]);
  });

  test('tls on an HTTP listener, hostname on TCP, bad protocol, bad hostname, bad certificate ref', () => {
    expectRefusal(gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }] }), [
      { path: 'test/gw', field: 'listeners[0].tls', value: { certificateRefs: [{ name: 'c' }] }, allowed: 'no tls', why: 'tls is only for HTTPS and TLS listeners; this one is HTTP' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 't', port: 9000, protocol: 'TCP', hostname: 'a.example.com' }] }), [
      { path: 'test/gw', field: 'listeners[0].hostname', value: 'a.example.com', allowed: 'no hostname', why: 'TCP listeners do not match host names' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 'g', port: 80, protocol: 'GRPC' as any }] }), [{ path: 'test/gw', field: 'listeners[0].protocol', value: 'GRPC', allowed: 'HTTP, HTTPS, TLS, TCP, UDP' }]);
    expectRefusal(gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP', hostname: 'api.example.com:80' }] }), [
      { path: 'test/gw', field: 'listeners[0].hostname', value: 'api.example.com:80', allowed: 'a DNS host name, optionally with a leading "*." wildcard label (no IP addresses, no port)' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP', hostname: '10.0.0.1' }] }), [
      { path: 'test/gw', field: 'listeners[0].hostname', value: '10.0.0.1', allowed: 'a DNS host name, optionally with a leading "*." wildcard label (no IP addresses, no port)' },
    ]);
    expectRefusal(gateway({ listeners: [{ ...HTTPS, tls: { certificateRefs: [{ name: 'Bad Name' }] } }] }), [
      { path: 'test/gw', field: 'listeners[0].tls.certificateRefs[0].name', value: 'Bad Name', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
  });

  test('allowedRoutes Selector without selector', () => {
    expectRefusal(gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector' } } }] }), [
      { path: 'test/gw', field: 'listeners[0].allowedRoutes.namespaces.selector', value: undefined, allowed: 'a label selector', why: 'from: Selector needs a selector' },
    ]);
    expectRefusal(gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Some' as any } } }] }), [
      { path: 'test/gw', field: 'listeners[0].allowedRoutes.namespaces.from', value: 'Some', allowed: 'All, Same, Selector, None' },
    ]);
  });

  test('unsupported gateway classes are refused', () => {
    expectRefusal(gateway({ gatewayClassName: 'kgateway' as any }), [
      { path: 'test/gw', field: 'gatewayClassName', value: 'kgateway', allowed: 'istio, data-science-gateway-class', why: expect.stringContaining('IstioGieGateway renders Istio gateways; kgateway, agentgateway-v2 and') },
    ]);
  });

  test('log level, resources, service', () => {
    expectRefusal(gateway({ logLevel: 'trace' as any }), [{ path: 'test/gw', field: 'logLevel', value: 'trace', allowed: 'error, warn, info, debug' }]);
    expectRefusal(gateway({ proxyResources: { limits: { memory: 'lots' } } }), [
      { path: 'test/gw', field: 'proxyResources.limits.memory', value: 'lots', allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' },
    ]);
    expectRefusal(gateway({ service: { type: 'External' as any } }), [{ path: 'test/gw', field: 'service.type', value: 'External', allowed: 'ClusterIP, LoadBalancer, NodePort' }]);
    expectRefusal(gateway({ service: { ports: [{ port: 80, nodePort: 30080 }] } }), [
      { path: 'test/gw', field: 'service.ports[0].nodePort', value: 30080, allowed: 'no nodePort', why: 'a ClusterIP Service has no node ports; set service.type to NodePort or LoadBalancer' },
    ]);
    expectRefusal(gateway({ service: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }), [
      { path: 'test/gw', field: 'service.ports[0].nodePort', value: 80, allowed: 'an integer from 30000 to 32767 (the default node port range)' },
    ]);
    expectRefusal(gateway({ service: { loadBalancerClass: 'metallb' } }), [
      { path: 'test/gw', field: 'service.loadBalancerClass', value: 'metallb', allowed: 'unset', why: 'loadBalancerClass applies only to service.type LoadBalancer' },
    ]);
  });

  test('settings that have no effect are refused', () => {
    expectRefusal(gateway({ infrastructureParameters: false, logLevel: 'debug' }), [
      { path: 'test/gw', field: 'logLevel', value: 'debug', allowed: 'unset', why: 'it is applied through the gateway-parameters ConfigMap, which infrastructureParameters: false turns off' },
    ]);
    expectRefusal(gateway({ gatewayClassName: 'data-science-gateway-class', accessLogging: true }), [
      { path: 'test/gw', field: 'accessLogging', value: true, allowed: 'unset or false', why: 'the access-log Telemetry is rendered only for class istio, not data-science-gateway-class' },
    ]);
    expectRefusal(gateway({ servingCertSecretName: 'x' }), [
      { path: 'test/gw', field: 'servingCertSecretName', value: 'x', allowed: 'unset', why: 'the serving certificate is used only by class data-science-gateway-class' },
    ]);
  });

  test('labels, destinationRule host, reference grant without a secret', () => {
    expectRefusal(gateway({ labels: { 'bad key!': 'v' } }), [
      { path: 'test/gw', field: 'labels key', value: 'bad key!', allowed: 'a qualified name: optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."' },
    ]);
    expectRefusal(gateway({ commonLabels: { a: 'not ok!' } }), [
      { path: 'test/gw', field: 'commonLabels.a', value: 'not ok!', allowed: 'a label value: a string of at most 63 alphanumerics, "-", "_", "." starting and ending with an alphanumeric (quote "true" and numbers)' },
    ]);
    expectRefusal(gateway({ destinationRule: { host: '' } }), [
      { path: 'test/gw', field: 'destinationRule.host', value: '', allowed: 'a service host name, e.g. "gaie-epp.llm-d.svc.cluster.local"', why: 'the chart requires destinationRule.host when enabled' },
    ]);
    expectRefusal(gateway({ tlsReferenceGrant: {} }), [
      { path: 'test/gw', field: 'tlsReferenceGrant.secretName', value: undefined, allowed: 'a Secret name', why: 'no listener has a certificateRef to take it from' },
      { path: 'test/gw', field: 'tlsReferenceGrant.secretNamespace', value: undefined, allowed: 'the namespace of the TLS Secret', why: 'no listener certificateRef has a namespace to take it from' },
    ]);
    expectRefusal(gateway({ listeners: [{ ...HTTPS, tls: { certificateRefs: [{ name: 'c' }] } }], tlsReferenceGrant: {} }), [
      { path: 'test/gw', field: 'tlsReferenceGrant.secretNamespace', value: undefined, allowed: 'the namespace of the TLS Secret', why: 'no listener certificateRef has a namespace to take it from' },
    ]);
  });

  test('synth throws listing every problem', () => {
    expectRefusal(gateway({ listeners: [], logLevel: 'x' as any }), [
      { path: 'test/gw', field: 'logLevel', value: 'x', allowed: 'error, warn, info, debug' },
      { path: 'test/gw', field: 'listeners', value: [], allowed: 'at least one listener' },
    ]);
  });

  test('listenerProblems is a pure function usable on its own', () => {
    expect(listenerProblems([{ name: 'ok', port: 80, protocol: 'HTTP' }])).toEqual([]);
    expect(listenerProblems([{ name: 'ok', port: 80, protocol: 'HTTP' }, { name: 'ok', port: 81, protocol: 'HTTP' }]).map((p) => p.field)).toEqual(['listeners[1].name']);
  });
});
