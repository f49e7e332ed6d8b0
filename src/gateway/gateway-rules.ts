/**
 * The rules of the llm-d-infra chart (v1.3.10) for its inference gateway, as small pure functions
 * shared by {@link IstioGieGateway} and the Helm adapter.
 */
import { GatewaySpecListeners, GatewaySpecListenersAllowedRoutes, GatewaySpecListenersTlsMode } from '../../imports/gateway.networking.k8s.io';
import { Problem } from '../core/errors';
import { checkLabels } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain, isDns1123Subdomain, truncateName } from '../core/names';
import { checkPort, isPort } from '../core/ports';
import { checkResources } from '../core/quantities';
import { GatewayCertificateRef, GatewayListener, GatewayListenerProtocol, GatewayLogLevel, GatewayResourceRequirements, GatewayServiceOptions } from './gateway-types';

/** Name of the chart, the default `app.kubernetes.io/name` label of its objects. */
export const LLM_D_INFRA_CHART_NAME = 'llm-d-infra';
/** The release name of the Furiosa-LLM + llm-d guide (`helm install llm-d-infra ...`). */
export const DEFAULT_GATEWAY_RELEASE_NAME = 'llm-d-infra';
/** The chart's default `gateway.nameOverride`. */
export const DEFAULT_GATEWAY_NAME_SUFFIX = 'inference-gateway';
/** Gateway classes this construct renders: Istio, and OpenShift's Istio-based data science gateway. */
export const SUPPORTED_GATEWAY_CLASSES = ['istio', 'data-science-gateway-class'] as const;
/** A gateway class {@link IstioGieGateway} renders. */
export type IstioGatewayClassName = (typeof SUPPORTED_GATEWAY_CLASSES)[number];
/** The chart's default `gateway.gatewayParameters.resources`. */
export const DEFAULT_GATEWAY_PROXY_RESOURCES: GatewayResourceRequirements = Object.freeze({
  limits: Object.freeze({ cpu: '2', memory: '1Gi' }),
  requests: Object.freeze({ cpu: '100m', memory: '128Mi' }),
});
/** The chart's default listener. */
export const DEFAULT_GATEWAY_LISTENERS: readonly GatewayListener[] = Object.freeze([
  Object.freeze({ name: 'default', port: 80, protocol: 'HTTP' as const, allowedRoutes: Object.freeze({ namespaces: Object.freeze({ from: 'All' as const }) }) }),
]);
/** The chart's default `gateway.tls.servingCertSecretName` (read for data-science-gateway-class). */
export const DEFAULT_SERVING_CERT_SECRET_NAME = 'data-science-gateway-service-tls';
/** Label that makes Istio's gateway call the inference extension (ext-proc). */
export const ISTIO_INFERENCE_EXTPROC_LABEL = 'istio.io/enable-inference-extproc';
/** Label Istio puts on the pods of a managed gateway. */
export const GATEWAY_NAME_POD_LABEL = 'gateway.networking.k8s.io/gateway-name';

