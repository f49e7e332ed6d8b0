/**
 * BodyBasedRouter: the body-based routing chart's objects from typed props, one test per option,
 * the provider wiring into the gateway it serves, secure defaults, and refusals as structured
 * problems.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IInferenceGateway } from '../../src/core/contracts';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService } from '../../src/model-service';
import { BodyBasedRouter, BodyBasedRouterProps, InferenceRoute, MODEL_NAME_HEADER } from '../../src/routing';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { checkPodSecurityRestricted, validateManifests } from '../../src/testing';
import { ExpectedProblem, expectRefusal, newChart, objectOf, problemsFrom, synth } from '../support';

const GATEWAY: IInferenceGateway = { gatewayName: 'inference-gateway', gatewayNamespace: 'llm-d', listenerNames: [] };

function render(props: BodyBasedRouterProps = {}, ns = 'llm-d'): { chart: Chart; bbr: BodyBasedRouter; objects: Record<string, any>[] } {
  const { chart } = newChart(ns);
  const bbr = new BodyBasedRouter(chart, 'bbr', props);
  return { chart, bbr, objects: synth(chart) as Record<string, any>[] };
}

const kinds = (objects: Record<string, any>[]): string[] => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
const container = (objects: Record<string, any>[]): Record<string, any> => objectOf(objects, 'Deployment').spec.template.spec.containers[0];
/** Builds the router `bbr` into the chart of a refusal test. */
const router = (props: BodyBasedRouterProps) => (chart: Chart) => new BodyBasedRouter(chart, 'bbr', props);

describe('defaults', () => {
  test('without a gateway: the chart\'s provider none (Deployment, Service, ServiceAccount, Role, RoleBinding)', () => {
    const { bbr, objects } = render();
    expect(bbr.provider).toBe('none');
    expect(kinds(objects)).toEqual(['Deployment/body-based-router', 'Role/body-based-router-bbr-configmap-reader', 'RoleBinding/body-based-router-bbr', 'Service/body-based-router', 'ServiceAccount/body-based-router-bbr']);
    const c = container(objects);
    expect(c.image).toBe('registry.k8s.io/gateway-api-inference-extension/bbr:v1.3.0');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.args).toEqual(['--streaming', '--v', '3']);
    expect(c.env).toEqual([{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]);
    expect(c.ports).toEqual([{ containerPort: 9004 }, { containerPort: 9005 }]);
    expect(c.readinessProbe.grpc).toEqual({ port: 9005 });
    expect(c.livenessProbe.grpc).toEqual({ port: 9005 });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' } });
    const svc = objectOf(objects, 'Service');
    expect(svc.spec).toEqual({ selector: { app: 'body-based-router' }, ports: [{ name: 'grpc-ext-proc', protocol: 'TCP', port: 9004, targetPort: 9004, appProtocol: 'HTTP2' }], type: 'ClusterIP' });
    expect(bbr.serviceFqdn).toBe('body-based-router.llm-d.svc.cluster.local');
  });

  test('secure by default: non-root 65532, no privilege escalation, ALL dropped, RuntimeDefault, read-only root; the token is mounted (it watches ConfigMaps)', () => {
    const { objects } = render({ gateway: GATEWAY });
    const pod = objectOf(objects, 'Deployment').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, runAsUser: 65532, readOnlyRootFilesystem: true });
    expect(checkPodSecurityRestricted(objects)).toEqual([]);
  });

  test('every object passes the schemas of its kind (the EnvoyFilter and DestinationRule CRDs included)', () => {
    expect(validateManifests(render({ gateway: GATEWAY }).objects)).toEqual([]);
    expect(validateManifests(render({ gateway: GATEWAY, provider: 'gke', multiNamespace: true }).objects, { allowUnvalidated: ['networking.gke.io/v1/GCPRoutingExtension', 'networking.gke.io/v1/HealthCheckPolicy'] })).toEqual([]);
  });

  test('the Deployment is the default child: ApiObject.of() and a JSON patch reach the output', () => {
    const { chart } = newChart('llm-d');
    const bbr = new BodyBasedRouter(chart, 'bbr', {});
    expect(ApiObject.of(bbr).kind).toBe('Deployment');
    expect(bbr.node.defaultChild).toBe(bbr.deployment);
    ApiObject.of(bbr).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-cluster-critical'));
    expect(objectOf(synth(chart), 'Deployment').spec.template.spec.priorityClassName).toBe('system-cluster-critical');
  });

  test('snapshot of a small example', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gateway');
    new BodyBasedRouter(chart, 'bbr', { gateway });
    expect(synth(chart).filter((o) => (o.metadata as { labels?: Record<string, string> }).labels?.['app.kubernetes.io/component'] === 'body-based-router')).toMatchSnapshot();
  });
});

