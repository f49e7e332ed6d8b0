/**
 * Helm adapter for llm-d-incubation/llm-d-infra `charts/llm-d-infra` v1.3.10: values.yaml to
 * {@link IstioGieGatewayProps}. The chart's values.yaml defaults are applied where keys are absent
 * (Helm coalescing: maps merge, lists replace, null deletes); unknown keys and wrong types are
 * refused with the values key path.
 *
 * What the chart's gateway templates read, and what we do with each top-level key:
 * - `gateway.*`: every key is mapped, or refused when it selects something we don't render
 *   (`gateway.enabled: false`, non-Istio `gatewayClassName`s, `floatingUserId: true`).
 * - `commonLabels`, `commonAnnotations`, `nameOverride` (the `app.kubernetes.io/name` label):
 *   mapped.
 * - `ingress`: refused when the chart would render its Ingress (`ingress.enabled` with a
 *   ClusterIP service); otherwise its keys are checked and ignored, as the chart ignores them.
 * - `extraDeploy`: refused when not empty (add your own constructs instead).
 * - `common`, `global`, `kubeVersion`, `fullnameOverride`, `clusterDomain`: ignored, because no
 *   template of the chart that renders the gateway reads them (the proxy's `--domain` is
 *   hard-coded `$(POD_NAMESPACE).svc.cluster.local` in the chart).
 */
import { truncateName } from '../core/names';
import {
  chartReferenceGrantTarget,
  DEFAULT_GATEWAY_LISTENERS,
  DEFAULT_GATEWAY_PROXY_RESOURCES,
  DEFAULT_SERVING_CERT_SECRET_NAME,
  IstioGatewayClassName,
} from '../gateway/gateway-rules';
import type {
  GatewayAllowedRoutes,
  GatewayCertificateRef,
  GatewayDestinationRuleOptions,
  GatewayListener,
  GatewayListenerProtocol,
  GatewayLogLevel,
  GatewayResourceRequirements,
  GatewayServiceOptions,
  GatewayServicePort,
  GatewayTlsMode,
} from '../gateway/gateway-types';
import type { IstioGieGatewayProps } from '../gateway/istio-gie-gateway';
import { coalesceValues, dropUndefined, isValuesMap, nonEmptyMap, ValuesMap, ValuesReader } from './values-reader';

/** The chart's values.yaml (v1.3.10). */
export const LLM_D_INFRA_CHART_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  common: {},
  kubeVersion: '',
  nameOverride: '',
  fullnameOverride: '',
  clusterDomain: 'cluster.local',
  commonLabels: {},
  commonAnnotations: {},
  extraDeploy: [],
  gateway: {
    enabled: true,
    fullnameOverride: '',
    nameOverride: '',
    gatewayClassName: 'istio',
    labels: {},
    annotations: {},
    gatewayParameters: {
      enabled: true,
      accessLogging: true,
      logLevel: 'warn',
      floatingUserId: false,
      resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    },
    destinationRule: { enabled: false, host: 'localhost', trafficPolicy: {}, subsets: [], exportTo: [], workloadSelector: {} },
    listeners: [{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }],
    service: { type: 'ClusterIP' },
    tls: { servingCertSecretName: DEFAULT_SERVING_CERT_SECRET_NAME, referenceGrant: { enabled: false, name: '', secretNamespace: '', secretName: '' } },
  },
  ingress: {
    enabled: false,
    ingressClassName: '',
    annotations: {},
    host: '',
    extraHosts: [],
    path: '/',
    tls: { enabled: false, secretName: '' },
    extraTls: [],
    rules: [],
  },
});

/** JSON of `v` with map keys sorted: equal for equal values whatever their key order. */
function canon(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : isValuesMap(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])])) : x;
  return JSON.stringify(sort(v));
}

const NON_ISTIO_CLASSES: Readonly<Record<string, string>> = {
  kgateway: 'kgateway is configured with kgateway GatewayParameters, not Istio objects; IstioGieGateway renders the Istio inference gateway of the Furiosa-LLM guide',
  'agentgateway-v2': 'agentgateway (kgateway) is not Istio; IstioGieGateway renders the Istio inference gateway of the Furiosa-LLM guide',
};

