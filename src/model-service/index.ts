// Public surface of src/model-service.
export * from './furiosa-model-service';
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
  routingProxyArgs,
} from './furiosa-rules';
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
export { furiosaModelServicePropsFromValues, FURIOSA_MODELSERVICE_CHART_DEFAULTS } from '../helm/furiosa-modelservice';
export * from './model-service';
export {
  ACCELERATOR_ENV,
  ACCELERATOR_RESOURCES,
  DEFAULT_ROUTING_SIDECAR_IMAGE,
  DEFAULT_VLLM_IMAGE,
  MODELSERVICE_CHART_VERSION,
  acceleratorResourceName,
  acceleratorsPerPod,
  acceleratorWarning,
  resolveVllmParallelism,
  vllmHuggingFaceEnv,
  vllmModelArgs,
  vllmParallelismEnv,
  vllmPort,
  vllmResources,
  vllmServeArgs,
} from './model-service-rules';
export type { ResolvedVllmParallelism, VllmParallelismInput } from './model-service-rules';
export { modelServicePropsFromValues, MODELSERVICE_CHART_DEFAULTS } from '../helm/modelservice';
