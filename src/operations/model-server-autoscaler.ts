import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IInferencePoolRef, IModelServer } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { checkDns1123Subdomain } from '../core/names';
import { INT32_MAX } from '../core/object-rules/json';
import { avg, eq, metricNameProblem, PromExpr, queryProblems, selector, sum } from '../core/promql';
import { claim } from '../system/conflicts';
import { EPP_METRICS, podsOf, SERVER_METRICS } from './metric-names';
import { consumerOf, SeriesConsumer } from './series-consumers';
import { devicesPerPod, longestStartSeconds, servingWorkloadOf, ServingWorkload } from './serving-targets';
import { plainProps } from '../core/plain-props';

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
  /** Problems of the signal's own inputs (a pool name). @internal */
  public problems(): Problem[] {
    return [];
  }
  /** @internal */ public abstract readonly kind: 'AverageValue' | 'Value';
  /** The PromQL query for the workload (KEDA), built: names are label values, never query text. @internal */
  public abstract query(w: ServingWorkload): PromExpr;
  /** The per-pod metric name (HPA Pods metric), undefined when the signal is not per pod. @internal */
  public abstract podMetric(w: ServingWorkload): string | undefined;
}

class ServerSignal extends AutoscalingSignal {
  constructor(private readonly metric: 'waiting' | 'kvCacheUsage', public readonly target: number, public readonly kind: 'AverageValue' | 'Value') {
    super();
  }
  public query(w: ServingWorkload): PromExpr {
    const series = selector(SERVER_METRICS[w.metricsFlavor][this.metric], podsOf(w.namespace, w.name, { namespace: 'target (namespace)', workload: 'target (workload name)' }));
    return this.metric === 'waiting' ? sum(series) : avg(series);
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
  public query(): PromExpr {
    return selector(EPP_METRICS.averageQueueSize, [eq('name', this.poolName, 'signal (pool name)')]);
  }
  public problems(): Problem[] {
    const p = checkDns1123Subdomain('signal (pool name)', this.poolName);
    return p ? [p] : [];
  }
  public podMetric(): undefined {
    return undefined;
  }
}

/** Which autoscaler object runs the scaling. */
export abstract class AutoscalerEngine {
  /**
   * A KEDA ScaledObject with a Prometheus trigger (needs KEDA in the cluster). `prometheusAddress`
   * (the trigger's `serverAddress`) has no default, as the stack runs no Prometheus of its own: an
   * absolute http(s) URL of the Prometheus API root without credentials, query, fragment or
   * trailing `/`, e.g. `http://prometheus-operated.monitoring.svc:9090`.
   */
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

/**
 * How fast the autoscaler adds and removes pods: the `behavior` of the HorizontalPodAutoscaler
 * (with KEDA, `advanced.horizontalPodAutoscalerConfig.behavior` of the ScaledObject). The
 * defaults suit model servers that take minutes (vLLM) to half an hour (furiosa-llm: its startup
 * probe allows 60 x 30 s) to become ready; docs/operations.md explains them.
 */
export interface AutoscalingBehavior {
  /**
   * Seconds a higher recommendation must hold before pods are added (`scaleUp.stabilizationWindowSeconds`, 0 to 3600):
   * a burst shorter than this starts no pod, which would be ready only after the burst.
   * @default 120
   */
  readonly scaleUpStabilizationSeconds?: number;
  /** Pods added at most per `scaleUpPeriodSeconds`. @default 1 */
  readonly scaleUpPods?: number;
  /** Also up to this percent of the current pods per period, when that is more than `scaleUpPods` (a large fleet grows faster). @default - pods only */
  readonly scaleUpPercent?: number;
  /** The period of `scaleUpPods` and `scaleUpPercent`, in seconds (1 to 1800). @default 300 */
  readonly scaleUpPeriodSeconds?: number;
  /**
   * Seconds a lower recommendation must hold before pods are removed (`scaleDown.stabilizationWindowSeconds`, 0 to 3600):
   * longer than a pod takes to start, so a pod started for a surge is not removed as it becomes ready.
   * With KEDA and `minReplicas: 0` it is also the ScaledObject's `cooldownPeriod` (the wait before scaling to zero).
   * @default - the longest start the workload's startup probe allows (initialDelaySeconds + failureThreshold x periodSeconds), at least 600 and at most 3600; 600 without a startup probe
   */
  readonly scaleDownStabilizationSeconds?: number;
  /** Pods removed at most per `scaleDownPeriodSeconds`. @default 1 */
  readonly scaleDownPods?: number;
  /** The period of `scaleDownPods`, in seconds (1 to 1800). @default 300 */
  readonly scaleDownPeriodSeconds?: number;
}

/** Defaults of {@link AutoscalingBehavior}. */
const DEFAULT_SCALE_UP_STABILIZATION_SECONDS = 120;
const DEFAULT_SCALE_PERIOD_SECONDS = 300;
/** The least default scale-down stabilization (the workload's longest start, bounded). */
const MIN_SCALE_DOWN_STABILIZATION_SECONDS = 600;
const MAX_STABILIZATION_SECONDS = 3600;
const MAX_PERIOD_SECONDS = 1800;

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
  /** How fast pods are added and removed. @default - see {@link AutoscalingBehavior} */
  readonly behavior?: AutoscalingBehavior;
}

/** An HPA `behavior`, as rendered. */
interface RenderedBehavior {
  readonly scaleUp: Record<string, unknown>;
  readonly scaleDown: Record<string, unknown>;
}

/** The `behavior` for `b`, the scale-down window defaulting to the workload's longest start. */
function renderBehavior(b: AutoscalingBehavior, scaleDownWindow: number): RenderedBehavior {
  const upPeriod = b.scaleUpPeriodSeconds ?? DEFAULT_SCALE_PERIOD_SECONDS;
  const upPolicies = [
    { type: 'Pods', value: b.scaleUpPods ?? 1, periodSeconds: upPeriod },
    ...(b.scaleUpPercent !== undefined ? [{ type: 'Percent', value: b.scaleUpPercent, periodSeconds: upPeriod }] : []),
  ];
  return {
    scaleUp: { stabilizationWindowSeconds: b.scaleUpStabilizationSeconds ?? DEFAULT_SCALE_UP_STABILIZATION_SECONDS, ...(upPolicies.length > 1 ? { selectPolicy: 'Max' } : {}), policies: upPolicies },
    scaleDown: { stabilizationWindowSeconds: scaleDownWindow, policies: [{ type: 'Pods', value: b.scaleDownPods ?? 1, periodSeconds: b.scaleDownPeriodSeconds ?? DEFAULT_SCALE_PERIOD_SECONDS }] },
  };
}

/**
 * Scales a model service's workload on serving signals instead of CPU, with a KEDA ScaledObject
 * or an HPA. The workload's `spec.replicas` is left to the autoscaler (removed from the
 * manifest, so an apply does not reset it). Bounds come from capacity: at most
 * `acceleratorBudget / accelerators per pod` replicas. Pods are added and removed slowly enough
 * for servers that take minutes to start ({@link AutoscalingBehavior}).
 */
export class ModelServerAutoscaler extends Construct {
  /** The scaled workload (the model service's decode Deployment or LeaderWorkerSet), as the day-2 objects see it. */
  public readonly workload: ServingWorkload;
  /** The ScaledObject or HorizontalPodAutoscaler. */
  public readonly autoscaler: ApiObject;
  /** The query (KEDA) or Pods metric (HPA) the autoscaler reads, and its series. */
  public readonly seriesConsumers: readonly SeriesConsumer[];

