import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { INetworkPolicyPeer, IPodSelector, NetworkPolicyPeerConfig, PodSelectorConfig } from '../core/contracts';
import { IModelServer, ModelServerMetricsFlavor } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { kplusPodSelectorConfig } from '../core/pod-peer';
import { isLabelKey, sharedLabels } from '../core/labels';
import { checkDns1123Label } from '../core/names';
import { checkPort } from '../core/ports';
import { checkResources, withDefaultRequests } from '../core/quantities';
import { hardenedContainerSecurityContext } from '../core/security';
import { modelServerIdentityProblems, requiredModelArtifacts, resolveModelArtifactsUri, setOptionalContainerFields } from './pod-core';
import { addLeaderWorkerSet } from './leader-worker-set';
import { addModelServerPodMonitor } from './pod-monitor';
import { ModelUri } from '../storage/model-uri';
import { addModelVolumeGates, modelVolumeGates } from './model-volume-gates';
import { addResolvedUserEnv } from '../core/image-users';
import { modelLabelValue, modelServiceFullname, releaseNameFromId } from './furiosa-rules';
import { controlCharacterProblems, servedPort } from '../core/object-rules/pod-spec-rules';
import { addRequesterReplicaSet, requesterProblems } from './requester';
import { routingProxyArgs, routingSidecarProblems } from './routing-sidecar';
import { DEFAULT_DRA_CLAIM_TEMPLATES } from './model-service-options';
import type { ModelServiceArtifacts, ModelServiceContainer, ModelServiceHardeningOptions, ModelServiceProps, ModelServiceRoleOptions, ModelServiceRoutingProxyOptions, ModelServiceTracingOptions } from './model-service-options';
import { EnvVar } from './k8s-types';
import {
  ACCELERATOR_ENV,
  ACCELERATOR_RESOURCES,
  acceleratorResourceName,
  acceleratorsPerPod,
  acceleratorRequestMismatch,
  acceleratorTypeProblem,
  acceleratorWarning,
  dataParallelismProblem,
  DEFAULT_ROUTING_SIDECAR_IMAGE,
  DEFAULT_VLLM_IMAGE,
  resolveVllmParallelism,
  ResolvedVllmParallelism,
  vllmHuggingFaceEnv,
  vllmModelArgs,
  vllmParallelismEnv,
  vllmPort,
  vllmResources,
  vllmServeArgs,
} from './model-service-rules';
import { plainProps } from '../core/plain-props';

type Json = Record<string, unknown>;

/** Name of the default vLLM container port: the PodMonitor's default `portName`. */
const DEFAULT_VLLM_PORT_NAME = 'metrics';

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
export class ModelService extends Construct implements IModelServer, IPodSelector, INetworkPolicyPeer {
  /** Release-like base name the object names derive from (the construct id by default). */
  public readonly releaseName: string;
  /** `<releaseName>-llm-d-modelservice`: the ServiceAccount's name and the workloads' prefix. */
  public readonly fullname: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Namespace of the pods (the same as `namespace`). */
  public readonly podNamespace: string;
  /** The model name clients ask for (`modelArtifacts.name`). */
  public readonly modelName: string;
  public readonly metricsFlavor: ModelServerMetricsFlavor = 'vllm';
  /** Decode pod labels. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Port the pool targets (routing.servicePort). */
  public readonly servingPort: number;
  /** ServiceAccount the pods run as (created, or the one given). */
  public readonly serviceAccountName: string;
  /** The parsed model URI (`hf://`, `pvc://`, `pvc+hf://`, `oci://`). */
  public readonly modelUri: ModelUri;
  /** The decode Deployment, or LeaderWorkerSet with `multinode`. */
  public readonly decodeDeployment?: ApiObject;
  /** The prefill Deployment, or LeaderWorkerSet with `multinode`. */
  public readonly prefillDeployment?: ApiObject;
  /** The prefill pods as a model server, when created. */
  public readonly prefillServer?: IModelServer;
  /** The ServiceAccount object, unless an existing one was given. */
  public readonly serviceAccount?: ApiObject;