const PROTOCOLS: readonly GatewayListenerProtocol[] = ['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'];
const LOG_LEVELS: readonly GatewayLogLevel[] = ['error', 'warn', 'info', 'debug'];
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The chart's `gateway.fullname`: `gateway.fullnameOverride`, else `<release>-<nameOverride or
 * "inference-gateway">`, then `trunc 63 | trimSuffix "-"`.
 */
export function gatewayFullname(release: string, nameOverride?: string, fullnameOverride?: string): string {
  if (fullnameOverride) return truncateName(fullnameOverride);
  return truncateName(`${release}-${nameOverride || DEFAULT_GATEWAY_NAME_SUFFIX}`);
}

/**
 * The Service the gateway controller creates (the chart's `gateway.serviceName`): Istio names it
 * `<gateway>-<class>`, i.e. `<gateway>-istio`.
 */
export function gatewayServiceName(gatewayName: string, gatewayClassName: string): string {
  return gatewayClassName === 'istio' ? `${gatewayName}-istio` : gatewayName;
}

/** The istio-proxy arguments of the chart's gateway-parameters ConfigMap. */
export function istioProxyArgs(logLevel: GatewayLogLevel): string[] {
  return [
    'proxy',
    'router',
    '--domain',
    '$(POD_NAMESPACE).svc.cluster.local',
    '--proxyLogLevel',
    logLevel,
    '--proxyComponentLogLevel',
    `misc:${logLevel}`,
    '--log_output_level',
    `default:${logLevel}`,
  ];
}

/** Renders one listener the way the chart does. */
export function renderListener(l: GatewayListener): GatewaySpecListeners {
  // Our option types spell the CRD's enums as their string values; the wire format is the same.
  return {
    name: l.name,
    port: l.port,
    protocol: l.protocol,
    allowedRoutes: l.allowedRoutes as GatewaySpecListenersAllowedRoutes | undefined,
    hostname: l.hostname,
    tls: l.tls
      ? {
        ...(l.tls.mode !== undefined ? { mode: l.tls.mode as GatewaySpecListenersTlsMode } : {}),
        certificateRefs: l.tls.certificateRefs && l.tls.certificateRefs.length > 0 ? l.tls.certificateRefs.map((c) => ({ ...c })) : undefined,
      }
      : undefined,
  };
}

/** Problems with the listeners: the Gateway API's rules (and its CRD's validations). */
export function listenerProblems(listeners: readonly GatewayListener[], field = 'listeners'): Problem[] {
  const out: Problem[] = [];
  if (listeners.length === 0) {
    out.push({ field, value: [], allowed: 'at least one listener', why: 'a Gateway without listeners accepts no traffic (the chart requires at least 1 item)' });
    return out;
  }
  if (listeners.length > 64) out.push({ field, value: `${listeners.length} listeners`, allowed: 'at most 64 listeners (Gateway API limit)' });
  const names = new Map<string, number>();
  const combos = new Map<string, number>();
  listeners.forEach((l, i) => {
    const f = `${field}[${i}]`;
    if (typeof l.name !== 'string' || l.name === '') {
      out.push({ field: `${f}.name`, value: l.name, allowed: 'a non-empty DNS-1123 subdomain', why: 'the Gateway API requires a name on every listener' });
    } else {
      const p = checkDns1123Subdomain(`${f}.name`, l.name);
      if (p) out.push(p);
      const prev = names.get(l.name);
      if (prev !== undefined) out.push({ field: `${f}.name`, value: l.name, allowed: `a name not used by another listener (listeners[${prev}] is already "${l.name}")`, why: 'listener names must be unique within a Gateway' });
      else names.set(l.name, i);
    }
    const portProblem = checkPort(`${f}.port`, l.port) ?? (l.port === undefined ? { field: `${f}.port`, value: l.port, allowed: 'an integer port number from 1 to 65535' } : undefined);
    if (portProblem) out.push(portProblem);
    if (!PROTOCOLS.includes(l.protocol)) out.push({ field: `${f}.protocol`, value: l.protocol, allowed: PROTOCOLS.join(', ') });
    // Gateway API refuses IP addresses here; a dotted quad is also a valid DNS name by the pattern.
    if (l.hostname !== undefined && (!(l.hostname.length <= 253 && HOSTNAME.test(l.hostname)) || /^\d+(\.\d+){3}$/.test(l.hostname))) {
      out.push({ field: `${f}.hostname`, value: l.hostname, allowed: 'a DNS host name, optionally with a leading "*." wildcard label (no IP addresses, no port)' });
    }
    if (l.hostname !== undefined && (l.protocol === 'TCP' || l.protocol === 'UDP')) {
      out.push({ field: `${f}.hostname`, value: l.hostname, allowed: 'no hostname', why: `${l.protocol} listeners do not match host names` });
    }
    if (isPort(l.port)) {
      const combo = `${l.port}/${l.protocol}/${l.hostname ?? '*'}`;
      const prev = combos.get(combo);
      if (prev !== undefined) out.push({ field: f, value: { port: l.port, protocol: l.protocol, hostname: l.hostname }, allowed: `a port, protocol and hostname combination not used by listeners[${prev}]`, why: 'the Gateway API requires it to be unique per listener' });
      else combos.set(combo, i);
    }
    out.push(...tlsProblems(l, f));
    out.push(...allowedRoutesProblems(l, f));
  });
  return out;
}

function tlsProblems(l: GatewayListener, f: string): Problem[] {
  const out: Problem[] = [];
  const tls = l.tls;
  if (l.protocol === 'HTTP' || l.protocol === 'TCP' || l.protocol === 'UDP') {
    if (tls) out.push({ field: `${f}.tls`, value: tls, allowed: 'no tls', why: `tls is only for HTTPS and TLS listeners; this one is ${l.protocol}` });
    return out;
  }
  if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') return out;
  if (!tls) {
    out.push({ field: `${f}.tls`, value: undefined, allowed: `tls settings with certificateRefs (mode Terminate)${l.protocol === 'TLS' ? ' or mode Passthrough' : ''}`, why: `a ${l.protocol} listener needs TLS settings` });
    return out;
  }
  const mode = tls.mode ?? 'Terminate';
  if (mode !== 'Terminate' && mode !== 'Passthrough') {
    out.push({ field: `${f}.tls.mode`, value: mode, allowed: 'Terminate or Passthrough' });
    return out;
  }
  if (l.protocol === 'HTTPS' && mode === 'Passthrough') {
    out.push({ field: `${f}.tls.mode`, value: mode, allowed: 'Terminate', why: 'an HTTPS listener terminates TLS; use protocol TLS for passthrough' });
  }
  const refs = tls.certificateRefs ?? [];
  if (mode === 'Terminate' && refs.length === 0) {
    out.push({ field: `${f}.tls.certificateRefs`, value: refs, allowed: 'at least one certificate reference, e.g. [{ name: "my-tls-secret" }]', why: `a ${l.protocol} listener terminating TLS needs a certificate` });
  }
  if (refs.length > 64) out.push({ field: `${f}.tls.certificateRefs`, value: `${refs.length} references`, allowed: 'at most 64 (Gateway API limit)' });
  refs.forEach((c, j) => out.push(...certificateRefProblems(c, `${f}.tls.certificateRefs[${j}]`)));
  return out;
}

function certificateRefProblems(c: GatewayCertificateRef, f: string): Problem[] {
  const out: Problem[] = [];
  if (typeof c.name !== 'string' || c.name === '') out.push({ field: `${f}.name`, value: c.name, allowed: 'the name of a Secret (DNS-1123 subdomain)' });
  else {
    const p = checkDns1123Subdomain(`${f}.name`, c.name);
    if (p) out.push(p);
  }
  if (c.group !== undefined && c.group !== '' && !isDns1123Subdomain(c.group)) out.push({ field: `${f}.group`, value: c.group, allowed: '"" (core) or an API group (DNS-1123 subdomain)' });
  if (c.kind !== undefined && !/^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(c.kind)) out.push({ field: `${f}.kind`, value: c.kind, allowed: 'a kind such as Secret' });
  const ns = checkDns1123Label(`${f}.namespace`, c.namespace);
  if (ns) out.push(ns);
  return out;
}

function allowedRoutesProblems(l: GatewayListener, f: string): Problem[] {
  const out: Problem[] = [];
  const ns = l.allowedRoutes?.namespaces;
  if (!ns) return out;
  const froms = ['All', 'Same', 'Selector', 'None'];
  if (ns.from !== undefined && !froms.includes(ns.from)) out.push({ field: `${f}.allowedRoutes.namespaces.from`, value: ns.from, allowed: froms.join(', ') });
  if (ns.from === 'Selector' && !ns.selector) {
    out.push({ field: `${f}.allowedRoutes.namespaces.selector`, value: undefined, allowed: 'a label selector', why: 'from: Selector needs a selector' });
  }
  if (ns.selector?.matchLabels) out.push(...checkLabels(`${f}.allowedRoutes.namespaces.selector.matchLabels`, ns.selector.matchLabels));
  return out;
}

/** Problems with the gateway Service customization. */
export function serviceProblems(service: GatewayServiceOptions | undefined, field = 'service'): Problem[] {
  const out: Problem[] = [];
  if (!service) return out;
  const types = ['ClusterIP', 'LoadBalancer', 'NodePort'];
  if (service.type !== undefined && !types.includes(service.type)) out.push({ field: `${field}.type`, value: service.type, allowed: types.join(', ') });
  const nodePorts = new Map<string, number>();
  const names = new Map<string, number>();
  (service.ports ?? []).forEach((p, i) => {
    const f = `${field}.ports[${i}]`;
    if (p.nodePort !== undefined) {
      const key = `${p.nodePort}/${p.protocol ?? 'TCP'}`;
      const first = nodePorts.get(key);
      if (first !== undefined) out.push({ field: `${f}.nodePort`, value: p.nodePort, allowed: `a node port not used by ${field}.ports[${first}]`, why: 'the API server refuses a nodePort twice in one Service' });
      else nodePorts.set(key, i);
    }
    if (p.name !== undefined) {
      const first = names.get(p.name);
      if (first !== undefined) out.push({ field: `${f}.name`, value: p.name, allowed: `a name not used by ${field}.ports[${first}]` });
      else names.set(p.name, i);
    }
    const pp = checkPort(`${f}.port`, p.port) ?? (p.port === undefined ? { field: `${f}.port`, value: undefined, allowed: 'an integer port number from 1 to 65535' } : undefined);
    if (pp) out.push(pp);
    if (p.nodePort !== undefined) {
      if (!(Number.isInteger(p.nodePort) && p.nodePort >= 30000 && p.nodePort <= 32767)) out.push({ field: `${f}.nodePort`, value: p.nodePort, allowed: 'an integer from 30000 to 32767 (the default node port range)' });
      else if ((service.type ?? 'ClusterIP') === 'ClusterIP') out.push({ field: `${f}.nodePort`, value: p.nodePort, allowed: 'no nodePort', why: 'a ClusterIP Service has no node ports; set service.type to NodePort or LoadBalancer' });
    }
  });
  if (service.loadBalancerClass !== undefined && (service.type ?? 'ClusterIP') !== 'LoadBalancer') {
    out.push({ field: `${field}.loadBalancerClass`, value: service.loadBalancerClass, allowed: 'unset', why: 'loadBalancerClass applies only to service.type LoadBalancer' });
  }
  return out;
}

/** Problems with the proxy log level and resources. */
export function proxyProblems(logLevel: string, resources: GatewayResourceRequirements | undefined): Problem[] {
  const out: Problem[] = [];
  if (!LOG_LEVELS.includes(logLevel as GatewayLogLevel)) out.push({ field: 'logLevel', value: logLevel, allowed: LOG_LEVELS.join(', ') });
  out.push(...checkResources('proxyResources', resources));
  return out;
}

/**
 * The Secret a TLS ReferenceGrant of the chart points at: `referenceGrant.secretName`, else
 * `tls.servingCertSecretName`, else the first listener certificateRef's name, else
 * `data-science-gateway-service-tls`; the namespace: `referenceGrant.secretNamespace`, else the
 * first certificateRef namespace, else `openshift-ingress`.
 */
export function chartReferenceGrantTarget(
  listeners: readonly GatewayListener[],
  grant: { readonly secretName?: string; readonly secretNamespace?: string },
  servingCertSecretName: string | undefined,
): { secretName: string; secretNamespace: string } {
  let secretName = grant.secretName || servingCertSecretName || '';
  let secretNamespace = grant.secretNamespace || '';
  for (const l of listeners) {
    for (const ref of l.tls?.certificateRefs ?? []) {
      if (!secretName) secretName = ref.name;
      if (!secretNamespace && ref.namespace) secretNamespace = ref.namespace;
    }
  }
  return { secretName: secretName || DEFAULT_SERVING_CERT_SECRET_NAME, secretNamespace: secretNamespace || 'openshift-ingress' };
}
