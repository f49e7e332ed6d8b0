// Public surface of src/scheduler.
export * from './inference-scheduler-pool';
export * from './pool-options';
export * from './pool-provider';
export * from './scheduler-release';
export * from './engine-configs';
export * from './epp-config';
export * from './types';
export type { InferencePoolApiVersion, EppMetricsPreset, EppFlagValue, EppArgsInput } from './rules';
export {
  INFERENCE_POOL_API_VERSIONS,
  EPP_METRICS_PRESETS,
  FURIOSA_METRIC_FLAGS,
  TRITON_METRIC_ARGS,
  RESERVED_EPP_FLAGS,
  presetFlags,
  presetFixedArgs,
  presetForFlavors,
  resolveEppFlags,
  eppArgs,
  eppNameFor,
  clusterRbacNameFor,
  apiGroupOf,
  goFormatNumber,
} from './rules';
