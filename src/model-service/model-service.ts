import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IModelServer, IServiceAccountReference, ModelServerMetricsFlavor } from '../core/contracts';
import { addProblems, fail, Problem } from '../core/errors';
import { checkLabels, isLabelKey } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { checkPort } from '../core/ports';
import { checkQuantity, checkResources, withDefaultRequests } from '../core/quantities';
import { hardenedContainerSecurityContext } from '../core/security';
import { ModelArtifactsBase, ModelServerContainerBase, ModelServerPodBase, ModelServerPodMonitorBase, setOptionalContainerFields } from './pod-core';
import { addLeaderWorkerSet, LeaderWorkerSetSubGroupPolicy } from './leader-worker-set';
import { addModelServerPodMonitor } from './pod-monitor';
import { ModelUri, ModelUriError, modelStorageUri, parseModelUri } from '../storage/model-uri';
import { modelLabelValue, modelServiceFullname, releaseNameFromId } from './furiosa-rules';
import { routingProxyArgs, routingSidecarProblems, RoutingSidecarOptions } from './routing-sidecar';
import { ContainerPort, ContainerSpec, DeviceSelector, EnvVar, ResourceRequirements, SecurityContext, Volume } from './k8s-types';
import {
  ACCELERATOR_ENV,
  ACCELERATOR_RESOURCES,
  acceleratorResourceName,
  acceleratorsPerPod,
  acceleratorWarning,
  DEFAULT_ROUTING_SIDECAR_IMAGE,
  DEFAULT_VLLM_IMAGE,
  resolveVllmParallelism,
  ResolvedVllmParallelism,
  VllmParallelismInput,
  vllmHuggingFaceEnv,
  vllmModelArgs,
  vllmParallelismEnv,
  vllmPort,
  vllmResources,
  vllmServeArgs,
} from './model-service-rules';

type Json = Record<string, unknown>;

/** Name of the default vLLM container port: the PodMonitor's default `portName`. */
const DEFAULT_VLLM_PORT_NAME = 'metrics';

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
  /** @default 'metrics' */
  readonly portName?: string;
}

/** Pods of one role (`decode` / `prefill` of the chart). */
export interface ModelServiceRoleOptions extends ModelServerPodBase {
  /** Create the Deployment. @default true for decode; for prefill, true when `prefill` is given */
  readonly create?: boolean;
  /** @default { tensor: 1, data: 1, dataLocal: 1, workers: 1 } */
  readonly parallelism?: ModelServiceParallelism;
  /** @default - one vLLM container with every default */
  readonly containers?: readonly ModelServiceContainer[];
  /** Init containers (decode: after the routing sidecar). @default [] */
  readonly initContainers?: readonly ContainerSpec[];
  /** Pod volumes; `model-storage` is added after them. @default [] */
  readonly volumes?: readonly Volume[];
  /** @default - unset */
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
  /** @default - none */
  readonly monitoring?: { readonly podmonitor?: ModelServicePodMonitorOptions };
}

