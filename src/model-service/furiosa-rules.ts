/**
 * The rules of furiosa-ai/helm-charts `llm-d-modelservice` 2026.1.0 (`templates/_helpers.tpl`),
 * as small pure functions. The construct composes them; tests table-drive them.
 */
import { truncateName } from '../core/names';
import { ModelUri } from '../storage/model-uri';
import { ContainerPort, EnvVar, IntOrString, Probe, ResourceRequirements, Volume, VolumeMount } from './k8s-types';

/** The chart's name, used in the default full name `<release>-llm-d-modelservice`. */
export const FURIOSA_MODELSERVICE_CHART_NAME = 'llm-d-modelservice';

/** Processing elements per RNGD card: `tensor * data * pipeline` PEs need `ceil(/8)` cards. */
export const RNGD_PES_PER_CARD = 8;

/** Where the model volume is mounted unless `modelArtifacts.mountPath` says otherwise. */
export const DEFAULT_MODEL_MOUNT_PATH = '/model-cache';

/**
 * The image used when a furiosa-llm container names none: the furiosa-llm release matching the
 * chart version this library mirrors (furiosa-ai/helm-charts llm-d-modelservice 2026.1.0, Furiosa
 * SDK 2026.1; `furiosa-llm` 2026.1.0 is on PyPI and the SDK publishes the image with the same
 * tag on Docker Hub). The chart and the guide use `:latest`; this library never defaults to a
 * floating tag. Pass `image` to choose another release (or `:latest` explicitly).
 */
export const DEFAULT_FURIOSA_LLM_IMAGE = 'furiosaai/furiosa-llm:2026.1.0';

/**
 * The chart's full name (`llm-d-modelservice.fullname`): `fullnameOverride`, else the release
 * name when it already contains the chart name, else `<release>-llm-d-modelservice`; truncated to
 * 55 characters (room for `-prefill`) with trailing "-" removed.
 */
export function modelServiceFullname(release: string, fullnameOverride?: string): string {
  if (fullnameOverride) return truncateName(fullnameOverride, 55);
  const chart = FURIOSA_MODELSERVICE_CHART_NAME;
  return truncateName(release.includes(chart) ? release : `${release}-${chart}`, 55);
}

/** A release-like name from a construct id: lower case, runs of other characters become "-". */
export function releaseNameFromId(id: string): string {
  const s = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return truncateName(s === '' ? 'ms' : s, 53);
}

/** Resolved parallelism (every field present). */
export interface ResolvedParallelism {
  readonly tensor: number;
  readonly data: number;
  readonly pipeline: number;
  readonly workers: number;
}

/** RNGD cards per pod: `ceil(tensor * data * pipeline / 8)` (`llm-d-modelservice.numRngdPerWorker`). */
export function rngdPerPod(p: Pick<ResolvedParallelism, 'tensor' | 'data' | 'pipeline'>): number {
  return Math.ceil((p.tensor * p.data * p.pipeline) / RNGD_PES_PER_CARD);
}

/** `--tensor-parallel-size`, `--data-parallel-size`, `--pipeline-parallel-size`, each only when > 1. */
export function parallelismArgs(p: Pick<ResolvedParallelism, 'tensor' | 'data' | 'pipeline'>): string[] {
  const out: string[] = [];
  if (p.tensor > 1) out.push('--tensor-parallel-size', String(p.tensor));
  if (p.data > 1) out.push('--data-parallel-size', String(p.data));
  if (p.pipeline > 1) out.push('--pipeline-parallel-size', String(p.pipeline));
  return out;
}

/** `DP_SIZE`, `TP_SIZE`, `PP_SIZE`, always (`llm-d-modelservice.parallelismEnv`). */
export function parallelismEnv(p: Pick<ResolvedParallelism, 'tensor' | 'data' | 'pipeline'>): EnvVar[] {
  return [
    { name: 'DP_SIZE', value: String(p.data) },
    { name: 'TP_SIZE', value: String(p.tensor) },
    { name: 'PP_SIZE', value: String(p.pipeline) },
  ];
}

/** The model argument of `furiosa-llm serve` per URI scheme (`llm-d-modelservice.argsByProtocol`). */
export function modelArgument(uri: ModelUri, mountPath: string): string {
  switch (uri.scheme) {
    case 'hf':
      return uri.repoId;
    case 'pvc':
      return `${mountPath}/${uri.path}`;
    case 'pvc+hf':
      return uri.repoId;
    case 'oci':
      throw new Error('oci:// model URIs have no furiosa-llm model argument');
  }
}

/**
 * The whole argument list of a `furiosaLLMServe` container: model, `--port`, the parallelism
 * flags, then the user's args.
 */
