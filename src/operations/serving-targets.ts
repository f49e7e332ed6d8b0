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

/** Accelerators one pod of the workload holds (its containers' device limits: RNGD cards, GPUs). */
export function devicesPerPod(w: ServingWorkload): number {
  type Pod = { containers?: Array<{ resources?: { limits?: Record<string, unknown> } }> };
  type Spec = { template?: { spec?: Pod }; leaderWorkerTemplate?: { workerTemplate?: { spec?: Pod } } };
  const spec = ((w.object.toJson() as { spec?: Spec }).spec ?? {}) as Spec;
  const pod: Pod = spec.template?.spec ?? spec.leaderWorkerTemplate?.workerTemplate?.spec ?? {};
  let n = 0;
  for (const c of pod.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) {
      if (!NOT_DEVICES.has(k) && !k.startsWith('hugepages-')) n += Number(v) || 0;
    }
  }
  return n;
}