/** The llm-d routing sidecar in front of decode vLLM (`routing.proxy`). */
export interface ModelServiceRoutingProxyOptions extends RoutingSidecarOptions {
  /** @default true */
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
  /** @default false */
  readonly enabled?: boolean;
  /** @default 'http://otel-collector:4317' */
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

/** OTEL_* environment of one component. */
function tracingEnv(t: ModelServiceTracingOptions | undefined, serviceName: string | undefined): EnvVar[] {
  if (!t?.enabled) return [];
  return [
    { name: 'OTEL_SERVICE_NAME', value: serviceName ?? '' },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: t.otlpEndpoint ?? 'http://otel-collector:4317' },
    { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
    { name: 'OTEL_TRACES_SAMPLER', value: t.sampler ?? 'parentbased_traceidratio' },
    { name: 'OTEL_TRACES_SAMPLER_ARG', value: t.samplerArg ?? '1.0' },
  ];
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
  /** @default - `<releaseName>-llm-d-modelservice` */
  readonly fullnameOverride?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /**
   * Run the pods as this existing ServiceAccount instead of creating one (a cdk8s-plus
   * `IServiceAccount` or `{ name: 'existing' }`).
   * @default - create `<fullname>`
   */
  readonly serviceAccount?: IServiceAccountReference;
  readonly modelArtifacts: ModelServiceArtifacts;
  /** @default { type: 'nvidia' } */
  readonly accelerator?: ModelServiceAcceleratorOptions;
  /** @default { servicePort: 8000, proxy: { enabled: true } } */
  readonly routing?: { readonly servicePort?: number; readonly proxy?: ModelServiceRoutingProxyOptions };
  /** @default - one decode replica */
  readonly decode?: ModelServiceRoleOptions;
  /** @default - no prefill pods */
  readonly prefill?: ModelServiceRoleOptions;
  /** @default - hardened */
  readonly hardening?: ModelServiceHardeningOptions;
  /** @default - no tracing */
  readonly tracing?: ModelServiceTracingOptions;
}

type Role = 'decode' | 'prefill';

/** One role's pods seen as a model server. */
class RoleServer implements IModelServer {
  public readonly metricsFlavor: ModelServerMetricsFlavor = 'vllm';
  constructor(
    public readonly podLabels: Readonly<Record<string, string>>,
    public readonly servingPort: number,
    public readonly modelName: string,
    public readonly podNamespace: string,
  ) {}
}

const CONTAINER_KEYS = ['name', 'image', 'command', 'args', 'env', 'ports', 'resources', 'volumeMounts', 'securityContext', 'imagePullPolicy', 'startupProbe', 'livenessProbe', 'readinessProbe', 'workingDir', 'stdin', 'tty'];
const POD_KEYS = ['containers', 'initContainers', 'volumes', 'serviceAccountName', 'nodeSelector', 'tolerations', 'affinity', 'imagePullSecrets', 'schedulerName', 'priorityClassName', 'securityContext', 'enableServiceLinks', 'terminationGracePeriodSeconds', 'automountServiceAccountToken'];

/**
 * vLLM model servers with optional prefill/decode disaggregation (llm-d-incubation
 * llm-d-modelservice v0.4.12): decode (and prefill) Deployments or LeaderWorkerSets, the routing sidecar, a
 * ServiceAccount and PodMonitors. The construct is the decode {@link IModelServer};
 * `prefillServer` is the prefill one (add both to an InferenceSchedulerPool for P/D).
 */
export class ModelService extends Construct implements IModelServer {
  public readonly releaseName: string;
  public readonly fullname: string;
  public readonly namespace: string;
  public readonly podNamespace: string;
  public readonly modelName: string;
  public readonly metricsFlavor: ModelServerMetricsFlavor = 'vllm';
  /** Decode pod labels. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Port the pool targets (routing.servicePort). */
  public readonly servingPort: number;
  public readonly serviceAccountName: string;
  public readonly modelUri: ModelUri;
  /** The decode Deployment, or LeaderWorkerSet with `multinode`. */
  public readonly decodeDeployment?: ApiObject;
  /** The prefill Deployment, or LeaderWorkerSet with `multinode`. */
  public readonly prefillDeployment?: ApiObject;
  /** The prefill pods as a model server, when created. */
  public readonly prefillServer?: IModelServer;
  public readonly serviceAccount?: ApiObject;

