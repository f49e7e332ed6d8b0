// The endpoint picker (EPP) of an InferenceSchedulerPool: its ServiceAccount and RBAC, the
// ConfigMap of EndpointPickerConfig files, the Service the gateway calls over ext-proc gRPC, and
// the Deployment. Objects and names are those of the inferencepool chart v1.3.0.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { kplusPodSelectorConfig } from '../core/pod-peer';
import type * as kplus from 'cdk8s-plus-28';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import { EndpointPickerConfig, EndpointPickerConfigSpec } from './epp-config';
import { GRPC_HEALTH_PORT, GRPC_PORT, METRICS_PORT } from './epp-ports';
import { DEFAULT_EPP_IMAGE, EndpointPickerOptions } from './pool-options';
import { eppArgs, EppMetricsPreset, eppNameFor, presetFixedArgs, presetFlags, resolveEppFlags } from './rules';

type Json = Record<string, unknown>;

/** What the endpoint picker reads from its pool; the metric preset follows model servers added later. */
export interface EndpointPickerPool {
  readonly poolName: string;
  readonly namespace: string;
  readonly poolGroup: string;
  /** Labels of the chart's objects. */
  readonly labels: Readonly<Record<string, string>>;
  /** The ConfigMap key the EPP starts with. */
  readonly configFile: string;
  /** Whether the EPP's metrics endpoint requires a token (`prometheus.auth.enabled`). */
  readonly metricsAuth: boolean;
  /** The metric-name preset in effect, read at synthesis. */
  metricsPreset(): EppMetricsPreset | undefined;
}

/** The EPP of one pool. Its Deployment is the default child. */
export class EndpointPicker extends Construct implements kplus.IPodSelector, kplus.INetworkPolicyPeer {
  /** Name of the Deployment, Service, ServiceAccount, Role and ConfigMap (`<pool>-epp`). */
  public readonly name: string;
  /** Name of the Service. */
  public readonly serviceName: string;
  /** `<serviceName>.<namespace>.svc.cluster.local` */
  public readonly serviceFqdn: string;
  /** The Service port the gateway calls (ext-proc gRPC). */
  public readonly extProcPort: number;
  /** The Service port serving metrics. */
  public readonly metricsPort: number;
  /** Labels of the EPP pods (and the Service selector). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;
  /** The ConfigMap of EndpointPickerConfig files. */
  public readonly configMap: ApiObject;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;

  private readonly pool: EndpointPickerPool;
  private readonly options: EndpointPickerOptions;

