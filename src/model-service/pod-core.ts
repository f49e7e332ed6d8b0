/**
 * What the two llm-d-modelservice constructs (ModelService for vLLM, FuriosaModelService for
 * Furiosa-LLM) share: both replace forks of the same Helm chart, so their container and pod props
 * and a few rendering rules are the same. Construct-specific props extend these bases.
 */
import type { IConstruct } from 'constructs';
import type { IModelStorage, ISecretReference } from '../core/contracts';
import { fail } from '../core/errors';
import { ModelUri, ModelUriError, modelStorageUri, parseModelUri } from '../storage/model-uri';
import type { ContainerSpec, EnvVar, ImagePullPolicy, Probe, SecurityContext, Toleration, VolumeMount } from './k8s-types';
export type { ModelServerPodMonitorBase } from './pod-monitor';

type Json = Record<string, unknown>;

/** Where the model comes from (`modelArtifacts` of both chart forks), the fields whose rules are the same. */
export interface ModelArtifactsBase {
  /**
   * Model URI: `hf://<org>/<model>` (downloaded at start into an emptyDir of `size`),
   * `pvc://<claim>/<path/to/model>` (a model directory on a claim) or
   * `pvc+hf://<claim>/[<hub cache path>/]<org>/<model>` (a Hugging Face hub cache on a claim).
   * `oci://` is refused: the chart fails on it ("arguments for oci:// not implemented").
   * Exactly one of `uri` and `storage` is required.
   */
  readonly uri?: string;
  /**
   * A claim holding a Hugging Face hub cache, e.g. a `ModelPvcDownloader`. Equivalent to
   * `uri: pvc+hf://<claimName>/<hubCachePath>/<repoId>` (repoId defaults to `name`); its
   * `tokenSecret` becomes the default `authSecret`. Its namespace must be the service's.
   */
  readonly storage?: IModelStorage;
  /**
   * Secret with key `HF_TOKEN`; the model containers get `HF_TOKEN` from it. A cdk8s-plus
   * `ISecret` (e.g. `Secret.fromSecretName(...)`) or `{ name: 'hf-token' }`.
   * @default - the Secret named by `storage.tokenSecret`, else no token
   */
  readonly authSecret?: ISecretReference;
}

/** Fields of one model-server container common to both chart forks (`<role>.containers[]`). */
export interface ModelServerContainerBase {
  /** Command for `custom` (required there; refused with the other modes). */
  readonly command?: readonly string[];
  /** Extra arguments (appended after the generated ones). @default [] */
  readonly args?: readonly string[];
  /** Environment, before the generated variables. @default [] */
  readonly env?: readonly EnvVar[];
  /** @default - none */
  readonly startupProbe?: Probe;
  /** @default - none */
  readonly livenessProbe?: Probe;
  /** @default - none */
  readonly readinessProbe?: Probe;
  /** Extra mounts (the model volume mount is added after them when `mountModelVolume`). @default [] */
  readonly volumeMounts?: readonly VolumeMount[];
  /** @default - unset (Kubernetes: IfNotPresent for tagged images) */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Security context, merged over the hardened default. @default - the hardened default */
  readonly securityContext?: SecurityContext;
  /** @default - unset */
  readonly workingDir?: string;
  /** @default - unset */
  readonly stdin?: boolean;
  /** @default - unset */
  readonly tty?: boolean;
  /** Other Container fields (the chart's `extraConfig`); keys set by dedicated props are refused. @default {} */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
}

/** Node affinity to nodes carrying an accelerator label (`acceleratorTypes` of the chart). */
export interface AcceleratorTypesSelector {
  /** Node label key, e.g. `furiosa.ai/rngd.present` or a feature-discovery product label. */
  readonly labelKey: string;
  /** Accepted values (operator In). @default [] */
  readonly labelValues?: readonly string[];
}

/** Pod fields of one role common to both chart forks (`decode` / `prefill`). */
export interface ModelServerPodBase {
  /** @default 1 */
  readonly replicas?: number;
  /** Init containers, after the routing sidecar when it is enabled. @default [] */
  readonly initContainers?: readonly ContainerSpec[];
  /** Annotations of the Deployment. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Annotations of the pods. @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** Required node affinity on an accelerator label. @default - none */
  readonly acceleratorTypes?: AcceleratorTypesSelector;
  /** @default - the default scheduler */
  readonly schedulerName?: string;
  /** @default [] */
  readonly imagePullSecrets?: ReadonlyArray<{ readonly name: string }>;
  /** Pod securityContext. @default - unset */
  readonly podSecurityContext?: Readonly<Record<string, unknown>>;
  /** @default - unset (Kubernetes: true) */
  readonly enableServiceLinks?: boolean;
  /** @default - unset (Kubernetes: 30) */
  readonly terminationGracePeriodSeconds?: number;
  /** Mount a service account token (the model servers do not call the Kubernetes API). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Other PodSpec fields (the chart's `extraConfig`); keys set by dedicated props are refused. @default {} */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
}

/** Copy the probes and the small optional fields a container sets only when given (truthy). */
export function setOptionalContainerFields(out: Json, c: ModelServerContainerBase): void {
  if (c.livenessProbe) out.livenessProbe = c.livenessProbe;
  if (c.readinessProbe) out.readinessProbe = c.readinessProbe;
  if (c.startupProbe) out.startupProbe = c.startupProbe;
  if (c.workingDir) out.workingDir = c.workingDir;
  if (c.stdin) out.stdin = c.stdin;
  if (c.tty) out.tty = c.tty;
}

/**
 * The model URI of `art` (exactly one of `uri` and `storage`), parsed; refuses oci:// (both chart
 * forks fail on it), with `ociWhy` saying what to do instead.
 */
export function resolveModelArtifactsUri(scope: IConstruct, art: ModelArtifactsBase & { readonly name: string }, ociWhy: string): ModelUri {
  if ((art.uri === undefined) === (art.storage === undefined)) {
    fail(scope, { field: 'modelArtifacts', value: { uri: art.uri, storage: art.storage?.claimName }, allowed: 'exactly one of uri and storage' });
  }
  let parsed: ModelUri;
  try {
    parsed = art.storage ? parseModelUri(modelStorageUri(art.storage, art.storage.repoId ?? art.name), 'modelArtifacts.storage') : parseModelUri(art.uri as string);
  } catch (e) {
    if (e instanceof ModelUriError) fail(scope, e.problem);
    throw e;
  }
  if (parsed.scheme === 'oci') {
    fail(scope, {
      field: 'modelArtifacts.uri',
      value: parsed.uri,
      allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>',
      why: `oci:// models are not supported: the chart fails on them ("arguments for oci:// not implemented")${ociWhy}`,
    });
  }
  return parsed;
}

