// The props of FuriosaModelService: the values of the furiosa-ai llm-d-modelservice chart as typed
// options, with the chart's defaults in their JSDoc.
import type { IServiceAccountReference } from '../core/contracts';
import type { AcceleratorTypesSelector, ModelArtifactsBase, ModelServerContainerBase, ModelServerPodBase, ModelServerPodMonitorBase } from './pod-core';
import type { RoutingSidecarOptions } from './routing-sidecar';
import type { ContainerPort, ContainerSpec, DeviceSelector, EnvVar, ImagePullPolicy, Probe, ResourceRequirements, SecurityContext, Volume, VolumeMount } from './k8s-types';

// ---------------------------------------------------------------------------------------------
// Props
// ---------------------------------------------------------------------------------------------

/** Where the model comes from and how pods find it (`modelArtifacts` of the chart). */
export interface FuriosaModelArtifacts extends ModelArtifactsBase {
  /**
   * Model name clients send as `model` in OpenAI requests (the pool's model name).
   * furiosa-llm serves the model under the name of its model argument (the repository id for
   * hf:// and pvc+hf://), so keep the two equal or pass `--served-model-name` in `args`.
   */
  readonly name: string;
  /**
   * Size limit of the emptyDir an hf:// model is downloaded into. Ignored for pvc URIs.
   * @default - no limit (the chart's values.yaml has `5Mi`, which evicts any real download)
   */
  readonly size?: string;
  /**
   * Where containers with `mountModelVolume` mount the model volume. For pvc+hf:// it must stay
   * `/model-cache`: the chart sets `HF_HUB_CACHE=/model-cache/<hub cache path>` whatever this is.
   * @default '/model-cache'
   */
  readonly mountPath?: string;
  /**
   * Labels of the model-server pods (and the Deployment selector); an InferencePool selects on
   * them. `llm-d.ai/role: decode` is added.
   * @default { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': <last segment of name> }
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** How the model is split over RNGD processing elements (8 PEs per card). */
export interface FuriosaParallelism {
  /** Tensor parallelism (PEs per model replica). @default 4 */
  readonly tensor?: number;
  /** Data parallelism inside one pod. @default 1 */
  readonly data?: number;
  /** Pipeline parallelism. @default 1 */
  readonly pipeline?: number;
  /**
   * Workers per replica. Only the chart's LeaderWorkerSet mode (`multinode`, refused here)
   * reads it; with a Deployment it has no effect, as in the chart.
   * @default 1
   */
  readonly workers?: number;
}

/** How a container's command line is built (`modelCommand` of the chart). */
export type FuriosaModelCommand = 'furiosaLLMServe' | 'imageDefault' | 'custom';

/** One container of the decode pods (`decode.containers[]` of the chart). */
export interface FuriosaContainer extends ModelServerContainerBase {
  /** @default 'furiosa-llm' */
  readonly name?: string;
  /**
   * Image. `:latest` is accepted only when written here explicitly.
   * @default DEFAULT_FURIOSA_LLM_IMAGE ('furiosaai/furiosa-llm:2026.1.0')
   */
  readonly image?: string;
  /**
   * `furiosaLLMServe`: command `furiosa-llm serve`, args = model, `--port <serving port>`, the
   * parallelism flags, then `args`. `custom`: `command` (required) and `args` as given.
   * `imageDefault`: the image's entrypoint, `args` as given.
   * @default 'furiosaLLMServe'
   */
  readonly modelCommand?: FuriosaModelCommand;
  /** Extra arguments (appended after the generated ones for `furiosaLLMServe`). @default [] */
  readonly args?: readonly string[];
  /** Environment, before the generated DP_SIZE/TP_SIZE/PP_SIZE and Hugging Face variables. @default [] */
  readonly env?: readonly EnvVar[];
  /**
   * Container ports.
   * @default - for furiosaLLMServe: `[{ containerPort: <serving port>, name: 'furiosa-llm', protocol: 'TCP' }]`; else none
   */
  readonly ports?: readonly ContainerPort[];
  /** @default - the guide's probe when `defaultProbes`, else none */
  readonly startupProbe?: Probe;
  /** @default - the guide's probe when `defaultProbes`, else none */
  readonly livenessProbe?: Probe;
  /** @default - the guide's probe when `defaultProbes`, else none */
  readonly readinessProbe?: Probe;
  /**
   * Fill unset probes with the guide's: startup GET /v1/models (15 s delay, every 30 s, 60
   * failures = 30 min for loading), liveness GET /health, readiness GET /v1/models, on the
   * serving port. The chart adds no probes.
   * @default true for furiosaLLMServe containers, false otherwise
   */
  readonly defaultProbes?: boolean;
  /**
   * Resources. The accelerator resource (`furiosa.ai/rngd`) is set from the parallelism in both
   * requests and limits, overwriting a value given here (as the chart does).
   * @default - see `defaultResourceRequests`
   */
  readonly resources?: ResourceRequirements;
  /**
   * Add cpu/memory requests for what `resources` leaves unset (neither request nor limit):
   * `cpu: 4, memory: 32Gi` for containers holding RNGDs (host side of a furiosa-llm server:
   * tokenizer, scheduler, weights staged in host memory), `cpu: 100m, memory: 128Mi` for others.
   * No limits are added. The chart sets none.
   * @default true
   */
  readonly defaultResourceRequests?: boolean;
  /** Extra mounts (the model volume mount is added after them when `mountModelVolume`). @default [] */
  readonly volumeMounts?: readonly VolumeMount[];
  /**
   * Mount the model volume at `modelArtifacts.mountPath` (and set HF_HOME / HF_HUB_CACHE).
   * @default true for furiosaLLMServe containers, false otherwise
   */
  readonly mountModelVolume?: boolean;
  /** @default - unset (Kubernetes: IfNotPresent for tagged images) */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Security context, merged over the hardened default (see `FuriosaDecodeOptions.hardening`).
   * @default - the hardened default
   */
  readonly securityContext?: SecurityContext;
  /**
   * Any other Container fields (the chart's `extraConfig`). A key also set by a dedicated prop
   * is refused; keys here override the library's defaults (probes, securityContext).
   * @default {}
   */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
}

/** Node affinity to nodes carrying an accelerator label (`acceleratorTypes` of the chart). */
export type FuriosaAcceleratorTypes = AcceleratorTypesSelector;

/** Prometheus Operator PodMonitor for the decode pods (`decode.monitoring.podmonitor`). */
export interface FuriosaPodMonitorOptions extends ModelServerPodMonitorBase {
  /**
   * Container port name to scrape; furiosa-llm serves `/metrics` on its serving port.
   * @default - the name of the furiosa-llm serving port, else 'metrics'
   */
  readonly portName?: string;
}

/** Security defaults of the decode pods. */
/** A container seccomp profile. */
export type FuriosaSeccompProfile =
  | { readonly type: 'RuntimeDefault' }
  | { readonly type: 'Localhost'; readonly localhostProfile: string }
  | { readonly type: 'Unconfined' };

export interface FuriosaHardeningOptions {
  /**
   * Add `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]` to every container's
   * securityContext (user values win).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Seccomp profile of the containers. Not set by default: the RNGD driver needs the
   * `io_uring_setup`/`io_uring_enter`/`io_uring_register` system calls, which the default
   * profiles of containerd 2.0+ and Docker 25+ block, so `RuntimeDefault` can stop furiosa-llm
   * from opening the device. FuriosaAI documents a Localhost profile that allows them; install it
   * on the nodes and set `{ type: 'Localhost', localhostProfile: '<file>' }`, or use
   * `RuntimeDefault` on containerd 1.7 nodes. (With kubelet `--seccomp-default` the node's
   * default applies anyway.)
   * @default - not set (the node's default)
   */
  readonly seccompProfile?: FuriosaSeccompProfile;
  /**
   * Also require a non-root user. Off by default: furiosa-llm is not known to work as non-root
   * (it opens the RNGD device nodes the device plugin mounts, which are root-owned on typical
   * hosts). Turn on when your image and nodes allow it.
   * @default false
   */
  readonly runAsNonRoot?: boolean;
  /** UID to run as (with `runAsNonRoot`). @default - the image's user */
  readonly runAsUser?: number;
}

/** The decode pods (`decode` of the chart). */
export interface FuriosaDecodeOptions extends ModelServerPodBase {
  /** Create the Deployment (and PodMonitor). @default true */
  readonly create?: boolean;
  /** Furiosa-LLM parallelism in RNGD processing elements (8 per card): tensor, data, pipeline. @default { tensor: 4, data: 1, pipeline: 1, workers: 1 } */
  readonly parallelism?: FuriosaParallelism;
  /**
   * Containers of each pod. Each container holding the accelerator gets
   * `ceil(tensor*data*pipeline/8)` RNGDs (or the DRA claim).
   * @default - one furiosa-llm container with every container default
   */
  readonly containers?: readonly FuriosaContainer[];
  /** Init containers, after the routing sidecar when it is enabled. @default [] */
  readonly initContainers?: readonly ContainerSpec[];
  /**
   * Pod volumes; `model-storage` is added when a container mounts the model.
   * @default [{ name: 'metrics-volume', emptyDir: {} }] (the chart's values.yaml)
   */
  readonly volumes?: readonly Volume[];
  /** Required node affinity on an accelerator label. @default - none */
  readonly acceleratorTypes?: FuriosaAcceleratorTypes;
  /** Prometheus Operator PodMonitor of the decode pods. @default - no PodMonitor */
  readonly monitoring?: { readonly podmonitor?: FuriosaPodMonitorOptions };
  /** Container hardening defaults (see docs/security.md). @default - hardened containers, root allowed */
  readonly hardening?: FuriosaHardeningOptions;
}

/**
 * The llm-d routing sidecar (`routing.proxy`). It exists for prefill/decode disaggregation,
 * which Furiosa-LLM does not support: with decode pods only it forwards every request
 * unchanged (one more hop). The Furiosa guide disables it; this library disables it unless
 * `enabled: true` (the chart enables it by default, so `furiosaModelServiceFromHelmValues` follows the values).
 */
export interface FuriosaRoutingProxyOptions extends RoutingSidecarOptions {
  /** Put the routing sidecar in front of furiosa-llm (one more hop; Furiosa-LLM has no prefill/decode). @default false */
  readonly enabled?: boolean;
}

/** Where requests enter the pods (`routing`). */
export interface FuriosaRoutingOptions {
  /**
   * The port requests are sent to (the InferencePool's target port): furiosa-llm's `--port`,
   * or the sidecar's port when the proxy is enabled.
   * @default 8000
   */
  readonly servicePort?: number;
  /** The llm-d routing sidecar. @default - no sidecar */
  readonly proxy?: FuriosaRoutingProxyOptions;
}

/** The accelerator the containers request (`accelerator`). */
export interface FuriosaAcceleratorOptions {
  /** `cpu` requests no accelerator (for tests without RNGDs). @default 'furiosa' */
  readonly type?: 'furiosa' | 'cpu';
  /** Extended resource name. @default 'furiosa.ai/rngd' */
  readonly resourceName?: string;
  /** Environment added to every container (after the generated variables). @default [] */
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /**
   * RNGD cards one node holds; a pod needing more can never be scheduled and is refused.
   * @default 8
   */
  readonly maxRngdPerNode?: number;
}

/** One DRA claim template (`dra.claimTemplates[]`). */
export interface FuriosaDraClaimTemplate {
  /** Names the objects: `<name>-resource-claim-template`, claim `<name>-resource-claim`. */
  readonly name: string;
  /** DeviceClass. @default 'npu.furiosa.ai' */
  readonly class?: string;
  /** Request kind; only `exactly` renders a valid `resource.k8s.io/v1` request. @default 'exactly' */
  readonly match?: 'exactly';
  /** Devices (RNGD cards) per pod. @default - ceil(tensor*data*pipeline/8) */
  readonly count?: number;
  /** CEL selectors. @default [] */
  readonly selectors?: readonly DeviceSelector[];
}

/**
 * Dynamic Resource Allocation instead of the `furiosa.ai/rngd` extended resource (`dra`): a
 * `resource.k8s.io/v1` ResourceClaimTemplate (Kubernetes 1.34+ with the Furiosa DRA driver) and
 * pod resource claims. Note the template is named `<type>-resource-claim-template` without the
 * release, as in the chart, so two services with DRA in one namespace are refused.
 */
export interface FuriosaDraOptions {
  /** Request the RNGD cards through DRA claims instead of the device plugin. @default false */
  readonly enabled?: boolean;
  /** Which claim template to use (by name). @default 'furiosa' */
  readonly type?: string;
  /** The ResourceClaimTemplates to render. @default [{ name: 'furiosa', class: 'npu.furiosa.ai', match: 'exactly', count: <RNGDs per pod> }] */
  readonly claimTemplates?: readonly FuriosaDraClaimTemplate[];
}

/** Props of {@link FuriosaModelService}: the values of `furiosa/llm-d-modelservice`, typed. */
export interface FuriosaModelServiceProps {
  /**
   * The Helm release name the object names derive from (`<release>-llm-d-modelservice`).
   * @default - the construct id, lower-cased
   */
  readonly releaseName?: string;
  /** Replaces `<release>-llm-d-modelservice` (truncated to 55 characters). @default - unset */
  readonly fullnameOverride?: string;
  /** Namespace of every object. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** The model. */
  readonly modelArtifacts: FuriosaModelArtifacts;
  /** The decode pods: replicas, parallelism, furiosa-llm containers, probes, scheduling. @default - one replica, tensor parallelism 4, one furiosa-llm container */
  readonly decode?: FuriosaDecodeOptions;
  /** The serving port the pool targets and the optional routing sidecar. @default - servicePort 8000, no sidecar */
  readonly routing?: FuriosaRoutingOptions;
  /** How RNGD cards are requested (device-plugin resource, cards per node). @default - furiosa.ai/rngd */
  readonly accelerator?: FuriosaAcceleratorOptions;
  /** Dynamic Resource Allocation of the RNGD cards instead of the device plugin. @default - disabled */
  readonly dra?: FuriosaDraOptions;
  /**
   * Run the pods as this existing ServiceAccount instead of creating `<fullname>` (a cdk8s-plus
   * `IServiceAccount` or `{ name: 'existing' }`).
   * @default - a ServiceAccount named like the full name is created
   */
  readonly serviceAccount?: IServiceAccountReference;
}

// ---------------------------------------------------------------------------------------------
// Construct
// ---------------------------------------------------------------------------------------------