  constructor(scope: Construct, id: string, props: ModelServiceProps) {
    super(scope, id);
    const problems: Problem[] = [];
    this.releaseName = props.releaseName ?? releaseNameFromId(id);
    this.fullname = modelServiceFullname(this.releaseName, props.fullnameOverride);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.podNamespace = this.namespace;
    const art = props.modelArtifacts;
    this.modelName = art.name;
    this.modelUri = this.resolveModelUri(art);
    const mountPath = art.mountPath ?? '/model-cache';
    const readOnly = art.readOnly ?? true;
    const authSecretName = art.authSecret?.name ?? art.storage?.tokenSecret?.name;
    const baseLabels: Record<string, string> = { ...(art.labels ?? { 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': modelLabelValue(art.name) }) };
    this.podLabels = { ...baseLabels, 'llm-d.ai/role': 'decode' };
    this.serviceAccountName = props.serviceAccount?.name || this.fullname;
    const servicePort = props.routing?.servicePort ?? 8000;
    this.servingPort = servicePort;
    const proxy = props.routing?.proxy ?? {};
    const proxyEnabled = proxy.enabled ?? true;
    const targetPort = proxy.targetPort ?? 8200;
    const accType = props.accelerator?.type ?? 'nvidia';
    const resourceMap = props.accelerator?.resourceName ? { ...ACCELERATOR_RESOURCES, [accType]: props.accelerator.resourceName } : ACCELERATOR_RESOURCES;
    const accEnv = accType === 'cpu' ? [] : (props.accelerator?.env ?? ACCELERATOR_ENV[accType] ?? []);
    const hardening = props.hardening ?? {};
    const multinode = props.multinode ?? false;
    const objectLabels: Record<string, string> = {
      'app.kubernetes.io/name': 'llm-d-modelservice',
      'app.kubernetes.io/instance': this.releaseName,
      'app.kubernetes.io/managed-by': 'cdk8s-llm-d',
    };

    if (!props.serviceAccount) {
      this.serviceAccount = new ApiObject(this, 'service-account', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: this.serviceAccountName, namespace: this.namespace, labels: { ...objectLabels } },
      });
    }

    const build = (role: Role, o: ModelServiceRoleOptions, workloadId: string): { deployment: ApiObject; labels: Record<string, string> } => {
      const labels = { ...baseLabels, 'llm-d.ai/role': role };
      const roleType = o.acceleratorType ?? accType;
      const roleEnv = roleType === 'cpu' ? [] : roleType === accType ? accEnv : (ACCELERATOR_ENV[roleType] ?? []);
      const { value: par, error } = resolveVllmParallelism(o.parallelism);
      if (error) problems.push({ field: `${role}.parallelism`, value: o.parallelism, allowed: 'data a multiple of workers and of dataLocal', why: error });
      const roleDra = o.dra ?? props.accelerator?.dra ?? false;
      const claims: Json[] = [];
      if (roleDra) {
        const t = (props.accelerator?.claimTemplates ?? DEFAULT_DRA_CLAIM_TEMPLATES)[roleType];
        const claimName = t?.name ? `${t.name.replace(/-claim-template$/, '')}-${role}-claim` : `${roleType}-${role}-claim`;
        const templateName = t?.name ? `${t.name}-${role}` : `${roleType}-${role}-claim-template`;
        claims.push({ name: claimName, resourceClaimTemplateName: templateName });
        if (!t) {
          problems.push({ field: 'accelerator.claimTemplates', value: roleType, allowed: `a claim template for accelerator type "${roleType}"`, why: `the ${role} pods would claim ResourceClaimTemplate ${templateName}, which nothing creates` });
        } else {
          const count = t.count ?? acceleratorsPerPod(par);
          if (!(Number.isInteger(count) && count >= 1)) problems.push({ field: `accelerator.claimTemplates.${roleType}.count`, value: count, allowed: 'a positive integer' });
          if ((t.match ?? 'exactly') !== 'exactly') problems.push({ field: `accelerator.claimTemplates.${roleType}.match`, value: t.match, allowed: 'exactly', why: 'the chart renders the request as a map, which only "exactly" takes in resource.k8s.io/v1' });
          const selectors = t.selectors ?? [];
          new ApiObject(this, `${role}-resource-claim-template`, {
            apiVersion: 'resource.k8s.io/v1',
            kind: 'ResourceClaimTemplate',
            metadata: { name: templateName, namespace: this.namespace, labels: { ...objectLabels, 'llm-d.ai/role': role } },
            spec: { spec: { devices: { requests: [{ name: roleType, exactly: { deviceClassName: t.class || `gpu.${roleType}.com`, count, ...(selectors.length > 0 ? { selectors } : {}) } }] } } },
          });
        }
      }
      claims.push(...((o.resourceClaims ?? []) as unknown as Json[]));
      const containersIn = o.containers ?? [{}];
      const podContainers: Json[] = containersIn.map((c) => this.container(role, c, {
        par, servicePort, targetPort, proxyEnabled, mountPath, readOnly, authSecretName, accType: roleType, resourceMap, accEnv: roleEnv, hardening, problems, dra: roleDra, claimNames: claims.map((c) => String(c.name)), tracing: props.tracing,
      }));
      const pod: Json = {};
      const inits: Json[] = [];
      if (role === 'decode' && proxyEnabled) inits.push(this.routingProxy(proxy, servicePort, targetPort, hardening, tracingEnv(props.tracing, props.tracing?.serviceNames?.routingProxy ?? 'routing-proxy')));
      inits.push(...((o.initContainers ?? []) as unknown as Json[]));
      if (inits.length > 0) pod.initContainers = inits;
      if (o.enableServiceLinks !== undefined) pod.enableServiceLinks = o.enableServiceLinks;
      if (o.terminationGracePeriodSeconds !== undefined) pod.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
      if (o.nodeSelector && Object.keys(o.nodeSelector).length > 0) pod.nodeSelector = { ...o.nodeSelector };
      if (o.imagePullSecrets && o.imagePullSecrets.length > 0) pod.imagePullSecrets = o.imagePullSecrets;
      if (o.schedulerName) pod.schedulerName = o.schedulerName;
      if (o.priorityClassName && o.priorityClassName.toLowerCase() !== 'none') pod.priorityClassName = o.priorityClassName;
      if (o.podSecurityContext && Object.keys(o.podSecurityContext).length > 0) pod.securityContext = o.podSecurityContext;
      pod.serviceAccountName = this.serviceAccountName;
      pod.automountServiceAccountToken = o.automountServiceAccountToken ?? false;
      if (o.acceleratorTypes?.labelKey) {
        const expr: Json = { key: o.acceleratorTypes.labelKey, operator: 'In' };
        if (o.acceleratorTypes.labelValues && o.acceleratorTypes.labelValues.length > 0) expr.values = o.acceleratorTypes.labelValues;
        pod.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } } };
      }
      const volumes: Json[] = [...((o.volumes ?? []) as unknown as Json[])];
      if (containersIn.some((c) => mountsModel(c))) volumes.push(this.modelVolume(art.size, readOnly));
      if (volumes.length > 0) pod.volumes = volumes;
      if (claims.length > 0) pod.resourceClaims = claims;
      pod.containers = podContainers;
      if (o.tolerations && o.tolerations.length > 0) pod.tolerations = o.tolerations;
      for (const [k, v] of Object.entries(o.extraConfig ?? {})) {
        if (POD_KEYS.includes(k)) problems.push({ field: `${role}.extraConfig.${k}`, value: v, allowed: `a PodSpec field other than ${POD_KEYS.join(', ')}`, why: 'the construct sets it from its own props' });
        else pod[k] = v;
      }

