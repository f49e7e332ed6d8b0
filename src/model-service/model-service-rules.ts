/**
 * The rules of llm-d-incubation/llm-d-modelservice v0.4.12 (`templates/_helpers.tpl`) that differ
 * from the furiosa fork, as small pure functions. The construct composes them; tests table-drive them.
 */
import { Problem } from '../core/errors';
import { ModelUri } from '../storage/model-uri';
import { EnvVar } from './k8s-types';

/** Chart label of the upstream chart this library mirrors. */
export const MODELSERVICE_CHART_VERSION = 'v0.4.12';

/**
 * The vLLM image used when a container names none: llm-d's CUDA vLLM build of the llm-d release
 * matching the chart's appVersion (v0.4.0). The chart's values.yaml uses an inference simulator
 * with `:latest`; this library never defaults to a floating tag.
 */
export const DEFAULT_VLLM_IMAGE = 'ghcr.io/llm-d/llm-d-cuda:v0.4.0';

/** The routing sidecar image used when none is given (the chart's values.yaml has `:latest`). */
export const DEFAULT_ROUTING_SIDECAR_IMAGE = 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0';

/** Accelerator type to device-plugin resource name (`accelerator.resources` of the chart). */
export const ACCELERATOR_RESOURCES: Readonly<Record<string, string>> = Object.freeze({
  nvidia: 'nvidia.com/gpu',
  'intel-i915': 'gpu.intel.com/i915',
  'intel-xe': 'gpu.intel.com/xe',
  'intel-gaudi': 'habana.ai/gaudi',
  amd: 'amd.com/gpu',
  google: 'google.com/tpu',
  'rebellions-atom': 'rebellions.ai/ATOM',
});

/** Accelerator type to extra container environment (`accelerator.env` of the chart). */
export const ACCELERATOR_ENV: Readonly<Record<string, ReadonlyArray<{ name: string; value: string }>>> = Object.freeze({
  'intel-i915': [
    { name: 'VLLM_USE_V1', value: '1' },
    { name: 'TORCH_LLM_ALLREDUCE', value: '1' },
    { name: 'VLLM_WORKER_MULTIPROC_METHOD', value: 'spawn' },
  ],
  'intel-xe': [{ name: 'VLLM_WORKER_MULTIPROC_METHOD', value: 'spawn' }],
});

/** Parallelism as the chart's values take it (0 or absent means "derive"). */
export interface VllmParallelismInput {
  readonly tensor?: number;
  readonly data?: number;
  readonly dataLocal?: number;
  readonly workers?: number;
}

/** Resolved vLLM parallelism. */
export interface ResolvedVllmParallelism {
  readonly tensor: number;
  readonly data: number;
  readonly dataLocal: number;
  readonly workers: number;
}

/**
 * Resolves the chart's parallelism helpers: `data` defaults to `dataLocal * workers`,
 * `dataLocal` to `data / workers`, `workers` to `data / dataLocal`; every one to 1.
 * Returns an error text where the chart `fail`s (data not a multiple).
 */
export function resolveVllmParallelism(p: VllmParallelismInput | undefined): { value: ResolvedVllmParallelism; error?: string } {
  const q = p ?? {};
  const tensor = q.tensor || 1;
  let error: string | undefined;
  let data: number;
  if (q.data) data = q.data;
  else if (q.dataLocal && q.workers) data = q.dataLocal * q.workers;
  else data = q.dataLocal || 1;
  let dataLocal: number;
  if (q.dataLocal) dataLocal = q.dataLocal;
  else if (q.data && q.workers) {
    dataLocal = Math.trunc(q.data / q.workers);
    if (dataLocal * q.workers !== q.data) error = 'parallelism.data must be a multiple of parallelism.workers';
  } else dataLocal = q.data || 1;
  let workers: number;
  if (q.workers) workers = q.workers;
  else if (q.data && q.dataLocal) {
    workers = Math.trunc(q.data / q.dataLocal);
    if (workers * q.dataLocal !== q.data) error = 'parallelism.data must be a multiple of parallelism.dataLocal';
  } else workers = 1;
  return { value: { tensor, data, dataLocal, workers }, ...(error ? { error } : {}) };
}

