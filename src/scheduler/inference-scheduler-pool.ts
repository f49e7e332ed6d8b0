/**
 * InferenceSchedulerPool: an InferencePool and its endpoint picker (EPP), replacing
 * `helm install <release> oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool --version v1.3.0`.
 */
import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { DestinationRuleV1Beta1, DestinationRuleV1Beta1SpecTrafficPolicyTlsMode } from '../../imports/networking.istio.io';
import { IInferencePoolRef, IModelServer } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { checkLabels, selectorMatches } from '../core/labels';
import { peersOf, registerPeer } from '../core/peers';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { checkPort, checkPortName } from '../core/ports';
import { checkResources } from '../core/quantities';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import { withWireFields } from '../core/wire-fields';
import { EndpointPickerConfig, EndpointPickerConfigSpec } from './epp-config';
import { addInferencePool } from './inference-pool-object';
import {
  apiGroupOf,
  clusterRbacNameFor,
  EPP_METRICS_PRESETS,
  EppFlagValue,
  eppArgs,
  EppMetricsPreset,
  eppNameFor,
  INFERENCE_POOL_API_VERSIONS,
  InferencePoolApiVersion,
  poolNameFromId,
  presetFixedArgs,
  presetFlags,
  presetForFlavors,
  RESERVED_EPP_FLAGS,
  resolveEppFlags,
} from './rules';
import {
  EppContainerPort,
  EppEnvVar,
  EppImagePullPolicy,
  EppJsonObject,
  EppResources,
  EppServicePort,
  EppToleration,
  EppVolume,
  EppVolumeMount,
} from './types';

/** The EPP image the chart deploys by default. */
export const DEFAULT_EPP_IMAGE = { hub: 'registry.k8s.io/gateway-api-inference-extension', name: 'epp', tag: 'v1.3.0', pullPolicy: 'Always' } as const;
/** The chart's default `prometheus.auth.secretName`. */
export const DEFAULT_METRICS_SECRET_NAME = 'inference-gateway-sa-metrics-reader-secret';
/** Key of the chart's preset config in the EPP ConfigMap. */
export const DEFAULT_PLUGINS_FILE = 'default-plugins.yaml';
/** The chart's `appVersion`, which it puts in an `app.kubernetes.io/version` label (and the ServiceMonitor selects on). */
export const INFERENCEPOOL_CHART_APP_VERSION = '0.0.0';

/** EPP container ports, fixed by the chart. */
const GRPC_PORT = 9002;
const GRPC_HEALTH_PORT = 9003;
const METRICS_PORT = 9090;

/** Where the EPP image comes from. */
export interface EndpointPickerImage {
  /**
   * Registry and repository path.
   * @default "registry.k8s.io/gateway-api-inference-extension"
   */
  readonly hub?: string;
  /**
   * Image name (`llm-d-inference-scheduler` on `ghcr.io/llm-d` for llm-d's plugins).
   * @default "epp"
   */
  readonly name?: string;
  /**
   * Tag. Pinned by default (no `latest`).
   * @default "v1.3.0"
   */
  readonly tag?: string;
  /**
   * Pull policy.
   * @default "Always" (the chart's)
   */
  readonly pullPolicy?: EppImagePullPolicy;
}

/** OpenTelemetry tracing of the EPP. */
export interface EndpointPickerTracing {
  /**
   * Turns tracing on (`--tracing=true` and the OTEL_* env).
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * OTLP collector endpoint.
   * @default "http://localhost:4317"
   */
  readonly otelExporterEndpoint?: string;
  /**
   * Sampler.
   * @default "parentbased_traceidratio"
   */
  readonly sampler?: string;
  /**
   * Sampler argument (the base sampling ratio, "0.0" to "1.0").
   * @default "0.1"
   */
  readonly samplerArg?: string;
}