      const meta: Json = { name: `${this.fullname}-${role}`, namespace: this.namespace, labels: { ...objectLabels, 'app.kubernetes.io/component': role } };
      const annotations: Record<string, string> = { ...(o.annotations ?? {}) };
      const first = containersIn[0];
      if (first) {
        const warning = acceleratorWarning(acceleratorResourceName(accType, first.image ?? DEFAULT_VLLM_IMAGE, resourceMap), acceleratorsPerPod(par), first.resources?.limits);
        if (warning) annotations['llm-d.ai/accelerator-warning'] = warning;
      }
      if (Object.keys(annotations).length > 0) meta.annotations = annotations;
      const podMeta: Json = { labels: { ...labels } };
      if (o.podAnnotations && Object.keys(o.podAnnotations).length > 0) podMeta.annotations = { ...o.podAnnotations };
      let deployment: ApiObject;
      if (multinode) {
        const subgroup: Record<string, string> = o.subGroupExclusiveTopology ? { 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology': 'kubernetes.io/hostname' } : {};
        const lwsAnnotations: Record<string, string> = { ...subgroup, ...annotations };
        const podAnnotations: Record<string, string> = { ...subgroup, ...(o.podAnnotations ?? {}) };
        if (o.hostIPC !== undefined) pod.hostIPC = o.hostIPC;
        if (o.hostPID !== undefined) pod.hostPID = o.hostPID;
        deployment = addLeaderWorkerSet(this, workloadId, {
          metadata: {
            name: String(meta.name),
            namespace: this.namespace,
            labels: { ...(meta.labels as Record<string, string>), ...labels },
            annotations: Object.keys(lwsAnnotations).length > 0 ? lwsAnnotations : undefined,
          },
          replicas: o.autoscaling?.enabled ? undefined : (o.replicas ?? 1),
          size: par.workers,
          subGroupPolicy: o.subGroupPolicy,
          podMetadata: { labels, annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined },
          podSpec: pod,
        });
      } else {
        const spec: Json = { replicas: o.replicas ?? 1, selector: { matchLabels: { ...labels } }, template: { metadata: podMeta, spec: pod } };
        if (o.strategy && Object.keys(o.strategy).length > 0) spec.strategy = o.strategy;
        deployment = new ApiObject(this, workloadId, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec });
        const lwsOnly: Array<[string, unknown]> = [
          ['autoscaling.enabled', o.autoscaling?.enabled ? true : undefined],
          ['subGroupPolicy', o.subGroupPolicy],
          ['subGroupExclusiveTopology', o.subGroupExclusiveTopology ? true : undefined],
          ['hostIPC', o.hostIPC],
          ['hostPID', o.hostPID],
        ];
        for (const [k, v] of lwsOnly) {
          if (v !== undefined) problems.push({ field: `${role}.${k}`, value: v, allowed: 'unset without multinode', why: 'only the LeaderWorkerSet mode (multinode: true) uses it' });
        }
      }