/** Accelerators per pod (worker): `dataLocal * tensor` (`llm-d-modelservice.numGpuPerWorker`). */
export function acceleratorsPerPod(p: ResolvedVllmParallelism): number {
  return p.dataLocal * p.tensor;
}

/** `DP_SIZE`, `TP_SIZE`, `DP_SIZE_LOCAL` (`llm-d-modelservice.parallelismEnv`). */
export function vllmParallelismEnv(p: ResolvedVllmParallelism): EnvVar[] {
  return [
    { name: 'DP_SIZE', value: String(p.data) },
    { name: 'TP_SIZE', value: String(p.tensor) },
    { name: 'DP_SIZE_LOCAL', value: String(p.dataLocal) },
  ];
}

/** The model argument per URI scheme (`llm-d-modelservice.argsByProtocol`), with `--model` first when `modelFlag`. */
export function vllmModelArgs(uri: ModelUri, mountPath: string, modelFlag: boolean): string[] {
  let model: string;
  switch (uri.scheme) {
    case 'hf':
    case 'pvc+hf':
      model = uri.repoId;
      break;
    case 'pvc':
      model = `${mountPath}/${uri.path}`;
      break;
    case 'oci':
      throw new Error('oci:// model URIs have no vLLM model argument');
  }
  return modelFlag ? ['--model', model] : [model];
}

/**
 * Arguments of `vllmServe` (`modelFlag` false, command `vllm serve`) and `imageDefault`
 * (`modelFlag` true) containers: model, `--port`, parallelism flags (each only when > 1),
 * `--served-model-name`, then the user's args.
 */
export function vllmServeArgs(o: {
  readonly uri: ModelUri;
  readonly mountPath: string;
  readonly modelFlag: boolean;
  readonly port: number;
  readonly parallelism: ResolvedVllmParallelism;
  readonly servedModelName: string;
  readonly userArgs?: readonly string[];
}): string[] {
  const p = o.parallelism;
  const out = [...vllmModelArgs(o.uri, o.mountPath, o.modelFlag), '--port', String(o.port)];
  if (p.tensor > 1) out.push('--tensor-parallel-size', String(p.tensor));
  if (p.data > 1) out.push('--data-parallel-size', String(p.data));
  if (p.dataLocal > 1) out.push('--data-parallel-size-local', String(p.dataLocal));
  out.push('--served-model-name', o.servedModelName, ...(o.userArgs ?? []));
  return out;
}

/** The port vLLM listens on (`llm-d-modelservice.vllmPort`): servicePort for prefill or without the proxy, else the proxy's target port. */
export function vllmPort(role: 'decode' | 'prefill', proxyEnabled: boolean, servicePort: number, targetPort: number): number {
  return role === 'prefill' || !proxyEnabled ? servicePort : targetPort;
}

/**
 * An accelerator type the chart knows (`cpu`, or a key of its resource map, which `resourceName`
 * extends): any other type silently gets `nvidia.com/gpu`, whatever was meant.
 */
export function acceleratorTypeProblem(field: string, type: string, resources: Readonly<Record<string, string>>): Problem | undefined {
  if (type === 'cpu' || Object.prototype.hasOwnProperty.call(resources, type)) return undefined;
  const known = ['cpu', ...Object.keys(resources)];
  const near = known.find((k) => k === type.trim().toLowerCase());
  return {
    field,
    value: type,
    allowed: `${known.join(', ')}, or another type together with accelerator.resourceName`,
    why: near ? `did you mean "${near}"?` : 'an unknown type would get nvidia.com/gpu',
  };
}

/**
 * The accelerator resource name of a container (`llm-d-modelservice.acceleratorResource`): none
 * for inference-simulator images and the `cpu` type, else the type's resource, else `nvidia.com/gpu`.
 */
export function acceleratorResourceName(type: string, image: string, resources: Readonly<Record<string, string>> = ACCELERATOR_RESOURCES): string {
  if (image.includes('llm-d-inference-sim')) return '';
  if (type === 'cpu') return '';
  return resources[type] ?? 'nvidia.com/gpu';
}

/**
 * Container limits/requests with the accelerator (`llm-d-modelservice.resources`, device-plugin
 * mode): the user's values are kept; the accelerator is added as `count` only where the user did
 * not set it.
 */