  constructor(scope: Construct, id: string, props: ModelServerAutoscalerProps) {
    super(scope, id);
    props = plainProps(this, props);
    const w = servingWorkloadOf(props.target);
    this.workload = w;
    const signal = props.signal ?? AutoscalingSignal.queuePerPod(5);
    const min = props.minReplicas ?? 1;
    // Devices per pod and start time are read from the rendered workload: once, at synth, for the bound, the behaviour and their checks.
    let perPodCache: number | undefined;
    const perPod = (): number => (perPodCache ??= devicesPerPod(w));
    const max = () => props.maxReplicas ?? Math.floor((props.acceleratorBudget ?? 0) / Math.max(1, perPod()));
    const b = props.behavior ?? {};
    // Read once: the workload's pod spec is rendered to find its startup probe.
    let windowCache: number | undefined;
    const scaleDownWindow = (): number => (windowCache ??= b.scaleDownStabilizationSeconds
      ?? Math.min(MAX_STABILIZATION_SECONDS, Math.max(MIN_SCALE_DOWN_STABILIZATION_SECONDS, Math.ceil(longestStartSeconds(w) ?? 0))));
    const behavior = () => renderBehavior(b, scaleDownWindow());
    w.object.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    const ns = w.namespace || Chart.of(this).namespace;
    const ref = { apiVersion: w.apiVersion, kind: w.kind, name: w.name };
    const query = signal.query(w);
    const metric = signal.podMetric(w);
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
          // KEDA waits cooldownPeriod (default 300 s) of inactivity before it scales to zero: as long as any other scale-down.
          ...(min === 0 ? { cooldownPeriod: Lazy.any({ produce: scaleDownWindow }) as number } : {}),
          advanced: { horizontalPodAutoscalerConfig: { behavior: Lazy.any({ produce: behavior }) as object } },
          triggers: [{ type: 'prometheus', metricType: signal.kind, metadata: { serverAddress: engine.address, query: query.toString(), threshold: String(signal.target) } }],
        },
      });
    } else {
      this.autoscaler = new ApiObject(this, 'Resource', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: w.name, namespace: ns },
        spec: {
          scaleTargetRef: ref,
          minReplicas: min,
          maxReplicas: Lazy.any({ produce: max }),
          metrics: metric ? [{ type: 'Pods', pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: String(signal.target) } } }] : [],
          behavior: Lazy.any({ produce: behavior }),
        },
      });
    }
    const object = { apiVersion: this.autoscaler.apiVersion, kind: this.autoscaler.kind, namespace: ns ?? '', name: w.name };
    this.seriesConsumers = props.engine instanceof KedaEngine
      ? [consumerOf(object, 'triggers[0]', 'spec.triggers[0].metadata.query', query)]
      : metric ? [consumerOf(object, 'metrics[0]', 'spec.metrics[0].pods.metric.name', selector(metric))] : [];
    claim(this.autoscaler, this, 'target');
    addProblems(this, () => {
      const signalProblems = signal.problems();
      return [
        ...autoscalerProblems(props, w, signal, min, max(), perPod()),
        ...behaviorProblems(b),
        ...signalProblems,
        ...(props.engine instanceof KedaEngine ? queryProblems([query]).filter((p) => p.field !== 'signal (pool name)' || signalProblems.length === 0) : metric ? [metricNameProblem('signal (metric name)', metric)].filter((p): p is Problem => p !== undefined) : []),
      ];
    });
  }
}

