// Public surface of src/model-service.
export * from './furiosa-model-service';
export * from './furiosa-options';
/** JSON-shaped Kubernetes pod types used by the props (namespaced to avoid clashing with other areas). */
export * as FuriosaPodTypes from './k8s-types';
export {
  DEFAULT_FURIOSA_LLM_IMAGE,
  DEFAULT_MODEL_MOUNT_PATH,
  FURIOSA_MODELSERVICE_CHART_NAME,
  RNGD_PES_PER_CARD,
  modelServiceFullname,
  rngdPerPod,
  parallelismArgs,
  parallelismEnv,
  modelArgument,
  furiosaServeArgs,
  huggingFaceEnv,
  modelVolume,
  modelVolumeMount,
  acceleratorResources,
  guideProbes,
} from './furiosa-rules';
export { routingProxyArgs, ZAP_ENCODERS, ZAP_STACKTRACE_LEVELS, ZAP_TIME_ENCODINGS } from './routing-sidecar';
export type { RoutingSidecarOptions, RoutingProxyArgs, ZapEncoder, ZapStacktraceLevel, ZapTimeEncoding } from './routing-sidecar';
export type { ResolvedParallelism } from './furiosa-rules';
export type { ModelUri, HfModelUri, PvcModelUri, PvcHfModelUri, OciModelUri } from '../storage/model-uri';
// Model URI parsing lives in src/storage (shared with the storage constructs); exported from here.
export {
  parseModelUri,
  checkModelUri,
  modelStorageUri,
  formatModelUri,
  ModelUriError,
  MODEL_URI_FORMS,
} from '../storage/model-uri';
export * from './model-service';
export * from './model-service-options';
export type { LeaderWorkerSetSubGroupPolicy } from './leader-worker-set';
// Every export of the vLLM rules is public.
export * from './model-service-rules';
// Bases the two model-service constructs' props extend.
export type { AcceleratorTypesSelector, ModelArtifactsBase, ModelServerContainerBase, ModelServerPodBase, ModelServerPodMonitorBase } from './pod-core';
