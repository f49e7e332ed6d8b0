import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { INetworkPolicyPeer, IPodSelector, NetworkPolicyPeerConfig, PodSelectorConfig } from '../core/contracts';
import { IModelServer, ModelServerMetricsFlavor } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { kplusPodSelectorConfig } from '../core/pod-peer';
import { isLabelKey } from '../core/labels';
import { peersOf, registerPeer } from '../core/peers';
import { checkDns1123Label } from '../core/names';
import { declareNodePools } from '../core/node-pools';
import { checkPort, checkPortName } from '../core/ports';
import { checkResources, withDefaultRequests } from '../core/quantities';
import { hardenedContainerSecurityContext } from '../core/security';
import { modelServerIdentityProblems, requiredModelArtifacts, resolveModelArtifactsUri, setOptionalContainerFields } from './pod-core';
import { addModelServerPodMonitor } from './pod-monitor';
import { routingProxyArgs, routingSidecarProblems } from './routing-sidecar';
import type { FuriosaContainer, FuriosaHardeningOptions, FuriosaModelArtifacts, FuriosaModelCommand, FuriosaModelServiceProps } from './furiosa-options';
import { ModelUri } from '../storage/model-uri';
import { addModelVolumeGates, modelVolumeGates } from './model-volume-gates';
import {
  acceleratorResources,
  DEFAULT_FURIOSA_LLM_IMAGE,
  FURIOSA_MODELSERVICE_CHART_NAME,
  DEFAULT_MODEL_MOUNT_PATH,
  furiosaServeArgs,
  guideProbes,
  huggingFaceEnv,
  isInferenceSimImage,
  modelLabelValue,
  modelServiceFullname,
  modelVolume,
  modelVolumeMount,
  parallelismEnv,
  portReference,
  probePortName,
  releaseNameFromId,
  ResolvedParallelism,
  rngdPerPod,
} from './furiosa-rules';
import {
  ContainerPort,
  ContainerSpec,
  Probe,
} from './k8s-types';
import { normalizedPosixPath } from '../core/paths';
import { plainProps } from '../core/plain-props';
import { controlCharacterProblems } from '../core/object-rules/pod-spec-rules';

type Json = Record<string, unknown>;

const DEFAULT_CONTAINER_NAME = 'furiosa-llm';
const DEFAULT_PROXY_IMAGE = 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0-rc.1';
const SERVER_REQUESTS: Readonly<Record<string, string>> = { cpu: '4', memory: '32Gi' };
const SMALL_REQUESTS: Readonly<Record<string, string>> = { cpu: '100m', memory: '128Mi' };

interface ResolvedContainer {
  readonly index: number;
  readonly props: FuriosaContainer;
  readonly name: string;
  readonly image: string;
  readonly modelCommand: FuriosaModelCommand;
  readonly mountModelVolume: boolean;
  readonly ports: readonly ContainerPort[];
  readonly holdsAccelerator: boolean;
}

/**
 * Furiosa-LLM model servers on RNGD: what `helm install ms furiosa/llm-d-modelservice` renders
 * (decode Deployment, ServiceAccount, optional PodMonitor and DRA ResourceClaimTemplate), with
 * typed props, validation, hardened containers and no floating image tag by default.
 *
 * ```ts
 * const ms = new FuriosaModelService(chart, 'ms', {
 *   modelArtifacts: { name: 'furiosa-ai/Llama-3.1-8B-Instruct', storage: downloader },
 *   decode: { replicas: 2, parallelism: { tensor: 8 } },
 * });
 * pool.addModelServer(ms); // IModelServer: labels, port, model name, metrics flavor
 * ```
 *
 * The chart's `extraObjects` has no prop: add your own constructs to the same chart, e.g.
 * `new ApiObject(chart, 'extra-config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {...}, data: {...} })`
 * or any cdk8s/cdk8s-plus construct.
 *
 * Refused (Furiosa-LLM can't do them): prefill/decode disaggregation and multinode
 * LeaderWorkerSets; oci:// models.
 */
