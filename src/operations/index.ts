// Public surface of src/operations: day-2 objects of a serving stack.
export { AutoscalerEngine, AutoscalingSignal, ModelServerAutoscaler } from './model-server-autoscaler';
export type { AutoscalingBehavior, ModelServerAutoscalerProps } from './model-server-autoscaler';
export type { SeriesConsumer } from './series-consumers';
export { ServingDisruptionBudgets } from './disruption-budgets';
export type { DisruptedPool, DisruptionTarget, ServingDisruptionBudgetsProps } from './disruption-budgets';
export { ServingAlerts } from './serving-alerts';
export type { AlertedPool, ServingAlertsProps, ServingAlertThresholds } from './serving-alerts';
export { ServingDashboards } from './serving-dashboards';
export type { ServingDashboardsProps } from './serving-dashboards';
export { DEFAULT_BENCHMARK_IMAGE, ServingBenchmark } from './serving-benchmark';
export type { ServingBenchmarkProps } from './serving-benchmark';
export { EPP_METRICS, SERVER_METRICS } from './metric-names';
export type { ServerMetricNames } from './metric-names';
export { servingWorkloadOf } from './serving-targets';
export type { ServingWorkload } from './serving-targets';
