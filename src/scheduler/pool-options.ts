// The props of InferenceSchedulerPool and its endpoint picker (EPP), with the chart defaults
// they document. Kept apart from the construct so the helm adapter and the docs read one place.
import type { IModelServer } from '../core/contracts';
import type { EndpointPickerConfigSpec } from './epp-config';
import type { PoolProvider } from './pool-provider';
import type { SchedulerRelease } from './scheduler-release';
import type { MetricsDataSourceParameters } from './engine-configs';
import type { EppFlagValue, EppMetricsPreset, InferencePoolApiVersion } from './rules';
import type {
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

/**
 * Standalone mode (llm-d-router v0.10): the EPP runs with its own Envoy proxy, so clients call the
 * EPP Service's `http` port and no Gateway or HTTPRoute is needed.
 */
export interface StandaloneOptions {
  /**
   * Run the Envoy proxy. Off leaves an EPP that something else (a mesh, your own proxy) calls.
   * @default true
   */
  readonly proxy?: boolean;
  /**
   * Where Envoy runs: `sidecar` in the EPP pod, or `service`, its own Deployment and Service
   * (`<name>-proxy`) that reach the EPP over its Service.
   * @default "sidecar"
   */
  readonly proxyMode?: 'sidecar' | 'service';
  /**
   * Proxy replicas in `service` mode.
   * @default 2
   */
  readonly proxyReplicas?: number;
  /**
   * Envoy passes requests through when the EPP is unreachable (`failure_mode_allow`).
   * @default true (the chart's)
   */
  readonly failOpen?: boolean;
  /**
   * Envoy image.
   * @default "docker.io/envoyproxy/envoy:distroless-v1.33.2"
   */
  readonly proxyImage?: string;
  /**
   * Envoy's command-line arguments.
   * @default - the chart's: --service-node envoy-proxy --log-level warn --cpuset-threads --drain-strategy immediate --drain-time-s 60 -c /etc/envoy/envoy.yaml
   */
  readonly proxyArgs?: readonly string[];
  /**
   * Envoy container resources.
   * @default { requests: { cpu: "4", memory: "8Gi" }, limits: { memory: "16Gi" } } (the chart's)
   */
  readonly proxyResources?: EppResources;
  /**
   * Port of the `http` Service port clients call (it targets Envoy's listener, 8081).
   * @default 8081
   */
  readonly servicePort?: number;
  /**
   * Name of the ConfigMap holding envoy.yaml. The chart's is `envoy`, which is not release-scoped.
   * @default "<name>-epp-envoy"
   */
  readonly proxyConfigMapName?: string;
  /**
   * Also create an InferencePool (the chart's default); without one the EPP finds its endpoints
   * with `--endpoint-selector` and `--endpoint-target-ports`.
   * @default false
   */
  readonly inferencePool?: boolean;
}

/** An InferenceObjective (request priority) bound to the pool. */
export interface InferenceObjectiveOptions {
  /** Object name. */
  readonly name: string;
  /** Priority; higher is served first under load. */
  readonly priority: number;
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
  /**
   * Port of the EPP's gRPC health service (llm-d-router `--grpc-health-port`).
   * @default 9003
   */
  readonly grpcHealthPort?: number;
  /**
   * Annotations of the EPP pod template.
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * How the EPP scrapes the model servers (llm-d-router `metrics-data-source` of default-plugins.yaml).
   * @default { scheme: "http", path: "/metrics", insecureSkipVerify: true }
   */
  readonly metricsDataSource?: MetricsDataSourceParameters;
  /**
   * Request parsers of the llm-d-router default config (`requestHandler.parsers`).
   * @default - none; `vllmgrpc-parser` with `modelServerProtocol: 'grpc'`
   */
  readonly parsers?: readonly string[];
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
   * Gateway implementation: `PoolProvider.istio({...})` adds a DestinationRule for the EPP
   * Service, `PoolProvider.gke({...})` a HealthCheckPolicy and GCPBackendPolicy.
   * @default PoolProvider.none()
   */
  readonly provider?: PoolProvider;
  /**
   * The release of the scheduling stack: the guide's pins (GAIE inferencepool chart v1.3.0) or
   * llm-d-router v0.10 (its charts' objects, metric names in engineConfigs, `llm-d.ai` config).
   * @default SchedulerRelease.GUIDE_PINS
   */
  readonly release?: SchedulerRelease;
  /**
   * Protocol of the model servers (llm-d-router: the InferencePool's `appProtocol`).
   * @default "http"
   */
  readonly modelServerProtocol?: 'http' | 'grpc';
  /**
   * InferenceObjectives (request priorities) bound to the pool, in the release's group.
   * @default - none
   */
  readonly inferenceObjectives?: readonly InferenceObjectiveOptions[];
  /**
   * Standalone mode (llm-d-router v0.10 only): the EPP with its own Envoy proxy, no Gateway.
   * @default - off
   */
  readonly standalone?: StandaloneOptions;
  /**
   * Value of the `app.kubernetes.io/version` label (the chart puts its appVersion there and the
   * ServiceMonitor selects on it).
   * @default - the release's chart appVersion: "0.0.0" (guide pins), "v0.10.0" (llm-d-router)
   */
  readonly versionLabel?: string;
}

