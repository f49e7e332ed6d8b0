/**
 * What the two llm-d-modelservice constructs (ModelService for vLLM, FuriosaModelService for
 * Furiosa-LLM) share: both replace forks of the same Helm chart, so their container and pod props
 * and a few rendering rules are the same. Construct-specific props extend these bases.
 */
import type { IConstruct } from 'constructs';
import type { IModelStorage, ISecretReference } from '../core/contracts';
import { addProblems, fail, Problem } from '../core/errors';
import { checkLabels } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { checkQuantity } from '../core/quantities';
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
  /** Pods of this role. @default 1 */
  readonly replicas?: number;
  /** Init containers, after the routing sidecar when it is enabled. @default [] */
  readonly initContainers?: readonly ContainerSpec[];
  /** Annotations of the Deployment. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Annotations of the pods. @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Node labels the pods must run on. @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the pods tolerate (e.g. of accelerator nodes). @default [] */
  readonly tolerations?: readonly Toleration[];
  /** Required node affinity on an accelerator label. @default - none */
  readonly acceleratorTypes?: AcceleratorTypesSelector;
  /** Scheduler of the pods. @default - the default scheduler */
  readonly schedulerName?: string;
  /** Secrets to pull private images with, by name. @default [] */
  readonly imagePullSecrets?: ReadonlyArray<{ readonly name: string }>;
  /** Pod securityContext. @default - unset */
  readonly podSecurityContext?: Readonly<Record<string, unknown>>;
  /** Inject the namespace's Services as environment variables. @default - unset (Kubernetes: true) */
  readonly enableServiceLinks?: boolean;
  /** Seconds a pod gets to finish its requests when stopped. @default - unset (Kubernetes: 30) */
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
  const refuse = (problem: Problem): ModelUri => {
    // Reported with every other problem of the app; construction goes on with a stand-in model.
    addProblems(scope, () => [problem]);
    return parseModelUri(STAND_IN_MODEL_URI);
  };
  if ((art.uri === undefined) === (art.storage === undefined)) {
    return refuse({ field: 'modelArtifacts', value: { uri: art.uri, storage: art.storage?.claimName }, allowed: 'exactly one of uri and storage' });
  }
  let parsed: ModelUri;
  try {
    parsed = art.storage ? parseModelUri(modelStorageUri(art.storage, art.storage.repoId ?? art.name), 'modelArtifacts.storage') : parseModelUri(art.uri as string);
  } catch (e) {
    if (e instanceof ModelUriError) return refuse(e.problem);
    throw e;
  }
  if (parsed.scheme === 'oci') {
    return refuse({
      field: 'modelArtifacts.uri',
      value: parsed.uri,
      allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>',
      why: `oci:// models are not supported: the chart fails on them ("arguments for oci:// not implemented")${ociWhy}`,
    });
  }
  return parsed;
}

/** The model a refused model URI is replaced with while construction goes on (never written: the synth fails). */
const STAND_IN_MODEL_URI = 'hf://refused/model';

/** What both model services check the same way: names, the model, its labels and mount. */
export interface ModelServerIdentity {
  readonly releaseName: string;
  readonly fullname: string;
  /** The furiosa fork names pods after the fullname (a DNS label); llm-d's a DNS subdomain. */
  readonly fullnameIsLabel: boolean;
  readonly namespace: string;
  readonly serviceAccountName?: string;
  readonly artifacts: ModelArtifactsBase & { readonly name: string; readonly size?: string };
  readonly podLabels: Readonly<Record<string, string>>;
  readonly mountPath: string;
  /** An example model name for the message. */
  readonly exampleModel: string;
  /** Which roles set `llm-d.ai/role`, for the message. */
  readonly roles: string;
}

/** Problems with the parts of a model service both chart forks share. */
export function modelServerIdentityProblems(m: ModelServerIdentity): Problem[] {
  const out: Problem[] = [];
  const push = (p: Problem | undefined) => {
    if (p) out.push(p);
  };
  push(checkDns1123Label('releaseName', m.releaseName));
  push(m.fullnameIsLabel ? checkDns1123Label('fullname', m.fullname) : checkDns1123Subdomain('fullname', m.fullname));
  push(checkDns1123Label('namespace', m.namespace));
  if (m.serviceAccountName !== undefined) push(checkDns1123Subdomain('serviceAccount.name', m.serviceAccountName));
  const art = m.artifacts;
  if (typeof art.name !== 'string' || art.name.trim() === '') out.push({ field: 'modelArtifacts.name', value: art.name, allowed: `the model name clients request, e.g. ${m.exampleModel}` });
  out.push(...checkLabels('modelArtifacts.labels', m.podLabels));
  if ('llm-d.ai/role' in m.podLabels) out.push({ field: 'modelArtifacts.labels.llm-d.ai/role', value: m.podLabels['llm-d.ai/role'], allowed: 'no llm-d.ai/role label', why: `the construct sets llm-d.ai/role: ${m.roles}` });
  if (art.size !== undefined) push(checkQuantity('modelArtifacts.size', art.size));
  if (!m.mountPath.startsWith('/')) out.push({ field: 'modelArtifacts.mountPath', value: m.mountPath, allowed: 'an absolute path' });
  if (art.storage && art.storage.claimNamespace !== m.namespace) {
    out.push({ field: 'modelArtifacts.storage', value: `${art.storage.claimNamespace}/${art.storage.claimName}`, allowed: `a claim in namespace "${m.namespace}"`, why: 'pods can only mount claims of their own namespace' });
  }
  return out;
}

/** `modelArtifacts` itself, refused at once when a JavaScript caller left it out (every rule reads it). */
export function requiredModelArtifacts<T extends ModelArtifactsBase>(scope: IConstruct, art: T | undefined): T {
  if (typeof art !== 'object' || art === null || Array.isArray(art)) {
    fail(scope, { field: 'modelArtifacts', value: art, allowed: 'an object with the model name and its uri or storage' });
  }
  return art;
}