/** A key left out (or null, which this chart's reader treats alike). */
function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

function readListener(r: ValuesReader, l: ValuesMap, path: string): GatewayListener {
  // `path` and `pathType` are read only by the chart's Ingress (refused when it would render).
  // `hostname` at listener level is ignored by the chart's template (it reads `tls.hostname`);
  // it is the Gateway API's own field, so we render it rather than refuse or drop it.
  r.keys(l, path, ['name', 'port', 'protocol', 'allowedRoutes', 'tls', 'path', 'pathType', 'hostname']);
  // A required key is reported missing only when absent (or ""): a value of the wrong type is refused once, as such.
  const name = r.str(l, 'name', path);
  if (name === '' || (name === undefined && isAbsent(l.name))) r.problem(`${path}.name`, l.name, 'a listener name', 'the Gateway API requires a name on every listener (the chart omits the field when the key is absent)');
  const port = r.int(l, 'port', path);
  if (port === undefined && isAbsent(l.port)) r.problem(`${path}.port`, l.port, 'an integer port number from 1 to 65535', 'the chart requires a port on every listener');
  const protocol = r.str(l, 'protocol', path);
  if (protocol === undefined && isAbsent(l.protocol)) r.problem(`${path}.protocol`, l.protocol, 'HTTP, HTTPS, TLS, TCP or UDP', 'the chart requires a protocol on every listener');
  let allowedRoutes: GatewayAllowedRoutes | undefined;
  const ar = r.map(l, 'allowedRoutes', path);
  if (ar) {
    r.keys(ar, `${path}.allowedRoutes`, ['namespaces', 'kinds']);
    r.noTemplates(ar, `${path}.allowedRoutes`);
    allowedRoutes = ar as GatewayAllowedRoutes;
  }
  let hostname = r.optStr(l, 'hostname', path);
  let tls: GatewayListener['tls'];
  const t = r.map(l, 'tls', path);
  if (t) {
    const tp = `${path}.tls`;
    r.keys(t, tp, ['hostname', 'mode', 'certificateRefs']);
    // Absent, the chart renders `hostname:` and `mode:` empty: YAML null, which the API server
    // treats as unset (any host name; mode Terminate). An empty string is rendered as "" and refused.
    hostname = t.hostname === undefined || t.hostname === null ? undefined : r.str(t, 'hostname', tp);
    if (hostname === '') r.problem(`${tp}.hostname`, t.hostname, 'a host name such as "api.example.com", or no hostname key (any host)', 'the chart renders hostname: "", which the Gateway API rejects');
    const mode = t.mode === undefined || t.mode === null ? undefined : r.str(t, 'mode', tp);
    if (mode !== undefined && mode !== 'Terminate' && mode !== 'Passthrough') r.problem(`${tp}.mode`, t.mode, 'Terminate or Passthrough (or no mode key: Terminate)', 'the chart\'s schema allows only these');
    const refs = (r.maps(t, 'certificateRefs', tp) ?? []).map((c, j): GatewayCertificateRef => {
      const cp = `${tp}.certificateRefs[${j}]`;
      r.keys(c, cp, ['name', 'group', 'kind', 'namespace']);
      const refName = r.str(c, 'name', cp);
      if (refName === '' || (refName === undefined && isAbsent(c.name))) r.problem(`${cp}.name`, c.name, 'the name of a Secret');
      return dropUndefined({ name: refName ?? '', group: r.str(c, 'group', cp), kind: r.str(c, 'kind', cp), namespace: r.str(c, 'namespace', cp) });
    });
    tls = dropUndefined({ mode: mode as GatewayTlsMode | undefined, certificateRefs: refs.length > 0 ? refs : undefined });
  }
  return dropUndefined({ name: name ?? '', port: port ?? 0, protocol: (protocol ?? '') as GatewayListenerProtocol, hostname, tls, allowedRoutes });
}

