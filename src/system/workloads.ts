/**
 * The pods a stack will run, read from its manifests alone: which workload makes them, from
 * which pod template, how many at most (replicas, or the maximum of an autoscaler that targets
 * the workload), whether they run to completion (Jobs) or keep running.
 */
import { asArray, asObject, Json } from '../core/object-rules/json';
import { identityOf, ObjectIdentity, SystemManifest } from './finding';

/** One pod template of a workload and how many pods it makes at most. */
export interface PodGroup {
  /** The workload (Deployment, Job, LeaderWorkerSet, Pod, ...). */
  readonly workload: ObjectIdentity;
  readonly source?: string;
  /** Field of the workload that holds the pod template, e.g. `spec.template`. */
  readonly templateField: string;
  /** Labels of the pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations of the pods. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The pod spec. */
  readonly spec: Json;
  /** Most pods of this template at once. */
  readonly maxPods: number;
  /** What sets `maxPods` (`spec.replicas`, `HorizontalPodAutoscaler x maxReplicas`, ...). */
  readonly maxPodsFrom: string;
  /** Pods that run to completion (Jobs) rather than keep running. */
  readonly runsToCompletion: boolean;
  /** One pod per node (DaemonSet). */
  readonly perNode: boolean;
}

/** An autoscaler's bound on a workload. */
interface ScaleBound {
  readonly max: number;
  readonly from: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(asObject(v) ?? {})) if (typeof x === 'string') out[k] = x;
  return out;
};
const count = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt);

/** `kind\0namespace\0name` of an autoscaler's target. */
function targetKey(kind: string, namespace: string, name: string): string {
  return `${kind}\0${namespace}\0${name}`;
}

/**
 * The largest size autoscalers allow per target: HorizontalPodAutoscaler `maxReplicas`, KEDA
 * ScaledObject `maxReplicaCount` (KEDA's default 100). Several autoscalers on one target: the largest.
 */
function scaleBounds(manifests: readonly SystemManifest[]): Map<string, ScaleBound> {
  const out = new Map<string, ScaleBound>();
  const add = (key: string, b: ScaleBound): void => {
    const was = out.get(key);
    if (!was || b.max > was.max) out.set(key, b);
  };
  for (const { manifest } of manifests) {
    const id = identityOf(manifest);
    const spec = asObject(manifest.spec) ?? {};
    const ref = asObject(spec.scaleTargetRef) ?? {};
    if (id.kind === 'HorizontalPodAutoscaler') {
      add(targetKey(str(ref.kind), id.namespace, str(ref.name)), { max: count(spec.maxReplicas, 1), from: `HorizontalPodAutoscaler ${id.name} maxReplicas` });
    } else if (id.kind === 'ScaledObject') {
      add(targetKey(str(ref.kind) || 'Deployment', id.namespace, str(ref.name)), { max: count(spec.maxReplicaCount, 100), from: `ScaledObject ${id.name} maxReplicaCount` });
    }
  }
  return out;
}

/** Every pod template of the manifests, with its largest pod count. */
export function podGroups(manifests: readonly SystemManifest[]): PodGroup[] {
  const bounds = scaleBounds(manifests);
  const out: PodGroup[] = [];
  for (const { manifest, source } of manifests) {
    const workload = identityOf(manifest);
    const spec = asObject(manifest.spec) ?? {};
    const bound = bounds.get(targetKey(workload.kind, workload.namespace, workload.name));
    const group = (templateField: string, template: unknown, maxPods: number, maxPodsFrom: string, runsToCompletion = false, perNode = false): void => {
      const t = asObject(template);
      if (!t) return;
      const meta = asObject(t.metadata) ?? {};
      out.push({ workload, source, templateField, labels: stringMap(meta.labels), annotations: stringMap(meta.annotations), spec: asObject(t.spec) ?? {}, maxPods, maxPodsFrom, runsToCompletion, perNode });
    };
    const replicas = (): [number, string] => {
      const fixed = count(spec.replicas, 1);
      return bound && bound.max > fixed ? [bound.max, bound.from] : [fixed, 'spec.replicas'];
    };
    switch (workload.kind) {
      case 'Deployment':
      case 'ReplicaSet':
      case 'StatefulSet':
        group('spec.template', spec.template, ...replicas());
        break;
      case 'DaemonSet':
        group('spec.template', spec.template, 1, 'one per node', false, true);
        break;
      case 'Job':
        group('spec.template', spec.template, Math.max(1, count(spec.parallelism, 1)), 'spec.parallelism', true);
        break;
      case 'CronJob':
        group('spec.jobTemplate.spec.template', asObject(asObject(spec.jobTemplate)?.spec)?.template, 1, 'one run at a time', true);
        break;
      case 'Pod':
        // A bare Pod may run to completion or, like the guide's downloader Pod, keep a
        // container (and its volumes) running: it counts as running.
        if (asArray(spec.containers).length > 0) group('', { metadata: manifest.metadata, spec }, 1, 'a bare Pod');
        break;
      case 'LeaderWorkerSet': {
        // Each replica is a group: one leader (leaderTemplate, else workerTemplate) and size - 1 workers.
        const lwt = asObject(spec.leaderWorkerTemplate) ?? {};
        const [groups, from] = replicas();
        const size = Math.max(1, count(lwt.size, 1));
        if (lwt.leaderTemplate) {
          group('spec.leaderWorkerTemplate.leaderTemplate', lwt.leaderTemplate, groups, from);
          if (size > 1) group('spec.leaderWorkerTemplate.workerTemplate', lwt.workerTemplate, groups * (size - 1), `${from} x (size - 1)`);
        } else {
          group('spec.leaderWorkerTemplate.workerTemplate', lwt.workerTemplate, groups * size, `${from} x size`);
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** The containers of a pod spec that run with the pod: app containers and restartable (sidecar) init containers. */
export function runningContainers(spec: Json): Json[] {
  const inits = asArray(spec.initContainers).map(asObject).filter((c): c is Json => c !== undefined);
  return [...asArray(spec.containers).map(asObject).filter((c): c is Json => c !== undefined), ...inits.filter((c) => c.restartPolicy === 'Always')];
}

/** Init containers that run to completion before the app containers start. */
export function gatingInitContainers(spec: Json): Json[] {
  return asArray(spec.initContainers).map(asObject).filter((c): c is Json => c !== undefined && c.restartPolicy !== 'Always');
}

/** Every container of a pod spec: init containers, then app containers. */
export function allContainers(spec: Json): Json[] {
  return [...asArray(spec.initContainers), ...asArray(spec.containers)].map(asObject).filter((c): c is Json => c !== undefined);
}