export class FuriosaModelService extends Construct implements IModelServer, IPodSelector, INetworkPolicyPeer {
  /** Release name the names derive from. */
  public readonly releaseName: string;
  /** `<release>-llm-d-modelservice` or the override. */
  public readonly fullname: string;
  /** Name of the decode Deployment: `<fullname>-decode`. */
  public readonly deploymentName: string;
  /** ServiceAccount of the pods (created unless the `serviceAccount` prop is given). */
  public readonly serviceAccountName: string;
  /** PodMonitor name, when one is created. */
  public readonly podMonitorName?: string;
  /** ResourceClaimTemplate name, when DRA is enabled. */
  public readonly resourceClaimTemplateName?: string;
  /** The parsed model URI. */
  public readonly modelUri: ModelUri;
  /** Secret the containers read `HF_TOKEN` from, when one is used. */
  public readonly authSecretName?: string;
  /** RNGD cards each pod requests (extended resource or DRA count). */
  public readonly rngdPerPod: number;
  /** Resolved parallelism. */
  public readonly parallelism: ResolvedParallelism;
  /** Decode replicas. */
  public readonly replicas: number;

  // IModelServer
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly servingPort: number;
  public readonly modelName: string;
  public readonly podNamespace: string;
  public readonly metricsFlavor: ModelServerMetricsFlavor = 'furiosa';

  /** Labels of the objects themselves (not of the pods): app.kubernetes.io name, instance, managed-by. */
  public readonly objectLabels: Readonly<Record<string, string>>;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** The ServiceAccount object, unless the `serviceAccount` prop is given. */
  public readonly serviceAccount?: ApiObject;
  /** The decode Deployment, unless `decode.create` is false. */
  public readonly deployment?: ApiObject;
  /** The PodMonitor, when enabled. */
  public readonly podMonitor?: ApiObject;
  /** The ResourceClaimTemplate, when DRA is enabled. */
  public readonly resourceClaimTemplate?: ApiObject;