/** Hardening of the EPP pod, on by default (added fields only; the chart sets none). */
export interface EndpointPickerHardening {
  /**
   * Adds the pod and container securityContext: runAsNonRoot, allowPrivilegeEscalation false,
   * all capabilities dropped, seccomp RuntimeDefault. The EPP is a static Go binary that needs
   * no privileges.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * UID to run as; set because `runAsNonRoot` can't verify a named USER. 65532 is the `nonroot`
   * user of the distroless/UBI images the EPP ships in.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Read-only root filesystem. The EPP writes nothing outside its volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** The endpoint picker Deployment, Service and config. */
export interface EndpointPickerOptions {
  /**
   * Replicas. More than one runs active-passive with leader election (adds the
   * `--ha-enable-leader-election` flag, the leader-election Role/RoleBinding and switches the
   * probes to the `liveness`/`readiness` gRPC services), like the chart.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The image.
   * @default - registry.k8s.io/gateway-api-inference-extension/epp:v1.3.0, pull Always
   */
  readonly image?: EndpointPickerImage;
  /**
   * Port of the Service's `grpc-ext-proc` port and of the pool's `endpointPickerRef`. The
   * container always listens on 9002 (the chart's fixed port); the Service adds
   * `targetPort: 9002` so another Service port still reaches it.
   * @default 9002
   */
  readonly extProcPort?: number;
  /**
   * Port of the Service's `http-metrics` port (the container serves metrics on 9090).
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * The EndpointPickerConfig the EPP runs with. Use {@link EndpointPickerConfig} to build it.
   * @default - the chart's default-plugins.yaml ({@link EndpointPickerConfig.defaultPlugins})
   */
  readonly config?: EndpointPickerConfigSpec;
  /**
   * ConfigMap key (file under /config) the EPP is started with (`--config-file`).
   * @default - "custom-plugins.yaml" when `config` is given, else "default-plugins.yaml"
   */
  readonly configFile?: string;
  /**
   * More config files in the ConfigMap (the chart's `pluginsCustomConfig`; a file named
   * "default-plugins.yaml" replaces the preset, as the chart's last key wins): typed specs, or
   * YAML text. Text is checked as an EndpointPickerConfig when it is the `configFile` or looks like
   * one (top-level `kind: EndpointPickerConfig`, an `inference.networking.x-k8s.io` apiVersion,
   * `plugins:` or `schedulingProfiles:`); plugin types in text are not checked against the
   * catalogue, profile references and weights are. Other text files are mounted as they are.
   * @default - none
   */
  readonly customConfigFiles?: Readonly<Record<string, EndpointPickerConfigSpec | string>>;
  /**
   * Metric names the EPP scrapes from the model servers.
   * @default - from the `metricsFlavor` of the servers added with `addModelServer`; "vllm" when none
   */
  readonly metricsPreset?: EppMetricsPreset;
  /**
   * Log verbosity (`--v`), unless `flags` sets `v`.
   * @default 1
   */
  readonly logVerbosity?: number;
  /**
   * More EPP flags (`--<key> "<value>"`), rendered in the given order after the preset's flags;
   * empty strings are passed as empty arguments; `null` drops a preset or default flag (`v`).
   * Flags the construct renders itself
   * (pool-name, config-file, tracing...) are refused: use the props.
   * @default - none
   */
  readonly flags?: Readonly<Record<string, EppFlagValue>>;
  /**
   * OpenTelemetry tracing.
   * @default - off
   */
  readonly tracing?: EndpointPickerTracing;
  /**
   * More env vars, after NAMESPACE, POD_NAME and the tracing vars.
   * @default - none
   */
  readonly env?: readonly EppEnvVar[];
  /**
   * More container ports, after grpc, grpc-health and metrics.
   * @default - none
   */
  readonly extraContainerPorts?: readonly EppContainerPort[];
  /**
   * More Service ports, after grpc-ext-proc and http-metrics.
   * @default - none
   */
  readonly extraServicePorts?: readonly EppServicePort[];
  /**
   * More pod volumes (before the config volume, like the chart).
   * @default - none
   */
  readonly volumes?: readonly EppVolume[];
  /**
   * More volume mounts of the EPP container.
   * @default - none
   */
  readonly volumeMounts?: readonly EppVolumeMount[];
  /**
   * Pod affinity (core/v1 Affinity JSON).
   * @default - none
   */
  readonly affinity?: EppJsonObject;
  /**
   * Pod tolerations.
   * @default - none
   */
  readonly tolerations?: readonly EppToleration[];
  /**
   * Pod termination grace period; should cover the longest request of the pool's pods.
   * @default 130 (the chart's)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Container resources. The chart sets none; requests are set so the scheduler reserves room.
   * No limits by default (a memory limit would kill the EPP when its prefix index grows).
   * @default { requests: { cpu: "500m", memory: "512Mi" } }
   */
  readonly resources?: EppResources;
  /**
   * Pod hardening.
   * @default - on, see {@link EndpointPickerHardening}
   */
  readonly hardening?: EndpointPickerHardening;
}

/** Prometheus monitoring of the EPP (`inferenceExtension.monitoring`). */
export interface EndpointPickerMonitoring {
  /**
   * Creates the metrics ClusterRole/Binding and, except with provider `gke`, a ServiceMonitor
   * (Prometheus Operator) and the metrics-reader token Secret; with `gke`, a PodMonitoring and
   * its RBAC.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * Scrape interval.
   * @default "10s"
   */
  readonly interval?: string;
  /**
   * The EPP's metrics endpoint requires a bearer token (a ServiceAccount token Secret the
   * scraper presents). Off adds `--metrics-endpoint-auth=false`.
   * @default true
   */
  readonly auth?: boolean;
  /**
   * Name of the ServiceAccount-token Secret, used by the Secret and by the ServiceMonitor's
   * authorization alike. Note: the chart's default is not release-scoped, so two pools in one
   * namespace must set distinct names (this construct reports the clash).
   * @default "inference-gateway-sa-metrics-reader-secret"; "<name>-metrics-reader-secret" with gke
   */
  readonly metricsSecretName?: string;
  /**
   * More labels on the ServiceMonitor (e.g. `release: kube-prometheus-stack` for the operator's selector).
   * @default - none
   */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/** Istio provider options. */
export interface InferencePoolIstioOptions {
  /**
   * Host of the DestinationRule.
   * @default - the EPP Service's FQDN, `<name>-epp.<namespace>.svc.cluster.local`
   */
  readonly destinationRuleHost?: string;
  /**
   * `trafficPolicy.connectionPool` of the DestinationRule (Istio ConnectionPoolSettings JSON).
   * @default - none
   */
  readonly connectionPool?: EppJsonObject;
}

/** GKE provider options. */
export interface InferencePoolGkeOptions {
  /**
   * The cluster is GKE Autopilot (the GMP collector runs in `gke-gmp-system`).
   * @default false
   */
  readonly autopilot?: boolean;
  /**
   * Port of the HealthCheckPolicy's HTTP health check.
   * @default - the pool's first target port
   */
  readonly healthCheckPort?: number;
}

/** Gateway implementation the pool is used with. */
export type InferencePoolProvider = 'none' | 'istio' | 'gke';

/** Props of {@link InferenceSchedulerPool}. */
export interface InferenceSchedulerPoolProps {
  /**
   * Name of the InferencePool (the Helm release name); EPP objects are `<name>-epp`.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every namespaced object.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * API version of the InferencePool.
   * @default "inference.networking.k8s.io/v1"
   */
  readonly apiVersion?: InferencePoolApiVersion;
  /**
   * Labels selecting the model-server pods. Every server added must carry them.
   * @default - the labels all added model servers share
   */
  readonly selector?: Readonly<Record<string, string>>;
  /**
   * Ports of the model servers (v1: up to 8; v1alpha2: exactly one). Each server's servingPort
   * must be one of them.
   * @default - the servers' servingPort; 8000 when no server is added
   */
  readonly targetPorts?: readonly number[];
  /**
   * What the gateway does when the EPP is unreachable. The chart renders it for v1alpha2 only
   * (always, default FailClose); for v1 it is rendered when set.
   * @default "FailClose"
   */
  readonly failureMode?: 'FailOpen' | 'FailClose';
  /**
   * Model servers of the pool (same as calling `addModelServer` for each).
   * @default - none
   */
  readonly modelServers?: readonly IModelServer[];
  /**
   * The endpoint picker.
   * @default - the chart's defaults
   */
  readonly epp?: EndpointPickerOptions;
  /**
   * Monitoring of the EPP.
   * @default - off
   */
  readonly monitoring?: EndpointPickerMonitoring;
  /**
   * Gateway implementation: `istio` adds a DestinationRule for the EPP Service, `gke` a
   * HealthCheckPolicy and GCPBackendPolicy.
   * @default "none"
   */
  readonly provider?: InferencePoolProvider;
  /**
   * Istio options (provider `istio`).
   * @default - computed host, no connection pool settings
   */
  readonly istio?: InferencePoolIstioOptions;
  /**
   * GKE options (provider `gke`).
   * @default - standard cluster, health check on the first target port
   */
  readonly gke?: InferencePoolGkeOptions;
  /**
   * Value of the `app.kubernetes.io/version` label (the chart puts its appVersion there and the
   * ServiceMonitor selects on it).
   * @default "0.0.0"
   */
  readonly versionLabel?: string;
}

type Json = Record<string, unknown>;

/** cdk8s gives every object the chart's namespace; cluster-scoped kinds must not carry one. */
function clusterScoped(obj: ApiObject): ApiObject {
  if (Chart.of(obj).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}

/**
 * An InferencePool (`inference.networking.k8s.io/v1`, or `v1alpha2`) with its endpoint picker:
 * Deployment, Service, ServiceAccount, RBAC, ConfigMap of EndpointPickerConfig files, and
 * optionally monitoring (ServiceMonitor + token Secret) and provider objects (Istio
 * DestinationRule, GKE policies). Objects and names are those of the inferencepool chart v1.3.0.
 *
 * Model servers are added with {@link addModelServer}; the pool's selector, target port and the
 * EPP's metric-name flags follow them (rendered lazily), and mismatches are reported at synth.
 *
 * Refused chart features: the latency-predictor sidecars and the generic `sidecar` (experimental,
 * placeholder images; see docs/scheduler.md), and the chart's experimental HTTPRoute (use
 * InferenceRoute).
 */
export class InferenceSchedulerPool extends Construct implements IInferencePoolRef {
  // IInferencePoolRef
  public readonly poolName: string;
  public readonly poolNamespace: string;
  public readonly poolGroup: string;

  /** Namespace of every object. */
  public readonly namespace: string;
  /** The InferencePool apiVersion. */
  public readonly apiVersion: InferencePoolApiVersion;
  /** Name of the EPP Deployment, Service, ServiceAccount, Role and ConfigMap (`<name>-epp`). */
  public readonly eppName: string;
  /** Name of the EPP Service. */
  public readonly eppServiceName: string;
  /** `<eppServiceName>.<namespace>.svc.cluster.local` */
  public readonly eppServiceFqdn: string;
  /** The Service port the gateway calls (ext-proc gRPC). */
  public readonly extProcPort: number;
  /** The Service port serving metrics. */
  public readonly metricsPort: number;
  /** Name of the metrics-reader token Secret (created when monitoring with auth is on). */
  public readonly metricsSecretName: string;
  /** The ConfigMap key the EPP starts with. */
  public readonly configFile: string;
  /** Labels of the chart's objects. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Labels of the EPP pods (and the Service selector). */
  public readonly eppPodLabels: Readonly<Record<string, string>>;

  /** The InferencePool object. */
  public readonly inferencePool: ApiObject;
  /** The EPP Deployment. */
  public readonly deployment: ApiObject;
  /** The EPP Service. */
  public readonly service: ApiObject;
  /** The EPP ConfigMap. */
  public readonly configMap: ApiObject;
  /** The EPP ServiceAccount. */
  public readonly serviceAccount: ApiObject;

  private readonly props: InferenceSchedulerPoolProps;
  private readonly servers: IModelServer[] = [];

  constructor(scope: Construct, id: string, props: InferenceSchedulerPoolProps = {}) {
    super(scope, id);
    this.props = props;
    const epp = props.epp ?? {};
    const monitoring = props.monitoring ?? {};
    const provider = props.provider ?? 'none';

    this.poolName = props.name ?? poolNameFromId(id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.poolNamespace = this.namespace;
    this.apiVersion = props.apiVersion ?? 'inference.networking.k8s.io/v1';
    this.poolGroup = apiGroupOf(this.apiVersion);
    this.eppName = eppNameFor(this.poolName);
    this.eppServiceName = this.eppName;
    this.eppServiceFqdn = `${this.eppServiceName}.${this.namespace}.svc.cluster.local`;
    this.extProcPort = epp.extProcPort ?? GRPC_PORT;
    this.metricsPort = epp.metricsPort ?? METRICS_PORT;
    this.metricsSecretName = monitoring.metricsSecretName ?? (provider === 'gke' ? `${this.poolName}-metrics-reader-secret` : DEFAULT_METRICS_SECRET_NAME);
    this.labels = { 'app.kubernetes.io/name': this.eppName, 'app.kubernetes.io/version': props.versionLabel ?? INFERENCEPOOL_CHART_APP_VERSION };
    this.eppPodLabels = { inferencepool: this.eppName };
    if (monitoring.enabled && (monitoring.auth ?? true) && provider !== 'gke') registerPeer(this, metricsSecretKey(this));

    const files = this.configFiles();
    this.configFile = epp.configFile ?? (epp.config ? 'custom-plugins.yaml' : DEFAULT_PLUGINS_FILE);

    for (const ms of props.modelServers ?? []) this.servers.push(ms);

    const replicas = epp.replicas ?? 1;
    const ha = replicas > 1;
    const ns = this.namespace;
    const md = (name: string, labels = true): Json => ({ name, namespace: ns, ...(labels ? { labels: { ...this.labels } } : {}) });

    // --- RBAC and ServiceAccount ------------------------------------------------------------
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: md(this.eppName) });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: md(this.eppName),
      rules: [
        { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: [this.poolGroup], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: md(this.eppName, false),
      subjects: [{ kind: 'ServiceAccount', name: this.eppName, namespace: ns }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.eppName },
    });
    if (ha) {
      new ApiObject(this, 'LeaderElectionRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: md(`${this.eppName}-leader-election`),
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        ],
      });
      new ApiObject(this, 'LeaderElectionRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: md(`${this.eppName}-leader-election-binding`, false),
        subjects: [{ kind: 'ServiceAccount', name: this.eppName, namespace: ns }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${this.eppName}-leader-election` },
      });
    }

    // --- config -----------------------------------------------------------------------------
    this.configMap = new ApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: md(this.eppName, false),
      data: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : EndpointPickerConfig.toYaml(v)])),
    });

    // --- Service ----------------------------------------------------------------------------
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md(this.eppServiceName),
      spec: {
        selector: { ...this.eppPodLabels },
        ports: [
          { name: 'grpc-ext-proc', protocol: 'TCP', port: this.extProcPort, targetPort: GRPC_PORT },
          { name: 'http-metrics', protocol: 'TCP', port: this.metricsPort, targetPort: METRICS_PORT },
          ...(epp.extraServicePorts ?? []),
        ],
        type: 'ClusterIP',
      },
    });

    // --- Deployment -------------------------------------------------------------------------
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: md(this.eppName),
      spec: {
        replicas,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...this.eppPodLabels } },
        template: {
          metadata: { labels: { ...this.eppPodLabels } },
          spec: Lazy.any({ produce: () => this.podSpec() }),
        },
      },
    });

    // --- InferencePool ----------------------------------------------------------------------
    this.inferencePool = addInferencePool(this, this.apiVersion, md(this.poolName), () => ({
      selector: this.resolvedSelector() ?? {},
      targetPorts: this.resolvedTargetPorts(),
      eppServiceName: this.eppServiceName,
      extProcPort: this.extProcPort,
      failureMode: this.props.failureMode,
    }));

    // --- monitoring -------------------------------------------------------------------------
    const monitoringOn = monitoring.enabled ?? false;
    const auth = monitoring.auth ?? true;
    const interval = monitoring.interval ?? '10s';
    if (monitoringOn) {
      const rbacName = clusterRbacNameFor(this.poolName, ns);
      clusterScoped(new ApiObject(this, 'MetricsClusterRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: rbacName, labels: { ...this.labels } },
        rules: [
          { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
          { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
          { nonResourceURLs: ['/metrics'], verbs: ['get'] },
        ],
      }));
      clusterScoped(new ApiObject(this, 'MetricsClusterRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: rbacName },
        subjects: [{ kind: 'ServiceAccount', name: this.eppName, namespace: ns }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: rbacName },
      }));
      if (provider !== 'gke') {
        if (auth) {
          new ApiObject(this, 'MetricsTokenSecret', {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { ...md(this.metricsSecretName), annotations: { 'kubernetes.io/service-account.name': this.eppName } },
            type: 'kubernetes.io/service-account-token',
          });
        }
        new ServiceMonitor(this, 'ServiceMonitor', {
          metadata: { name: `${this.eppName}-monitor`, namespace: ns, labels: { ...this.labels, ...(monitoring.extraLabels ?? {}) } },
          spec: {
            endpoints: [
              {
                interval,
                port: 'http-metrics',
                path: '/metrics',
                authorization: auth ? { credentials: { key: 'token', name: this.metricsSecretName } } : undefined,
              },
            ],
            jobLabel: this.eppName,
            namespaceSelector: { matchNames: [ns] },
            selector: { matchLabels: { ...this.labels } },
          },
        });
      }
    }

    // --- provider ---------------------------------------------------------------------------
    if (provider === 'istio') {
      const istio = props.istio ?? {};
      const dr = new DestinationRuleV1Beta1(this, 'DestinationRule', {
        metadata: { name: this.eppName, namespace: ns },
        spec: {
          host: istio.destinationRuleHost || this.eppServiceFqdn,
          // The EPP serves ext-proc over TLS with a self-signed certificate.
          trafficPolicy: { tls: { mode: DestinationRuleV1Beta1SpecTrafficPolicyTlsMode.SIMPLE, insecureSkipVerify: true } },
        },
      });
      // Istio ConnectionPoolSettings in wire format, passed through as given.
      withWireFields(dr, ['spec', 'trafficPolicy'], { connectionPool: istio.connectionPool && Object.keys(istio.connectionPool).length > 0 ? istio.connectionPool : undefined });
    }
    if (provider === 'gke') this.addGkeObjects(monitoringOn && auth, interval);

    addProblems(this, () => this.problems());
  }

  /** The ports the pool serves (its targetPorts). */
  public get servedPorts(): readonly number[] {
    return this.resolvedTargetPorts();
  }

  /** The pool's pod selector as rendered (undefined until a selector or a server is known). */
  public get selector(): Readonly<Record<string, string>> | undefined {
    return this.resolvedSelector();
  }

  /** The metric preset in effect. */
  public get metricsPreset(): EppMetricsPreset | undefined {
    return this.props.epp?.metricsPreset ?? presetForFlavors(this.servers.map((s) => s.metricsFlavor));
  }

  /** The model servers added. */
  public get modelServers(): readonly IModelServer[] {
    return [...this.servers];
  }

  /**
   * Adds a model server: the pool selects its pods and serves its port, and the EPP scrapes its
   * metric names. Several servers must share the port and the selected labels (reported at synth).
   */
  public addModelServer(ms: IModelServer): this {
    this.servers.push(ms);
    return this;
  }

  // --- resolution --------------------------------------------------------------------------

  private resolvedSelector(): Record<string, string> | undefined {
    if (this.props.selector !== undefined) return { ...this.props.selector };
    if (this.servers.length === 0) return undefined;
    const [first, ...rest] = this.servers;
    return Object.fromEntries(Object.entries(first.podLabels).filter(([k, v]) => rest.every((s) => s.podLabels[k] === v)));
  }

  private resolvedTargetPorts(): number[] {
    if (this.props.targetPorts !== undefined) return [...this.props.targetPorts];
    if (this.servers.length > 0) return [this.servers[0].servingPort];
    return [8000];
  }

  private configFiles(): Record<string, EndpointPickerConfigSpec | string> {
    const epp = this.props.epp ?? {};
    const files: Record<string, EndpointPickerConfigSpec | string> = { [DEFAULT_PLUGINS_FILE]: EndpointPickerConfig.defaultPlugins() };
    // A custom file named like the preset replaces it: the chart renders both keys, preset first,
    // and YAML readers (Helm's, kubectl's) keep the last one.
    for (const [k, v] of Object.entries(epp.customConfigFiles ?? {})) files[k] = v;
    if (epp.config) {
      const key = epp.configFile ?? 'custom-plugins.yaml';
      files[key] = epp.config;
    }
    return files;
  }

  private flags(): Array<[string, string]> {
    const epp = this.props.epp ?? {};
    return resolveEppFlags(presetFlags(this.metricsPreset ?? 'vllm'), epp.flags, epp.logVerbosity ?? 1);
  }

  private podSpec(): Json {
    const epp = this.props.epp ?? {};
    const monitoring = this.props.monitoring ?? {};
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
        poolName: this.poolName,
        poolNamespace: this.namespace,
        poolGroup: this.poolGroup,
        configFile: this.configFile,
        fixedArgs: presetFixedArgs(this.metricsPreset ?? 'vllm'),
        leaderElection: ha,
        flags: this.flags(),
        tracing: tracingOn,
        metricsAuth: monitoring.auth ?? true,
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
      serviceAccountName: this.eppName,
      // The EPP watches pods and InferencePools through the API: it needs its token.
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: epp.terminationGracePeriodSeconds ?? 130,
      ...(hardened ? { securityContext: hardenedPodSecurityContext({ runAsUser: hardening.runAsUser ?? 65532 }) } : {}),
      containers: [container],
      volumes: [...((epp.volumes ?? []) as unknown as Json[]), { name: 'plugins-config-volume', configMap: { name: this.eppName } }],
      ...(epp.affinity && Object.keys(epp.affinity).length > 0 ? { affinity: epp.affinity } : {}),
      ...(epp.tolerations && epp.tolerations.length > 0 ? { tolerations: epp.tolerations } : {}),
    };
  }

  private addGkeObjects(metricsObjects: boolean, interval: string): void {
    const ns = this.namespace;
    const release = this.poolName;
    const gke = this.props.gke ?? {};
    const targetRef = { group: this.poolGroup, kind: 'InferencePool', name: release };
    new ApiObject(this, 'HealthCheckPolicy', {
      apiVersion: 'networking.gke.io/v1',
      kind: 'HealthCheckPolicy',
      metadata: { name: release, namespace: ns, labels: { ...this.labels } },
      spec: {
        targetRef,
        default: {
          timeoutSec: 2,
          checkIntervalSec: 2,
          config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: Lazy.any({ produce: () => gke.healthCheckPort ?? this.resolvedTargetPorts()[0] }) } },
        },
      },
    });
    new ApiObject(this, 'GCPBackendPolicy', {
      apiVersion: 'networking.gke.io/v1',
      kind: 'GCPBackendPolicy',
      metadata: { name: release, namespace: ns, labels: { ...this.labels } },
      spec: { targetRef, default: { timeoutSec: 300, logging: { enabled: true } } },
    });
    if (!metricsObjects) return;
    const sa = `${release}-metrics-reader-sa`;
    const secret = this.metricsSecretName;
    const readerRole = `${ns}-${release}-metrics-reader`;
    const secretReadRole = `${release}-metrics-reader-secret-read`;
    const gmpNamespace = gke.autopilot ? 'gke-gmp-system' : 'gmp-system';
    new ApiObject(this, 'GkeMetricsReaderServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } });
    new ApiObject(this, 'GkeMetricsReaderSecret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secret, namespace: ns, labels: { ...this.labels }, annotations: { 'kubernetes.io/service-account.name': sa } },
      type: 'kubernetes.io/service-account-token',
    });
    new ApiObject(this, 'GkePodMonitoring', {
      apiVersion: 'monitoring.googleapis.com/v1',
      kind: 'PodMonitoring',
      metadata: { name: release, namespace: ns, labels: { ...this.labels } },
      spec: {
        endpoints: [
          {
            port: 'metrics',
            scheme: 'http',
            interval,
            path: '/metrics',
            authorization: { type: 'Bearer', credentials: { secret: { name: secret, key: 'token' } } },
          },
        ],
        selector: { matchLabels: { ...this.eppPodLabels } },
      },
    });
    clusterScoped(new ApiObject(this, 'GkeMetricsReaderClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: readerRole },
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    }));
    clusterScoped(new ApiObject(this, 'GkeMetricsReaderClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${ns}-${release}-metrics-reader-role-binding` },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
      roleRef: { kind: 'ClusterRole', name: readerRole, apiGroup: 'rbac.authorization.k8s.io' },
    }));
    new ApiObject(this, 'GkeSecretReadRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: secretReadRole, namespace: ns },
      rules: [{ resources: ['secrets'], apiGroups: [''], verbs: ['get', 'list', 'watch'], resourceNames: [secret] }],
    });
    new ApiObject(this, 'GkeSecretReadRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${gmpNamespace}:collector:${ns}-${release}-metrics-reader-secret-read`, namespace: ns },
      roleRef: { name: secretReadRole, kind: 'Role', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ name: 'collector', namespace: gmpNamespace, kind: 'ServiceAccount' }],
    });
  }

  // --- validation ----------------------------------------------------------------------------

  private problems(): Problem[] {
    const p: Problem[] = [];
    const props = this.props;
    const epp = props.epp ?? {};
    const monitoring = props.monitoring ?? {};
    const push = (x: Problem | Problem[] | undefined): void => {
      if (x === undefined) return;
      if (Array.isArray(x)) p.push(...x);
      else p.push(x);
    };

    // names
    push(checkDns1123Subdomain('name', this.poolName));
    push(checkDns1123Label('name (as the EPP Service name <name>-epp)', this.eppName));
    push(checkDns1123Label('namespace', this.namespace));
    if (!INFERENCE_POOL_API_VERSIONS.includes(this.apiVersion)) push({ field: 'apiVersion', value: this.apiVersion, allowed: INFERENCE_POOL_API_VERSIONS.join(', ') });
    if (props.provider !== undefined && !['none', 'istio', 'gke'].includes(props.provider)) push({ field: 'provider', value: props.provider, allowed: 'none, istio, gke' });
    if (props.failureMode !== undefined && !['FailOpen', 'FailClose'].includes(props.failureMode)) push({ field: 'failureMode', value: props.failureMode, allowed: 'FailOpen, FailClose' });

    // selector and servers
    const selector = this.resolvedSelector();
    if (props.selector !== undefined && Object.keys(props.selector).length === 0) {
      push({ field: 'selector', value: {}, allowed: 'at least one label', why: 'an empty selector would select every pod in the namespace' });
    } else if (selector === undefined) {
      push({ field: 'selector', value: undefined, allowed: 'labels of the model-server pods, or addModelServer(...)', why: 'the pool needs to know which pods it routes to (the chart requires inferencePool.modelServers.matchLabels)' });
    } else if (Object.keys(selector).length === 0) {
      push({
        field: 'modelServers',
        value: this.servers.map((s) => s.podLabels),
        allowed: 'model servers whose pod labels share at least one label, or an explicit selector',
        why: 'label mismatch: the servers have no label in common, so no selector matches them all',
      });
    } else {
      push(checkLabels('selector', selector));
    }
    this.servers.forEach((s, i) => {
      if (props.selector !== undefined && Object.keys(props.selector).length > 0 && !selectorMatches(props.selector, s.podLabels)) {
        push({ field: `modelServers[${i}].podLabels`, value: s.podLabels, allowed: `labels matching the pool selector ${JSON.stringify(props.selector)}`, why: 'label mismatch: the pool would not select this server\'s pods' });
      }
      if (s.podNamespace !== this.namespace) {
        push({ field: `modelServers[${i}].podNamespace`, value: s.podNamespace, allowed: `the pool's namespace "${this.namespace}"`, why: 'an InferencePool selects pods of its own namespace only' });
      }
    });

    // ports
    const ports = this.resolvedTargetPorts();
    if (props.targetPorts !== undefined) {
      props.targetPorts.forEach((port, i) => push(checkPort(`targetPorts[${i}]`, port)));
      if (props.targetPorts.length === 0) push({ field: 'targetPorts', value: [], allowed: 'at least one port' });
      if (new Set(props.targetPorts).size !== props.targetPorts.length) push({ field: 'targetPorts', value: props.targetPorts, allowed: 'distinct ports' });
    }
    if (this.apiVersion === 'inference.networking.x-k8s.io/v1alpha2' && ports.length !== 1) {
      push({ field: 'targetPorts', value: ports, allowed: 'exactly one port', why: 'v1alpha2 InferencePools have a single targetPortNumber' });
    } else if (ports.length > 8) {
      push({ field: 'targetPorts', value: ports, allowed: 'at most 8 ports (InferencePool v1)' });
    }
    this.servers.forEach((s, i) => {
      if (props.targetPorts !== undefined) {
        if (!props.targetPorts.includes(s.servingPort)) {
          push({ field: `modelServers[${i}].servingPort`, value: s.servingPort, allowed: `one of targetPorts ${JSON.stringify(props.targetPorts)}`, why: 'port mismatch: the pool would not send traffic to this server\'s port' });
        }
      } else if (s.servingPort !== this.servers[0].servingPort) {
        push({
          field: `modelServers[${i}].servingPort`,
          value: s.servingPort,
          allowed: `${this.servers[0].servingPort} (the port of modelServers[0]), or set targetPorts`,
          why: 'port mismatch between the model servers of one pool',
        });
      }
    });

    // metric preset
    if (epp.metricsPreset !== undefined && !EPP_METRICS_PRESETS.includes(epp.metricsPreset)) {
      push({ field: 'epp.metricsPreset', value: epp.metricsPreset, allowed: EPP_METRICS_PRESETS.join(', ') });
    }
    if (epp.metricsPreset === undefined && presetForFlavors(this.servers.map((s) => s.metricsFlavor)) === undefined) {
      push({
        field: 'epp.metricsPreset',
        value: this.servers.map((s) => s.metricsFlavor),
        allowed: 'model servers of one metrics flavor, or an explicit epp.metricsPreset',
        why: 'the EPP scrapes one set of metric names',
      });
    }

    // EPP deployment
    const replicas = epp.replicas ?? 1;
    if (!(Number.isInteger(replicas) && replicas >= 1)) push({ field: 'epp.replicas', value: replicas, allowed: 'an integer of 1 or more' });
    push(checkPort('epp.extProcPort', epp.extProcPort));
    push(checkPort('epp.metricsPort', epp.metricsPort));
    if (epp.image?.pullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(epp.image.pullPolicy)) {
      push({ field: 'epp.image.pullPolicy', value: epp.image.pullPolicy, allowed: 'Always, IfNotPresent, Never' });
    }
    for (const k of ['hub', 'name', 'tag'] as const) {
      const v = epp.image?.[k];
      if (v !== undefined && (typeof v !== 'string' || v.length === 0 || /\s/.test(v))) push({ field: `epp.image.${k}`, value: v, allowed: 'a non-empty string without spaces' });
    }
    if (epp.logVerbosity !== undefined) {
      if (!(Number.isInteger(epp.logVerbosity) && epp.logVerbosity >= 0)) push({ field: 'epp.logVerbosity', value: epp.logVerbosity, allowed: 'an integer of 0 or more' });
      if (epp.flags && 'v' in epp.flags) push({ field: 'epp.flags.v', value: epp.flags.v, allowed: 'either flags.v or logVerbosity, not both' });
    }
    for (const [k, v] of Object.entries(epp.flags ?? {})) {
      if (!/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(k)) push({ field: `epp.flags key`, value: k, allowed: 'a flag name without leading dashes, e.g. "kv-cache-usage-percentage-metric"' });
      if (RESERVED_EPP_FLAGS.includes(k)) push({ field: `epp.flags.${k}`, value: v, allowed: `flags other than ${RESERVED_EPP_FLAGS.join(', ')}`, why: 'the construct renders this flag from its props' });
      if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) push({ field: `epp.flags.${k}`, value: v, allowed: 'a string, number, boolean, or null to drop the flag' });
    }
    if (epp.terminationGracePeriodSeconds !== undefined && !(Number.isInteger(epp.terminationGracePeriodSeconds) && epp.terminationGracePeriodSeconds >= 0)) {
      push({ field: 'epp.terminationGracePeriodSeconds', value: epp.terminationGracePeriodSeconds, allowed: 'an integer of 0 or more' });
    }
    push(checkResources('epp.resources', epp.resources));
    const containerPortNames = new Set(['grpc', 'grpc-health', 'metrics']);
    const containerPorts = new Set([GRPC_PORT, GRPC_HEALTH_PORT, METRICS_PORT]);
    (epp.extraContainerPorts ?? []).forEach((cp, i) => {
      push(checkPort(`epp.extraContainerPorts[${i}].containerPort`, cp.containerPort));
      push(checkPortName(`epp.extraContainerPorts[${i}].name`, cp.name));
      if (cp.name !== undefined && containerPortNames.has(cp.name)) push({ field: `epp.extraContainerPorts[${i}].name`, value: cp.name, allowed: 'a name other than grpc, grpc-health, metrics and the other extra ports' });
      if (containerPorts.has(cp.containerPort)) push({ field: `epp.extraContainerPorts[${i}].containerPort`, value: cp.containerPort, allowed: 'a port other than 9002, 9003, 9090 and the other extra ports' });
      if (cp.name) containerPortNames.add(cp.name);
      containerPorts.add(cp.containerPort);
    });
    const servicePortNames = new Set(['grpc-ext-proc', 'http-metrics']);
    (epp.extraServicePorts ?? []).forEach((sp, i) => {
      push(checkPort(`epp.extraServicePorts[${i}].port`, sp.port));
      if (typeof sp.name !== 'string' || servicePortNames.has(sp.name)) push({ field: `epp.extraServicePorts[${i}].name`, value: sp.name, allowed: 'a name other than grpc-ext-proc, http-metrics and the other extra ports' });
      servicePortNames.add(sp.name);
      if (typeof sp.targetPort === 'number') push(checkPort(`epp.extraServicePorts[${i}].targetPort`, sp.targetPort));
    });
    const envNames = new Set(['NAMESPACE', 'POD_NAME']);
    (epp.env ?? []).forEach((e, i) => {
      if (typeof e.name !== 'string' || e.name.length === 0) push({ field: `epp.env[${i}].name`, value: e.name, allowed: 'a non-empty string' });
      else if (envNames.has(e.name)) push({ field: `epp.env[${i}].name`, value: e.name, allowed: 'a name not set by the construct (NAMESPACE, POD_NAME, OTEL_*) or earlier in env' });
      envNames.add(e.name);
    });
    const volumeNames = new Set(['plugins-config-volume']);
    (epp.volumes ?? []).forEach((v, i) => {
      if (typeof v.name !== 'string' || volumeNames.has(v.name)) push({ field: `epp.volumes[${i}].name`, value: v.name, allowed: 'a unique name other than plugins-config-volume' });
      volumeNames.add(v.name);
    });
    (epp.volumeMounts ?? []).forEach((m, i) => {
      if (!volumeNames.has(m.name)) push({ field: `epp.volumeMounts[${i}].name`, value: m.name, allowed: `a volume of the pod: ${[...volumeNames].join(', ')}` });
      if (m.mountPath === '/config') push({ field: `epp.volumeMounts[${i}].mountPath`, value: m.mountPath, allowed: 'a path other than /config (the config volume)' });
    });
    if (epp.hardening?.runAsUser !== undefined && !(Number.isInteger(epp.hardening.runAsUser) && epp.hardening.runAsUser >= 1)) {
      push({ field: 'epp.hardening.runAsUser', value: epp.hardening.runAsUser, allowed: 'a non-root UID (an integer of 1 or more)' });
    }

    // config files
    const cfgFileName = /^[-._a-zA-Z0-9]+$/;
    for (const [name, file] of Object.entries(epp.customConfigFiles ?? {})) {
      const f = `epp.customConfigFiles.${name}`;
      if (!cfgFileName.test(name)) push({ field: 'epp.customConfigFiles key', value: name, allowed: 'a ConfigMap key: letters, digits, "-", "_", "."' });
      if (epp.config && name === (epp.configFile ?? 'custom-plugins.yaml')) push({ field: f, value: name, allowed: 'a file name other than the one of epp.config' });
      if (typeof file !== 'string') push(EndpointPickerConfig.validate(file, f));
      else if (name === this.configFile || declaresEppConfig(file)) push(EndpointPickerConfig.validateYaml(file, f));
    }
    if (epp.config) {
      push(EndpointPickerConfig.validate(epp.config, 'epp.config'));
      if (epp.configFile === DEFAULT_PLUGINS_FILE) push({ field: 'epp.configFile', value: epp.configFile, allowed: `a file name other than ${DEFAULT_PLUGINS_FILE} for epp.config` });
    }
    if (!cfgFileName.test(this.configFile)) push({ field: 'epp.configFile', value: this.configFile, allowed: 'a ConfigMap key: letters, digits, "-", "_", "."' });
    const files = this.configFiles();
    if (!(this.configFile in files)) {
      push({ field: 'epp.configFile', value: this.configFile, allowed: `a file of the EPP ConfigMap: ${Object.keys(files).join(', ')}`, why: '/config is the ConfigMap volume; the EPP would not start' });
    }

    // tracing
    const samplerArg = epp.tracing?.samplerArg;
    if (samplerArg !== undefined && !(/^\d*\.?\d+$/.test(samplerArg) && Number(samplerArg) >= 0 && Number(samplerArg) <= 1)) {
      push({ field: 'epp.tracing.samplerArg', value: samplerArg, allowed: 'a ratio from "0.0" to "1.0" as a string' });
    }

    // monitoring
    if (monitoring.interval !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(monitoring.interval)) {
      push({ field: 'monitoring.interval', value: monitoring.interval, allowed: 'a Prometheus duration such as "10s" or "1m"' });
    }
    push(checkDns1123Subdomain('monitoring.metricsSecretName', monitoring.metricsSecretName));
    push(checkLabels('monitoring.extraLabels', monitoring.extraLabels));
    if (monitoring.enabled && (monitoring.auth ?? true) && props.provider !== 'gke') {
      // The chart's default Secret name is not release-scoped: two pools in one namespace collide.
      const clash = peersOf<InferenceSchedulerPool>(this, metricsSecretKey(this))[0];
      if (clash) {
        push({ field: 'monitoring.metricsSecretName', value: this.metricsSecretName, allowed: `a name not used by ${clash.node.path} in namespace ${this.namespace}`, why: 'both pools would create the same Secret' });
      }
    }

    // provider
    if (props.istio?.destinationRuleHost !== undefined && props.istio.destinationRuleHost !== '') {
      push(checkDns1123Subdomain('istio.destinationRuleHost', props.istio.destinationRuleHost.replace(/^\*\./, '')));
    }
    push(checkPort('gke.healthCheckPort', props.gke?.healthCheckPort));
    return p;
  }
}

/** Pools with monitoring auth (not GKE) under one key render the same metrics-reader Secret. */
function metricsSecretKey(pool: InferenceSchedulerPool): string {
  return `InferenceSchedulerPool.metricsSecret\0${pool.namespace}\0${pool.metricsSecretName}`;
}

/**
 * Whether a config file's YAML text is meant as an EndpointPickerConfig: a top-level
 * `kind: EndpointPickerConfig`, an `apiVersion` of the EPP config group, or top-level `plugins:` /
 * `schedulingProfiles:` keys.
 */
function declaresEppConfig(text: string): boolean {
  return /^(kind:\s*["']?EndpointPickerConfig["']?|apiVersion:\s*["']?inference\.networking\.x-k8s\.io\/|plugins:|schedulingProfiles:)/m.test(text);
}
