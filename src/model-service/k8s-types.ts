/**
 * Small typed views of the Kubernetes pod-spec pieces the model service props accept. They use the
 * wire format (camelCase JSON, exactly what `kubectl` and the chart's values take), so a chart
 * user can paste values and a TypeScript user gets completion. Fields we don't list are still
 * accepted through the index signatures and passed through unchanged.
 */

// The core/v1 types are shared with the other areas (one definition in src/core/k8s-types.ts);
// re-exported here so `FuriosaPodTypes.*` keeps every name.
export * from '../core/k8s-types';

// The PodMonitor relabeling rule is the generated CRD type (src/model-service/pod-monitor.ts).
export type { RelabelConfig } from './pod-monitor';

/** resource.k8s.io/v1 DeviceSelector. */
export interface DeviceSelector {
  readonly cel: { readonly expression: string };
}
