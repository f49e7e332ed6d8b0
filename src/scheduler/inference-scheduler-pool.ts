/**
 * InferenceSchedulerPool: an InferencePool and its endpoint picker (EPP), replacing
 * `helm install <release> oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool --version v1.3.0`.
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRuleV1Beta1, DestinationRuleV1Beta1SpecTrafficPolicyTlsMode } from '../../imports/networking.istio.io';
import { IInferencePoolRef, IModelServer } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { peersOf, registerPeer } from '../core/peers';
import { sharedLabels } from '../core/labels';
import { clusterScoped } from '../core/cluster-scoped';
import { withWireFields } from '../core/wire-fields';
import { EndpointPickerConfig, EndpointPickerConfigSpec } from './epp-config';
import { addInferencePool } from './inference-pool-object';
import { EndpointPicker } from './endpoint-picker';
import { addEppMonitoring } from './epp-monitoring';
import { poolNameRefused, poolProblems } from './pool-problems';
import { PoolProvider } from './pool-provider';
import { SchedulerRelease } from './scheduler-release';
import { extractorParametersFor } from './engine-configs';
import {
  apiGroupOf,
  EppMetricsPreset,
  eppNameFor,
  InferencePoolApiVersion,
  poolNameFromId,
  presetForFlavors,
} from './rules';
import {
  DEFAULT_METRICS_SECRET_NAME,
  DEFAULT_PLUGINS_FILE,
  InferenceSchedulerPoolProps,
} from './pool-options';
import { plainProps } from '../core/plain-props';


type Json = Record<string, unknown>;

/** How to find an InferencePool that is not part of the app. */
export interface InferencePoolImportOptions {
  /** Namespace of the pool. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Its targetPorts; a route backend's port is checked against them. @default [8000] */
  readonly targetPorts?: readonly number[];
  /** apiVersion of the pool (its API group decides the route backend's group). @default 'inference.networking.k8s.io/v1' */
  readonly apiVersion?: InferencePoolApiVersion;
}

class ImportedInferencePool extends Construct implements IInferencePoolRef {
  public readonly poolNamespace: string;
  public readonly poolGroup: string;
  public readonly servedPorts: readonly number[];
  constructor(scope: Construct, id: string, public readonly poolName: string, options: InferencePoolImportOptions) {
    super(scope, id);
    options = plainProps(this, options);
    this.poolNamespace = options.namespace ?? Chart.of(this).namespace ?? 'default';
    this.poolGroup = apiGroupOf(options.apiVersion ?? 'inference.networking.k8s.io/v1');
    this.servedPorts = [...(options.targetPorts ?? [8000])];
  }
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
  /**
   * An InferencePool created elsewhere (another app or namespace), for routes to send traffic to.
   * Nothing is synthesized for it; a route in another namespace adds the ReferenceGrant.
   */
  public static fromPoolName(scope: Construct, id: string, poolName: string, options: InferencePoolImportOptions = {}): IInferencePoolRef {
    return new ImportedInferencePool(scope, id, poolName, options);
  }

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

  /** The release of the scheduling stack the objects are rendered for. */
  public readonly release: SchedulerRelease;
  /**
   * The InferencePool object; undefined in standalone mode without a pool (the EPP then selects
   * the model servers itself).
   */
  public readonly inferencePool?: ApiObject;
  /** The EPP Deployment. */
  public readonly deployment: ApiObject;
  /** The EPP Service. */
  public readonly service: ApiObject;
  /** The EPP ConfigMap. */
  public readonly configMap: ApiObject;
  /** The EPP ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The endpoint picker: its Deployment, Service, RBAC and ConfigMap. */
  public readonly endpointPicker: EndpointPicker;

  private readonly props: InferenceSchedulerPoolProps;
  private readonly servers: IModelServer[] = [];

