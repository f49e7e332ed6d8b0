// Public surface of cdk8s-llm-d: the constructs, their props and option types, the contracts
// between them, errors and documented presets. Everything a value is exported by name here, so
// a rule helper added to an area does not become API by accident (test/public-surface.test.ts
// holds the list). Two more entry points: `cdk8s-llm-d/helm` (Helm values -> props) and
// `cdk8s-llm-d/testing` (manifest comparison, schema and Pod Security checks).

// Types: every type of every area (props, option types, contracts); types cost nothing at run time.
export type * from './core/contracts';
export type { Problem, ReportedProblem } from './core/errors';
export type * from './gateway';
export type * from './routing';
export type * from './storage';
export type * from './model-service';
export type * from './scheduler';
export type * from './stack';
export type * from './operations';
export type * from './system';

// Validation and synthesis.
export { LlmdValidationError, describeProblem } from './core/errors';
export { validateTree, synthApp } from './synth/validate';
export type { SynthSummary } from './synth/validate';
export { hardenedContainerSecurityContext, hardenedPodSecurityContext } from './core/security';

// Constructs.
export { IstioGieGateway, DEFAULT_GATEWAY_LISTENERS, SUPPORTED_GATEWAY_CLASSES, istiodValuesYaml, writeIstiodValues } from './gateway';
export { BodyBasedRouter, InferenceRoute, DEFAULT_ROUTE_TIMEOUTS } from './routing';
export { ModelPvcDownloader, HubClient, DEFAULT_DOWNLOADER_IMAGE, DEFAULT_CONSUMER_IMAGE } from './storage';
export { NodeInventory } from './system';
export {
  FuriosaModelService,
  ModelService,
  DEFAULT_FURIOSA_LLM_IMAGE,
  DEFAULT_VLLM_IMAGE,
  DEFAULT_ROUTING_SIDECAR_IMAGE,
  DEFAULT_DRA_CLAIM_TEMPLATES,
  ACCELERATOR_RESOURCES,
  parseModelUri,
  formatModelUri,
  ModelUriError,
} from './model-service';
export { InferenceSchedulerPool, EndpointPickerConfig, PoolProvider, SchedulerRelease, DEFAULT_EPP_IMAGE, EPP_METRICS_PRESETS } from './scheduler';
export { LlmdServingStack, ModelServerEngine, RngdServingStack, ServingNetworkPolicies } from './stack';
export { AutoscalerEngine, AutoscalingSignal, ModelServerAutoscaler, ServingAlerts, ServingBenchmark, ServingDashboards, ServingDisruptionBudgets } from './operations';