  constructor(scope: Construct, id: string, pool: EndpointPickerPool, options: EndpointPickerOptions, files: Readonly<Record<string, EndpointPickerConfigSpec | string>>) {
    super(scope, id);
    this.pool = pool;
    this.options = options;
    const epp = options;
    this.name = eppNameFor(pool.poolName);
    this.serviceName = this.name;
    this.serviceFqdn = `${this.serviceName}.${pool.namespace}.svc.cluster.local`;
    this.extProcPort = epp.extProcPort ?? GRPC_PORT;
    this.metricsPort = epp.metricsPort ?? METRICS_PORT;
    this.podLabels = { inferencepool: this.name };
    const ha = (epp.replicas ?? 1) > 1;
    const replicas = epp.replicas ?? 1;
    const ns = pool.namespace;
    const md = (name: string, labels = true): Json => ({ name, namespace: ns, ...(labels ? { labels: { ...pool.labels } } : {}) });

    // --- RBAC and ServiceAccount ------------------------------------------------------------
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: md(this.name) });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: md(this.name),
      rules: [
        { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: [this.pool.poolGroup], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: md(this.name, false),
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: ns }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
    });
    if (ha) {
      new ApiObject(this, 'LeaderElectionRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: md(`${this.name}-leader-election`),
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        ],
      });
      new ApiObject(this, 'LeaderElectionRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: md(`${this.name}-leader-election-binding`, false),
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: ns }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${this.name}-leader-election` },
      });
    }

    // --- config -----------------------------------------------------------------------------
    this.configMap = new ApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: md(this.name, false),
      data: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : EndpointPickerConfig.toYaml(v)])),
    });

    // --- Service ----------------------------------------------------------------------------
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md(this.serviceName),
      spec: {
        selector: { ...this.podLabels },
        ports: [
          { name: 'grpc-ext-proc', protocol: 'TCP', port: this.extProcPort, targetPort: GRPC_PORT },
          { name: 'http-metrics', protocol: 'TCP', port: this.metricsPort, targetPort: METRICS_PORT },
          ...(epp.extraServicePorts ?? []),
        ],
        type: 'ClusterIP',
      },
    });

    // --- Deployment -------------------------------------------------------------------------
    this.deployment = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: md(this.name),
      spec: {
        replicas,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: { labels: { ...this.podLabels } },
          spec: Lazy.any({ produce: () => this.podSpec() }),
        },
      },
    });
  }

  private flags(): Array<[string, string]> {
    const epp = this.options;
    return resolveEppFlags(presetFlags(this.pool.metricsPreset() ?? 'vllm'), epp.flags, epp.logVerbosity ?? 1);
  }

  /** cdk8s-plus `IPodSelector`: the endpoint picker pods, in the pool's namespace. */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: this.podLabels, namespace: this.pool.namespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods, for `kplus.NetworkPolicy` rules and `connections.allowTo/allowFrom`. */
  public toNetworkPolicyPeerConfig(): kplus.NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector, so cdk8s-plus can add the policy on our side too. */
  public toPodSelector(): kplus.IPodSelector {
    return this;
  }

  private podSpec(): Json {
    const epp = this.options;
    const tracing = epp.tracing ?? {};
    const tracingOn = tracing.enabled ?? false;
    const replicas = epp.replicas ?? 1;
    const ha = replicas > 1;
    const image = { ...DEFAULT_EPP_IMAGE, ...(epp.image ?? {}) };
    const hardening = epp.hardening ?? {};
    const hardened = hardening.enabled ?? true;
    const probeService = (kind: 'liveness' | 'readiness'): string => (ha ? kind : 'inference-extension');

    const env: Json[] = [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ];
    if (tracingOn) {
      env.push(
        { name: 'OTEL_SERVICE_NAME', value: 'gateway-api-inference-extension' },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: tracing.otelExporterEndpoint ?? 'http://localhost:4317' },
        { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
        { name: 'OTEL_RESOURCE_ATTRIBUTES_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'OTEL_RESOURCE_ATTRIBUTES_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        {
          name: 'OTEL_RESOURCE_ATTRIBUTES',
          value: 'k8s.namespace.name=$(NAMESPACE),k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)',
        },
        { name: 'OTEL_TRACES_SAMPLER', value: tracing.sampler ?? 'parentbased_traceidratio' },
        { name: 'OTEL_TRACES_SAMPLER_ARG', value: tracing.samplerArg ?? '0.1' },
      );
    }
    env.push(...((epp.env ?? []) as unknown as Json[]));

    const container: Json = {
      name: 'epp',
      image: `${image.hub}/${image.name}:${image.tag}`,
      imagePullPolicy: image.pullPolicy,
      args: eppArgs({
        poolName: this.pool.poolName,
        poolNamespace: this.pool.namespace,
        poolGroup: this.pool.poolGroup,
        configFile: this.pool.configFile,
        fixedArgs: presetFixedArgs(this.pool.metricsPreset() ?? 'vllm'),
        leaderElection: ha,
        flags: this.flags(),
        tracing: tracingOn,
        metricsAuth: this.pool.metricsAuth,
      }),
      ports: [
        { name: 'grpc', containerPort: GRPC_PORT },
        { name: 'grpc-health', containerPort: GRPC_HEALTH_PORT },
        { name: 'metrics', containerPort: METRICS_PORT },
        ...((epp.extraContainerPorts ?? []) as unknown as Json[]),
      ],
      livenessProbe: { grpc: { port: GRPC_HEALTH_PORT, service: probeService('liveness') }, initialDelaySeconds: 5, periodSeconds: 10 },
      readinessProbe: { grpc: { port: GRPC_HEALTH_PORT, service: probeService('readiness') }, periodSeconds: 2 },
      env,
      volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }, ...((epp.volumeMounts ?? []) as unknown as Json[])],
      resources: epp.resources ?? { requests: { cpu: '500m', memory: '512Mi' } },
      ...(hardened
        ? {
          securityContext: hardenedContainerSecurityContext({
            runAsUser: hardening.runAsUser ?? 65532,
            readOnlyRootFilesystem: hardening.readOnlyRootFilesystem ?? true,
          }),
        }
        : {}),
    };

    return {
      serviceAccountName: this.name,
      // The EPP watches pods and InferencePools through the API: it needs its token.
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: epp.terminationGracePeriodSeconds ?? 130,
      ...(hardened ? { securityContext: hardenedPodSecurityContext({ runAsUser: hardening.runAsUser ?? 65532 }) } : {}),
      containers: [container],
      volumes: [...((epp.volumes ?? []) as unknown as Json[]), { name: 'plugins-config-volume', configMap: { name: this.name } }],
      ...(epp.affinity && Object.keys(epp.affinity).length > 0 ? { affinity: epp.affinity } : {}),
      ...(epp.tolerations && epp.tolerations.length > 0 ? { tolerations: epp.tolerations } : {}),
    };
  }
}