      const pm = o.monitoring?.podmonitor;
      if (pm?.enabled) {
        addModelServerPodMonitor(this, `${role}-podmonitor`, pm, {
          name: `${this.fullname}-${role}-podmonitor`,
          namespace: this.namespace,
          objectLabels,
          component: role,
          podLabels: labels,
          defaultPort: 'metrics',
        });
      }
      this.validateRole(role, o, problems);
      return { deployment, labels };
    };

    const decode = props.decode ?? {};
    // The main workload is the default child (`ApiObject.of(ms)`): decode, or prefill without decode.
    if (decode.create ?? true) this.decodeDeployment = build('decode', decode, 'Resource').deployment;
    if (props.prefill && (props.prefill.create ?? true)) {
      const built = build('prefill', props.prefill, this.decodeDeployment ? 'prefill' : 'Resource');
      this.prefillDeployment = built.deployment;
      this.prefillServer = new RoleServer(built.labels, servicePort, this.modelName, this.namespace);
    }

    addProblems(this, () => {
      const out: Problem[] = [...problems];
      const push = (p: Problem | undefined) => {
        if (p) out.push(p);
      };
      push(checkDns1123Label('releaseName', this.releaseName));
      push(checkDns1123Label('namespace', this.namespace));
      push(checkDns1123Subdomain('fullname', this.fullname));
      if (props.serviceAccount) push(checkDns1123Subdomain('serviceAccount.name', props.serviceAccount.name));
      if (!art.name || art.name.trim() === '') out.push({ field: 'modelArtifacts.name', value: art.name, allowed: 'the model name clients request, e.g. facebook/opt-125m' });
      out.push(...checkLabels('modelArtifacts.labels', baseLabels));
      if ('llm-d.ai/role' in baseLabels) out.push({ field: 'modelArtifacts.labels.llm-d.ai/role', value: baseLabels['llm-d.ai/role'], allowed: 'no llm-d.ai/role label', why: 'the construct sets llm-d.ai/role: decode or prefill' });
      if (art.size !== undefined) push(checkQuantity('modelArtifacts.size', art.size));
      if (!mountPath.startsWith('/')) out.push({ field: 'modelArtifacts.mountPath', value: mountPath, allowed: 'an absolute path' });
      if (art.storage && art.storage.claimNamespace !== this.namespace) {
        out.push({ field: 'modelArtifacts.storage', value: `${art.storage.claimNamespace}/${art.storage.claimName}`, allowed: `a claim in namespace "${this.namespace}"`, why: 'pods can only mount claims of their own namespace' });
      }
      push(checkPort('routing.servicePort', servicePort));
      if (proxyEnabled) {
        out.push(...routingSidecarProblems(proxy, servicePort, targetPort, 'vLLM'));
      }
      return out;
    });
  }

  private validateRole(role: Role, o: ModelServiceRoleOptions, out: Problem[]): void {
    if (o.replicas !== undefined && !(Number.isInteger(o.replicas) && o.replicas >= 0)) out.push({ field: `${role}.replicas`, value: o.replicas, allowed: 'a non-negative integer' });
    for (const k of ['tensor', 'data', 'dataLocal', 'workers'] as const) {
      const v = o.parallelism?.[k];
      if (v !== undefined && !(Number.isInteger(v) && v >= 0)) out.push({ field: `${role}.parallelism.${k}`, value: v, allowed: 'a positive integer' });
    }
    if (o.containers && o.containers.length === 0) out.push({ field: `${role}.containers`, value: [], allowed: 'at least one container' });
    if (o.acceleratorTypes?.labelKey && !isLabelKey(o.acceleratorTypes.labelKey)) out.push({ field: `${role}.acceleratorTypes.labelKey`, value: o.acceleratorTypes.labelKey, allowed: 'a node label key' });
    const names = new Set<string>();
    (o.containers ?? [{}]).forEach((c, i) => {
      const f = `${role}.containers[${i}]`;
      const n = c.name ?? 'vllm';
      const p = checkDns1123Label(`${f}.name`, n);
      if (p) out.push(p);
      if (names.has(n)) out.push({ field: `${f}.name`, value: n, allowed: 'a container name unique in the pod' });
      names.add(n);
      const mc = c.modelCommand ?? 'vllmServe';
      if (!['vllmServe', 'imageDefault', 'custom'].includes(mc)) out.push({ field: `${f}.modelCommand`, value: mc, allowed: 'vllmServe, imageDefault or custom' });
      if (mc === 'custom' && !(c.command && c.command.length > 0)) out.push({ field: `${f}.command`, value: c.command, allowed: 'a non-empty command', why: 'modelCommand "custom" runs the given command (the chart fails without one)' });
      if (mc !== 'custom' && c.command && c.command.length > 0) out.push({ field: `${f}.command`, value: c.command, allowed: 'no command', why: `modelCommand "${mc}" sets the command; use modelCommand "custom" for your own` });
      if (c.image !== undefined && c.image.trim() === '') out.push({ field: `${f}.image`, value: c.image, allowed: 'an image reference' });
      out.push(...checkResources(`${f}.resources`, c.resources));
      for (const k of Object.keys(c.extraConfig ?? {})) {
        if (CONTAINER_KEYS.includes(k)) out.push({ field: `${f}.extraConfig.${k}`, value: (c.extraConfig ?? {})[k], allowed: `a Container field other than ${CONTAINER_KEYS.join(', ')}`, why: 'the construct sets it from its own props' });
      }
    });
  }

  private container(
    role: Role,
    c: ModelServiceContainer,
    x: {
      par: ResolvedVllmParallelism; servicePort: number; targetPort: number; proxyEnabled: boolean; mountPath: string; readOnly: boolean; authSecretName?: string;
      accType: string; resourceMap: Readonly<Record<string, string>>; accEnv: ReadonlyArray<{ name: string; value: string }>; hardening: ModelServiceHardeningOptions; problems: Problem[];
      dra: boolean; claimNames: readonly string[]; tracing?: ModelServiceTracingOptions;
    },
  ): Json {
    const image = c.image ?? DEFAULT_VLLM_IMAGE;
    const mc = c.modelCommand ?? 'vllmServe';
    const mounts = mountsModel(c);
    const out: Json = { ...(c.extraConfig ?? {}) };
    out.name = c.name ?? 'vllm';
    out.image = image;
    if (mc === 'custom') {
      if (c.command && c.command.length > 0) out.command = c.command;
      if (c.args && c.args.length > 0) out.args = c.args;
    } else if (this.modelUri.scheme !== 'oci') {
      if (mc === 'vllmServe') out.command = ['vllm', 'serve'];
      out.args = vllmServeArgs({
        uri: this.modelUri,
        mountPath: x.mountPath,
        modelFlag: mc === 'imageDefault',
        port: vllmPort(role, x.proxyEnabled, x.servicePort, x.targetPort),
        parallelism: x.par,
        servedModelName: this.modelName,
        userArgs: [
          ...(x.tracing?.enabled ? ['--otlp-traces-endpoint', x.tracing.otlpEndpoint ?? 'http://otel-collector:4317', '--collect-detailed-traces', x.tracing.collectDetailedTraces ?? 'all'] : []),
          ...(c.args ?? []),
        ],
      });
    }
    const env: EnvVar[] = [
      ...(c.env ?? []),
      ...vllmParallelismEnv(x.par),
      ...vllmHuggingFaceEnv(this.modelUri, x.mountPath, mounts, x.authSecretName),
      ...x.accEnv,
      ...tracingEnv(x.tracing, role === 'decode' ? (x.tracing?.serviceNames?.vllmDecode ?? 'vllm-decode') : (x.tracing?.serviceNames?.vllmPrefill ?? 'vllm-prefill')),
    ];
    out.env = env;
    const port = vllmPort(role, x.proxyEnabled, x.servicePort, x.targetPort);
    const ports = c.ports ?? (mc === 'custom' ? [] : [{ containerPort: port, name: DEFAULT_VLLM_PORT_NAME, protocol: 'TCP' }]);
    if (ports.length > 0) out.ports = ports;
    const resourceName = acceleratorResourceName(x.accType, image, x.resourceMap);
    const count = acceleratorsPerPod(x.par);
    // DRA: limits/requests as given, the accelerator comes from the claims.
    const resources: Json & { limits: Record<string, string | number>; requests: Record<string, string | number> } = vllmResources(c.resources, x.dra ? '' : resourceName, count);
    if (x.claimNames.length > 0) resources.claims = x.claimNames.map((name) => ({ name }));
    const holds = x.dra || (resourceName !== '' && count >= 1);
    out.resources = (c.defaultResourceRequests ?? true) ? withDefaultRequests(resources, holds ? { cpu: '2', memory: '8Gi' } : { cpu: '100m', memory: '256Mi' }) : resources;
    const volumeMounts: Json[] = [...((c.volumeMounts ?? []) as unknown as Json[])];
    if (mounts) {
      const m: Json = { name: 'model-storage', mountPath: x.mountPath };
      if (this.modelUri.scheme === 'pvc' || this.modelUri.scheme === 'pvc+hf') m.readOnly = x.readOnly;
      volumeMounts.push(m);
    }
    if (volumeMounts.length > 0) out.volumeMounts = volumeMounts;
    if (c.imagePullPolicy) out.imagePullPolicy = c.imagePullPolicy;
    setOptionalContainerFields(out, c);
    const hardened = x.hardening.enabled === false ? {} : hardenedContainerSecurityContext({ runAsNonRoot: x.hardening.runAsNonRoot ?? false });
    const sc = { ...hardened, ...(c.securityContext ?? {}) };
    if (Object.keys(sc).length > 0) out.securityContext = sc;
    return out;
  }

  private routingProxy(p: ModelServiceRoutingProxyOptions, servicePort: number, targetPort: number, h: ModelServiceHardeningOptions, env: EnvVar[]): Json {
    const resources = withDefaultRequests({}, { cpu: '100m', memory: '128Mi' });
    return {
      name: 'routing-proxy',
      args: routingProxyArgs({
        servicePort,
        targetPort,
        connector: p.connector || 'nixlv2',
        zapDevel: p.zapDevel,
        zapEncoder: p.zapEncoder,
        zapLogLevel: p.zapLogLevel,
        zapStacktraceLevel: p.zapStacktraceLevel,
        zapTimeEncoding: p.zapTimeEncoding,
        secure: p.secure,
        prefillerUseTLS: p.prefillerUseTLS,
        certPath: p.certPath,
      }),
      image: p.image ?? DEFAULT_ROUTING_SIDECAR_IMAGE,
      imagePullPolicy: p.imagePullPolicy ?? 'Always',
      ...(env.length > 0 ? { env } : {}),
      ports: [{ containerPort: servicePort }],
      resources,
      restartPolicy: 'Always',
      securityContext: { ...(h.enabled === false ? {} : hardenedContainerSecurityContext()), allowPrivilegeEscalation: false, runAsNonRoot: true },
    };
  }

  private modelVolume(size: string | undefined, readOnly: boolean): Json {
    const u = this.modelUri;
    if (u.scheme === 'hf') return { name: 'model-storage', emptyDir: { sizeLimit: size ?? '0' } };
    if (u.scheme === 'pvc' || u.scheme === 'pvc+hf') return { name: 'model-storage', persistentVolumeClaim: { claimName: u.claimName, readOnly } };
    return { name: 'model-storage' };
  }

  private resolveModelUri(art: ModelServiceArtifacts): ModelUri {
    if ((art.uri === undefined) === (art.storage === undefined)) {
      fail(this, { field: 'modelArtifacts', value: { uri: art.uri, storage: art.storage?.claimName }, allowed: 'exactly one of uri and storage' });
    }
    let parsed: ModelUri;
    try {
      parsed = art.storage ? parseModelUri(modelStorageUri(art.storage, art.storage.repoId ?? art.name), 'modelArtifacts.storage') : parseModelUri(art.uri as string);
    } catch (e) {
      if (e instanceof ModelUriError) fail(this, e.problem);
      throw e;
    }
    if (parsed.scheme === 'oci') {
      fail(this, {
        field: 'modelArtifacts.uri',
        value: parsed.uri,
        allowed: 'hf://<org>/<model>, pvc://<claim>/<path> or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>',
        why: 'oci:// models are not supported: the chart fails on them ("arguments for oci:// not implemented")',
      });
    }
    // Exercise the rule once so an unsupported scheme fails here, not mid-render.
    vllmModelArgs(parsed, art.mountPath ?? '/model-cache', false);
    return parsed;
  }
}

function mountsModel(c: ModelServiceContainer): boolean {
  return c.mountModelVolume ?? (c.modelCommand ?? 'vllmServe') !== 'custom';
}
