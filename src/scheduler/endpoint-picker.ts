// The endpoint picker (EPP) of an InferenceSchedulerPool: its ServiceAccount and RBAC, the
// ConfigMap of EndpointPickerConfig files, the Service the gateway calls over ext-proc gRPC, and
// the Deployment. Objects and names are those of the inferencepool chart v1.3.0, or of the
// llm-d-router v0.10 charts when the pool's release says so (split Roles, mode labels, `--k=v`
// flags, the chart's resources), with an Envoy proxy in standalone mode.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { kplusPodSelectorConfig } from '../core/pod-peer';
import type { INetworkPolicyPeer, IPodSelector, NetworkPolicyPeerConfig, PodSelectorConfig } from '../core/contracts';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import { EndpointPickerConfig, EndpointPickerConfigSpec } from './epp-config';
import { GRPC_HEALTH_PORT, GRPC_PORT, METRICS_PORT } from './epp-ports';
import { EndpointPickerOptions, StandaloneOptions } from './pool-options';
import { eppArgs, EppMetricsPreset, eppNameFor, flagNumber, presetFixedArgs, presetFlags, resolveEppFlags } from './rules';
import { SchedulerRelease } from './scheduler-release';
import { stringifyYaml } from '../core/manifest-yaml';
import {
  DEFAULT_ENVOY_ARGS,
  DEFAULT_ENVOY_IMAGE,
  DEFAULT_PROXY_RESOURCES,
  ENVOY_LISTENER_PORT,
  envoyConfig,
  envoyConfigVolume,
  envoyContainer,
} from './standalone-proxy';

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
  /** The release whose chart objects are rendered. */
  readonly release: SchedulerRelease;
  /** Whether an InferencePool exists (else, standalone, the EPP selects endpoints itself). */
  readonly usesInferencePool: boolean;
  /** The model-server selector and ports, read at synthesis (standalone without a pool). */
  endpointSelector(): Readonly<Record<string, string>>;
  endpointTargetPorts(): readonly number[];
  /** Standalone mode, if on. */
  readonly standalone?: StandaloneOptions;
}

/** The llm-d-router charts' default EPP resources (the chart refuses an EPP without requests). */
export const ROUTER_EPP_RESOURCES = { requests: { cpu: '8', memory: '8Gi' }, limits: { memory: '16Gi' } } as const;

/** The EPP of one pool. Its Deployment is the default child. */
export class EndpointPicker extends Construct implements IPodSelector, INetworkPolicyPeer {
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

