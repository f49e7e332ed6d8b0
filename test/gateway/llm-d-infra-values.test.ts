import { istioGieGatewayFromHelmValues, llmDInfraGatewayPropsFromValues } from '../../src/helm';
import { LlmdValidationError } from '../../src/core/errors';
import { expectContains, newChart, synth } from '../support';

const ctx = { release: 'r', namespace: 'llm-d' };

function refusal(values: Record<string, unknown>): string {
  try {
    llmDInfraGatewayPropsFromValues(values, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(LlmdValidationError);
    return (e as Error).message;
  }
  throw new Error('expected the values to be refused');
}

// What `helm template r llm-d-infra -n llm-d` renders for VALUES, written out by following the
// chart's templates (v1.3.10): it exercises every gateway knob at once.
const VALUES = {
  commonLabels: { team: 'ml' },
  commonAnnotations: { owner: 'platform' },
  nameOverride: 'infra',
  gateway: {
    nameOverride: 'gw',
    labels: { tier: 'edge' },
    annotations: { note: 'hi' },
    gatewayParameters: { logLevel: 'debug', resources: { limits: { cpu: '1' } } },
    destinationRule: { enabled: true, host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP' },
      {
        name: 'https',
        port: 443,
        protocol: 'HTTPS',
        allowedRoutes: { namespaces: { from: 'Same' } },
        tls: { hostname: 'api.example.com', mode: 'Terminate', certificateRefs: [{ name: 'api-cert', namespace: 'certs', kind: 'Secret' }] },
      },
    ],
    service: { type: 'LoadBalancer', loadBalancerClass: 'metallb', ports: [{ name: 'http', port: 80 }] },
    tls: { referenceGrant: { enabled: true } },
  },
};
const EXPECTED = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: r-gw
  labels:
    app.kubernetes.io/name: infra
    helm.sh/chart: llm-d-infra-v1.3.10
    app.kubernetes.io/instance: r
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/version: "v0.3.0"
    app.kubernetes.io/gateway: r-gw
    app.kubernetes.io/component: inference-gateway
    team: ml
  annotations:
    owner: platform
    note: hi
data:
  deployment: |
    spec:
      template:
        spec:
          containers:
          - name: istio-proxy
            args:
              - proxy
              - router
              - --domain
              - $(POD_NAMESPACE).svc.cluster.local
              - --proxyLogLevel
              - debug
              - --proxyComponentLogLevel
              - misc:debug
              - --log_output_level
              - default:debug
            resources:
              limits:
                cpu: "1"
                memory: 1Gi
              requests:
                cpu: 100m
                memory: 128Mi
  service: |
    spec:
      type: "LoadBalancer"
      ports:
        - name: http
          port: 80
      loadBalancerClass: "metallb"
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: r-gw
spec:
  host: gaie-epp.llm-d.svc.cluster.local
  trafficPolicy:
    tls:
      insecureSkipVerify: true
      mode: SIMPLE
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: r-gw
  labels:
    app.kubernetes.io/name: infra
    app.kubernetes.io/gateway: r-gw
    app.kubernetes.io/component: inference-gateway
    team: ml
    tier: edge
    istio.io/enable-inference-extproc: "true"
  annotations:
    owner: platform
    note: hi
spec:
  gatewayClassName: "istio"
  listeners:
    - port: 80
      protocol: HTTP
      name: http
    - port: 443
      protocol: HTTPS
      name: https
      allowedRoutes:
        namespaces:
          from: Same
      hostname: "api.example.com"
      tls:
        mode: "Terminate"
        certificateRefs:
          - name: "api-cert"
            kind: "Secret"
            namespace: "certs"
  infrastructure:
    parametersRef:
      name: r-gw
      group: ""
      kind: ConfigMap
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: r-gw-telemetry
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: Gateway
    name: r-gw
  accessLogging:
  - providers:
    - name: envoy
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: r-gw-tls
  namespace: certs
  labels:
    app.kubernetes.io/name: infra
    app.kubernetes.io/gateway: r-gw
    app.kubernetes.io/component: inference-gateway
    team: ml
  annotations:
    owner: platform
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: Gateway
    namespace: llm-d
  to:
  - group: ""
    kind: Secret
    name: data-science-gateway-service-tls
    namespace: certs
`;

describe('llm-d-infra values adapter', () => {
  test('every gateway knob at once matches the chart\'s rendering', () => {
    const { chart } = newChart('llm-d');
    istioGieGatewayFromHelmValues(chart, 'infra', VALUES, ctx);
    expectContains(EXPECTED, synth(chart));
  });

  test('the chart defaults map to the construct defaults (short props)', () => {
    expect(llmDInfraGatewayPropsFromValues({}, ctx)).toEqual({ releaseName: 'r', namespace: 'llm-d' });
    expect(llmDInfraGatewayPropsFromValues({ gateway: { gatewayClassName: 'istio' } }, { release: 'llm-d-infra', namespace: 'llm-d' })).toEqual({ releaseName: 'llm-d-infra', namespace: 'llm-d' });
  });

  test('maps each key', () => {
    const p = llmDInfraGatewayPropsFromValues(VALUES, ctx);
    expect(p).toEqual({
      releaseName: 'r',
      namespace: 'llm-d',
      nameOverride: 'gw',
      appName: 'infra',
      listeners: VALUES.gateway.listeners.map((l: any) => {
        if (!l.tls) return l;
        const { hostname, ...tls } = l.tls;
        return { ...l, hostname, tls };
      }),
      labels: { tier: 'edge' },
      annotations: { note: 'hi' },
      commonLabels: { team: 'ml' },
      commonAnnotations: { owner: 'platform' },
      logLevel: 'debug',
      proxyResources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
      service: { type: 'LoadBalancer', loadBalancerClass: 'metallb', ports: [{ name: 'http', port: 80 }] },
      destinationRule: { host: 'gaie-epp.llm-d.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
      tlsReferenceGrant: { secretName: 'data-science-gateway-service-tls', secretNamespace: 'certs', chartToNamespaceField: true },
    });
  });

  test('fullnameOverride is truncated like the chart; accessLogging and parameters switches', () => {
    expect(llmDInfraGatewayPropsFromValues({ gateway: { fullnameOverride: `${'g'.repeat(62)}-z` } }, ctx).name).toBe('g'.repeat(62));
    expect(llmDInfraGatewayPropsFromValues({ gateway: { gatewayParameters: { accessLogging: false } } }, ctx).accessLogging).toBe(false);
    const off = llmDInfraGatewayPropsFromValues({ gateway: { gatewayParameters: { enabled: false, logLevel: 'debug' }, service: { type: 'NodePort' } } }, ctx);
    expect(off).toEqual({ releaseName: 'r', namespace: 'llm-d', infrastructureParameters: false });
  });

  test('reference grant target follows the chart (explicit, serving cert, certificateRefs, fallbacks)', () => {
    const listeners = [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { hostname: 'a.example.com', mode: 'Terminate', certificateRefs: [{ name: 'c1' }, { name: 'c2', namespace: 'n2' }] } }];
    const grant = (tls: Record<string, unknown>) => llmDInfraGatewayPropsFromValues({ gateway: { listeners, tls } }, ctx).tlsReferenceGrant;
    expect(grant({ referenceGrant: { enabled: true, name: 'g', secretName: 's', secretNamespace: 'n' } })).toEqual({ name: 'g', secretName: 's', secretNamespace: 'n', chartToNamespaceField: true });
    expect(grant({ referenceGrant: { enabled: true } })).toEqual({ secretName: 'data-science-gateway-service-tls', secretNamespace: 'n2', chartToNamespaceField: true });
    expect(grant({ servingCertSecretName: '', referenceGrant: { enabled: true } })).toEqual({ secretName: 'c1', secretNamespace: 'n2', chartToNamespaceField: true });
    expect(llmDInfraGatewayPropsFromValues({ gateway: { tls: { referenceGrant: { enabled: true } } } }, ctx).tlsReferenceGrant).toEqual({ secretName: 'data-science-gateway-service-tls', secretNamespace: 'openshift-ingress', chartToNamespaceField: true });
  });

  test('data-science-gateway-class maps its serving cert', () => {
    const p = llmDInfraGatewayPropsFromValues({ gateway: { gatewayClassName: 'data-science-gateway-class', tls: { servingCertSecretName: 'mine' }, gatewayParameters: { logLevel: 'debug' } } }, ctx);
    expect(p).toEqual({ releaseName: 'r', namespace: 'llm-d', gatewayClassName: 'data-science-gateway-class', servingCertSecretName: 'mine' });
    const { chart } = newChart('llm-d');
    istioGieGatewayFromHelmValues(chart, 'i', { gateway: { gatewayClassName: 'data-science-gateway-class' } }, ctx);
    expect(synth(chart).map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Gateway']);
  });

  test('ingress and other keys are ignored when the chart renders nothing for them', () => {
    expect(llmDInfraGatewayPropsFromValues({ ingress: { enabled: true, host: 'x' }, gateway: { service: { type: 'LoadBalancer' } }, clusterDomain: 'c.local', kubeVersion: '1.30', common: { a: 1 }, fullnameOverride: 'x', global: {} }, ctx).service).toEqual({ type: 'LoadBalancer' });
    expect(llmDInfraGatewayPropsFromValues({ gateway: { listeners: [{ name: 'a', port: 80, protocol: 'HTTP', path: '/', pathType: 'Prefix' }] } }, ctx).listeners).toEqual([{ name: 'a', port: 80, protocol: 'HTTP' }]);
  });
});

describe('llm-d-infra values refusals', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['gateway disabled', { gateway: { enabled: false } }, 'gateway.enabled: value false is not allowed (with gateway.enabled false the chart renders nothing; don\'t create an IstioGieGateway, reference the existing Gateway with InferenceRoute.gatewayRef({ name, namespace })); allowed: true'],
    ['kgateway', { gateway: { gatewayClassName: 'kgateway' } }, 'gateway.gatewayClassName: value "kgateway" is not allowed (kgateway is configured with kgateway GatewayParameters, not Istio objects'],
    ['agentgateway', { gateway: { gatewayClassName: 'agentgateway-v2' } }, 'gateway.gatewayClassName: value "agentgateway-v2" is not allowed (agentgateway (kgateway) is not Istio'],
    ['gke', { gateway: { gatewayClassName: 'gke-l7-regional-external-managed' } }, 'gateway.gatewayClassName: value "gke-l7-regional-external-managed" is not allowed (GKE managed gateways are not Istio'],
    ['other class', { gateway: { gatewayClassName: 'nginx' } }, 'gateway.gatewayClassName: value "nginx" is not allowed (the chart renders none of its Istio objects for other classes); allowed: istio or data-science-gateway-class'],
    ['floatingUserId', { gateway: { gatewayParameters: { floatingUserId: true } } }, 'gateway.gatewayParameters.floatingUserId: value true is not allowed (the chart uses it only in kgateway GatewayParameters'],
    ['extraDeploy', { extraDeploy: [{ kind: 'ConfigMap' }] }, 'extraDeploy: value [{"kind":"ConfigMap"}] is not allowed (add your own constructs to the chart instead'],
    ['ingress', { ingress: { enabled: true } }, 'ingress.enabled: value true is not allowed (the Ingress in front of the gateway Service is not rendered by this library'],
    ['unknown top key', { gateways: {} }, 'gateways: value {} is not allowed (unknown key; did you mean "gateway"?); allowed: one of the chart\'s keys here: common, kubeVersion'],
    ['unknown gateway key', { gateway: { replicas: 2 } }, 'gateway.replicas: value 2 is not allowed (unknown key)'],
    ['empty listeners', { gateway: { listeners: [] } }, 'gateway.listeners: value [] is not allowed (the chart requires gateway.listeners to have at least 1 item); allowed: at least one listener'],
    ['listener without name', { gateway: { listeners: [{ port: 80, protocol: 'HTTP' }] } }, 'gateway.listeners[0].name: value undefined is not allowed (the Gateway API requires a name on every listener (the chart omits the field when the key is absent))'],
    ['listener port type', { gateway: { listeners: [{ name: 'a', port: '80', protocol: 'HTTP' }] } }, 'gateway.listeners[0].port: value "80" is not allowed; allowed: an integer'],
    ['tls with an empty hostname', { gateway: { listeners: [{ name: 'a', port: 443, protocol: 'HTTPS', tls: { hostname: '', mode: 'Terminate', certificateRefs: [{ name: 'c' }] } }] } }, 'gateway.listeners[0].tls.hostname: value "" is not allowed (the chart renders hostname: "", which the Gateway API rejects)'],
    ['tls with another mode', { gateway: { listeners: [{ name: 'a', port: 443, protocol: 'HTTPS', tls: { hostname: 'a.b', mode: 'terminate', certificateRefs: [{ name: 'c' }] } }] } }, 'gateway.listeners[0].tls.mode: value "terminate" is not allowed (the chart\'s schema allows only these); allowed: Terminate or Passthrough'],
    ['log level', { gateway: { gatewayParameters: { logLevel: 'trace' } } }, 'gateway.gatewayParameters.logLevel: value "trace" is not allowed; allowed: error, warn, info or debug'],
    ['service type', { gateway: { service: { type: 'External' } } }, 'gateway.service.type: value "External" is not allowed; allowed: ClusterIP, LoadBalancer or NodePort'],
    ['destinationRule host', { gateway: { destinationRule: { enabled: true, host: '' } } }, 'gateway.destinationRule.host: value "" is not allowed (the chart requires destinationRule.host when enabled)'],
    ['label type', { gateway: { labels: { a: true } } }, 'gateway.labels.a: value true is not allowed; allowed: a string (quote "true" and numbers)'],
    ['templates', { commonLabels: { a: '{{ .Release.Name }}' } }, 'commonLabels.a: value "{{ .Release.Name }}" is not allowed (Helm template expressions in values are not evaluated; write the value itself)'],
    ['resource claims', { gateway: { gatewayParameters: { resources: { claims: [{ name: 'x' }] } } } }, 'gateway.gatewayParameters.resources.claims: value [{"name":"x"}] is not allowed (the gateway proxy uses no DRA devices)'],
  ])('%s', (_name, values, message) => {
    const m = refusal(values);
    expect(m).toContain('[values (llm-d-infra)]');
    expect(m).toContain(message);
  });

  test('all problems are listed at once', () => {
    expect(refusal({ gateway: { enabled: false, gatewayClassName: 'kgateway' }, extraDeploy: ['x'] })).toMatch(/3 problem\(s\)/);
  });

  test('construct-level validation still applies to adapter output (duplicate listener names)', () => {
    const { chart } = newChart('llm-d');
    istioGieGatewayFromHelmValues(chart, 'i', { gateway: { listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'a', port: 81, protocol: 'HTTP' }] } }, ctx);
    expect(() => synth(chart)).toThrow('listeners[1].name: value "a" is not allowed (listener names must be unique within a Gateway)');
  });
});
