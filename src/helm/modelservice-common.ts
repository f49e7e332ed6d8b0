/**
 * Values readers shared by the two llm-d-modelservice adapters (src/helm/modelservice.ts for the
 * llm-d-incubation chart, src/helm/furiosa-modelservice.ts for the furiosa-ai fork). Both forks read
 * `<role>.containers[]` the same way; what differs (modelCommand values, claims rules) is a parameter.
 */
import type { ModelServiceRoutingProxyOptions } from '../model-service/model-service-options';
import type { ContainerPort, EnvVar, ImagePullPolicy, Probe, RelabelConfig, ResourceRequirements, SecurityContext, VolumeMount } from '../model-service/k8s-types';
import type { ModelServerPodMonitorBase } from '../model-service/pod-core';
import type { ZapEncoder, ZapStacktraceLevel, ZapTimeEncoding } from '../model-service/routing-sidecar';
import { dropUndefined, isValuesMap, nonEmptyList, nonEmptyMap, ValuesMap, ValuesReader } from './values-reader';

/** Keys of one `containers[]` entry both charts read. */
export const MODELSERVICE_CONTAINER_KEYS: readonly string[] = [
  'name', 'image', 'modelCommand', 'command', 'args', 'env', 'imagePullPolicy', 'ports', 'resources', 'mountModelVolume',
  'volumeMounts', 'livenessProbe', 'readinessProbe', 'startupProbe', 'securityContext', 'extraConfig', 'workingDir', 'stdin', 'tty',
];

/** Kubernetes image pull policies. */
export const PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

/** How a chart fork treats `containers[].resources.claims` and templated `args`. */
export interface ContainerBodyOptions {
  /** Why non-empty `resources.claims` are refused. */
  readonly claimsWhy: string;
  /** `claims: null` counts as empty. */
  readonly nullClaimsEmpty: boolean;
  /** Refuse Helm templates in `args`. */
  readonly noTemplateArgs: boolean;
}

/** The fields of a container entry read by {@link readContainerBody}. */
export interface ContainerBody {
  readonly image: string | undefined;
  readonly imagePullPolicy: ImagePullPolicy | undefined;
  readonly env: readonly EnvVar[] | undefined;
  readonly ports: readonly ContainerPort[];
  readonly resources: ResourceRequirements | undefined;
}

/** Image, pull policy, env, ports and resources of one `containers[]` entry (after modelCommand). */
export function readContainerBody(r: ValuesReader, c: ValuesMap, path: string, o: ContainerBodyOptions): ContainerBody {
  const image = r.str(c, 'image', path);
  if (!image) r.problem(`${path}.image`, c.image, 'an image reference', 'the chart requires the image of every container');
  const pull = r.optStr(c, 'imagePullPolicy', path);
  if (pull !== undefined && !PULL_POLICIES.includes(pull)) r.problem(`${path}.imagePullPolicy`, pull, PULL_POLICIES.join(', '));
  const env = r.namedMaps(c, 'env', path);
  env?.forEach((e, i) => {
    if (e.value !== undefined && typeof e.value !== 'string') r.problem(`${path}.env[${i}].value`, e.value, 'a string (quote numbers and booleans)');
  });
  r.noTemplates(c.env, `${path}.env`);
  r.noTemplates(c.ports, `${path}.ports`);
  r.noTemplates(c.extraConfig, `${path}.extraConfig`);
  if (o.noTemplateArgs) r.noTemplates(c.args, `${path}.args`);
  const ports = r.maps(c, 'ports', path);
  ports?.forEach((p, i) => {
    if (typeof p.containerPort !== 'number') r.problem(`${path}.ports[${i}].containerPort`, p.containerPort, 'an integer port number');
  });
  let resources: ResourceRequirements | undefined;
  const res = r.map(c, 'resources', path);
  if (res) {
    r.keys(res, `${path}.resources`, ['limits', 'requests', 'claims']);
    const limits = r.map(res, 'limits', `${path}.resources`);
    const requests = r.map(res, 'requests', `${path}.resources`);
    const claims = res.claims;
    const empty = (claims === null && o.nullClaimsEmpty) || ((isValuesMap(claims) || Array.isArray(claims)) && Object.keys(claims).length === 0);
    if (claims !== undefined && !empty) r.problem(`${path}.resources.claims`, claims, 'empty', o.claimsWhy);
    resources = dropUndefined({ limits: nonEmptyMap(limits as Record<string, string | number> | undefined), requests: nonEmptyMap(requests as Record<string, string | number> | undefined) });
  }
  return {
    image,
    imagePullPolicy: pull as ImagePullPolicy | undefined,
    env: nonEmptyList(env as EnvVar[] | undefined),
    ports: (ports ?? []) as unknown as ContainerPort[],
    resources: resources && Object.keys(resources).length > 0 ? resources : undefined,
  };
}

