/**
 * The LeaderWorkerSet of ModelService's multinode mode, built from the generated
 * leaderworkerset.x-k8s.io class. That module is 1.7 MB, so it is required only when a
 * LeaderWorkerSet is built; everything else here imports its types only.
 *
 * The worker pod spec is built as JSON like a Deployment's and converted to the generated
 * shapes: the generated `toJson` filters the whole object after patches, so a JSON patch
 * cannot carry it past that filter.
 */
import type { ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';
import type * as lws from '../../imports/leaderworkerset.x-k8s.io';

type Json = Record<string, unknown>;

/**
 * leaderworkerset.x-k8s.io/v1 SubGroupPolicy: the CRD's type, with `subGroupPolicyType` taken as
 * its plain string values (`LeaderWorker`, `LeaderExcluded`).
 */
export type LeaderWorkerSetSubGroupPolicy = Omit<lws.LeaderWorkerSetSpecLeaderWorkerTemplateSubGroupPolicy, 'subGroupPolicyType'> & {
  /** Whether the leader is part of the first subgroup. @default 'LeaderWorker' */
  readonly subGroupPolicyType?: `${lws.LeaderWorkerSetSpecLeaderWorkerTemplateSubGroupPolicySubGroupPolicyType}`;
};

/** What one role's LeaderWorkerSet is made of. */
export interface LeaderWorkerSetParts {
  readonly metadata: ApiObjectMetadata;
  /** Omitted when an autoscaler owns it. */
  readonly replicas?: number;
  /** Pods per group (leader included). */
  readonly size: number;
  readonly subGroupPolicy?: LeaderWorkerSetSubGroupPolicy;
  readonly podMetadata: { readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  /** The pod spec as Kubernetes JSON, exactly what a Deployment of the role would carry. */
  readonly podSpec: Json;
}

/** Adds the LeaderWorkerSet; the generated module is loaded here, on first use. */
export function addLeaderWorkerSet(scope: Construct, id: string, parts: LeaderWorkerSetParts): lws.LeaderWorkerSet {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: a Deployment-only app never pays for it
  const generated = require('../../imports/leaderworkerset.x-k8s.io') as typeof lws;
  const policy = parts.subGroupPolicy;
  return new generated.LeaderWorkerSet(scope, id, {
    metadata: parts.metadata,
    spec: {
      replicas: parts.replicas,
      leaderWorkerTemplate: {
        size: parts.size,
        subGroupPolicy: policy && Object.keys(policy).length > 0 ? { ...policy, subGroupPolicyType: policy.subGroupPolicyType as lws.LeaderWorkerSetSpecLeaderWorkerTemplateSubGroupPolicySubGroupPolicyType | undefined } : undefined,
        workerTemplate: {
          metadata: { labels: { ...parts.podMetadata.labels }, annotations: parts.podMetadata.annotations ? { ...parts.podMetadata.annotations } : undefined },
          spec: generatedPodSpec(generated, parts.podSpec),
        },
      },
    },
  });
}

/**
 * The generated `toJson` reads int-or-string and quantity fields through their classes'
 * `value`, and a few fields under camel-cased names (`hostIpc` for `hostIPC`); a plain value or
 * the wire name there would be dropped. Converts every such field of a pod spec.
 */
function generatedPodSpec(generated: typeof lws, pod: Json): lws.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpec {
  const quantity = (v: unknown): lws.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpecContainersResourcesLimits =>
    typeof v === 'number' ? generated.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpecContainersResourcesLimits.fromNumber(v) : generated.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpecContainersResourcesLimits.fromString(String(v));
  const intOrString = (v: unknown): lws.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpecContainersLivenessProbeHttpGetPort =>
    typeof v === 'number' ? generated.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpecContainersLivenessProbeHttpGetPort.fromNumber(v) : generated.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpecContainersLivenessProbeHttpGetPort.fromString(String(v));
  const converted = convertPod(pod, { quantity, intOrString });
  // Every wrapped field now holds the value class the generated types expect; the rest is the same JSON.
  return converted as unknown as lws.LeaderWorkerSetSpecLeaderWorkerTemplateWorkerTemplateSpec;
}

interface Wrappers {
  readonly quantity: (v: unknown) => unknown;
  readonly intOrString: (v: unknown) => unknown;
}

/** Wire names the generated interfaces spell differently (their `toJson` maps them back). */
const GENERATED_NAMES: Readonly<Record<string, string>> = {
  hostIPC: 'hostIpc',
  hostPID: 'hostPid',
  setHostnameAsFQDN: 'setHostnameAsFqdn',
  hostIP: 'hostIp',
  downwardAPI: 'downwardApi',
  scaleIO: 'scaleIo',
  diskURI: 'diskUri',
  pdID: 'pdId',
  volumeID: 'volumeId',
  storagePolicyID: 'storagePolicyId',
  targetWWNs: 'targetWwNs',
  datasetUUID: 'datasetUuid',
};

/** A copy of `o` with its own keys spelled as the generated interfaces spell them. */
function generatedKeys(o: Json): Json {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [GENERATED_NAMES[k] ?? k, v]));
}

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies `f` to `o[key]` when it is set, returning a copy. */
function mapField(o: Json, key: string, f: (v: unknown) => unknown): Json {
  return o[key] === undefined ? o : { ...o, [key]: f(o[key]) };
}