export function vllmResources(
  user: { readonly limits?: Readonly<Record<string, string | number>>; readonly requests?: Readonly<Record<string, string | number>> } | undefined,
  resourceName: string,
  count: number,
): { limits: Record<string, string | number>; requests: Record<string, string | number> } {
  const limits: Record<string, string | number> = { ...(user?.limits ?? {}) };
  const requests: Record<string, string | number> = { ...(user?.requests ?? {}) };
  if (count >= 1 && resourceName !== '') {
    if (!(resourceName in limits)) limits[resourceName] = String(count);
    if (!(resourceName in requests)) requests[resourceName] = String(count);
  }
  return { limits, requests };
}

/**
 * The chart's `llm-d.ai/accelerator-warning` annotation text when the first container's limit
 * for the accelerator differs from the parallelism's count; undefined otherwise.
 */
export function acceleratorWarning(resourceName: string, count: number, limits: Readonly<Record<string, string | number>> | undefined): string | undefined {
  if (count < 1 || resourceName === '' || !limits || !(resourceName in limits)) return undefined;
  const user = Math.trunc(Number(limits[resourceName]));
  const userValue = Number.isFinite(user) ? user : 0;
  if (userValue === count) return undefined;
  return `Accelerator mismatch: ${resourceName} is set to ${userValue} but parallelism calculates ${count}. Using ${userValue}.`;
}

/**
 * The chart requests the parallelism's device count but keeps a limit the user wrote: when the two
 * differ and the user wrote no request, the pod asks for more (or fewer) devices than its limit,
 * which the API server refuses for devices.
 */
export function acceleratorRequestMismatch(
  role: string,
  first: { readonly resources?: { readonly limits?: Readonly<Record<string, string | number>>; readonly requests?: Readonly<Record<string, string | number>> } },
  resourceName: string,
  count: number,
): Problem | undefined {
  const limits = first.resources?.limits;
  if (acceleratorWarning(resourceName, count, limits) === undefined || first.resources?.requests?.[resourceName] !== undefined) return undefined;
  return {
    field: `${role}.containers[0].resources.limits.${resourceName}`,
    value: limits![resourceName],
    allowed: `${count} (tensor x dataLocal parallelism), or a request equal to the limit`,
    why: `the pod would request ${count} ${resourceName} with a limit of ${String(limits![resourceName])}; devices cannot be overcommitted`,
  };
}

/**
 * vLLM data parallelism in pods that hold fewer accelerators than its ranks need (seed 004's
 * wrong pattern: `data: 8` in pods of one GPU each); the fix is replicas.
 */
export function dataParallelismProblem(role: string, par: ResolvedVllmParallelism, resourceName: string, limitValue: string | number | undefined, count: number): Problem | undefined {
  const limit = Number(limitValue);
  if (resourceName === '' || par.data <= 1 || !Number.isFinite(limit) || limit >= count) return undefined;
  return {
    field: `${role}.parallelism.data`,
    value: par.data,
    allowed: `1 with ${role}.replicas for the data parallelism (pods of ${limit} ${resourceName} each), or a limit of ${count}`,
    why: `vLLM would start with --data-parallel-size ${par.data} in pods that hold ${limit} ${resourceName}; it crashes with EngineCore_DP1 failures`,
  };
}

/**
 * Hugging Face environment (`llm-d-modelservice.hfEnv`): `HF_HOME=<mountPath>` for hf:// and
 * `HF_HUB_CACHE=/model-cache/<hub cache path>` for pvc+hf:// in containers that mount the model;
 * `HF_TOKEN` from the `authSecret` Secret in every container.
 */
export function vllmHuggingFaceEnv(uri: ModelUri, mountPath: string, mountsModel: boolean, authSecretName: string | undefined): EnvVar[] {
  const out: EnvVar[] = [];
  if (mountsModel && uri.scheme === 'hf') out.push({ name: 'HF_HOME', value: mountPath });
  if (mountsModel && uri.scheme === 'pvc+hf') out.push({ name: 'HF_HUB_CACHE', value: `/model-cache/${uri.hubCachePath}` });
  if (authSecretName) out.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: authSecretName, key: 'HF_TOKEN' } } });
  return out;
}