  constructor(scope: Construct, id: string, props: InferenceSchedulerPoolProps = {}) {
    super(scope, id);
    props = plainProps(this, props);
    this.props = props;
    const epp = props.epp ?? {};
    const monitoring = props.monitoring ?? {};
    const provider = providerName(props.provider);

    this.poolName = props.name ?? poolNameFromId(id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.poolNamespace = this.namespace;
    this.apiVersion = props.apiVersion ?? 'inference.networking.k8s.io/v1';
    this.poolGroup = apiGroupOf(this.apiVersion);
    this.release = props.release instanceof SchedulerRelease ? props.release : SchedulerRelease.GUIDE_PINS;
    this.metricsSecretName = monitoring.metricsSecretName ?? (provider === 'gke' ? `${this.poolName}-metrics-reader-secret` : DEFAULT_METRICS_SECRET_NAME);
    // The EPP's objects are named after the pool (<name>-epp). A refused pool name (reported once,
    // at name) gives them a stand-in made from it, so the objects never written hold no follow-on.
    const eppPoolName = poolNameRefused(this.poolName) ? poolNameFromId(this.poolName) : this.poolName;
    this.labels = { 'app.kubernetes.io/name': eppNameFor(eppPoolName), 'app.kubernetes.io/version': props.versionLabel ?? this.release.versionLabel };
    const standalone = this.release.isLlmdRouter ? props.standalone : undefined;
    const usesPool = standalone === undefined || standalone.inferencePool === true;
    if (monitoring.enabled && (monitoring.auth ?? true) && provider !== 'gke') registerPeer(this, metricsSecretKey(this));

    this.configFile = epp.configFile ?? (epp.config ? 'custom-plugins.yaml' : DEFAULT_PLUGINS_FILE);

    for (const ms of props.modelServers ?? []) this.servers.push(ms);

    const ns = this.namespace;
    const md = (name: string, labels = true): Json => ({ name, namespace: ns, ...(labels ? { labels: { ...this.labels } } : {}) });

    // --- endpoint picker (EPP) --------------------------------------------------------------
    this.endpointPicker = new EndpointPicker(this, 'epp', {
      poolName: eppPoolName,
      namespace: ns,
      poolGroup: this.poolGroup,
      labels: this.labels,
      configFile: this.configFile,
      metricsAuth: monitoring.auth ?? true,
      metricsPreset: () => this.metricsPreset,
      release: this.release,
      usesInferencePool: usesPool,
      endpointSelector: () => this.resolvedSelector() ?? {},
      endpointTargetPorts: () => this.resolvedTargetPorts(),
      standalone,
    }, epp, () => this.configFiles());
    this.deployment = this.endpointPicker.deployment;
    this.service = this.endpointPicker.service;
    this.configMap = this.endpointPicker.configMap;
    this.serviceAccount = this.endpointPicker.serviceAccount;
    this.eppName = this.endpointPicker.name;
    this.eppServiceName = this.endpointPicker.serviceName;
    this.eppServiceFqdn = this.endpointPicker.serviceFqdn;
    this.extProcPort = this.endpointPicker.extProcPort;
    this.metricsPort = this.endpointPicker.metricsPort;
    this.eppPodLabels = this.endpointPicker.podLabels;

    // --- InferencePool ----------------------------------------------------------------------
    if (usesPool) {
      const router = this.release.isLlmdRouter;
      this.inferencePool = addInferencePool(this, this.apiVersion, md(this.poolName), () => ({
        selector: this.resolvedSelector() ?? {},
        targetPorts: this.resolvedTargetPorts(),
        eppServiceName: this.eppServiceName,
        extProcPort: this.extProcPort,
        // llm-d-router writes the failure mode, FailOpen unless told otherwise.
        failureMode: this.props.failureMode ?? (router ? 'FailOpen' : undefined),
      }));
      if (router) withWireFields(this.inferencePool, ['spec'], { appProtocol: (props.modelServerProtocol ?? 'http') === 'grpc' ? 'kubernetes.io/h2c' : 'http' });
    } else {
      this.node.defaultChild = this.deployment;
    }
    this.addInferenceObjectives(md);

    // --- monitoring -------------------------------------------------------------------------
    const monitoringOn = monitoring.enabled ?? false;
    const auth = monitoring.auth ?? true;
    const interval = monitoring.interval ?? '10s';
    if (monitoringOn) {
      addEppMonitoring(this, {
        poolName: this.poolName,
        namespace: ns,
        eppName: this.eppName,
        labels: this.labels,
        metricsSecretName: this.metricsSecretName,
        options: monitoring,
        // GKE scrapes with Google Managed Prometheus (PodMonitoring, added with the provider).
        prometheusOperator: provider !== 'gke',
      });
    }

    // --- provider ---------------------------------------------------------------------------
    if (provider === 'istio') {
      const istio = props.provider?.istio ?? {};
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
    return sharedLabels(this.servers.map((s) => s.podLabels));
  }

  private resolvedTargetPorts(): number[] {
    if (this.props.targetPorts !== undefined) return [...this.props.targetPorts];
    if (this.servers.length > 0) return [this.servers[0].servingPort];
    return [8000];
  }

  private addInferenceObjectives(md: (name: string) => Json): void {
    const objectives = this.props.inferenceObjectives ?? [];
    if (objectives.length === 0) return;
    // Loaded only when used: llm-d-router's objectives are in llm-d.ai, the guide pins' in the GAIE x-k8s group.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const Objective = this.release.isLlmdRouter
      ? (require('../../imports/llm-d.ai') as typeof import('../../imports/llm-d.ai')).InferenceObjective
      : (require('../../imports/inference.networking.x-k8s.io') as typeof import('../../imports/inference.networking.x-k8s.io')).InferenceObjective;
    /* eslint-enable @typescript-eslint/no-require-imports */
    objectives.forEach((o, i) => {
      new Objective(this, `InferenceObjective${i}`, {
        metadata: md(o.name),
        spec: { priority: o.priority, poolRef: { group: this.poolGroup, name: this.poolName } },
      });
    });
  }

  /** The preset config file of the release; with llm-d-router the servers' metric names ride in core-metrics-extractor. */
  private presetConfig(): EndpointPickerConfigSpec {
    if (!this.release.isLlmdRouter) return EndpointPickerConfig.defaultPlugins();
    const epp = this.props.epp ?? {};
    const preset = this.metricsPreset ?? 'vllm';
    const parsers = this.props.modelServerProtocol === 'grpc' && preset === 'vllm'
      ? ['vllmgrpc-parser']
      : epp.parsers && epp.parsers.length > 0 ? epp.parsers : preset === 'triton' ? ['passthrough-parser'] : [];
    return EndpointPickerConfig.routerDefaultPlugins({ extractor: extractorParametersFor(preset), metricsDataSource: epp.metricsDataSource, parsers });
  }

  /** A typed config given by the user, with the servers' engine metric names added for llm-d-router. */
  private withEngineMetrics(given: EndpointPickerConfigSpec): EndpointPickerConfigSpec {
    // Plain data: a builder instance keeps its lists behind getters, which a spread would lose.
    const spec: EndpointPickerConfigSpec = {
      plugins: given.plugins,
      schedulingProfiles: given.schedulingProfiles,
      ...(given.featureGates ? { featureGates: given.featureGates } : {}),
      ...(given.requestHandler ? { requestHandler: given.requestHandler } : {}),
    };
    const extractor = this.release.isLlmdRouter ? extractorParametersFor(this.metricsPreset ?? 'vllm') : undefined;
    if (!extractor) return spec;
    const i = spec.plugins.findIndex((p) => p.type === 'core-metrics-extractor');
    if (i < 0) return { ...spec, plugins: [...spec.plugins, { type: 'core-metrics-extractor', parameters: extractor }] };
    const params = (spec.plugins[i] as { parameters?: import('./engine-configs').CoreMetricsExtractorParameters }).parameters ?? {};
    const names = new Set((params.engineConfigs ?? []).map((c) => c.name));
    const merged = {
      ...params,
      defaultEngine: params.defaultEngine ?? extractor.defaultEngine,
      engineConfigs: [...(params.engineConfigs ?? []), ...(extractor.engineConfigs ?? []).filter((c) => !names.has(c.name))],
    };
    const plugins = [...spec.plugins];
    plugins[i] = { ...plugins[i], parameters: merged } as typeof plugins[number];
    return { ...spec, plugins };
  }

  private configFiles(): Record<string, EndpointPickerConfigSpec | string> {
    const epp = this.props.epp ?? {};
    const files: Record<string, EndpointPickerConfigSpec | string> = { [DEFAULT_PLUGINS_FILE]: this.presetConfig() };
    if (this.release.isLlmdRouter) files['payload-agnostic.yaml'] = EndpointPickerConfig.payloadAgnostic();
    // A custom file named like the preset replaces it: the chart renders both keys, preset first,
    // and YAML readers (Helm's, kubectl's) keep the last one.
    for (const [k, v] of Object.entries(epp.customConfigFiles ?? {})) files[k] = typeof v === 'string' ? v : this.withEngineMetrics(v);
    if (epp.config) {
      const key = epp.configFile ?? 'custom-plugins.yaml';
      files[key] = this.withEngineMetrics(epp.config);
    }
    return files;
  }

  private addGkeObjects(metricsObjects: boolean, interval: string): void {
    const ns = this.namespace;
    const release = this.poolName;
    const gke = this.props.provider?.gke ?? {};
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

  private problems(): Problem[] {
    return poolProblems({
      props: this.props,
      poolName: this.poolName,
      namespace: this.namespace,
      apiVersion: this.apiVersion,
      configFile: this.configFile,
      configFiles: this.configFiles(),
      metricsSecretName: this.metricsSecretName,
      servers: this.servers,
      release: this.release,
      selector: this.resolvedSelector(),
      targetPorts: this.resolvedTargetPorts(),
      metricsSecretClash: peersOf<InferenceSchedulerPool>(this, metricsSecretKey(this))[0],
    });
  }
}

/** Pools with monitoring auth (not GKE) under one key render the same metrics-reader Secret. */
function metricsSecretKey(pool: InferenceSchedulerPool): string {
  return `InferenceSchedulerPool.metricsSecret\0${pool.namespace}\0${pool.metricsSecretName}`;
}

/** The provider's name; anything that is not a PoolProvider (a JavaScript caller's string) is refused by the checks and renders nothing. */
function providerName(p: PoolProvider | undefined): 'none' | 'istio' | 'gke' {
  return p instanceof PoolProvider ? p.name : 'none';
}