  constructor(scope: Construct, id: string, pool: EndpointPickerPool, options: EndpointPickerOptions, files: () => Readonly<Record<string, EndpointPickerConfigSpec | string>>) {
    super(scope, id);
    this.pool = pool;
    this.options = options;
    const epp = options;
    this.name = eppNameFor(pool.poolName);
    this.serviceName = this.name;
    this.serviceFqdn = `${this.serviceName}.${pool.namespace}.svc.cluster.local`;
    this.extProcPort = epp.extProcPort ?? GRPC_PORT;
    this.metricsPort = epp.metricsPort ?? METRICS_PORT;
    const router = pool.release.isLlmdRouter;
    const mode = pool.usesInferencePool ? 'llm-d-router-gateway' : 'llm-d-router-standalone';
    this.podLabels = router ? { [mode]: this.name } : { inferencepool: this.name };
    const modeLabels: Record<string, string> = router ? { 'llm-d.ai/igw-mode': mode } : {};
    const ha = (epp.replicas ?? 1) > 1;
    const replicas = epp.replicas ?? 1;
    const ns = pool.namespace;
    const md = (name: string, labels = true): Json => ({ name, namespace: ns, ...(labels ? { labels: { ...pool.labels } } : {}) });
    const role = (id: string, name: string, rules: Json[]): void => {
      new ApiObject(this, id, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: md(name), rules });
      new ApiObject(this, `${id}Binding`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: md(name, false),
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: ns }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      });
    };
    const read = ['get', 'watch', 'list'];

    // --- RBAC and ServiceAccount ------------------------------------------------------------
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: md(this.name) });
    if (!router) {
      role('Role', this.name, [
        { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: read },
        { apiGroups: [this.pool.poolGroup], resources: ['inferencepools'], verbs: read },
        { apiGroups: [''], resources: ['pods'], verbs: read },
      ]);
    } else {
      // The llm-d-router charts split the pool/objective reads (only with a pool) from the pod reads.
      if (pool.usesInferencePool) {
        role('PoolRole', `${this.name}-non-sa`, [
          { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: read },
          { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: read },
          { apiGroups: [this.pool.poolGroup], resources: ['inferencepools'], verbs: read },
        ]);
      }
      role('PodRole', `${this.name}-sa`, [{ apiGroups: [''], resources: ['pods'], verbs: read }]);
    }
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
      data: Lazy.any({ produce: () => Object.fromEntries(Object.entries(files()).map(([k, v]) => [k, typeof v === 'string' ? v : EndpointPickerConfig.toYaml(v, pool.release.configApiVersion)])) }),
    });
    if (this.proxy()) this.addStandaloneProxy(this.proxy()!, md);

    // --- Service ----------------------------------------------------------------------------
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md(this.serviceName),
      spec: {
        selector: { ...this.podLabels },
        ports: [
          { name: 'grpc-ext-proc', protocol: 'TCP', port: this.extProcPort, targetPort: GRPC_PORT, ...(router ? { appProtocol: 'kubernetes.io/h2c' } : {}) },
          { name: 'http-metrics', protocol: 'TCP', port: this.metricsPort, targetPort: METRICS_PORT },
          ...this.servicePorts(),
        ],
        type: 'ClusterIP',
      },
    });

    // --- Deployment -------------------------------------------------------------------------
    this.deployment = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...md(this.name), labels: { ...pool.labels, ...modeLabels } },
      spec: {
        replicas,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...this.podLabels } },
        template: {
          metadata: {
            labels: { ...this.podLabels, ...modeLabels },
            ...(epp.podAnnotations && Object.keys(epp.podAnnotations).length > 0 ? { annotations: { ...epp.podAnnotations } } : {}),
          },
          spec: Lazy.any({ produce: () => this.podSpec() }),
        },
      },
    });
  }

  private flags(): Array<[string, string]> {
    const epp = this.options;
    return resolveEppFlags(presetFlags(this.pool.metricsPreset() ?? 'vllm'), epp.flags, epp.logVerbosity ?? 1);
  }

  /** The extra Service ports, and in standalone mode the `http` port clients call (Envoy's listener). */
  private servicePorts(): Json[] {
    const extra = (this.options.extraServicePorts ?? []) as unknown as Json[];
    const sa = this.proxy();
    if (!sa || extra.some((p) => p.name === 'http')) return extra;
    return [...extra, { name: 'http', port: sa.servicePort ?? ENVOY_LISTENER_PORT, protocol: 'TCP', targetPort: ENVOY_LISTENER_PORT }];
  }

  /** The standalone options when an Envoy proxy runs. */
  private proxy(): StandaloneOptions | undefined {
    const sa = this.pool.standalone;
    return sa && sa.proxy !== false ? sa : undefined;
  }

  /** The Envoy sidecar's options, when it runs in the EPP pod. */
  private sidecar(): StandaloneOptions | undefined {
    const sa = this.proxy();
    return sa && sa.proxyMode !== 'service' ? sa : undefined;
  }

  /** Name of the ConfigMap with envoy.yaml. */
  private envoyConfigMapName(sa: StandaloneOptions): string {
    return sa.proxyConfigMapName ?? `${this.name}-envoy`;
  }

  private envoyContainer(sa: StandaloneOptions): Json {
    return envoyContainer({ image: sa.proxyImage ?? DEFAULT_ENVOY_IMAGE, args: sa.proxyArgs ?? DEFAULT_ENVOY_ARGS, resources: sa.proxyResources ?? DEFAULT_PROXY_RESOURCES });
  }

  /** The Envoy config, and in `service` mode the proxy's own Deployment and Service. */
  private addStandaloneProxy(sa: StandaloneOptions, md: (name: string, labels?: boolean) => Json): void {
    const serviceMode = sa.proxyMode === 'service';
    const secureServing = String(this.options.flags?.['secure-serving'] ?? 'true') !== 'false';
    new ApiObject(this, 'EnvoyConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: md(this.envoyConfigMapName(sa), false),
      data: {
        'envoy.yaml': stringifyYaml(envoyConfig({
          failOpen: sa.failOpen ?? true,
          extProcHost: serviceMode ? this.serviceFqdn : '127.0.0.1',
          extProcClusterType: serviceMode ? 'STRICT_DNS' : 'STATIC',
          eppTls: secureServing,
        }), { version: '1.2', indentSeq: false, lineWidth: 0, library: { indentSeq: false, lineWidth: 0 } }),
      },
    });
    if (!serviceMode) return;
    const proxyName = `${this.pool.poolName.toLowerCase().trim().slice(0, 40)}-proxy`;
    const selector = { 'llm-d-router-proxy': proxyName };
    new ApiObject(this, 'ProxyDeployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...md(proxyName), labels: { ...this.pool.labels, ...selector } },
      spec: {
        replicas: sa.proxyReplicas ?? 2,
        selector: { matchLabels: { ...selector } },
        template: {
          metadata: { labels: { ...this.pool.labels, ...selector } },
          spec: {
            ...(this.hardened() ? { securityContext: hardenedPodSecurityContext({ runAsUser: 65532 }) } : {}),
            containers: [{ ...this.envoyContainer(sa), ...this.containerHardening() }],
            volumes: [envoyConfigVolume(this.envoyConfigMapName(sa))],
          },
        },
      },
    });
    new ApiObject(this, 'ProxyService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...md(proxyName), labels: { ...this.pool.labels, ...selector } },
      spec: { selector: { ...selector }, ports: this.servicePorts(), type: 'ClusterIP' },
    });
  }

  private hardened(): boolean {
    return this.options.hardening?.enabled ?? true;
  }

  private containerHardening(): Json {
    const hardening = this.options.hardening ?? {};
    if (!this.hardened()) return {};
    return { securityContext: hardenedContainerSecurityContext({ runAsUser: hardening.runAsUser ?? 65532, readOnlyRootFilesystem: hardening.readOnlyRootFilesystem ?? true }) };
  }

  /** The EPP's command line of the llm-d-router charts. */
  private routerArgs(ha: boolean, tracingOn: boolean): string[] {
    const epp = this.options;
    const pool = this.pool;
    const flags = Object.entries(epp.flags ?? {}).filter(([, v]) => v !== null && v !== undefined);
    // Helm ranges over the flags map in key order; agentgateway is not offered, so no implied secure-serving.
    flags.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const selector = pool.endpointSelector();
    return [
      ...(pool.usesInferencePool
        ? ['--pool-name', pool.poolName, '--pool-namespace', pool.namespace, '--pool-group', pool.poolGroup]
        : [
          '--endpoint-selector', Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(','),
          '--endpoint-target-ports', pool.endpointTargetPorts().join(','),
        ]),
      '--zap-encoder', 'json',
      '--config-file', `/config/${pool.configFile}`,
      ...(ha ? ['--ha-enable-leader-election'] : []),
      '--grpc-health-port', String(epp.grpcHealthPort ?? GRPC_HEALTH_PORT),
      ...flags.map(([k, v]) => `--${k}=${typeof v === 'number' ? flagNumber(v) : String(v)}`),
      tracingOn ? '--tracing=true' : '--tracing=false',
      ...(pool.metricsAuth ? [] : ['--metrics-endpoint-auth=false']),
    ];
  }

  /** cdk8s-plus `IPodSelector`: the endpoint picker pods, in the pool's namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: this.podLabels, namespace: this.pool.namespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods, for `kplus.NetworkPolicy` rules and `connections.allowTo/allowFrom`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector, so cdk8s-plus can add the policy on our side too. */
  public toPodSelector(): IPodSelector {
    return this;
  }

  private podSpec(): Json {
    const epp = this.options;
    const tracing = epp.tracing ?? {};
    const tracingOn = tracing.enabled ?? false;
    const replicas = epp.replicas ?? 1;
    const ha = replicas > 1;
    const release = this.pool.release;
    const router = release.isLlmdRouter;
    const image = { ...release.image, ...(epp.image ?? {}) };
    const hardening = epp.hardening ?? {};
    const hardened = hardening.enabled ?? true;
    const healthPort = router ? epp.grpcHealthPort ?? GRPC_HEALTH_PORT : GRPC_HEALTH_PORT;
    const probeService = (kind: 'liveness' | 'readiness'): string => (ha ? kind : 'inference-extension');

    const env: Json[] = [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ];
    if (tracingOn) {
      env.push(
        { name: 'OTEL_SERVICE_NAME', value: router ? 'llm-d-router/epp' : 'gateway-api-inference-extension' },
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
      args: router ? this.routerArgs(ha, tracingOn) : eppArgs({
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
        { name: 'grpc-health', containerPort: healthPort },
        { name: 'metrics', containerPort: METRICS_PORT },
        ...((epp.extraContainerPorts ?? []) as unknown as Json[]),
      ],
      livenessProbe: { grpc: { port: healthPort, service: probeService('liveness') }, initialDelaySeconds: 5, periodSeconds: 10 },
      readinessProbe: { grpc: { port: healthPort, service: probeService('readiness') }, periodSeconds: 2 },
      env,
      volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }, ...((epp.volumeMounts ?? []) as unknown as Json[])],
      resources: epp.resources ?? (router ? ROUTER_EPP_RESOURCES : { requests: { cpu: '500m', memory: '512Mi' } }),
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
      containers: [
        ...(this.sidecar() ? [{ ...this.envoyContainer(this.sidecar()!), ...this.containerHardening() }] : []),
        container,
      ],
      volumes: [
        ...((epp.volumes ?? []) as unknown as Json[]),
        ...(this.sidecar() ? [envoyConfigVolume(this.envoyConfigMapName(this.sidecar()!))] : []),
        { name: 'plugins-config-volume', configMap: { name: this.name } },
      ],
      ...(epp.affinity && Object.keys(epp.affinity).length > 0 ? { affinity: epp.affinity } : {}),
      ...(epp.tolerations && epp.tolerations.length > 0 ? { tolerations: epp.tolerations } : {}),
    };
  }
}