function mapList(f: (v: Json) => Json): (v: unknown) => unknown {
  return (v) => (Array.isArray(v) ? v.map((x) => (isMap(x) ? f(x) : x)) : v);
}

function mapEach(f: (v: unknown) => unknown): (v: unknown) => unknown {
  return (v) => (isMap(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)])) : v);
}

function convertResources(w: Wrappers): (v: unknown) => unknown {
  return (v) => (isMap(v) ? mapField(mapField(v, 'limits', mapEach(w.quantity)), 'requests', mapEach(w.quantity)) : v);
}

/** `httpGet.port` / `tcpSocket.port` of a probe or lifecycle handler. */
function convertHandler(w: Wrappers): (v: unknown) => unknown {
  const port = (h: unknown) => (isMap(h) ? mapField(h, 'port', w.intOrString) : h);
  return (v) => (isMap(v) ? mapField(mapField(v, 'httpGet', port), 'tcpSocket', port) : v);
}

function convertResourceFieldRef(w: Wrappers): (v: unknown) => unknown {
  return (v) => (isMap(v) ? mapField(v, 'divisor', w.quantity) : v);
}

function convertContainer(c: Json, w: Wrappers): Json {
  let out = mapField(c, 'resources', convertResources(w));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) out = mapField(out, probe, convertHandler(w));
  out = mapField(out, 'lifecycle', (l) => (isMap(l) ? mapField(mapField(l, 'postStart', convertHandler(w)), 'preStop', convertHandler(w)) : l));
  const envFrom = (e: Json) => mapField(e, 'valueFrom', (vf) => (isMap(vf) ? mapField(vf, 'resourceFieldRef', convertResourceFieldRef(w)) : vf));
  out = mapField(out, 'ports', mapList(generatedKeys));
  return mapField(out, 'env', mapList(envFrom));
}

function convertVolume(v: Json, w: Wrappers): Json {
  const items = mapList((i) => mapField(i, 'resourceFieldRef', convertResourceFieldRef(w)));
  // A volume's source (awsElasticBlockStore, azureDisk, ...) is one map down; its ID-like keys are renamed.
  let out: Json = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isMap(x) ? generatedKeys(x) : x]));
  out = mapField(out, 'emptyDir', (e) => (isMap(e) ? mapField(e, 'sizeLimit', w.quantity) : e));
  out = mapField(out, 'downwardAPI', (d) => (isMap(d) ? mapField(d, 'items', items) : d));
  const source = (s: Json) => generatedKeys(mapField(s, 'downwardAPI', (d) => (isMap(d) ? mapField(d, 'items', items) : d)));
  out = mapField(out, 'projected', (p) => (isMap(p) ? mapField(p, 'sources', mapList(source)) : p));
  const claimSpec = (s: unknown) => (isMap(s) ? mapField(s, 'resources', convertResources(w)) : s);
  out = mapField(out, 'ephemeral', (e) => (isMap(e) ? mapField(e, 'volumeClaimTemplate', (t) => (isMap(t) ? mapField(t, 'spec', claimSpec) : t)) : e));
  return generatedKeys(out);
}

function convertPod(pod: Json, w: Wrappers): Json {
  let out = mapField(pod, 'overhead', mapEach(w.quantity));
  out = mapField(out, 'resources', convertResources(w));
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) out = mapField(out, list, mapList((c) => convertContainer(c, w)));
  return generatedKeys(mapField(out, 'volumes', mapList((v) => convertVolume(v, w))));
}