function readResources(r: ValuesReader, res: ValuesMap, path: string): GatewayResourceRequirements {
  r.keys(res, path, ['limits', 'requests', 'claims']);
  const claims = r.list(res, 'claims', path);
  if (claims && claims.length > 0) r.problem(`${path}.claims`, claims, '[]', 'the gateway proxy uses no DRA devices');
  const quantities = (key: string): Record<string, string | number> | undefined => {
    const m = r.map(res, key, path);
    if (!m) return undefined;
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string' && typeof v !== 'number') r.problem(`${path}.${key}.${k}`, v, 'a quantity such as "100m" or "1Gi"');
    }
    return nonEmptyMap(m as Record<string, string | number>);
  };
  return dropUndefined({ limits: quantities('limits'), requests: quantities('requests') });
}

function readService(r: ValuesReader, s: ValuesMap, path: string): GatewayServiceOptions {
  r.keys(s, path, ['type', 'ports', 'loadBalancerClass']);
  const type = r.str(s, 'type', path);
  if (type !== undefined && !['ClusterIP', 'LoadBalancer', 'NodePort'].includes(type)) r.problem(`${path}.type`, type, 'ClusterIP, LoadBalancer or NodePort');
  const ports = (r.maps(s, 'ports', path) ?? []).map((p, i): GatewayServicePort => {
    const pp = `${path}.ports[${i}]`;
    r.keys(p, pp, ['name', 'port', 'protocol', 'targetPort', 'nodePort', 'appProtocol']);
    const port = r.int(p, 'port', pp);
    if (port === undefined && isAbsent(p.port)) r.problem(`${pp}.port`, p.port, 'an integer port number from 1 to 65535', 'the chart\'s schema requires port');
    const targetPort = p.targetPort;
    if (targetPort !== undefined && typeof targetPort !== 'string' && typeof targetPort !== 'number') r.problem(`${pp}.targetPort`, targetPort, 'a port number or name');
    return dropUndefined({
      name: r.str(p, 'name', pp),
      port: port ?? 0,
      protocol: r.str(p, 'protocol', pp) as GatewayServicePort['protocol'],
      targetPort: targetPort as number | string | undefined,
      nodePort: r.int(p, 'nodePort', pp),
      appProtocol: r.str(p, 'appProtocol', pp),
    });
  });
  return dropUndefined({
    type: type === 'ClusterIP' ? undefined : (type as GatewayServiceOptions['type']),
    ports: ports.length > 0 ? ports : undefined,
    loadBalancerClass: r.optStr(s, 'loadBalancerClass', path),
  });
}

/**
 * Maps llm-d-infra chart values to {@link IstioGieGatewayProps}. `values` are the user's (merged
 * `-f` files and `--set`s); the chart's defaults are applied here.
 * @throws LlmdValidationError listing every problem with its values key path
 */