  constructor(scope: Construct, id: string, props: FuriosaModelServiceProps) {
    super(scope, id);
    props = plainProps(this, props);
    const problems: Problem[] = [];
    const decode = props.decode ?? {};
    const art = requiredModelArtifacts(this, props.modelArtifacts);

    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.podNamespace = this.namespace;
    this.releaseName = props.releaseName ?? releaseNameFromId(id);
    this.fullname = modelServiceFullname(this.releaseName, props.fullnameOverride);
    this.deploymentName = `${this.fullname}-decode`;
    this.serviceAccountName = props.serviceAccount?.name || this.fullname;
    this.modelName = art.name;

    // --- model URI -----------------------------------------------------------------------
    this.modelUri = this.resolveModelUri(art);
    const mountPath = art.mountPath ?? DEFAULT_MODEL_MOUNT_PATH;
    const authSecretName = art.authSecret?.name ?? art.storage?.tokenSecret?.name;
    this.authSecretName = authSecretName;

    // --- parallelism and accelerator -------------------------------------------------------
    const par = decode.parallelism ?? {};
    this.parallelism = { tensor: par.tensor ?? 4, data: par.data ?? 1, pipeline: par.pipeline ?? 1, workers: par.workers ?? 1 };
    const accel = props.accelerator ?? {};
    const resourceName = (accel.type ?? 'furiosa') === 'cpu' ? '' : (accel.resourceName ?? 'furiosa.ai/rngd');
    const parallelismOk = (['tensor', 'data', 'pipeline'] as const).every((k) => isPositiveInt(this.parallelism[k]));
    const cards = parallelismOk ? rngdPerPod(this.parallelism) : 0;
    const dra = props.dra ?? {};
    const draEnabled = dra.enabled ?? false;
    const draType = dra.type ?? 'furiosa';
    const claimTemplates = dra.claimTemplates ?? [{ name: 'furiosa' }];
    const claim = claimTemplates.find((t) => t.name === draType);
    const draCount = claim?.count ?? cards;
    this.rngdPerPod = draEnabled ? draCount : resourceName === '' ? 0 : cards;
    this.replicas = decode.replicas ?? 1;

    // --- routing ----------------------------------------------------------------------------
    const routing = props.routing ?? {};
    const servicePort = routing.servicePort ?? 8000;
    const proxy = routing.proxy ?? {};
    const proxyEnabled = proxy.enabled ?? false;
    const targetPort = proxy.targetPort ?? 8200;
    const listenPort = proxyEnabled ? targetPort : servicePort;
    this.servingPort = servicePort;

    // --- labels -----------------------------------------------------------------------------
    const baseLabels = art.labels ?? { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': modelLabelValue(typeof art.name === 'string' ? art.name : '') };
    this.podLabels = { ...baseLabels, 'llm-d.ai/role': 'decode' };

    // --- containers -------------------------------------------------------------------------
    const containerProps = decode.containers ?? [{}];
    const containers: ResolvedContainer[] = containerProps.map((c, index) => {
      const modelCommand = c.modelCommand ?? 'furiosaLLMServe';
      const serve = modelCommand === 'furiosaLLMServe';
      const name = c.name ?? DEFAULT_CONTAINER_NAME;
      const image = c.image ?? DEFAULT_FURIOSA_LLM_IMAGE;
      const defaultPortName = checkPortName('x', name) === undefined ? name : 'http';
      return {
        index,
        props: c,
        name,
        image,
        modelCommand,
        mountModelVolume: c.mountModelVolume ?? serve,
        ports: c.ports ?? (serve ? [{ containerPort: listenPort, name: defaultPortName, protocol: 'TCP' }] : []),
        holdsAccelerator: draEnabled || (resourceName !== '' && !isInferenceSimImage(image)),
      };
    });
    const servePorts = containers.find((c) => c.modelCommand === 'furiosaLLMServe')?.ports ?? [];
    const servePortName = servePorts.find((p) => p.containerPort === listenPort)?.name;

    const hardening = decode.hardening ?? {};
    const hardened = (hardening.enabled ?? true) ? modelServerSecurityContext(hardening) : {};

    const renderContainer = (c: ResolvedContainer): Json => {
      const p = c.props;
      const field = `decode.containers[${c.index}]`;
      const explicit: Json = { name: c.name, image: c.image };
      if (p.securityContext) explicit.securityContext = { ...hardened, ...p.securityContext };
      if (p.imagePullPolicy) explicit.imagePullPolicy = p.imagePullPolicy;
      if (c.modelCommand === 'furiosaLLMServe') {
        explicit.command = ['furiosa-llm', 'serve'];
        explicit.args = this.modelUri.scheme === 'oci' ? [] : furiosaServeArgs(this.modelUri, mountPath, listenPort, this.parallelism, p.args ?? []);
      } else {
        if (c.modelCommand === 'custom' && p.command && p.command.length > 0) explicit.command = [...p.command];
        if (p.args && p.args.length > 0) explicit.args = [...p.args];
      }
      explicit.env = [
        ...(p.env ?? []),
        ...parallelismEnv(this.parallelism),
        ...huggingFaceEnv(this.modelUri, mountPath, c.mountModelVolume, authSecretName),
        ...(resourceName === '' ? [] : (accel.env ?? [])),
      ];
      if (c.ports.length > 0) explicit.ports = c.ports;
      if (draEnabled) {
        const res: { limits?: Record<string, string | number>; requests?: Record<string, string | number>; claims: Json[] } = {
          claims: [{ name: `${draType}-resource-claim` }],
        };
        if (p.resources?.limits && Object.keys(p.resources.limits).length > 0) res.limits = { ...p.resources.limits };
        if (p.resources?.requests && Object.keys(p.resources.requests).length > 0) res.requests = { ...p.resources.requests };
        explicit.resources = (p.defaultResourceRequests ?? true) ? withDefaultRequests(res, SERVER_REQUESTS) : res;
      } else {
        const res = acceleratorResources(p.resources, c.holdsAccelerator ? resourceName : '', cards);
        explicit.resources = (p.defaultResourceRequests ?? true) ? withDefaultRequests(res, c.holdsAccelerator && cards >= 1 ? SERVER_REQUESTS : SMALL_REQUESTS) : res;
      }
      const mounts = [...(p.volumeMounts ?? [])];
      if (c.mountModelVolume && this.modelUri.scheme !== 'oci') mounts.push(modelVolumeMount(this.modelUri, mountPath));
      if (mounts.length > 0) explicit.volumeMounts = mounts;
      setOptionalContainerFields(explicit, p);

      const defaults: Json = {};
      if (Object.keys(hardened).length > 0) defaults.securityContext = hardened;
      if (p.defaultProbes ?? c.modelCommand === 'furiosaLLMServe') {
        const probes = guideProbes(portReference(c.ports, listenPort));
        for (const k of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) defaults[k] = probes[k];
      }
      const extra = p.extraConfig ?? {};
      for (const k of Object.keys(extra)) {
        if (k in explicit) problems.push({ field: `${field}.extraConfig.${k}`, value: extra[k], allowed: `no "${k}" here`, why: `"${k}" is set by the dedicated prop or generated; set it there` });
      }
      const extraSc = extra.securityContext as Json | undefined;
      const out: Json = { ...defaults, ...extra, ...explicit };
      if (extraSc && !p.securityContext) out.securityContext = { ...hardened, ...extraSc };
      return out;
    };

    const renderInit = (c: ContainerSpec): Json => {
      const out: Json = { ...c };
      if (Object.keys(hardened).length > 0) out.securityContext = { ...hardened, ...(c.securityContext ?? {}) };
      const res = withDefaultRequests({ limits: c.resources?.limits ? { ...c.resources.limits } : undefined, requests: c.resources?.requests ? { ...c.resources.requests } : undefined }, SMALL_REQUESTS);
      out.resources = { ...(c.resources ?? {}), ...stripUndefined(res) };
      return out;
    };

    // --- pod ----------------------------------------------------------------------------------
    const initContainers: Json[] = [];
    if (proxyEnabled) {
      initContainers.push({
        name: 'routing-proxy',
        args: routingProxyArgs({ ...proxy, servicePort, targetPort, connector: proxy.connector ?? 'nixlv2' }),
        image: proxy.image ?? DEFAULT_PROXY_IMAGE,
        imagePullPolicy: proxy.imagePullPolicy ?? 'Always',
        ports: [{ containerPort: servicePort }],
        resources: { requests: { ...SMALL_REQUESTS } },
        restartPolicy: 'Always',
        securityContext: { seccompProfile: { type: 'RuntimeDefault' }, ...hardened, allowPrivilegeEscalation: false, runAsNonRoot: true },
      });
    }
    initContainers.push(...(decode.initContainers ?? []).map(renderInit));

    const volumes: Json[] = [...(decode.volumes ?? [{ name: 'metrics-volume', emptyDir: {} }])];
    if (containers.some((c) => c.mountModelVolume) && this.modelUri.scheme !== 'oci') volumes.push(modelVolume(this.modelUri, art.size) as Json);

    const podExplicit: Json = { serviceAccountName: this.serviceAccountName };
    if (decode.nodeSelector && Object.keys(decode.nodeSelector).length > 0) podExplicit.nodeSelector = decode.nodeSelector;
    if (initContainers.length > 0) podExplicit.initContainers = initContainers;
    if (decode.enableServiceLinks !== undefined) podExplicit.enableServiceLinks = decode.enableServiceLinks;
    if (decode.terminationGracePeriodSeconds !== undefined) podExplicit.terminationGracePeriodSeconds = decode.terminationGracePeriodSeconds;
    if (decode.imagePullSecrets && decode.imagePullSecrets.length > 0) podExplicit.imagePullSecrets = decode.imagePullSecrets;
    if (decode.schedulerName) podExplicit.schedulerName = decode.schedulerName;
    if (decode.podSecurityContext) podExplicit.securityContext = decode.podSecurityContext;
    if (decode.acceleratorTypes?.labelKey) {
      const values = decode.acceleratorTypes.labelValues ?? [];
      podExplicit.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: decode.acceleratorTypes.labelKey, operator: 'In', ...(values.length > 0 ? { values } : {}) }] }],
          },
        },
      };
    }
    if (volumes.length > 0) podExplicit.volumes = volumes;
    if (draEnabled) podExplicit.resourceClaims = [{ name: `${draType}-resource-claim`, resourceClaimTemplateName: `${draType}-resource-claim-template` }];
    if (containers.length > 0) podExplicit.containers = containers.map(renderContainer);
    if (decode.tolerations && decode.tolerations.length > 0) podExplicit.tolerations = decode.tolerations;
    const podExtra = decode.extraConfig ?? {};
    for (const k of Object.keys(podExtra)) {
      if (k in podExplicit) problems.push({ field: `decode.extraConfig.${k}`, value: podExtra[k], allowed: `no "${k}" here`, why: `"${k}" is set by a dedicated prop or generated; set it there` });
    }
    const podSpec: Json = { automountServiceAccountToken: decode.automountServiceAccountToken ?? false, ...podExtra, ...podExplicit };
    const gates = modelVolumeGates(containers.some((c) => c.mountModelVolume) ? art.storage : undefined, {
      image: containers[0]?.image ?? DEFAULT_FURIOSA_LLM_IMAGE,
      volume: 'model-storage',
      mountPath,
    });
    addModelVolumeGates(podSpec, gates);

    // --- objects --------------------------------------------------------------------------
    // The chart's own labels are Helm bookkeeping (helm.sh/chart, managed-by, version); these replace them.
    this.objectLabels = {
      'app.kubernetes.io/name': FURIOSA_MODELSERVICE_CHART_NAME,
      'app.kubernetes.io/instance': this.releaseName,
      'app.kubernetes.io/managed-by': 'cdk8s-llm-d',
    };
    if (!props.serviceAccount) {
      this.serviceAccount = new ApiObject(this, 'service-account', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: this.serviceAccountName, namespace: this.namespace, labels: { ...this.objectLabels } },
      });
    }

    const create = decode.create ?? true;
    if (create) {
      const podMeta: Json = { labels: { ...this.podLabels, ...gates.labels } };
      if (decode.podAnnotations && Object.keys(decode.podAnnotations).length > 0) podMeta.annotations = decode.podAnnotations;
      const meta: Json = { name: this.deploymentName, namespace: this.namespace, labels: { ...this.objectLabels, 'app.kubernetes.io/component': 'decode' } };
      if (decode.annotations && Object.keys(decode.annotations).length > 0) meta.annotations = decode.annotations;
      // `Resource` makes it the default child: `ApiObject.of(ms)` is the Deployment.
      this.deployment = new ApiObject(this, 'Resource', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: this.replicas,
          selector: { matchLabels: { ...this.podLabels } },
          template: { metadata: podMeta, spec: podSpec },
        },
      });
    }

    const pm = decode.monitoring?.podmonitor ?? {};
    if (create && pm.enabled) {
      this.podMonitorName = `${this.deploymentName}-podmonitor`;
      this.podMonitor = addModelServerPodMonitor(this, 'podmonitor', pm, {
        name: this.podMonitorName,
        namespace: this.namespace,
        objectLabels: this.objectLabels,
        component: 'decode',
        podLabels: this.podLabels,
        defaultPort: servePortName || 'metrics',
      });
    }

    if (draEnabled) {
      this.resourceClaimTemplateName = `${draType}-resource-claim-template`;
      registerPeer(this, claimTemplateKey(this.namespace, this.resourceClaimTemplateName));
      const request: Json = { name: draType };
      const selectors = claim?.selectors ?? [];
      request[claim?.match ?? 'exactly'] = {
        deviceClassName: claim?.class ?? 'npu.furiosa.ai',
        count: draCount,
        ...(selectors.length > 0 ? { selectors } : {}),
      };
      this.resourceClaimTemplate = new ApiObject(this, 'resource-claim-template', {
        apiVersion: 'resource.k8s.io/v1',
        kind: 'ResourceClaimTemplate',
        metadata: { name: this.resourceClaimTemplateName, namespace: this.namespace, labels: { ...this.objectLabels } },
        spec: { spec: { devices: { requests: [request] } } },
      });
    }

    // --- validation ------------------------------------------------------------------------
    const maxPerNode = accel.maxRngdPerNode ?? 8;
    // What the system model assumes of the nodes when the app gives no inventory.
    if (resourceName !== '' && !draEnabled && isPositiveInt(maxPerNode)) {
      declareNodePools(this, [{ name: `nodes with ${resourceName} (accelerator.maxRngdPerNode: ${maxPerNode})`, allocatable: { [resourceName]: maxPerNode } }], false);
    }
    // The full name is the user's fullnameOverride, or made from the release name: then it is a
    // valid name whenever the release name is one, and a refused release name (reported at
    // releaseName) is not reported again at the name made from it.
    const releaseNameOk = checkDns1123Label('releaseName', this.releaseName) === undefined;
    const checkedFullname = props.fullnameOverride || releaseNameOk ? this.fullname : modelServiceFullname(releaseNameFromId(id));
    addProblems(this, () => {
      const out: Problem[] = [...problems];
      const push = (p: Problem | undefined) => {
        if (p) out.push(p);
      };
      out.push(...modelServerIdentityProblems({
        releaseName: this.releaseName,
        fullname: checkedFullname,
        fullnameIsLabel: true,
        namespace: this.namespace,
        serviceAccountName: props.serviceAccount?.name,
        artifacts: art,
        podLabels: baseLabels,
        mountPath,
        exampleModel: 'furiosa-ai/Llama-3.1-8B-Instruct',
        roles: 'decode',
      }));
      const mountsModel = containers.some((c) => c.mountModelVolume);
      if (this.modelUri.scheme === 'pvc+hf' && mountsModel && normalizedPosixPath(mountPath) !== DEFAULT_MODEL_MOUNT_PATH) {
        out.push({
          field: 'modelArtifacts.mountPath',
          value: mountPath,
          allowed: `"${DEFAULT_MODEL_MOUNT_PATH}" with pvc+hf:// URIs`,
          why: `the chart sets HF_HUB_CACHE=${DEFAULT_MODEL_MOUNT_PATH}/<hub cache path> whatever the mount path, so furiosa-llm would not find the model`,
        });
      }
      for (const k of ['tensor', 'data', 'pipeline', 'workers'] as const) {
        if (!isPositiveInt(this.parallelism[k])) out.push({ field: `decode.parallelism.${k}`, value: this.parallelism[k], allowed: 'a positive integer' });
      }
      if (!isNonNegativeInt(this.replicas)) out.push({ field: 'decode.replicas', value: this.replicas, allowed: 'a non-negative integer' });
      if (!isPositiveInt(maxPerNode)) {
        // A refused maxRngdPerNode bounds nothing: the parallelism is not measured against it.
        out.push({ field: 'accelerator.maxRngdPerNode', value: maxPerNode, allowed: 'a positive integer' });
      } else if (this.rngdPerPod > maxPerNode) {
        const t = this.parallelism;
        out.push({
          field: draEnabled ? `dra.claimTemplates[${draType}].count` : 'decode.parallelism',
          value: draEnabled ? draCount : { tensor: t.tensor, data: t.data, pipeline: t.pipeline },
          allowed: `at most ${maxPerNode} RNGD per pod`,
          why: `a pod needs ${this.rngdPerPod} RNGD cards (ceil(${t.tensor}*${t.data}*${t.pipeline}/8)) but one node holds ${maxPerNode}, so it could never be scheduled; lower the parallelism (constructs only: raise accelerator.maxRngdPerNode for nodes with more cards)`,
        });
      }
      push(checkPort('routing.servicePort', servicePort));
      if (proxyEnabled) {
        out.push(...routingSidecarProblems(proxy, servicePort, targetPort, 'furiosa-llm'));
      }
      if (create && containers.length === 0) out.push({ field: 'decode.containers', value: [], allowed: 'at least one container' });
      // Container names: unique over init containers (incl. the sidecar) and containers.
      const seen = new Map<string, string>();
      const names: Array<[string, string]> = [
        ...initContainers.map((c, i): [string, string] => [String(c.name), proxyEnabled && i === 0 ? 'routing.proxy' : `decode.initContainers[${proxyEnabled ? i - 1 : i}].name`]),
        ...containers.map((c): [string, string] => [c.name, `decode.containers[${c.index}].name`]),
      ];
      for (const [n, f] of names) {
        push(checkDns1123Label(f, n));
        const prev = seen.get(n);
        if (prev) out.push({ field: f, value: n, allowed: 'a container name not used by another container or init container of the pod', why: `${prev} has the same name` });
        else seen.set(n, f);
      }
      for (const c of containers) {
        const f = `decode.containers[${c.index}]`;
        const p = c.props;
        if (c.image.trim() === '') out.push({ field: `${f}.image`, value: c.image, allowed: 'an image reference' });
        out.push(...controlCharacterProblems(f, p as unknown as Json));
        if (c.modelCommand === 'custom' && !(p.command && p.command.length > 0)) {
          out.push({ field: `${f}.command`, value: p.command, allowed: 'a non-empty command', why: 'modelCommand "custom" runs the given command; use "furiosaLLMServe" to have `furiosa-llm serve` generated or "imageDefault" for the image entrypoint' });
        }
        if (c.modelCommand !== 'custom' && p.command && p.command.length > 0) {
          out.push({ field: `${f}.command`, value: p.command, allowed: 'no command', why: `modelCommand "${c.modelCommand}" sets the command; use modelCommand "custom" for your own` });
        }
        if (!['furiosaLLMServe', 'imageDefault', 'custom'].includes(c.modelCommand)) out.push({ field: `${f}.modelCommand`, value: c.modelCommand, allowed: 'furiosaLLMServe, imageDefault or custom' });
        const portNames = new Set<string>();
        c.ports.forEach((port, i) => {
          // A generated port is routing.servicePort (or routing.proxy.targetPort), checked there.
          if (p.ports !== undefined) push(checkPort(`${f}.ports[${i}].containerPort`, port.containerPort));
          push(checkPortName(`${f}.ports[${i}].name`, port.name));
          if (port.name) {
            if (portNames.has(port.name)) out.push({ field: `${f}.ports[${i}].name`, value: port.name, allowed: 'a port name unique in the container' });
            portNames.add(port.name);
          }
        });
        const rendered = (this.deployment ? ((podSpec.containers as Json[])[c.index] ?? {}) : {}) as Json;
        for (const k of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
          const pn = probePortName((rendered[k] ?? p[k]) as Probe | undefined);
          if (pn !== undefined && !portNames.has(pn)) {
            out.push({
              field: `${f}.${k}`,
              value: pn,
              allowed: portNames.size > 0 ? `a port name of the container: ${[...portNames].join(', ')}` : 'a port number, or a name declared in the container ports',
              why: `the container has no port named "${pn}", so the probe would always fail`,
            });
          }
        }
        // Only the names generated for this container clash (HF_TOKEN without authSecret,
        // HF_HOME / HF_HUB_CACHE without the model mount or for another scheme are the user's).
        const generated = [...parallelismEnv(this.parallelism), ...huggingFaceEnv(this.modelUri, mountPath, c.mountModelVolume, authSecretName)].map((e) => e.name);
        (p.env ?? []).forEach((e, i) => {
          if (generated.includes(e.name)) out.push({ field: `${f}.env[${i}].name`, value: e.name, allowed: `a name other than ${generated.join(', ')}`, why: `${e.name} is generated from parallelism / modelArtifacts and would be overridden` });
        });
        out.push(...checkResources(`${f}.resources`, p.resources));
      }
      (decode.initContainers ?? []).forEach((ic, i) => {
        if (!ic.image) out.push({ field: `decode.initContainers[${i}].image`, value: ic.image, allowed: 'an image reference' });
        out.push(...checkResources(`decode.initContainers[${i}].resources`, ic.resources));
      });
      if (decode.acceleratorTypes && !isLabelKey(decode.acceleratorTypes.labelKey)) {
        out.push({ field: 'decode.acceleratorTypes.labelKey', value: decode.acceleratorTypes.labelKey, allowed: 'a node label key, e.g. furiosa.ai/rngd.present' });
      }
      if (draEnabled) {
        if (!claim) {
          out.push({ field: 'dra.type', value: draType, allowed: `the name of a dra.claimTemplates entry: ${claimTemplates.map((t) => t.name).join(', ') || '(none)'}` });
        } else {
          if (!isPositiveInt(draCount)) out.push({ field: `dra.claimTemplates[${draType}].count`, value: draCount, allowed: 'a positive integer' });
          if ((claim.match ?? 'exactly') !== 'exactly') out.push({ field: `dra.claimTemplates[${draType}].match`, value: claim.match, allowed: 'exactly', why: 'the chart renders the request as a map, which only "exactly" takes in resource.k8s.io/v1' });
        }
        // The claim template name does not contain the release: two services would collide.
        for (const other of peersOf<FuriosaModelService>(this, claimTemplateKey(this.namespace, this.resourceClaimTemplateName))) {
          out.push({ field: 'dra.type', value: draType, allowed: 'a claim template name not used by another model service in the namespace', why: `${other.node.path} also renders ResourceClaimTemplate ${this.resourceClaimTemplateName}` });
        }
      }
      return out;
    });
  }

  /** cdk8s-plus `IPodSelector`: the decode pods (furiosa-llm model servers), in their namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: this.podLabels, namespace: this.podNamespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods, for `kplus.NetworkPolicy` rules and `connections.allowTo/allowFrom`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector, so cdk8s-plus can add the policy on our side too. */
  public toPodSelector(): IPodSelector {
    return this;
  }

  private resolveModelUri(art: FuriosaModelArtifacts): ModelUri {
    return resolveModelArtifactsUri(this, art, ' and furiosa-llm cannot serve from an image volume; copy the model to a PVC (pvc://) or download it from Hugging Face (hf://)');
  }
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

function isNonNegativeInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

function stripUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The hardened container securityContext of model servers: seccomp only when chosen (RNGD needs io_uring). */
function modelServerSecurityContext(h: FuriosaHardeningOptions): Json {
  const context: Json = hardenedContainerSecurityContext({ runAsNonRoot: h.runAsNonRoot ?? false, runAsUser: h.runAsUser });
  delete context.seccompProfile;
  return h.seccompProfile ? { ...context, seccompProfile: { ...h.seccompProfile } } : context;
}

/** Model services under one key render the same ResourceClaimTemplate. */
function claimTemplateKey(namespace: string, name: string | undefined): string {
  return `FuriosaModelService.resourceClaimTemplate\0${namespace}\0${name}`;
}
