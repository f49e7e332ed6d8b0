// The props of ModelService: the values of llm-d's llm-d-modelservice chart as typed options, with
// the chart's defaults in their JSDoc.
import type { IServiceAccountReference } from '../core/contracts';
import type { LeaderWorkerSetSubGroupPolicy } from './leader-worker-set';
import type { VllmParallelismInput } from './model-service-rules';
import type { ModelArtifactsBase, ModelServerContainerBase, ModelServerPodBase, ModelServerPodMonitorBase } from './pod-core';
import type { ModelServiceRequesterOptions } from './requester';
import type { RoutingSidecarOptions } from './routing-sidecar';
import type { ContainerPort, ContainerSpec, DeviceSelector, ResourceRequirements, SecurityContext, Volume } from './k8s-types';

/** Where the model comes from (`modelArtifacts` of the chart). */
export interface ModelServiceArtifacts extends ModelArtifactsBase {
  /** Model name clients send as `model` (vLLM `--served-model-name`). */
  readonly name: string;
  /** Size limit of the emptyDir an hf:// model is downloaded into. @default - no limit ("0", as the chart renders it) */
  readonly size?: string;
  /** Where the model volume is mounted. @default '/model-cache' */
  readonly mountPath?: string;
  /** Mount pvc volumes read-only. @default true */
  readonly readOnly?: boolean;
  /**
   * Labels of the model-server pods; `llm-d.ai/role: decode|prefill` is added.
   * @default { 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': <last segment of name> }
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** How a container's command line is built (`modelCommand` of the chart). */
export type VllmModelCommand = 'vllmServe' | 'imageDefault' | 'custom';

/** One container of the model-server pods. */
export interface ModelServiceContainer extends ModelServerContainerBase {
  /** @default 'vllm' */
  readonly name?: string;
  /** @default DEFAULT_VLLM_IMAGE ('ghcr.io/llm-d/llm-d-cuda:v0.4.0') */
  readonly image?: string;
  /**
   * `vllmServe`: command `vllm serve <model> --port ... --served-model-name <name> <args>`.
   * `imageDefault`: the image's entrypoint with `--model <model> --port ...`. `custom`: `command`/`args` as given.
   * @default 'vllmServe'
   */
  readonly modelCommand?: VllmModelCommand;
  /**
   * @default - for vllmServe/imageDefault: `[{ containerPort: <vLLM port>, name: 'metrics', protocol: 'TCP' }]`
   * (vLLM serves `/metrics` on its serving port; the PodMonitor's default port name); else none
   */
  readonly ports?: readonly ContainerPort[];
  /** Resources; the accelerator is added from the parallelism unless set here. @default {} */
  readonly resources?: ResourceRequirements;
  /**
   * Add cpu/memory requests for keys the resources leave unset: `cpu: 2, memory: 8Gi` for
   * containers holding accelerators, `cpu: 100m, memory: 256Mi` otherwise. The chart sets none.
   * @default true
   */
  readonly defaultResourceRequests?: boolean;
  /** Mount the model volume. @default true for vllmServe/imageDefault, false for custom */
  readonly mountModelVolume?: boolean;
  /** Merged over the hardened default. @default - hardened */
  readonly securityContext?: SecurityContext;
}

/** vLLM parallelism (`parallelism` of the chart). */
export interface ModelServiceParallelism extends VllmParallelismInput {
  /** Tensor parallelism. @default 1 */
  readonly tensor?: number;
  /** Data parallelism. @default dataLocal * workers */
  readonly data?: number;
  /** Data parallelism inside a pod. @default data / workers */
  readonly dataLocal?: number;
  /** Pods per replica; only the chart's LeaderWorkerSet mode (not supported) uses it, otherwise only to derive data/dataLocal. @default 1 */
  readonly workers?: number;
}

/** Prometheus Operator PodMonitor of one role. */
export interface ModelServicePodMonitorOptions extends ModelServerPodMonitorBase {
  /** Container port name to scrape. @default 'metrics' */
  readonly portName?: string;
}

/** Pods of one role (`decode` / `prefill` of the chart). */
export interface ModelServiceRoleOptions extends ModelServerPodBase {
  /** Create the Deployment. @default true for decode; for prefill, true when `prefill` is given */
  readonly create?: boolean;
  /** vLLM parallelism: tensor, data, dataLocal (ranks per pod) and workers (pods per LeaderWorkerSet replica). @default { tensor: 1, data: 1, dataLocal: 1, workers: 1 } */
  readonly parallelism?: ModelServiceParallelism;
  /** Containers of each pod; the first is the vLLM server. @default - one vLLM container with every default */
  readonly containers?: readonly ModelServiceContainer[];
  /** Init containers (decode: after the routing sidecar). @default [] */
  readonly initContainers?: readonly ContainerSpec[];
  /** Pod volumes; `model-storage` is added after them. @default [] */
  readonly volumes?: readonly Volume[];
  /** PriorityClass of the pods. @default - unset */
  readonly priorityClassName?: string;
  /** Deployment strategy. @default - unset */
  readonly strategy?: Readonly<Record<string, unknown>>;
  /**
   * LeaderWorkerSet mode only (`multinode: true`): leave `replicas` out so an autoscaler owns it.
   * Refused with Deployments (the chart renders nothing for it there).
   * @default false
   */
  readonly autoscaling?: { readonly enabled?: boolean };
  /** LeaderWorkerSet mode only: the LWS `subGroupPolicy`. @default - unset */
  readonly subGroupPolicy?: LeaderWorkerSetSubGroupPolicy;
  /**
   * LeaderWorkerSet mode only: annotate the LWS and its pods with
   * `leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology: kubernetes.io/hostname`.
   * @default false
   */
  readonly subGroupExclusiveTopology?: boolean;
  /** LeaderWorkerSet mode only: pod `hostIPC`. @default - unset */
  readonly hostIPC?: boolean;
  /** LeaderWorkerSet mode only: pod `hostPID`. @default - unset */
  readonly hostPID?: boolean;
  /** Accelerator type of this role (`decode.accelerator.type`). @default - the service's `accelerator.type` */
  readonly acceleratorType?: string;
  /** Use DRA for this role (`decode.accelerator.dra`). @default - the service's `accelerator.dra` */
  readonly dra?: boolean;
  /** More pod resource claims; every container claims them all (as the chart does). @default [] */
  readonly resourceClaims?: readonly PodResourceClaim[];
  /** Prometheus Operator PodMonitor of this role. @default - none */
  readonly monitoring?: { readonly podmonitor?: ModelServicePodMonitorOptions };
}

/** The llm-d routing sidecar in front of decode vLLM (`routing.proxy`). */
export interface ModelServiceRoutingProxyOptions extends RoutingSidecarOptions {
  /** Put the routing sidecar in front of the decode pods (needed for prefill/decode disaggregation). @default true */
  readonly enabled?: boolean;
}

/** Accelerator of the pods (`accelerator` of the chart). */
export interface ModelServiceAcceleratorOptions {
  /**
   * `nvidia`, `amd`, `intel-xe`, `intel-i915`, `intel-gaudi`, `google`, `rebellions-atom`, `cpu`
   * (no accelerator resource) or any type with `resourceName`.
   * @default 'nvidia'
   */
  readonly type?: string;
  /** Device-plugin resource. @default - ACCELERATOR_RESOURCES[type], else nvidia.com/gpu */
  readonly resourceName?: string;
  /** Extra env of every model container. @default - ACCELERATOR_ENV[type] */
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /**
   * Allocate accelerators with Dynamic Resource Allocation (resource.k8s.io/v1) instead of the
   * device plugin: a ResourceClaimTemplate per role, claimed by the pod and every container.
   * @default false
   */
  readonly dra?: boolean;
  /** Claim templates per accelerator type. @default DEFAULT_DRA_CLAIM_TEMPLATES */
  readonly claimTemplates?: Readonly<Record<string, ModelServiceDraClaimTemplate>>;
}

/** A DRA ResourceClaimTemplate for one accelerator type (`accelerator.resourceClaimTemplates.<type>`). */
export interface ModelServiceDraClaimTemplate {
  /** Base name: the template is `<name>-<role>`, the pod claim `<name without -claim-template>-<role>-claim`. @default - `<type>-<role>-claim-template` */
  readonly name?: string;
  /** DeviceClass. @default `gpu.<type>.com` */
  readonly class?: string;
  /** Only `exactly` (the chart renders the request as a map). @default 'exactly' */
  readonly match?: 'exactly';
  /** Devices per pod. @default - dataLocal * tensor */
  readonly count?: number;
  /** @default [] */
  readonly selectors?: readonly DeviceSelector[];
}

/** The chart's `accelerator.resourceClaimTemplates`. */
export const DEFAULT_DRA_CLAIM_TEMPLATES: Readonly<Record<string, ModelServiceDraClaimTemplate>> = Object.freeze({
  nvidia: { name: 'nvidia-claim-template', class: 'gpu.nvidia.com', match: 'exactly' },
  intel: { name: 'intel-claim-template', class: 'gpu.intel.com', match: 'exactly' },
  'intel-i915': { name: 'intel-claim-template', class: 'gpu.intel.com', match: 'exactly' },
  'intel-xe': { name: 'intel-claim-template', class: 'gpu.intel.com', match: 'exactly' },
  'intel-gaudi': { name: 'intel-gaudi-claim-template', class: 'gaudi.intel.com', match: 'exactly' },
  amd: { name: 'amd-claim-template', class: 'gpu.amd.com', match: 'exactly' },
  google: { name: 'google-claim-template', class: 'tpu.google.com', match: 'exactly' },
});

/** A pod-level resource claim (core/v1 PodResourceClaim). */
export interface PodResourceClaim {
  readonly name: string;
  readonly resourceClaimName?: string;
  readonly resourceClaimTemplateName?: string;
}

/** OpenTelemetry tracing of vLLM and the routing sidecar (`tracing` of the chart). */
export interface ModelServiceTracingOptions {
  /** Send OpenTelemetry traces. @default false */
  readonly enabled?: boolean;
  /** OTLP collector endpoint. @default 'http://otel-collector:4317' */
  readonly otlpEndpoint?: string;
  /** OTEL_TRACES_SAMPLER. @default 'parentbased_traceidratio' */
  readonly sampler?: string;
  /** OTEL_TRACES_SAMPLER_ARG. @default '1.0' */
  readonly samplerArg?: string;
  /** OTEL_SERVICE_NAME per component. @default { vllmDecode: 'vllm-decode', vllmPrefill: 'vllm-prefill', routingProxy: 'routing-proxy' } */
  readonly serviceNames?: { readonly vllmDecode?: string; readonly vllmPrefill?: string; readonly routingProxy?: string };
  /** vLLM `--collect-detailed-traces`. @default 'all' */
  readonly collectDetailedTraces?: string;
}

/** Container hardening defaults. */
export interface ModelServiceHardeningOptions {
  /** Add allowPrivilegeEscalation false, drop ALL capabilities, seccomp RuntimeDefault (user values win). @default true */
  readonly enabled?: boolean;
  /** Require non-root in vLLM containers (llm-d images run as root). @default false */
  readonly runAsNonRoot?: boolean;
}


export interface ModelServiceProps {
  /**
   * Run each replica as a LeaderWorkerSet of `parallelism.workers` pods (the chart's `multinode`)
   * instead of a Deployment. Needs the LeaderWorkerSet controller in the cluster.
   * @default false
   */
  readonly multinode?: boolean;
  /** Release-like base name. @default - from the construct id */
  readonly releaseName?: string;
  /** Base name of every object instead of `<releaseName>-llm-d-modelservice` (the chart's `fullnameOverride`). @default - `<releaseName>-llm-d-modelservice` */
  readonly fullnameOverride?: string;
  /** Namespace of every object. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /**
   * Run the pods as this existing ServiceAccount instead of creating one (a cdk8s-plus
   * `IServiceAccount` or `{ name: 'existing' }`).
   * @default - create `<fullname>`
   */
  readonly serviceAccount?: IServiceAccountReference;
  /** The model: its name, where it is read from (URI or a ModelPvcDownloader) and the token Secret. */
  readonly modelArtifacts: ModelServiceArtifacts;
  /** Accelerator type (GPU vendor, TPU, XPU, CPU), its device-plugin resource and DRA. @default { type: 'nvidia' } */
  readonly accelerator?: ModelServiceAcceleratorOptions;
  /** The Service port the pool targets and the routing sidecar in front of the decode pods. @default { servicePort: 8000, proxy: { enabled: true } } */
  readonly routing?: { readonly servicePort?: number; readonly proxy?: ModelServiceRoutingProxyOptions };
  /** The decode pods: replicas, parallelism, containers, volumes, scheduling. @default - one decode replica */
  readonly decode?: ModelServiceRoleOptions;
  /** Prefill pods for prefill/decode disaggregation; set to turn it on. @default - no prefill pods */
  readonly prefill?: ModelServiceRoleOptions;
  /** Container hardening defaults (see docs/security.md). @default - hardened */
  readonly hardening?: ModelServiceHardeningOptions;
  /** OpenTelemetry tracing of vLLM and the routing sidecar. @default - no tracing */
  readonly tracing?: ModelServiceTracingOptions;
  /**
   * The fast-model-actuation requester (the chart's `requester.enable`): a ReplicaSet of
   * GPU-holding requester pods, named like the decode Deployment, from which the dual-pod
   * controller launches decode servers (Deployment mode only).
   * @default - none
   */
  readonly requester?: ModelServiceRequesterOptions;
}