export function llmDInfraGatewayPropsFromValues(values: Record<string, unknown>, ctx: { readonly release: string; readonly namespace: string }): IstioGieGatewayProps {
  // Every string the gateway templates read is literal here: `{{ }}` is refused wherever it appears.
  const r = new ValuesReader({ nullIsAbsent: true, refuseTemplates: true });
  const v = coalesceValues(LLM_D_INFRA_CHART_DEFAULTS as ValuesMap, isValuesMap(values) ? values : {});
  r.keys(v, '', ['common', 'kubeVersion', 'nameOverride', 'fullnameOverride', 'clusterDomain', 'commonLabels', 'commonAnnotations', 'extraDeploy', 'gateway', 'ingress', 'global']);

  const extraDeploy = r.list(v, 'extraDeploy', '');
  if (extraDeploy && extraDeploy.length > 0) {
    r.problem('extraDeploy', extraDeploy, '[]', 'add your own constructs to the chart instead, e.g. new ApiObject(chart, "extra", {...}) next to the IstioGieGateway');
  }
  const appName = r.optStr(v, 'nameOverride', '');
  const commonLabels = nonEmptyMap(r.strMap(v, 'commonLabels', ''));
  const commonAnnotations = nonEmptyMap(r.strMap(v, 'commonAnnotations', ''));

  const g = r.map(v, 'gateway', '') ?? {};
  r.keys(g, 'gateway', ['enabled', 'fullnameOverride', 'nameOverride', 'gatewayClassName', 'labels', 'annotations', 'gatewayParameters', 'destinationRule', 'listeners', 'service', 'tls']);
  if (r.bool(g, 'enabled', 'gateway') === false) {
    r.problem('gateway.enabled', false, 'true', 'with gateway.enabled false the chart renders nothing; don\'t create an IstioGieGateway, reference the existing Gateway with InferenceRoute.gatewayRef({ name, namespace })');
  }
  const className = r.str(g, 'gatewayClassName', 'gateway') ?? 'istio';
  let gatewayClassName: IstioGatewayClassName = 'istio';
  if (className === 'istio' || className === 'data-science-gateway-class') gatewayClassName = className;
  else if (className in NON_ISTIO_CLASSES) r.problem('gateway.gatewayClassName', className, 'istio or data-science-gateway-class', NON_ISTIO_CLASSES[className]);
  else if (className.startsWith('gke-l7-')) r.problem('gateway.gatewayClassName', className, 'istio or data-science-gateway-class', 'GKE managed gateways are not Istio: the chart renders only the bare Gateway for them; IstioGieGateway renders the Istio inference gateway of the Furiosa-LLM guide');
  else r.problem('gateway.gatewayClassName', className, 'istio or data-science-gateway-class', 'the chart renders none of its Istio objects for other classes');
  const isIstio = gatewayClassName === 'istio';

  const fullnameOverride = r.optStr(g, 'fullnameOverride', 'gateway');
  const nameOverride = r.optStr(g, 'nameOverride', 'gateway');
  const labels = nonEmptyMap(r.strMap(g, 'labels', 'gateway'));
  const annotations = nonEmptyMap(r.strMap(g, 'annotations', 'gateway'));

  // gatewayParameters
  const gp = r.map(g, 'gatewayParameters', 'gateway') ?? {};
  const gpp = 'gateway.gatewayParameters';
  r.keys(gp, gpp, ['enabled', 'accessLogging', 'logLevel', 'floatingUserId', 'resources']);
  const parameters = r.bool(gp, 'enabled', gpp) ?? true;
  const accessLogging = r.bool(gp, 'accessLogging', gpp) ?? true;
  const logLevel = r.str(gp, 'logLevel', gpp) ?? 'warn';
  if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) r.problem(`${gpp}.logLevel`, logLevel, 'error, warn, info or debug');
  if (r.bool(gp, 'floatingUserId', gpp)) {
    r.problem(`${gpp}.floatingUserId`, true, 'false', 'the chart uses it only in kgateway GatewayParameters; Istio gateways on OpenShift get their user ID from the namespace\'s range already');
  }
  const resMap = r.map(gp, 'resources', gpp);
  const resources = resMap ? readResources(r, resMap, `${gpp}.resources`) : {};

  // destinationRule
  const drv = r.map(g, 'destinationRule', 'gateway') ?? {};
  const drp = 'gateway.destinationRule';
  r.keys(drv, drp, ['enabled', 'host', 'trafficPolicy', 'subsets', 'exportTo', 'workloadSelector']);
  let destinationRule: GatewayDestinationRuleOptions | undefined;
  if (r.bool(drv, 'enabled', drp)) {
    const host = r.str(drv, 'host', drp);
    if (!host) r.problem(`${drp}.host`, drv.host, 'a host name', 'the chart requires destinationRule.host when enabled');
    r.noTemplates(drv, drp);
    const exportTo = r.list(drv, 'exportTo', drp);
    exportTo?.forEach((x, i) => {
      if (typeof x !== 'string') r.problem(`${drp}.exportTo[${i}]`, x, 'a namespace name, "." or "*"');
    });
    destinationRule = dropUndefined({
      host: host ?? '',
      trafficPolicy: nonEmptyMap(r.map(drv, 'trafficPolicy', drp)) as GatewayDestinationRuleOptions['trafficPolicy'],
      subsets: (r.maps(drv, 'subsets', drp) ?? []).length > 0 ? (r.maps(drv, 'subsets', drp) as GatewayDestinationRuleOptions['subsets']) : undefined,
      exportTo: exportTo && exportTo.length > 0 ? (exportTo as string[]) : undefined,
      workloadSelector: nonEmptyMap(r.map(drv, 'workloadSelector', drp)) as GatewayDestinationRuleOptions['workloadSelector'],
    });
  }

  // listeners
  const rawListeners = r.list(g, 'listeners', 'gateway');
  if (!rawListeners || rawListeners.length === 0) r.problem('gateway.listeners', g.listeners ?? null, 'at least one listener', 'the chart requires gateway.listeners to have at least 1 item');
  const listeners = (rawListeners ?? []).flatMap((l, i) => {
    if (!isValuesMap(l)) return r.problem(`gateway.listeners[${i}]`, l, 'a map') ?? [];
    return [readListener(r, l, `gateway.listeners[${i}]`)];
  });

  // service
  const sv = r.map(g, 'service', 'gateway') ?? {};
  const service = readService(r, sv, 'gateway.service');
  const serviceType = (r.str(sv, 'type', 'gateway.service') ?? 'ClusterIP');

  // tls
  const tv = r.map(g, 'tls', 'gateway') ?? {};
  r.keys(tv, 'gateway.tls', ['servingCertSecretName', 'referenceGrant']);
  const servingCertSecretName = r.optStr(tv, 'servingCertSecretName', 'gateway.tls');
  const rgv = r.map(tv, 'referenceGrant', 'gateway.tls') ?? {};
  const rgp = 'gateway.tls.referenceGrant';
  r.keys(rgv, rgp, ['enabled', 'name', 'secretName', 'secretNamespace']);
  let tlsReferenceGrant: IstioGieGatewayProps['tlsReferenceGrant'];
  if (r.bool(rgv, 'enabled', rgp)) {
    const grant = { secretName: r.optStr(rgv, 'secretName', rgp), secretNamespace: r.optStr(rgv, 'secretNamespace', rgp) };
    // The chart writes `namespace` into `to`, which kubectl's strict validation refuses; kept for
    // parity (see GatewayTlsReferenceGrantOptions.chartToNamespaceField).
    tlsReferenceGrant = dropUndefined({ name: r.optStr(rgv, 'name', rgp), ...chartReferenceGrantTarget(listeners, grant, servingCertSecretName), chartToNamespaceField: true });
  }

  // ingress
  const iv = r.map(v, 'ingress', '') ?? {};
  r.keys(iv, 'ingress', ['enabled', 'ingressClassName', 'annotations', 'host', 'extraHosts', 'path', 'tls', 'extraTls', 'rules']);
  if (r.bool(iv, 'enabled', 'ingress') && serviceType === 'ClusterIP') {
    r.problem('ingress.enabled', true, 'false', 'the Ingress in front of the gateway Service is not rendered by this library; use gateway.service.type LoadBalancer, or add your own Ingress for the Service "<gateway name>-istio" (IstioGieGateway.serviceName)');
  }

  r.throwIfProblems('values (llm-d-infra)');

  const withParameters = parameters;
  return dropUndefined<IstioGieGatewayProps>({
    releaseName: ctx.release,
    namespace: ctx.namespace,
    name: fullnameOverride ? truncateName(fullnameOverride) : undefined,
    nameOverride,
    appName: appName ? truncateName(appName) : undefined,
    gatewayClassName: isIstio ? undefined : gatewayClassName,
    listeners: canon(listeners) === canon(DEFAULT_GATEWAY_LISTENERS) ? undefined : listeners,
    labels,
    annotations,
    commonLabels,
    commonAnnotations,
    infrastructureParameters: withParameters ? undefined : false,
    logLevel: withParameters && isIstio && logLevel !== 'warn' ? (logLevel as GatewayLogLevel) : undefined,
    proxyResources: withParameters && isIstio && canon(resources) !== canon(DEFAULT_GATEWAY_PROXY_RESOURCES) ? resources : undefined,
    accessLogging: withParameters && isIstio && !accessLogging ? false : undefined,
    service: withParameters && Object.keys(service).length > 0 ? service : undefined,
    servingCertSecretName: withParameters && !isIstio && servingCertSecretName && servingCertSecretName !== DEFAULT_SERVING_CERT_SECRET_NAME ? servingCertSecretName : undefined,
    destinationRule,
    tlsReferenceGrant,
  });
}