describe('the gateway it serves', () => {
  test('istio (the default with a gateway): an EnvoyFilter on that Gateway only, and the DestinationRule for TLS', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gateway');
    const bbr = new BodyBasedRouter(chart, 'bbr', { gateway });
    expect(bbr.provider).toBe('istio');
    expect(bbr.gateway).toBe(gateway);
    const objects = synth(chart) as Record<string, any>[];
    const ef = objectOf(objects, 'EnvoyFilter', 'body-based-router');
    expect(ef.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(ef.metadata.namespace).toBe('llm-d');
    expect(ef.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'llm-d-infra-inference-gateway' }]);
    expect(ef.spec.workloadSelector).toBeUndefined();
    const patch = ef.spec.configPatches[0];
    expect(patch.applyTo).toBe('HTTP_FILTER');
    expect(patch.patch.operation).toBe('INSERT_FIRST');
    expect(patch.patch.value.typed_config.failure_mode_allow).toBe(false);
    expect(patch.patch.value.typed_config.grpc_service.envoy_grpc.cluster_name).toBe('outbound|9004||body-based-router.llm-d.svc.cluster.local');
    const dr = objectOf(objects, 'DestinationRule', 'body-based-router');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec).toEqual({ host: 'body-based-router.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } });
  });

  test('a gateway in another namespace: the EnvoyFilter goes there (targetRefs are namespace-local), the cluster names the router\'s namespace', () => {
    const { chart } = newChart('serving');
    const gateway = IstioGieGateway.fromGatewayName(chart, 'gw', 'shared', { namespace: 'infra' });
    new BodyBasedRouter(chart, 'bbr', { gateway, port: 9100 });
    const objects = synth(chart) as Record<string, any>[];
    const ef = objectOf(objects, 'EnvoyFilter');
    expect(ef.metadata.namespace).toBe('infra');
    expect(ef.spec.targetRefs[0].name).toBe('shared');
    expect(ef.spec.configPatches[0].patch.value.typed_config.grpc_service.envoy_grpc.cluster_name).toBe('outbound|9100||body-based-router.serving.svc.cluster.local');
    expect(objectOf(objects, 'DestinationRule').metadata.namespace).toBe('serving');
  });

  test('gke: a GCPRoutingExtension on the gateway and the chart\'s HealthCheckPolicy (gRPC, the health port)', () => {
    const { bbr, objects } = render({ gateway: GATEWAY, provider: 'gke', healthCheckPort: 9105, flags: { 'grpc-health-port': 9105 } });
    expect(bbr.routingExtension).toBeDefined();
    const ext = objectOf(objects, 'GCPRoutingExtension', 'body-based-router');
    expect(ext.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway' }]);
    expect(ext.spec.extensionChains[0].extensions[0].backendRef).toEqual({ group: '', kind: 'Service', name: 'body-based-router', port: 9004 });
    const hc = objectOf(objects, 'HealthCheckPolicy', 'bbr-healthcheck');
    expect(hc.spec.default.config).toEqual({ type: 'GRPC', grpcHealthCheck: { portSpecification: 'USE_FIXED_PORT', port: 9105 } });
    expect(hc.spec.targetRef).toEqual({ group: '', kind: 'Service', name: 'body-based-router', namespace: 'llm-d' });
    expect(objects.filter((o) => o.kind === 'EnvoyFilter' || o.kind === 'DestinationRule')).toEqual([]);
  });

  test('none with a gateway: no provider objects (a gateway configured elsewhere)', () => {
    const { objects } = render({ gateway: GATEWAY, provider: 'none' });
    expect(objects.map((o) => o.kind).filter((k) => !['Deployment', 'Service', 'ServiceAccount', 'Role', 'RoleBinding'].includes(k))).toEqual([]);
  });

  test('modelMatch and baseModelMatch route a model\'s requests to its pool by the headers the router sets', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gateway');
    new BodyBasedRouter(chart, 'bbr', { gateway });
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: 'furiosa-ai/Llama-3.1-8B-Instruct', uri: 'hf://furiosa-ai/Llama-3.1-8B-Instruct' } });
    const pool = new InferenceSchedulerPool(chart, 'pool', {}).addModelServer(ms);
    const route = new InferenceRoute(chart, 'route', { gateway });
    route.addRule({ matches: [BodyBasedRouter.modelMatch(ms)], backends: [{ pool }] });
    route.addRule({ matches: [BodyBasedRouter.modelMatch('other', '/v1')], backends: [{ pool }] });
    route.addRule({ matches: [BodyBasedRouter.baseModelMatch('furiosa-ai/Llama-3.1-8B-Instruct')], backends: [{ pool }] });
    const rules = objectOf(synth(chart), 'HTTPRoute').spec.rules;
    expect(rules[0].matches).toEqual([{ headers: [{ type: 'Exact', name: MODEL_NAME_HEADER, value: 'furiosa-ai/Llama-3.1-8B-Instruct' }] }]);
    expect(rules[1].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1' }, headers: [{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'other' }] }]);
    expect(rules[2].matches[0].headers[0].name).toBe('X-Gateway-Base-Model-Name');
  });
});

