import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { IModelServer, ModelServerMetricsFlavor } from '../core/contracts';

/** A model server's main workload, as day-2 objects see it. */
export interface ServingWorkload {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly metricsFlavor: ModelServerMetricsFlavor;
  /** The workload object (to take `spec.replicas` over). */
  readonly object: ApiObject;
}

/** The main workload of a model service: its default child (decode, or the only role). */
export function servingWorkloadOf(ms: IConstruct & IModelServer): ServingWorkload {
  const object = ApiObject.of(ms);
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.name,
    namespace: object.metadata.namespace ?? ms.podNamespace,
    podLabels: ms.podLabels,
    metricsFlavor: ms.metricsFlavor,
    object,
  };
}

const NOT_DEVICES = new Set(['cpu', 'memory', 'ephemeral-storage']);

type Probe = { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number };
type Pod = { containers?: Array<{ resources?: { limits?: Record<string, unknown> }; startupProbe?: Probe }> };
type Spec = { template?: { spec?: Pod }; leaderWorkerTemplate?: { leaderTemplate?: { spec?: Pod }; workerTemplate?: { spec?: Pod } } };

/** The pod specs of the rendered workload: its template, or a LeaderWorkerSet's worker and leader templates. */
function podSpecs(w: ServingWorkload): Pod[] {
  const spec = ((w.object.toJson() as { spec?: Spec }).spec ?? {}) as Spec;
  if (spec.template?.spec) return [spec.template.spec];
  const lwt = spec.leaderWorkerTemplate;
  return [lwt?.workerTemplate?.spec, lwt?.leaderTemplate?.spec].filter((p): p is Pod => p !== undefined);
}

/** Accelerators one pod of the workload holds (its containers' device limits: RNGD cards, GPUs). */
export function devicesPerPod(w: ServingWorkload): number {
  const pod: Pod = podSpecs(w)[0] ?? {};
  let n = 0;
  for (const c of pod.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) {
      if (!NOT_DEVICES.has(k) && !k.startsWith('hugepages-')) n += Number(v) || 0;
    }
  }
  return n;
}

/**
 * The longest a pod of the workload may take to start before the kubelet gives up on it: the
 * largest `initialDelaySeconds + failureThreshold x periodSeconds` of its containers' startup
 * probes (Kubernetes defaults 0, 3 and 10), or undefined when no container has one.
 */
export function longestStartSeconds(w: ServingWorkload): number | undefined {
  let longest: number | undefined;
  for (const pod of podSpecs(w)) {
    for (const c of pod.containers ?? []) {
      const p = c.startupProbe;
      if (!p) continue;
      const s = (p.initialDelaySeconds ?? 0) + (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10);
      if (Number.isFinite(s)) longest = Math.max(longest ?? 0, s);
    }
  }
  return longest;
}
