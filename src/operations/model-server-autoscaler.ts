import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IInferencePoolRef, IModelServer } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { INT32_MAX } from '../core/object-rules/json';
import { EPP_METRICS, podsOf, SERVER_METRICS } from './metric-names';
import { devicesPerPod, servingWorkloadOf, ServingWorkload } from './serving-targets';

/** The serving signal an autoscaler follows. */
export abstract class AutoscalingSignal {
  /** Requests waiting per model-server pod (the engine's queue metric), e.g. 5. */
  public static queuePerPod(target: number): AutoscalingSignal {
    return new ServerSignal('waiting', target, 'AverageValue');
  }

  /** Average KV-cache use of the model-server pods (0-1), e.g. 0.8. */
  public static kvCacheUsage(target: number): AutoscalingSignal {
    return new ServerSignal('kvCacheUsage', target, 'Value');
  }

  /**
   * The endpoint picker's average queue per pod of an InferencePool (`inference_pool_average_queue_size`),
   * for the pool itself (an InferenceSchedulerPool) or its name. KEDA only.
   */
  public static poolQueue(pool: IInferencePoolRef | string, target: number): AutoscalingSignal {
    return new PoolSignal(typeof pool === 'string' ? pool : pool.poolName, target);
  }

  /** @internal */ public abstract readonly target: number;
  /** @internal */ public abstract readonly kind: 'AverageValue' | 'Value';
  /** The PromQL query for the workload (KEDA). @internal */
  public abstract query(w: ServingWorkload): string;
  /** The per-pod metric name (HPA Pods metric), undefined when the signal is not per pod. @internal */
  public abstract podMetric(w: ServingWorkload): string | undefined;
}

class ServerSignal extends AutoscalingSignal {
  constructor(private readonly metric: 'waiting' | 'kvCacheUsage', public readonly target: number, public readonly kind: 'AverageValue' | 'Value') {
    super();
  }
  public query(w: ServingWorkload): string {
    const name = SERVER_METRICS[w.metricsFlavor][this.metric];
    return `${this.metric === 'waiting' ? 'sum' : 'avg'}(${name}${podsOf(w.namespace, w.name)})`;
  }
  public podMetric(w: ServingWorkload): string {
    return SERVER_METRICS[w.metricsFlavor][this.metric];
  }
}

class PoolSignal extends AutoscalingSignal {
  public readonly kind = 'Value' as const;
  constructor(private readonly poolName: string, public readonly target: number) {
    super();
  }
  public query(): string {
    return `${EPP_METRICS.averageQueueSize}{name="${this.poolName}"}`;
  }
  public podMetric(): undefined {
    return undefined;
  }
}

/** Which autoscaler object runs the scaling. */
export abstract class AutoscalerEngine {
  /** A KEDA ScaledObject with a Prometheus trigger (needs KEDA in the cluster). */
  public static keda(options: { readonly prometheusAddress: string }): AutoscalerEngine {
    return new KedaEngine(options.prometheusAddress);
  }

  /** An `autoscaling/v2` HorizontalPodAutoscaler on Pods metrics (needs a metrics adapter such as prometheus-adapter). */
  public static hpa(): AutoscalerEngine {
    return new HpaEngine();
  }

  /** @internal */ public abstract readonly name: 'keda' | 'hpa';
}

class KedaEngine extends AutoscalerEngine {
  public readonly name = 'keda' as const;
  constructor(public readonly address: string) {
    super();
  }
}

class HpaEngine extends AutoscalerEngine {
  public readonly name = 'hpa' as const;
}

export interface ModelServerAutoscalerProps {
  /** The model service whose main workload (decode) is scaled. */
  readonly target: IConstruct & IModelServer;
  /** What scales: `AutoscalerEngine.keda({ prometheusAddress })` or `AutoscalerEngine.hpa()`. */
  readonly engine: AutoscalerEngine;
  /** The serving signal to follow. @default AutoscalingSignal.queuePerPod(5) */
  readonly signal?: AutoscalingSignal;
  /** Fewest replicas (0 scales to zero, KEDA only). @default 1 */
  readonly minReplicas?: number;
  /**
   * Most replicas. Within `acceleratorBudget` when both are set.
   * @default - acceleratorBudget / accelerators per pod
   */
  readonly maxReplicas?: number;
  /** Accelerators (RNGD cards, GPUs) the workload may use at most; bounds maxReplicas. @default - no budget (then maxReplicas is required) */
  readonly acceleratorBudget?: number;
}