export function furiosaServeArgs(uri: ModelUri, mountPath: string, port: number, p: ResolvedParallelism, userArgs: readonly string[]): string[] {
  return [modelArgument(uri, mountPath), '--port', String(port), ...parallelismArgs(p), ...userArgs];
}

/**
 * Hugging Face environment per scheme (`llm-d-modelservice.hfEnv`): `HF_HOME=<mountPath>` for
 * hf:// and `HF_HUB_CACHE=/model-cache/<hub cache path>` for pvc+hf:// (the chart writes
 * `/model-cache` here whatever `mountPath` is), both only in containers that mount the model
 * volume; `HF_TOKEN` from the `authSecret` Secret (key `HF_TOKEN`) in every container.
 */
export function huggingFaceEnv(uri: ModelUri, mountPath: string, mountsModel: boolean, authSecretName: string | undefined): EnvVar[] {
  const out: EnvVar[] = [];
  if (mountsModel && uri.scheme === 'hf') out.push({ name: 'HF_HOME', value: mountPath });
  if (mountsModel && uri.scheme === 'pvc+hf') out.push({ name: 'HF_HUB_CACHE', value: `${DEFAULT_MODEL_MOUNT_PATH}/${uri.hubCachePath}` });
  if (authSecretName) out.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: authSecretName, key: 'HF_TOKEN' } } });
  return out;
}

/** The `model-storage` volume (`llm-d-modelservice.mountModelVolumeVolumes`). */
export function modelVolume(uri: ModelUri, size: string | undefined): Volume {
  switch (uri.scheme) {
    case 'hf':
      return { name: 'model-storage', emptyDir: { sizeLimit: size ?? '0' } };
    case 'pvc':
    case 'pvc+hf':
      return { name: 'model-storage', persistentVolumeClaim: { claimName: uri.claimName, readOnly: true } };
    case 'oci':
      return { name: 'model-storage', image: { reference: uri.reference, pullPolicy: 'Always' } };
  }
}

/**
 * The `model-storage` mount. The chart marks it read-only for pvc:// (and oci://); this library
 * also marks pvc+hf:// read-only, which the read-only claim volume enforces anyway.
 */
export function modelVolumeMount(uri: ModelUri, mountPath: string): VolumeMount {
  return uri.scheme === 'hf' ? { name: 'model-storage', mountPath } : { name: 'model-storage', mountPath, readOnly: true };
}

/**
 * Container resources with the accelerator (`llm-d-modelservice.resources`): the user's limits
 * and requests are kept and the accelerator resource is set to `count` in both (overwriting a
 * user value, as the chart's `mergeOverwrite` does). No accelerator entry when `count < 1` or the
 * resource name is empty (cpu accelerator type, llm-d-inference-sim images). `limits` and
 * `requests` are always present, as in the chart.
 */
export function acceleratorResources(user: ResourceRequirements | undefined, resourceName: string, count: number): { limits: Record<string, string | number>; requests: Record<string, string | number> } {
  const limits: Record<string, string | number> = { ...(user?.limits ?? {}) };
  const requests: Record<string, string | number> = { ...(user?.requests ?? {}) };
  if (count >= 1 && resourceName !== '') {
    limits[resourceName] = String(count);
    requests[resourceName] = String(count);
  }
  return { limits, requests };
}

/** True when the image is an llm-d inference simulator (the chart gives it no accelerator). */
export function isInferenceSimImage(image: string): boolean {
  return image.includes('llm-d-inference-sim');
}

/** The port a probe or PodMonitor refers to: the port's name when it has one, else its number. */
export function portReference(ports: readonly ContainerPort[], containerPort: number): IntOrString {
  return ports.find((p) => p.containerPort === containerPort)?.name ?? containerPort;
}

/**
 * The probes of the Furiosa-LLM + llm-d guide: startup on `/v1/models` (up to 30 minutes for
 * loading the model onto the RNGDs), liveness on `/health`, readiness on `/v1/models`.
 */
export function guideProbes(port: IntOrString): { startupProbe: Probe; livenessProbe: Probe; readinessProbe: Probe } {
  return {
    startupProbe: { httpGet: { path: '/v1/models', port }, initialDelaySeconds: 15, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 60 },
    livenessProbe: { httpGet: { path: '/health', port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/v1/models', port }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
  };
}

/** Named ports a probe refers to (httpGet / tcpSocket with a string port). */
export function probePortName(probe: Probe | undefined): string | undefined {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  return typeof port === 'string' ? port : undefined;
}

/** A label value from a model name: its last path segment, cut to a valid label value. */
export function modelLabelValue(modelName: string): string {
  const last = modelName.split('/').pop() ?? modelName;
  const s = last.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return s === '' ? 'model' : s;
}