describe('one test per option', () => {
  test('name and releaseName: the chart\'s names (Deployment/Service <name>, ServiceAccount and RBAC <name>-<release>)', () => {
    const { bbr, objects } = render({ name: 'model-router', releaseName: 'r1' });
    expect(kinds(objects)).toEqual(['Deployment/model-router', 'Role/model-router-r1-configmap-reader', 'RoleBinding/model-router-r1', 'Service/model-router', 'ServiceAccount/model-router-r1']);
    expect(objectOf(objects, 'Deployment').spec.selector.matchLabels).toEqual({ app: 'model-router' });
    expect(objectOf(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe('model-router-r1');
    expect(objectOf(objects, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'model-router-r1', namespace: 'llm-d' }]);
    expect(bbr.serviceAccountName).toBe('model-router-r1');
  });

  test('namespace', () => {
    const { objects } = render({ namespace: 'routing' });
    expect([...new Set(objects.map((o) => o.metadata.namespace))]).toEqual(['routing']);
  });

  test('replicas', () => {
    expect(objectOf(render({ replicas: 3 }).objects, 'Deployment').spec.replicas).toBe(3);
  });

  test('image', () => {
    const c = container(render({ image: { hub: 'quay.io/me', name: 'bbr-dev', tag: 'v1.3.1', pullPolicy: 'Always' } }).objects);
    expect([c.image, c.imagePullPolicy]).toEqual(['quay.io/me/bbr-dev:v1.3.1', 'Always']);
  });

  test('port and healthCheckPort: Service, container, probes, and the binary is told (--grpc-port, --grpc-health-port)', () => {
    const { objects } = render({ port: 9100, healthCheckPort: 9101 });
    const c = container(objects);
    expect(c.ports).toEqual([{ containerPort: 9100 }, { containerPort: 9101 }]);
    expect(c.args).toEqual(['--streaming', '--v', '3', '--grpc-port', '9100', '--grpc-health-port', '9101']);
    expect(c.readinessProbe.grpc.port).toBe(9101);
    expect(objectOf(objects, 'Service').spec.ports[0]).toMatchObject({ port: 9100, targetPort: 9100 });
    // Given as flags, they are not repeated.
    expect(container(render({ port: 9100, flags: { 'grpc-port': 9100 } }).objects).args).toEqual(['--streaming', '--grpc-port', '9100', '--v', '3']);
  });

  test('multiNamespace: the chart\'s ClusterRole and ClusterRoleBinding bbr-configmap-reader, no NAMESPACE env', () => {
    const { objects } = render({ multiNamespace: true });
    expect(kinds(objects)).toEqual(['ClusterRole/bbr-configmap-reader', 'ClusterRoleBinding/bbr-configmap-reader', 'Deployment/body-based-router', 'Service/body-based-router', 'ServiceAccount/body-based-router-bbr']);
    expect(objectOf(objects, 'ClusterRole').metadata.namespace).toBeUndefined();
    expect(objectOf(objects, 'ClusterRoleBinding').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'bbr-configmap-reader' });
    expect(container(objects).env).toBeUndefined();
    // Cluster-scoped: no namespace, with or without one on the chart.
    const { chart } = newChart();
    new BodyBasedRouter(chart, 'bbr', { multiNamespace: true });
    expect(synth(chart).filter((o) => String(o.kind).startsWith('Cluster')).map((o) => (o.metadata as { namespace?: string }).namespace)).toEqual([undefined, undefined]);
  });

  test('logVerbosity and flags: --k v pairs in key order after --streaming; flags.v wins; null drops', () => {
    expect(container(render({ logVerbosity: 1 }).objects).args).toEqual(['--streaming', '--v', '1']);
    expect(container(render({ logVerbosity: 1, flags: { 'zap-encoder': 'json', v: 5, 'metrics-port': 9191 } }).objects).args).toEqual(['--streaming', '--metrics-port', '9191', '--v', '5', '--zap-encoder', 'json']);
    expect(container(render({ flags: { v: null } }).objects).args).toEqual(['--streaming']);
  });

  test('resources', () => {
    const resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '2Gi' } };
    expect(container(render({ resources }).objects).resources).toEqual(resources);
  });

  test('hardening: off, another UID, a writable root', () => {
    const off = render({ hardening: { enabled: false } }).objects;
    expect(objectOf(off, 'Deployment').spec.template.spec.securityContext).toBeUndefined();
    expect(container(off).securityContext).toBeUndefined();
    const other = container(render({ hardening: { runAsUser: 1000, readOnlyRootFilesystem: false } }).objects).securityContext;
    expect(other.runAsUser).toBe(1000);
    expect(other.readOnlyRootFilesystem).toBeUndefined();
  });

  test('labels: on every object and the pods, never in the selector', () => {
    const { objects } = render({ labels: { team: 'serving' } });
    for (const o of objects) expect(o.metadata.labels.team).toBe('serving');
    const d = objectOf(objects, 'Deployment');
    expect(d.spec.template.metadata.labels).toMatchObject({ team: 'serving', app: 'body-based-router' });
    expect(d.spec.selector.matchLabels).toEqual({ app: 'body-based-router' });
  });

  test('a cdk8s-plus network-policy peer: the router pods in their namespace', () => {
    const { bbr } = render();
    expect(bbr.toPodSelector()).toBe(bbr);
    expect(bbr.toNetworkPolicyPeerConfig().podSelector).toBeDefined();
    expect(bbr.toPodSelectorConfig().namespaces?.names).toEqual(['llm-d']);
  });
});

