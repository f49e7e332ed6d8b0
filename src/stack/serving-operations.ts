import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Problem } from '../core/errors';
import { ServingDisruptionBudgets } from '../operations/disruption-budgets';
import { ModelServerAutoscaler, ModelServerAutoscalerProps } from '../operations/model-server-autoscaler';
import { ServingAlerts, ServingAlertThresholds } from '../operations/serving-alerts';
import { ServingBenchmark, ServingBenchmarkProps } from '../operations/serving-benchmark';
import { ServingDashboards } from '../operations/serving-dashboards';
import type { IModelServer } from '../core/contracts';
import type { IstioGieGateway } from '../gateway/istio-gie-gateway';
import { addProblems } from '../core/errors';
import type { InferenceSchedulerPool } from '../scheduler/inference-scheduler-pool';
import type { ModelPvcDownloader } from '../storage/model-pvc-downloader';

/** One model of a stack, as its day-2 objects see it. */
export interface OperatedModel {
  /** Hugging Face id of the model. */
  readonly model: string;
  /** The model service: a FuriosaModelService or a ModelService. */
  readonly modelService: Construct & IModelServer;
  /** The prefill pods of a prefill/decode model service. */
  readonly prefill?: IModelServer;
  /** Their workload. */
  readonly prefillWorkload?: ApiObject;
  /** The model's InferencePool and endpoint picker. */
  readonly pool: InferenceSchedulerPool;
  /** The downloader filling the model's claim, when the stack made one. */
  readonly downloader?: ModelPvcDownloader;
}

/** Autoscaling of every model server of a stack: the autoscaler's props, for each model's server. */
export type StackAutoscalingOptions = Omit<ModelServerAutoscalerProps, 'target'>;

/** Day-2 objects of a serving stack. Each is off unless set. */
export interface ServingOperationsOptions {
  /** An autoscaler per model server (the models must not fix `replicas`). @default - none */
  readonly autoscaling?: StackAutoscalingOptions;
  /** PodDisruptionBudgets (maxUnavailable 1) for the model servers and endpoint pickers. @default false */
  readonly disruptionBudgets?: boolean;
  /** A PrometheusRule with the serving alerts. @default - none */
  readonly alerts?: boolean | { readonly thresholds?: ServingAlertThresholds; readonly labels?: Readonly<Record<string, string>> };
  /** Grafana dashboards in ConfigMaps (`grafana_dashboard: "1"`). @default - none */
  readonly dashboards?: boolean | { readonly folder?: string };
  /** A benchmark Job against the stack's gateway, for the first model. @default - none */
  readonly benchmark?: boolean | Omit<ServingBenchmarkProps, 'gateway' | 'model' | 'namespace'>;
}

/** What {@link addServingOperations} built. */
export interface ServingOperations {
  readonly autoscalers: readonly ModelServerAutoscaler[];
  readonly disruptionBudgets?: ServingDisruptionBudgets;
  readonly alerts?: ServingAlerts;
  readonly dashboards?: ServingDashboards;
  readonly benchmark?: ServingBenchmark;
}

/** Builds the day-2 objects of a stack's models under `scope`. */
export function addServingOperations(scope: Construct, prefix: string, namespace: string, gateway: IstioGieGateway | undefined, models: readonly OperatedModel[], o: ServingOperationsOptions): ServingOperations {
  const servers = models.map((m) => m.modelService);
  const pools = models.map((m) => m.pool);
  const scaling = o.autoscaling;
  const autoscalers = scaling
    ? models.map((m, i) => new ModelServerAutoscaler(scope, `autoscaler-${i}`, { target: m.modelService, ...scaling }))
    : [];
  const disruptionBudgets = o.disruptionBudgets
    ? new ServingDisruptionBudgets(scope, 'disruption-budgets', {
      namespace,
      modelServers: servers,
      pools,
      targets: models.flatMap((m) => (m.prefill && m.prefillWorkload ? [{ name: m.prefillWorkload.name, podLabels: m.prefill.podLabels }] : [])),
    })
    : undefined;
  const alertOpts = o.alerts === true ? {} : o.alerts || undefined;
  const alerts = alertOpts
    ? new ServingAlerts(scope, 'alerts', {
      name: `${prefix}-serving`,
      namespace,
      modelServers: servers,
      pools,
      downloaderJobs: models.flatMap((m) => (m.downloader?.workload === 'job' ? [m.downloader.downloaderName] : [])),
      ...alertOpts,
    })
    : undefined;
  const dashOpts = o.dashboards === true ? {} : o.dashboards || undefined;
  const dashboards = dashOpts ? new ServingDashboards(scope, 'dashboards', { name: prefix, namespace, modelServers: servers, pools, ...dashOpts }) : undefined;
  const benchOpts = o.benchmark === true ? {} : o.benchmark || undefined;
  const benchmark = benchOpts && models.length > 0 && gateway ? new ServingBenchmark(scope, 'benchmark', { ...benchOpts, gateway, model: models[0].model, namespace }) : undefined;
  // The benchmark loads the stack through a gateway of this app: a shared gateway is another app's.
  if (benchOpts && !gateway) {
    addProblems(scope, () => [{ field: 'operations.benchmark', value: o.benchmark, allowed: 'unset with a shared gateway (create a ServingBenchmark in the app that owns it)', why: 'the benchmark must load the stack through a gateway of this app' }]);
  }
  return { autoscalers, disruptionBudgets, alerts, dashboards, benchmark };
}

/** Models that fix their replicas while an autoscaler would own them. */
export function fixedReplicaProblems(fixed: ReadonlyArray<number | undefined>, autoscaling: boolean): Problem[] {
  if (!autoscaling) return [];
  return fixed.flatMap((r, i) => (r === undefined ? [] : [{ field: `models[${i}].replicas`, value: r, allowed: 'unset (operations.autoscaling owns the replica count; bound it with minReplicas and maxReplicas)', why: 'a fixed replica count and an autoscaler fight: every apply resets what the autoscaler chose' }]));
}