  constructor(scope: Construct, id: string, props: ModelServiceProps) {
    super(scope, id);
    props = plainProps(this, props);
    const problems: Problem[] = [];
    this.releaseName = props.releaseName ?? releaseNameFromId(id);
    this.fullname = modelServiceFullname(this.releaseName, props.fullnameOverride);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.podNamespace = this.namespace;
    const art = requiredModelArtifacts(this, props.modelArtifacts);
    this.modelName = art.name;
    this.modelUri = this.resolveModelUri(art);
    const mountPath = art.mountPath ?? '/model-cache';
    const readOnly = art.readOnly ?? true;
    const authSecretName = art.authSecret?.name ?? art.storage?.tokenSecret?.name;
    const baseLabels: Record<string, string> = { ...(art.labels ?? { 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': modelLabelValue(typeof art.name === 'string' ? art.name : '') }) };
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
    const accTypeProblem = acceleratorTypeProblem('accelerator.type', accType, resourceMap);
    if (accTypeProblem) problems.push(accTypeProblem);
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
      if (role === 'decode' && proxyEnabled) {
        podContainers.forEach((c, i) => {
          const served = servedPort(c);
          if (served !== undefined && served !== targetPort) {
            problems.push({ field: `decode.containers[${i}].args`, value: `--port ${served}`, allowed: `--port ${targetPort} (routing.proxy.targetPort), or no --port (the chart adds it)`, why: `the routing sidecar sends every request to port ${targetPort}; vLLM would listen on ${served}` });
          }
        });
      }
      if (!multinode && par.data > par.dataLocal) {
        problems.push({
          field: `${role}.parallelism.data`,
          value: par.data,
          allowed: `${par.dataLocal} (dataLocal: the ranks one pod holds), or multinode: true`,
          why: `a Deployment's pods each run ${par.dataLocal} data-parallel rank(s) of ${par.tensor} accelerator(s); vLLM started with --data-parallel-size ${par.data} waits for ranks that never come (EngineCore_DP1 failures). Scale with ${role}.replicas instead`,
        });
      }
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
      const gates = modelVolumeGates(containersIn.some((c) => mountsModel(c)) ? art.storage : undefined, {
        image: String(podContainers[0]?.image ?? DEFAULT_VLLM_IMAGE),
        volume: 'model-storage',
        mountPath,
      });
      addModelVolumeGates(pod, gates);
      addResolvedUserEnv(pod);

      const meta: Json = { name: `${this.fullname}-${role}`, namespace: this.namespace, labels: { ...objectLabels, 'app.kubernetes.io/component': role } };
      const annotations: Record<string, string> = { ...(o.annotations ?? {}) };
      const first = containersIn[0];
      if (first) {
        const resourceName = acceleratorResourceName(accType, first.image ?? DEFAULT_VLLM_IMAGE, resourceMap);
        const count = acceleratorsPerPod(par);
        const warning = acceleratorWarning(resourceName, count, first.resources?.limits);
        if (warning) annotations['llm-d.ai/accelerator-warning'] = warning;
        const mismatch = dataParallelismProblem(role, par, resourceName, first.resources?.limits?.[resourceName], count) ?? acceleratorRequestMismatch(role, first, resourceName, count);
        if (mismatch) problems.push(mismatch);
      }
      if (Object.keys(annotations).length > 0) meta.annotations = annotations;
      const podMeta: Json = { labels: { ...labels, ...gates.labels } };
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
          podMetadata: { labels: { ...labels, ...gates.labels }, annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined },
          podSpec: pod,
        });
      } else {
        const spec: Json = { replicas: o.replicas ?? 1, selector: { matchLabels: { ...labels } }, template: { metadata: podMeta, spec: pod } };
        if (o.strategy && Object.keys(o.strategy).length > 0) spec.strategy = o.strategy;
        // With the requester, the dual-pod controller starts the decode servers: no Deployment.
        deployment = role === 'decode' && props.requester
          ? addRequesterReplicaSet(this, workloadId, props.requester, {
            name: String(meta.name),
            namespace: this.namespace,
            replicas: o.replicas ?? 1,
            modelName: art.name,
            initContainers: pod.initContainers as Json[] | undefined,
            containers: podContainers,
          })
          : new ApiObject(this, workloadId, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec });
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
      this.validateRole(role, o, resourceMap, problems);
      if (role === 'decode') problems.push(...requesterProblems(props.requester));
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
      out.push(...modelServerIdentityProblems({
        releaseName: this.releaseName,
        fullname: this.fullname,
        fullnameIsLabel: false,
        namespace: this.namespace,
        serviceAccountName: props.serviceAccount?.name,
        artifacts: art,
        podLabels: baseLabels,
        mountPath,
        exampleModel: 'facebook/opt-125m',
        roles: 'decode or prefill',
      }));
      push(checkPort('routing.servicePort', servicePort));
      if (proxyEnabled) {
        out.push(...routingSidecarProblems(proxy, servicePort, targetPort, 'vLLM'));
      }
      return out;
    });
  }

  /** cdk8s-plus `IPodSelector`: every model-server pod of the service, decode and prefill (the labels both roles share), in their namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: sharedLabels([this.podLabels, ...(this.prefillServer ? [this.prefillServer.podLabels] : [])]) ?? {}, namespace: this.podNamespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods, for `kplus.NetworkPolicy` rules and `connections.allowTo/allowFrom`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector, so cdk8s-plus can add the policy on our side too. */
  public toPodSelector(): IPodSelector {
    return this;
  }

  private validateRole(role: Role, o: ModelServiceRoleOptions, resourceMap: Readonly<Record<string, string>>, out: Problem[]): void {
    if (o.replicas !== undefined && !(Number.isInteger(o.replicas) && o.replicas >= 0)) out.push({ field: `${role}.replicas`, value: o.replicas, allowed: 'a non-negative integer' });
    for (const k of ['tensor', 'data', 'dataLocal', 'workers'] as const) {
      const v = o.parallelism?.[k];
      if (v !== undefined && !(Number.isInteger(v) && v >= 1)) out.push({ field: `${role}.parallelism.${k}`, value: v, allowed: 'a positive integer' });
    }
    if (o.acceleratorType !== undefined) {
      const p = acceleratorTypeProblem(`${role}.acceleratorType`, o.acceleratorType, resourceMap);
      if (p) out.push(p);
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
      out.push(...controlCharacterProblems(f, c as unknown as Json));
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
    const parsed = resolveModelArtifactsUri(this, art, '');
    // Exercise the rule once so an unsupported scheme fails here, not mid-render.
    vllmModelArgs(parsed, art.mountPath ?? '/model-cache', false);
    return parsed;
  }
}

function mountsModel(c: ModelServiceContainer): boolean {
  return c.mountModelVolume ?? (c.modelCommand ?? 'vllmServe') !== 'custom';
}