/**
 * Scales a model service's workload on serving signals instead of CPU, with a KEDA ScaledObject
 * or an HPA. The workload's `spec.replicas` is left to the autoscaler (removed from the
 * manifest, so an apply does not reset it). Bounds come from capacity: at most
 * `acceleratorBudget / accelerators per pod` replicas.
 */
export class ModelServerAutoscaler extends Construct {
  /** The scaled workload (the model service's decode Deployment or LeaderWorkerSet), as the day-2 objects see it. */
  public readonly workload: ServingWorkload;
  /** The ScaledObject or HorizontalPodAutoscaler. */
  public readonly autoscaler: ApiObject;

  constructor(scope: Construct, id: string, props: ModelServerAutoscalerProps) {
    super(scope, id);
    const w = servingWorkloadOf(props.target);
    this.workload = w;
    const signal = props.signal ?? AutoscalingSignal.queuePerPod(5);
    const min = props.minReplicas ?? 1;
    // Devices per pod are read from the rendered workload: once, at synth, for the bound and its checks.
    let perPodCache: number | undefined;
    const perPod = (): number => (perPodCache ??= devicesPerPod(w));
    const max = () => props.maxReplicas ?? Math.floor((props.acceleratorBudget ?? 0) / Math.max(1, perPod()));
    w.object.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    const ns = w.namespace || Chart.of(this).namespace;
    const ref = { apiVersion: w.apiVersion, kind: w.kind, name: w.name };
    if (props.engine instanceof KedaEngine) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ScaledObject } = require('../../imports/keda.sh') as typeof import('../../imports/keda.sh');
      const engine = props.engine;
      this.autoscaler = new ScaledObject(this, 'Resource', {
        metadata: { name: w.name, namespace: ns },
        spec: {
          scaleTargetRef: ref,
          minReplicaCount: min,
          maxReplicaCount: Lazy.any({ produce: max }) as number,
          triggers: [{ type: 'prometheus', metricType: signal.kind, metadata: { serverAddress: engine.address, query: signal.query(w), threshold: String(signal.target) } }],
        },
      });
    } else {
      const metric = signal.podMetric(w);
      this.autoscaler = new ApiObject(this, 'Resource', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: w.name, namespace: ns },
        spec: {
          scaleTargetRef: ref,
          minReplicas: min,
          maxReplicas: Lazy.any({ produce: max }),
          metrics: metric ? [{ type: 'Pods', pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: String(signal.target) } } }] : [],
        },
      });
    }
    addProblems(this, () => autoscalerProblems(props, w, signal, min, max(), perPod()));
  }
}

function autoscalerProblems(props: ModelServerAutoscalerProps, w: ServingWorkload, signal: AutoscalingSignal, min: number, max: number, perPod: number): Problem[] {
  const out: Problem[] = [];
  const floor = props.engine instanceof KedaEngine ? 0 : 1;
  if (!(Number.isInteger(min) && min >= floor)) out.push({ field: 'minReplicas', value: props.minReplicas, allowed: `an integer of ${floor} or more${floor === 0 ? ' (0 scales to zero)' : ''}` });
  if (props.maxReplicas === undefined && props.acceleratorBudget === undefined) out.push({ field: 'maxReplicas', value: undefined, allowed: 'a number of replicas, or an acceleratorBudget to derive it from' });
  else if (!(Number.isInteger(max) && max >= 1 && max <= INT32_MAX)) out.push({ field: 'maxReplicas', value: max, allowed: 'an integer of 1 or more', why: props.maxReplicas === undefined ? `acceleratorBudget ${props.acceleratorBudget} holds no pod of ${perPod} accelerator(s)` : undefined });
  else if (min > max) out.push({ field: 'minReplicas', value: min, allowed: `at most maxReplicas (${max})` });
  if (props.acceleratorBudget !== undefined && props.maxReplicas !== undefined && props.maxReplicas * perPod > props.acceleratorBudget) {
    out.push({ field: 'maxReplicas', value: props.maxReplicas, allowed: `at most ${Math.floor(props.acceleratorBudget / Math.max(1, perPod))}`, why: `${props.maxReplicas} pods of ${perPod} accelerator(s) exceed the budget of ${props.acceleratorBudget}` });
  }
  if (!(Number.isFinite(signal.target) && signal.target > 0)) out.push({ field: 'signal', value: signal.target, allowed: 'a target above 0' });
  if (props.engine instanceof HpaEngine && signal.podMetric(w) === undefined) {
    out.push({ field: 'signal', value: 'poolQueue', allowed: 'queuePerPod or kvCacheUsage with an HPA (Pods metrics); poolQueue needs KEDA' });
  }
  return out;
}