describe('refused at synth, as structured problems', () => {
  test.each<[string, BodyBasedRouterProps, ExpectedProblem[]]>([
    ['istio without a gateway', { provider: 'istio' }, [{ path: 'test/bbr', field: 'gateway', value: undefined, allowed: 'the gateway the router serves (an IstioGieGateway or IstioGieGateway.fromGatewayName(...))', why: 'the istio objects attach the router to a Gateway' }]],
    ['gke without a gateway', { provider: 'gke' }, [{ path: 'test/bbr', field: 'gateway', value: undefined, allowed: 'the gateway the router serves (an IstioGieGateway or IstioGieGateway.fromGatewayName(...))', why: 'the gke objects attach the router to a Gateway' }]],
    ['gke with a gateway in another namespace', { provider: 'gke', gateway: { ...GATEWAY, gatewayNamespace: 'infra' } }, [{ path: 'test/bbr', field: 'namespace', value: 'llm-d', allowed: 'the gateway\'s namespace "infra"', why: 'the GCPRoutingExtension targets a Gateway of its own namespace' }]],
    ['a name that is not a DNS-1035 label', { name: '9router' }, [{ path: 'test/bbr', field: 'name', value: '9router', allowed: 'a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter', why: 'it names the Service' }]],
    ['0 replicas behind a gateway (its filter fails closed)', { gateway: GATEWAY, replicas: 0 }, [{ path: 'test/bbr', field: 'replicas', value: 0, allowed: 'an integer of 1 or more', why: 'the gateway\'s ext_proc filter fails closed: with no router every request through it fails' }]],
    ['a negative replica count', { replicas: -1 }, [{ path: 'test/bbr', field: 'replicas', value: -1, allowed: 'an integer of 0 or more' }]],
    ['a port out of range', { port: 70000 }, [{ path: 'test/bbr', field: 'port', value: 70000, allowed: 'an integer port number from 1 to 65535' }]],
    ['the health port equal to the ext_proc port', { healthCheckPort: 9004 }, [{ path: 'test/bbr', field: 'healthCheckPort', value: 9004, allowed: 'a port other than port (9004)' }]],
    ['a boolean flag (ends Go\'s flag parsing)', { flags: { 'zap-devel': 'true' } }, [{ path: 'test/bbr', field: 'flags.zap-devel', value: 'true', allowed: 'a flag that takes a value', why: expect.stringContaining('flags are passed as "--k" "v", and Go reads a boolean flag\'s value') }]],
    ['streaming as a flag', { flags: { streaming: 'false' } }, [{ path: 'test/bbr', field: 'flags.streaming', value: 'false', allowed: 'unset', why: '--streaming is always passed (the gateway streams the body to the router)' }]],
    ['grpc-port other than port', { flags: { 'grpc-port': 9100 } }, [{ path: 'test/bbr', field: 'flags.grpc-port', value: 9100, allowed: 'unset, or port (9004)', why: 'the Service and the gateway call port; the router would listen elsewhere' }]],
    ['grpc-health-port other than healthCheckPort', { flags: { 'grpc-health-port': '9006' } }, [{ path: 'test/bbr', field: 'flags.grpc-health-port', value: '9006', allowed: 'unset, or healthCheckPort (9005)', why: 'the probes and health checks call healthCheckPort; the router would serve health elsewhere' }]],
    ['a flag name with a space', { flags: { 'bad flag': 1 } }, [{ path: 'test/bbr', field: 'flags.bad flag', value: 1, allowed: 'a flag name: letters, digits, "-", "_" and "."' }]],
    ['a flag value on two lines', { flags: { 'zap-encoder': 'json\n--v' } }, [{ path: 'test/bbr', field: 'flags.zap-encoder', value: 'json\n--v', allowed: 'a value on one line' }]],
    ['a pull policy Kubernetes does not know', { image: { pullPolicy: 'Sometimes' as never } }, [{ path: 'test/bbr', field: 'image.pullPolicy', value: 'Sometimes', allowed: 'Always, IfNotPresent, Never' }]],
    ['an image tag with a digest', { image: { tag: 'v1@sha256:x' } }, [{ path: 'test/bbr', field: 'image.tag', value: 'v1@sha256:x', allowed: 'an image tag without ":", "@" or spaces' }]],
    ['a quantity that is not one', { resources: { requests: { cpu: 'lots' } } }, [{ path: 'test/bbr', field: 'resources.requests.cpu', value: 'lots', allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' }]],
    ['an app label (it is the selector)', { labels: { app: 'x' } }, [{ path: 'test/bbr', field: 'labels.app', value: 'x', allowed: 'no "app" label', why: 'the Deployment and Service select the pods by app: <name>' }]],
    ['a root UID', { hardening: { runAsUser: 0 } }, [{ path: 'test/bbr', field: 'hardening.runAsUser', value: 0, allowed: 'a non-root UID (an integer above 0)' }]],
  ])('%s', (_what, props, expected) => {
    expectRefusal(router(props), expected);
  });

  test('a release name that is not a label value, reported once', () => {
    expectRefusal(router({ releaseName: 'a/b' }), [
      { path: 'test/bbr', field: 'releaseName', value: 'a/b', allowed: 'a label value: at most 63 alphanumerics, "-", "_", "."', why: 'it is the app.kubernetes.io/instance label' },
    ]);
  });

  test('a valid router has no problems, and each problem carries the construct path', () => {
    expect(problemsFrom(router({ gateway: GATEWAY }))).toEqual([]);
    expectRefusal((chart) => new BodyBasedRouter(chart, 'router', { provider: 'istio' }), [
      { path: 'test/router', field: 'gateway', value: undefined, allowed: 'the gateway the router serves (an IstioGieGateway or IstioGieGateway.fromGatewayName(...))', why: 'the istio objects attach the router to a Gateway' },
    ]);
  });
});
