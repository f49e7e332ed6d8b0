import { istioGieGatewayFromHelmValues, llmDInfraGatewayPropsFromValues } from '../../src/helm';
import { ExpectedProblem, expectContains, expectRefusal, newChart, synth } from '../support';

const ctx = { release: 'r', namespace: 'llm-d' };

/** Reads the values, as a refusal test's subject. */
const refusal = (values: Record<string, unknown>) => () => llmDInfraGatewayPropsFromValues(values, ctx);
/** Where the adapter reports a problem of the values. */
const SOURCE = 'values (llm-d-infra)';

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
  test.each<[string, Record<string, unknown>, ExpectedProblem[]]>([
    ['gateway disabled', { gateway: { enabled: false } }, [{ path: SOURCE, field: 'gateway.enabled', value: false, allowed: 'true', why: expect.stringContaining('with gateway.enabled false the chart renders nothing; don\'t create an') }]],
    ['kgateway', { gateway: { gatewayClassName: 'kgateway' } }, [{ path: SOURCE, field: 'gateway.gatewayClassName', value: 'kgateway', allowed: 'istio or data-science-gateway-class', why: expect.stringContaining('kgateway is configured with kgateway GatewayParameters, not Istio') }]],
    ['agentgateway', { gateway: { gatewayClassName: 'agentgateway-v2' } }, [{ path: SOURCE, field: 'gateway.gatewayClassName', value: 'agentgateway-v2', allowed: 'istio or data-science-gateway-class', why: expect.stringContaining('agentgateway (kgateway) is not Istio; IstioGieGateway renders the') }]],
    ['gke', { gateway: { gatewayClassName: 'gke-l7-regional-external-managed' } }, [{ path: SOURCE, field: 'gateway.gatewayClassName', value: 'gke-l7-regional-external-managed', allowed: 'istio or data-science-gateway-class', why: expect.stringContaining('GKE managed gateways are not Istio: the chart renders only the bare') }]],
    ['other class', { gateway: { gatewayClassName: 'nginx' } }, [{ path: SOURCE, field: 'gateway.gatewayClassName', value: 'nginx', allowed: 'istio or data-science-gateway-class', why: 'the chart renders none of its Istio objects for other classes' }]],
    ['floatingUserId', { gateway: { gatewayParameters: { floatingUserId: true } } }, [{ path: SOURCE, field: 'gateway.gatewayParameters.floatingUserId', value: true, allowed: 'false', why: expect.stringContaining('the chart uses it only in kgateway GatewayParameters; Istio gateways') }]],
    ['extraDeploy', { extraDeploy: [{ kind: 'ConfigMap' }] }, [{ path: SOURCE, field: 'extraDeploy', value: [{ kind: 'ConfigMap' }], allowed: '[]', why: expect.stringContaining('add your own constructs to the chart instead, e.g. new') }]],
    ['ingress', { ingress: { enabled: true } }, [{ path: SOURCE, field: 'ingress.enabled', value: true, allowed: 'false', why: expect.stringContaining('the Ingress in front of the gateway Service is not rendered by this') }]],
    ['unknown top key', { gateways: {} }, [{ path: SOURCE, field: 'gateways', value: {}, allowed: 'one of the chart\'s keys here: common, kubeVersion, nameOverride, fullnameOverride, clusterDomain, commonLabels, commonAnnotations, extraDeploy, gateway, ingress, global', why: 'unknown key; did you mean "gateway"?' }]],
    ['unknown gateway key', { gateway: { replicas: 2 } }, [{ path: SOURCE, field: 'gateway.replicas', value: 2, allowed: 'one of the chart\'s keys here: enabled, fullnameOverride, nameOverride, gatewayClassName, labels, annotations, gatewayParameters, destinationRule, listeners, service, tls', why: 'unknown key' }]],
    ['empty listeners', { gateway: { listeners: [] } }, [{ path: SOURCE, field: 'gateway.listeners', value: [], allowed: 'at least one listener', why: 'the chart requires gateway.listeners to have at least 1 item' }]],
    ['listener without name', { gateway: { listeners: [{ port: 80, protocol: 'HTTP' }] } }, [{ path: SOURCE, field: 'gateway.listeners[0].name', value: undefined, allowed: 'a listener name', why: 'the Gateway API requires a name on every listener (the chart omits the field when the key is absent)' }]],
    ['tls with an empty hostname', { gateway: { listeners: [{ name: 'a', port: 443, protocol: 'HTTPS', tls: { hostname: '', mode: 'Terminate', certificateRefs: [{ name: 'c' }] } }] } }, [{ path: SOURCE, field: 'gateway.listeners[0].tls.hostname', value: '', allowed: 'a host name such as "api.example.com", or no hostname key (any host)', why: 'the chart renders hostname: "", which the Gateway API rejects' }]],
    ['tls with another mode', { gateway: { listeners: [{ name: 'a', port: 443, protocol: 'HTTPS', tls: { hostname: 'a.b', mode: 'terminate', certificateRefs: [{ name: 'c' }] } }] } }, [{ path: SOURCE, field: 'gateway.listeners[0].tls.mode', value: 'terminate', allowed: 'Terminate or Passthrough (or no mode key: Terminate)', why: 'the chart\'s schema allows only these' }]],
    ['log level', { gateway: { gatewayParameters: { logLevel: 'trace' } } }, [{ path: SOURCE, field: 'gateway.gatewayParameters.logLevel', value: 'trace', allowed: 'error, warn, info or debug' }]],
    ['service type', { gateway: { service: { type: 'External' } } }, [{ path: SOURCE, field: 'gateway.service.type', value: 'External', allowed: 'ClusterIP, LoadBalancer or NodePort' }]],
    ['destinationRule host', { gateway: { destinationRule: { enabled: true, host: '' } } }, [{ path: SOURCE, field: 'gateway.destinationRule.host', value: '', allowed: 'a host name', why: 'the chart requires destinationRule.host when enabled' }]],
    ['label type', { gateway: { labels: { a: true } } }, [{ path: SOURCE, field: 'gateway.labels.a', value: true, allowed: 'a string (quote "true" and numbers)' }]],
    ['templates', { commonLabels: { a: '{{ .Release.Name }}' } }, [{ path: SOURCE, field: 'commonLabels.a', value: '{{ .Release.Name }}', allowed: 'a literal value', why: 'Helm template expressions in values are not evaluated; write the value itself' }]],
    ['resource claims', { gateway: { gatewayParameters: { resources: { claims: [{ name: 'x' }] } } } }, [{ path: SOURCE, field: 'gateway.gatewayParameters.resources.claims', value: [{ name: 'x' }], allowed: '[]', why: 'the gateway proxy uses no DRA devices' }]],
  ])('%s', (_name, values, expected) => {
    expectRefusal(refusal(values), expected);
  });

  test('listener port type, reported once', () => {
    expectRefusal(refusal({ gateway: { listeners: [{ name: 'a', port: '80', protocol: 'HTTP' }] } }), [{ path: SOURCE, field: 'gateway.listeners[0].port', value: '80', allowed: 'an integer' }]);
  });

  test('all problems are listed at once', () => {
    expectRefusal(refusal({ gateway: { enabled: false, gatewayClassName: 'kgateway' }, extraDeploy: ['x'] }), [
      { path: SOURCE, field: 'extraDeploy', value: ['x'], allowed: '[]' },
      { path: SOURCE, field: 'gateway.enabled', value: false, allowed: 'true' },
      { path: SOURCE, field: 'gateway.gatewayClassName', value: 'kgateway', allowed: 'istio or data-science-gateway-class' },
    ]);
  });

  test('construct-level validation still applies to adapter output (duplicate listener names)', () => {
    expectRefusal((chart) => istioGieGatewayFromHelmValues(chart, 'i', { gateway: { listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'a', port: 81, protocol: 'HTTP' }] } }, ctx), [
      { path: 'test/i', field: 'listeners[1].name', value: 'a', allowed: 'a name not used by another listener (listeners[0] is already "a")', why: 'listener names must be unique within a Gateway' },
    ]);
  });
});