/** A problem unless `address` is a URL KEDA can append `/api/v1/query?query=...` to. */
export function serverAddressProblem(field: string, address: unknown): Problem | undefined {
  const allowed = 'an absolute http:// or https:// URL of the Prometheus API root without credentials, query, fragment or trailing "/", e.g. "http://prometheus-operated.monitoring.svc:9090"';
  if (typeof address !== 'string' || address === '') return { field, value: address, allowed, why: 'KEDA\'s Prometheus trigger needs serverAddress; the stack runs no Prometheus of its own to default to' };
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { field, value: address, allowed };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { field, value: address, allowed, why: `${url.protocol} is not HTTP` };
  if (url.hostname === '' || /\s/.test(address)) return { field, value: address, allowed };
  if (url.username !== '' || url.password !== '') return { field, value: address, allowed, why: 'credentials would be written into the manifest; give them to KEDA with a TriggerAuthentication' };
  if (address.includes('?') || address.includes('#')) return { field, value: address, allowed, why: 'KEDA appends /api/v1/query?query=... to the address' };
  if (address.endsWith('/')) return { field, value: address, allowed, why: 'KEDA appends /api/v1/query, which would start with //' };
  return undefined;
}

function behaviorProblems(b: AutoscalingBehavior): Problem[] {
  const out: Problem[] = [];
  const check = (k: keyof AutoscalingBehavior, min: number, max: number, allowed: string): void => {
    const v = b[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) out.push({ field: `behavior.${k}`, value: v, allowed });
  };
  check('scaleUpStabilizationSeconds', 0, MAX_STABILIZATION_SECONDS, 'an integer number of seconds from 0 to 3600');
  check('scaleDownStabilizationSeconds', 0, MAX_STABILIZATION_SECONDS, 'an integer number of seconds from 0 to 3600');
  check('scaleUpPeriodSeconds', 1, MAX_PERIOD_SECONDS, 'an integer number of seconds from 1 to 1800');
  check('scaleDownPeriodSeconds', 1, MAX_PERIOD_SECONDS, 'an integer number of seconds from 1 to 1800');
  check('scaleUpPods', 1, INT32_MAX, 'an integer of 1 or more');
  check('scaleDownPods', 1, INT32_MAX, 'an integer of 1 or more');
  check('scaleUpPercent', 1, INT32_MAX, 'an integer percent of 1 or more');
  return out;
}

