/**
 * The metric names the stack's alerts, dashboards and autoscalers query, checked against what
 * each component exports: furiosa-llm (seed 000's Model Server Protocol table), vLLM (v1 engine),
 * the endpoint picker (llm-d-router / GAIE `pkg/epp/metrics`, pool metrics labelled `name`) and
 * kube-state-metrics.
 */
import type { ModelServerMetricsFlavor } from '../core/contracts';
import { eq, LabelMatcher, matchesRegex, PromRegex } from '../core/promql';
import { FURIOSA_ENGINE_CONFIG } from '../scheduler/engine-configs';

/** Serving-signal metrics of one model-server engine. */
export interface ServerMetricNames {
  /** Requests waiting in the engine's queue (gauge). */
  readonly waiting: string;
  /** Requests being decoded (gauge). */
  readonly running: string;
  /** KV-cache use, 0 to 1 (gauge). */
  readonly kvCacheUsage: string;
}

/** Serving-signal metric names per engine (furiosa-llm, vLLM), as alerts, dashboards and autoscalers query them. */
export const SERVER_METRICS: Readonly<Record<ModelServerMetricsFlavor, ServerMetricNames>> = Object.freeze({
  // The names the endpoint picker already scrapes furiosa-llm by (seed 000's table).
  furiosa: { waiting: FURIOSA_ENGINE_CONFIG.queuedRequestsSpec!, running: FURIOSA_ENGINE_CONFIG.runningRequestsSpec!, kvCacheUsage: FURIOSA_ENGINE_CONFIG.kvUsageSpec! },
  vllm: { waiting: 'vllm:num_requests_waiting', running: 'vllm:num_requests_running', kvCacheUsage: 'vllm:kv_cache_usage_perc' },
});

/** Endpoint-picker metrics. */
export const EPP_METRICS = Object.freeze({
  readyPods: 'inference_pool_ready_pods',
  averageQueueSize: 'inference_pool_average_queue_size',
  averageKvCacheUtilization: 'inference_pool_average_kv_cache_utilization',
  requestTotal: 'inference_objective_request_total',
  requestErrorTotal: 'inference_objective_request_error_total',
  requestDuration: 'inference_objective_request_duration_seconds',
  schedulerAttempts: 'inference_extension_scheduler_attempts_total',
});

/** kube-state-metrics. */
export const KUBE_STATE_METRICS = Object.freeze({
  deploymentAvailable: 'kube_deployment_status_replicas_available',
  deploymentSpecReplicas: 'kube_deployment_spec_replicas',
  jobFailed: 'kube_job_status_failed',
});

/**
 * Label matchers for the pods of one workload: `namespace="ns",pod=~"<workload>-.*"`, the name
 * matched literally (a `.` in it is no wildcard). `fields` name the props the values came from.
 */
export function podsOf(namespace: string, workload: string, fields: { readonly namespace?: string; readonly workload?: string } = {}): LabelMatcher[] {
  return [eq('namespace', namespace, fields.namespace ?? 'namespace'), matchesRegex('pod', PromRegex.sequence(PromRegex.literal(`${workload}-`), PromRegex.anything()), fields.workload ?? 'workload')];
}
