/**
 * The fast-model-actuation "requester" of llm-d-modelservice (`requester.enable`): a ReplicaSet of
 * small GPU-holding pods whose dual-pod controller launches the real decode server next to each
 * of them, from the `dual-pod.llm-d.ai/server-patch` annotation (the decode pod's containers).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problem } from '../core/errors';
import { isPort } from '../core/ports';
import { isQuantity } from '../core/quantities';
import { YAML } from '../core/yaml';

/** The requester of a model service (`requester` of the chart). */
export interface ModelServiceRequesterOptions {
  /** The requester image (the chart's values.yaml has `requester:latest`; pin one). */
  readonly image: string;
  /** Port of the requester's admin API the dual-pod controller calls. @default 8081 */
  readonly adminPort?: number;
  /** Port of the requester's readiness probe. @default 8080 */
  readonly probesPort?: number;
  /** Port of the requester's SPI. @default 8081 */
  readonly spiPort?: number;
  /** @default { initialDelaySeconds: 2, periodSeconds: 5 } */
  readonly readinessProbe?: { readonly initialDelaySeconds?: number; readonly periodSeconds?: number };
  /** Limits of a requester pod. @default { gpus: 1, cpus: 1, memory: '250Mi' } */
  readonly limits?: { readonly gpus?: number; readonly cpus?: number | string; readonly memory?: string };
}

type Json = Record<string, unknown>;

/** What the ReplicaSet is made from: the decode workload's name, replicas and pod. */
export interface RequesterTarget {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly modelName: string;
  readonly initContainers?: readonly Json[];
  readonly containers: readonly Json[];
}

/** The requester ReplicaSet, named like the decode Deployment (the chart's `decodeName`). */
export function addRequesterReplicaSet(scope: Construct, id: string, o: ModelServiceRequesterOptions, t: RequesterTarget): ApiObject {
  const [repo, reg] = t.modelName.split('/');
  const patch = {
    metadata: { labels: { 'model-reg': reg ?? '', 'model-repo': repo, app: null } },
    spec: { ...(t.initContainers && t.initContainers.length > 0 ? { initContainers: t.initContainers } : {}), containers: t.containers },
  };
  const probes = o.probesPort ?? 8080;
  const spi = o.spiPort ?? 8081;
  const limits = o.limits ?? {};
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: t.name, namespace: t.namespace },
    spec: {
      replicas: t.replicas,
      selector: { matchLabels: { app: 'dp-app' } },
      template: {
        metadata: {
          labels: { app: 'dp-app' },
          annotations: { 'dual-pod.llm-d.ai/admin-port': String(o.adminPort ?? 8081), 'dual-pod.llm-d.ai/server-patch': YAML.stringify(patch) },
        },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'inference-server',
              image: o.image,
              imagePullPolicy: 'Always',
              command: ['/app/requester'],
              env: [{ name: 'PROBES_PORT', value: String(probes) }, { name: 'SPI_PORT', value: String(spi) }],
              ports: [{ name: 'probes', containerPort: probes }, { name: 'spi', containerPort: spi }],
              readinessProbe: { httpGet: { path: '/ready', port: probes }, initialDelaySeconds: o.readinessProbe?.initialDelaySeconds ?? 2, periodSeconds: o.readinessProbe?.periodSeconds ?? 5 },
              resources: { limits: { 'nvidia.com/gpu': limits.gpus ?? 1, cpu: limits.cpus ?? 1, memory: limits.memory ?? '250Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
            },
          ],
        },
      },
    },
  });
}

/** Problems of the requester options. */
export function requesterProblems(o: ModelServiceRequesterOptions | undefined): Problem[] {
  if (!o) return [];
  const out: Problem[] = [];
  if (typeof o.image !== 'string' || o.image === '') out.push({ field: 'requester.image', value: o.image, allowed: 'the requester image, e.g. ghcr.io/llm-d-incubation/llm-d-fast-model-actuation/requester:<tag>' });
  for (const k of ['adminPort', 'probesPort', 'spiPort'] as const) {
    if (o[k] !== undefined && !isPort(o[k])) out.push({ field: `requester.${k}`, value: o[k], allowed: 'a port number from 1 to 65535' });
  }
  const l = o.limits ?? {};
  if (l.gpus !== undefined && !(Number.isInteger(l.gpus) && l.gpus >= 0)) out.push({ field: 'requester.limits.gpus', value: l.gpus, allowed: 'a whole number of GPUs' });
  if (l.cpus !== undefined && !isQuantity(l.cpus)) out.push({ field: 'requester.limits.cpus', value: l.cpus, allowed: 'a quantity such as 1 or "500m"' });
  if (l.memory !== undefined && !isQuantity(l.memory)) out.push({ field: 'requester.limits.memory', value: l.memory, allowed: 'a quantity such as "250Mi"' });
  return out;
}
