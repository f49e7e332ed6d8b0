/**
 * What the two llm-d-modelservice constructs (ModelService for vLLM, FuriosaModelService for
 * Furiosa-LLM) share: both replace forks of the same Helm chart, so their container and pod props
 * and a few rendering rules are the same. Construct-specific props extend these bases.
 */
import type { IModelStorage, ISecretReference } from '../core/contracts';
import type { ContainerSpec, EnvVar, ImagePullPolicy, Probe, RelabelConfig, SecurityContext, Toleration, VolumeMount } from './k8s-types';

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
   * `tokenSecretName` becomes the default `authSecret`. Its namespace must be the service's.
   */
  readonly storage?: IModelStorage;
  /**
   * Secret with key `HF_TOKEN`; the model containers get `HF_TOKEN` from it. A cdk8s-plus
   * `ISecret` (e.g. `Secret.fromSecretName(...)`) or `{ name: 'hf-token' }`.
   * @default - the Secret named by `storage.tokenSecretName`, else no token
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
  /** @default 1 */
  readonly replicas?: number;
  /** Init containers, after the routing sidecar when it is enabled. @default [] */
  readonly initContainers?: readonly ContainerSpec[];
  /** Annotations of the Deployment. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Annotations of the pods. @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly tolerations?: readonly Toleration[];
  /** Required node affinity on an accelerator label. @default - none */
  readonly acceleratorTypes?: AcceleratorTypesSelector;
  /** @default - the default scheduler */
  readonly schedulerName?: string;
  /** @default [] */
  readonly imagePullSecrets?: ReadonlyArray<{ readonly name: string }>;
  /** Pod securityContext. @default - unset */
  readonly podSecurityContext?: Readonly<Record<string, unknown>>;
  /** @default - unset (Kubernetes: true) */
  readonly enableServiceLinks?: boolean;
  /** @default - unset (Kubernetes: 30) */
  readonly terminationGracePeriodSeconds?: number;
  /** Mount a service account token (the model servers do not call the Kubernetes API). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Other PodSpec fields (the chart's `extraConfig`); keys set by dedicated props are refused. @default {} */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
}

/** Prometheus Operator PodMonitor of one role (`<role>.monitoring.podmonitor`), without the port. */
export interface ModelServerPodMonitorBase {
  /** @default false */
  readonly enabled?: boolean;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default '30s' */
  readonly interval?: string;
  /** @default - unset */
  readonly scrapeTimeout?: string;
  /** Extra labels of the PodMonitor (e.g. the Prometheus `release` selector). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly relabelings?: readonly RelabelConfig[];
  /** @default [] */
  readonly metricRelabelings?: readonly RelabelConfig[];
  /** @default - unset (the PodMonitor's own namespace) */
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: readonly string[] };
}

/** Where a role's PodMonitor goes and what it selects. */
export interface PodMonitorTarget {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the service's objects; `app.kubernetes.io/component` and the user's labels are added. */
  readonly objectLabels: Readonly<Record<string, string>>;
  /** `decode` / `prefill`. */
  readonly component: string;
  /** Labels of the pods to scrape. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Port name when `portName` is unset or empty. */
  readonly defaultPort: string;
}

/** The PodMonitor `metadata` and `spec` the chart renders for one role. */
export function podMonitorManifest(pm: ModelServerPodMonitorBase & { readonly portName?: string }, t: PodMonitorTarget): { metadata: Json; spec: Json } {
  const endpoint: Json = { port: pm.portName || t.defaultPort, path: pm.path || '/metrics', interval: pm.interval || '30s' };
  if (pm.scrapeTimeout) endpoint.scrapeTimeout = pm.scrapeTimeout;
  if (pm.relabelings && pm.relabelings.length > 0) endpoint.relabelings = pm.relabelings;
  if (pm.metricRelabelings && pm.metricRelabelings.length > 0) endpoint.metricRelabelings = pm.metricRelabelings;
  const spec: Json = { selector: { matchLabels: { ...t.podLabels } }, podMetricsEndpoints: [endpoint] };
  if (pm.namespaceSelector) spec.namespaceSelector = pm.namespaceSelector;
  const metadata: Json = { name: t.name, namespace: t.namespace, labels: { ...t.objectLabels, 'app.kubernetes.io/component': t.component, ...(pm.labels ?? {}) } };
  if (pm.annotations && Object.keys(pm.annotations).length > 0) metadata.annotations = pm.annotations;
  return { metadata, spec };
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