/** The probes, mounts and small fields of one `containers[]` entry, in the charts' reading order. */
export function readContainerTail(r: ValuesReader, c: ValuesMap, path: string): {
  startupProbe?: Probe; livenessProbe?: Probe; readinessProbe?: Probe; volumeMounts?: readonly VolumeMount[]; mountModelVolume: boolean;
  securityContext?: SecurityContext; workingDir?: string; stdin?: boolean; tty?: boolean;
} {
  const probe = (k: string): Probe | undefined => r.map(c, k, path) as Probe | undefined;
  return {
    startupProbe: probe('startupProbe'),
    livenessProbe: probe('livenessProbe'),
    readinessProbe: probe('readinessProbe'),
    volumeMounts: nonEmptyList(r.namedMaps(c, 'volumeMounts', path) as VolumeMount[] | undefined),
    mountModelVolume: r.bool(c, 'mountModelVolume', path) ?? false,
    securityContext: nonEmptyMap(r.map(c, 'securityContext', path) as SecurityContext | undefined),
    workingDir: r.optStr(c, 'workingDir', path),
    stdin: r.bool(c, 'stdin', path),
    tty: r.bool(c, 'tty', path),
  };
}

/** `routing.proxy` as both chart forks read it (when enabled); the furiosa options narrow the zap flags. */
export type RoutingProxyValues = ModelServiceRoutingProxyOptions & { readonly enabled: true };

/** The `routing` block: the service port, and the proxy options when `routing.proxy.enabled` (default true). */
export function readRouting(r: ValuesReader, v: ValuesMap): { servicePort?: number; targetPort?: number; proxy?: RoutingProxyValues } {
  const rt = r.map(v, 'routing', '') ?? {};
  r.keys(rt, 'routing', ['servicePort', 'proxy']);
  const servicePort = r.int(rt, 'servicePort', 'routing');
  const px = r.map(rt, 'proxy', 'routing') ?? {};
  const pp = 'routing.proxy';
  r.keys(px, pp, ['enabled', 'image', 'imagePullPolicy', 'targetPort', 'connector', 'secure', 'prefillerUseTLS', 'certPath', 'zapDevel', 'zapEncoder', 'zapLogLevel', 'zapStacktraceLevel', 'zapTimeEncoding']);
  const proxyEnabled = r.bool(px, 'enabled', pp) ?? true;
  const targetPort = r.int(px, 'targetPort', pp);
  if (!proxyEnabled) return { servicePort, targetPort };
  const zapLogLevel = px.zapLogLevel;
  if (zapLogLevel !== undefined && typeof zapLogLevel !== 'string' && typeof zapLogLevel !== 'number') r.problem(`${pp}.zapLogLevel`, zapLogLevel, 'a string or an integer');
  const image = r.str(px, 'image', pp);
  if (!image) r.problem(`${pp}.image`, px.image, 'an image reference', 'the chart requires routing.proxy.image when the proxy is enabled');
  const proxy = dropUndefined<RoutingProxyValues>({
    enabled: true,
    image,
    imagePullPolicy: r.optStr(px, 'imagePullPolicy', pp) as ImagePullPolicy | undefined,
    targetPort,
    connector: r.optStr(px, 'connector', pp),
    secure: r.bool(px, 'secure', pp),
    prefillerUseTLS: r.bool(px, 'prefillerUseTLS', pp),
    certPath: r.str(px, 'certPath', pp),
    zapDevel: r.bool(px, 'zapDevel', pp),
    zapEncoder: r.str(px, 'zapEncoder', pp) as ZapEncoder | undefined,
    zapLogLevel: zapLogLevel as string | number | undefined,
    zapStacktraceLevel: r.str(px, 'zapStacktraceLevel', pp) as ZapStacktraceLevel | undefined,
    zapTimeEncoding: r.str(px, 'zapTimeEncoding', pp) as ZapTimeEncoding | undefined,
  });
  return { servicePort, targetPort, proxy };
}

/** `<role>.monitoring.podmonitor` as both chart forks read it (`portName` as given). */
export function readPodMonitor(r: ValuesReader, d: ValuesMap, path: string): (ModelServerPodMonitorBase & { readonly portName?: string }) | undefined {
  const mon = r.map(d, 'monitoring', path);
  if (!mon) return undefined;
  r.keys(mon, `${path}.monitoring`, ['podmonitor']);
  const pm = r.map(mon, 'podmonitor', `${path}.monitoring`);
  if (!pm) return undefined;
  const mp = `${path}.monitoring.podmonitor`;
  r.keys(pm, mp, ['enabled', 'portName', 'path', 'interval', 'scrapeTimeout', 'labels', 'annotations', 'relabelings', 'metricRelabelings', 'namespaceSelector']);
  return dropUndefined({
    enabled: r.bool(pm, 'enabled', mp) ?? false,
    portName: r.optStr(pm, 'portName', mp),
    path: r.optStr(pm, 'path', mp),
    interval: r.optStr(pm, 'interval', mp),
    scrapeTimeout: r.optStr(pm, 'scrapeTimeout', mp),
    labels: nonEmptyMap(r.strMap(pm, 'labels', mp)),
    annotations: nonEmptyMap(r.strMap(pm, 'annotations', mp)),
    relabelings: nonEmptyList(r.maps(pm, 'relabelings', mp) as RelabelConfig[] | undefined),
    metricRelabelings: nonEmptyList(r.maps(pm, 'metricRelabelings', mp) as RelabelConfig[] | undefined),
    namespaceSelector: r.map(pm, 'namespaceSelector', mp) as ModelServerPodMonitorBase['namespaceSelector'],
  });
}