function autoscalerProblems(props: ModelServerAutoscalerProps, w: ServingWorkload, signal: AutoscalingSignal, min: number, max: number, perPod: number): Problem[] {
  const out: Problem[] = [];
  const floor = props.engine instanceof KedaEngine ? 0 : 1;
  const minOk = Number.isInteger(min) && min >= floor;
  if (!minOk) out.push({ field: 'minReplicas', value: props.minReplicas, allowed: `an integer of ${floor} or more${floor === 0 ? ' (0 scales to zero)' : ''}` });
  // maxReplicas and acceleratorBudget are each checked as the user wrote them; a maximum derived
  // from a refused budget, or compared with one, is not refused again.
  const budget = props.acceleratorBudget;
  const podCards = Math.max(1, perPod);
  const budgetMax = props.maxReplicas === undefined ? INT32_MAX * podCards : Number.MAX_SAFE_INTEGER;
  const budgetOk = budget === undefined || (typeof budget === 'number' && budget >= podCards && budget <= budgetMax);
  if (props.maxReplicas === undefined && budget === undefined) {
    out.push({ field: 'maxReplicas', value: undefined, allowed: 'a number of replicas, or an acceleratorBudget to derive it from' });
  } else {
    if (!budgetOk) {
      out.push({
        field: 'acceleratorBudget',
        value: budget,
        allowed: props.maxReplicas === undefined ? `a number from ${podCards} to ${budgetMax} (accelerators for 1 to ${INT32_MAX} pods)` : `a number of ${podCards} or more (the accelerators of one pod)`,
        ...(typeof budget === 'number' && budget < podCards ? { why: `a budget of ${budget} holds no pod of ${perPod} accelerator(s)` } : {}),
      });
    }
    const maxOk = Number.isInteger(max) && max >= 1 && max <= INT32_MAX;
    // With a valid budget, a maximum derived from it is valid: only the user's maxReplicas can be refused here.
    if (props.maxReplicas !== undefined && !maxOk) out.push({ field: 'maxReplicas', value: props.maxReplicas, allowed: 'an integer of 1 or more' });
    else if (maxOk && minOk && min > max) out.push({ field: 'minReplicas', value: min, allowed: `at most maxReplicas (${max})` });
    if (maxOk && budget !== undefined && budgetOk && props.maxReplicas !== undefined && props.maxReplicas * perPod > budget) {
      out.push({ field: 'maxReplicas', value: props.maxReplicas, allowed: `at most ${Math.floor(budget / podCards)}`, why: `${props.maxReplicas} pods of ${perPod} accelerator(s) exceed the budget of ${budget}` });
    }
  }
  if (!(Number.isFinite(signal.target) && signal.target > 0)) out.push({ field: 'signal', value: signal.target, allowed: 'a target above 0' });
  if (props.engine instanceof HpaEngine && signal.podMetric(w) === undefined) {
    out.push({ field: 'signal', value: 'poolQueue', allowed: 'queuePerPod or kvCacheUsage with an HPA (Pods metrics); poolQueue needs KEDA' });
  }
  if (props.engine instanceof KedaEngine) {
    const p = serverAddressProblem('engine.prometheusAddress', props.engine.address);
    if (p) out.push(p);
  }
  return out;
}
