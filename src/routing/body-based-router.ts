// The body-based router (BBR) of the Gateway API Inference Extension: an ext_proc service the
// gateway calls before routing, which reads the OpenAI request body and copies its `model` into
// the `X-Gateway-Model-Name` header (and an adapter's base model into
// `X-Gateway-Base-Model-Name`), so HTTPRoute header matches send plain OpenAI clients to the
// right InferencePool. Objects and names are those of the inference extension's
// `body-based-routing` chart v1.3.0; the provider objects wire it into the gateway it serves.
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { INetworkPolicyPeer, IPodSelector, NetworkPolicyPeerConfig, PodSelectorConfig } from '../core/contracts';
import type { EnvoyFilterSpecConfigPatchesApplyTo, EnvoyFilterSpecConfigPatchesPatchOperation } from '../../imports/networking.istio.io';
import type { IInferenceGateway, IModelServer } from '../core/contracts';
import { clusterScoped } from '../core/cluster-scoped';
import { addProblems, Problem } from '../core/errors';
import type { ImagePullPolicy, ResourceRequirements } from '../core/k8s-types';
import { checkLabels, isLabelValue } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain, isDns1035Label } from '../core/names';
import { kplusPodSelectorConfig } from '../core/pod-peer';
import { checkPort } from '../core/ports';
import { checkResources } from '../core/quantities';
import { hardenedContainerSecurityContext, hardenedPodSecurityContext } from '../core/security';
import type { InferenceRouteMatch } from './inference-route';
import { plainProps } from '../core/plain-props';

type Json = Record<string, unknown>;

/** The header the router sets to the request body's `model`. */
export const MODEL_NAME_HEADER = 'X-Gateway-Model-Name';
/** The header the router sets to the base model of a LoRA adapter named in `model` (from its ConfigMaps). */
export const BASE_MODEL_NAME_HEADER = 'X-Gateway-Base-Model-Name';
/** The chart's image (v1.3.0). */
export const DEFAULT_BBR_IMAGE = Object.freeze({ hub: 'registry.k8s.io/gateway-api-inference-extension', name: 'bbr', tag: 'v1.3.0' });

/**
 * How the gateway is told to call the router: `istio` an EnvoyFilter on the gateway's proxies and a
 * DestinationRule (TLS to the router's self-signed endpoint); `gke` a GCPRoutingExtension and a
 * HealthCheckPolicy; `none` no objects (a gateway configured elsewhere, e.g. kgateway or
 * agentgateway policies).
 */
export type BodyBasedRouterProvider = 'istio' | 'gke' | 'none';

/** The router's container image. */
export interface BodyBasedRouterImage {
  /** Registry and path. @default 'registry.k8s.io/gateway-api-inference-extension' */
  readonly hub?: string;
  /** Image name. @default 'bbr' */
  readonly name?: string;
  /** Tag. @default 'v1.3.0' */
  readonly tag?: string;
  /** Pull policy. @default 'IfNotPresent' (the tag is pinned) */
  readonly pullPolicy?: ImagePullPolicy;
}

/** Pod hardening of the router. */
export interface BodyBasedRouterHardening {
  /**
   * Adds the pod and container securityContext: runAsNonRoot, allowPrivilegeEscalation false,
   * all capabilities dropped, seccomp RuntimeDefault. The router is a static Go binary in a
   * distroless image that needs no privileges.
   * @default true
   */
  readonly enabled?: boolean;
  /** UID to run as (the distroless `nonroot` user). @default 65532 */
  readonly runAsUser?: number;
  /** Read-only root filesystem: the router keeps its self-signed certificate in memory and writes nothing. @default true */
  readonly readOnlyRootFilesystem?: boolean;
}

/** Props of {@link BodyBasedRouter}; each maps to a value of the `body-based-routing` chart. */
export interface BodyBasedRouterProps {
  /**
   * The gateway whose proxies call the router (an `IstioGieGateway`, or
   * `IstioGieGateway.fromGatewayName(...)` for one outside the app). With `istio` the EnvoyFilter
   * targets this Gateway only (the chart's applies to every proxy of its namespace); with `gke`
   * the GCPRoutingExtension does (the chart's `inferenceGateway.name`). Required unless the
   * provider is `none`.
   * @default - none
   */
  readonly gateway?: IInferenceGateway;
  /** How the gateway is wired to the router (the chart's `provider.name`). @default - 'istio' with a gateway, else 'none' */
  readonly provider?: BodyBasedRouterProvider;
  /** Name of the Deployment, Service and provider objects (the chart's `bbr.name`). A DNS-1035 label. @default 'body-based-router' */
  readonly name?: string;
  /**
   * Helm release name the ServiceAccount and RBAC names derive from, as if the chart were
   * installed under it: `<name>-<releaseName>`.
   * @default 'bbr'
   */
  readonly releaseName?: string;
  /** Namespace of the router's objects. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Replicas (the chart's `bbr.replicas`); each serves on its own, no leader election. @default 1 */
  readonly replicas?: number;
  /** Container image (the chart's `bbr.image`). @default - `registry.k8s.io/gateway-api-inference-extension/bbr:v1.3.0` */
  readonly image?: BodyBasedRouterImage;
  /** Port serving ext_proc gRPC, on the container and the Service (the chart's `bbr.port`). @default 9004 */
  readonly port?: number;
  /** Port of the gRPC health service (the chart's `bbr.healthCheckPort`). @default 9005 */
  readonly healthCheckPort?: number;
  /**
   * Read the adapter ConfigMaps (labelled `inference-gateway.k8s.io/managed: "true"`) of every
   * namespace, through the chart's ClusterRole `bbr-configmap-reader`, instead of its own
   * namespace's (the chart's `bbr.multiNamespace`).
   * @default false
   */
  readonly multiNamespace?: boolean;
  /**
   * Log verbosity (`--v`).
   * @default 3 (the chart's)
   */
  readonly logVerbosity?: number;
  /**
   * More command-line flags (the chart's `bbr.flags`), rendered as the chart does: `--<key>`,
   * `<value>` in key order after `--streaming`. `v` overrides `logVerbosity`; `null` drops a
   * flag. Boolean flags cannot be written that way (Go reads `--k true` as the end of the flags).
   * @default {}
   */
  readonly flags?: Readonly<Record<string, string | number | null>>;
  /**
   * Resources of the router container.
   * @default - requests cpu 250m, memory 256Mi (the chart sets none)
   */
  readonly resources?: ResourceRequirements;
  /** Pod hardening. @default - on, see {@link BodyBasedRouterHardening} */
  readonly hardening?: BodyBasedRouterHardening;
  /** Labels of every object, and of the pods. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Flags of the bbr binary v1.3.0 that take no value: the chart's `--k v` form stops Go's flag parsing at `v`. */
const BOOLEAN_FLAGS = ['streaming', 'zap-devel'];
const FLAG_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const DEFAULT_RESOURCES: ResourceRequirements = { requests: { cpu: '250m', memory: '256Mi' } };
const PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

/**
 * The body-based router of the Gateway API Inference Extension (`body-based-routing` chart
 * v1.3.0): a Deployment and Service serving ext_proc on port 9004, its ServiceAccount and the RBAC
 * to read adapter ConfigMaps, and the provider's wiring into the gateway it serves. The router
 * copies the request body's `model` into the `X-Gateway-Model-Name` header, so routes can send
 * plain OpenAI clients to a pool per model with {@link BodyBasedRouter.modelMatch}.
 *
 * Deploy one per gateway.
 */
export class BodyBasedRouter extends Construct implements IPodSelector, INetworkPolicyPeer {
  /**
   * A route match on the model the router read from the request body: put it in an
   * `InferenceRoute` rule (`matches: [BodyBasedRouter.modelMatch(ms)]`) to send that model's
   * requests to its pool. A model server stands for its `modelName`.
   */
  public static modelMatch(model: string | IModelServer, path?: string): InferenceRouteMatch {
    const value = typeof model === 'string' ? model : model.modelName;
    return { ...(path !== undefined ? { path: { type: 'PathPrefix', value: path } } : {}), headers: [{ name: MODEL_NAME_HEADER, value }] };
  }

  /**
   * A route match on the base model of the LoRA adapter named in the request body (the router
   * reads adapter-to-base-model maps from ConfigMaps labelled `inference-gateway.k8s.io/managed`).
   */
  public static baseModelMatch(baseModel: string, path?: string): InferenceRouteMatch {
    return { ...(path !== undefined ? { path: { type: 'PathPrefix', value: path } } : {}), headers: [{ name: BASE_MODEL_NAME_HEADER, value: baseModel }] };
  }

  /** Name of the Deployment, Service and provider objects. */
  public readonly name: string;
  /** Namespace of the router's objects (the EnvoyFilter is in the gateway's). */
  public readonly namespace: string;
  /** Release name the ServiceAccount and RBAC names derive from. */
  public readonly releaseName: string;
  /** Name of the ServiceAccount (`<name>-<releaseName>`). */
  public readonly serviceAccountName: string;
  /** Name of the Service. */
  public readonly serviceName: string;
  /** `<serviceName>.<namespace>.svc.cluster.local` */
  public readonly serviceFqdn: string;
  /** The ext_proc port. */
  public readonly port: number;
  /** The gRPC health port. */
  public readonly healthCheckPort: number;
  /** How the gateway is wired to the router. */
  public readonly provider: BodyBasedRouterProvider;
  /** The gateway the router serves, when given. */
  public readonly gateway?: IInferenceGateway;
  /** Labels of the router pods; the Service and Deployment select `{ app: name }`. */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The Deployment (the default child). */
  public readonly deployment: ApiObject;
  /** The Service the gateway calls. */
  public readonly service: ApiObject;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** Istio: the EnvoyFilter inserting the ext_proc filter into the gateway's proxies. */
  public readonly envoyFilter?: ApiObject;
  /** Istio: the DestinationRule (TLS to the router's self-signed endpoint). */
  public readonly destinationRule?: ApiObject;
  /** GKE: the GCPRoutingExtension of the gateway. */
  public readonly routingExtension?: ApiObject;
  /** GKE: the HealthCheckPolicy of the router Service. */
  public readonly healthCheckPolicy?: ApiObject;

  private readonly props: BodyBasedRouterProps;

  constructor(scope: Construct, id: string, props: BodyBasedRouterProps = {}) {
    super(scope, id);
    props = plainProps(this, props);
    this.props = props;
    this.name = props.name ?? 'body-based-router';
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.releaseName = props.releaseName ?? 'bbr';
    this.serviceAccountName = `${this.name}-${this.releaseName}`;
    this.serviceName = this.name;
    this.serviceFqdn = `${this.serviceName}.${this.namespace}.svc.cluster.local`;
    this.port = props.port ?? 9004;
    this.healthCheckPort = props.healthCheckPort ?? 9005;
    this.gateway = props.gateway;
    this.provider = props.provider ?? (props.gateway ? 'istio' : 'none');
    const ns = this.namespace;
    const name = this.name;
    const labels: Record<string, string> = {
      'app.kubernetes.io/name': 'body-based-router',
      'app.kubernetes.io/instance': this.releaseName,
      'app.kubernetes.io/component': 'body-based-router',
      'app.kubernetes.io/managed-by': 'cdk8s-llm-d',
      ...(props.labels ?? {}),
    };
    const selector = { app: name };
    this.podLabels = { ...labels, ...selector };
    const md = (n: string, clusterWide = false): Json => ({ name: n, ...(clusterWide ? {} : { namespace: ns }), labels: { ...labels } });
    const rbac = 'rbac.authorization.k8s.io/v1';
    const subjects = [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: ns }];
    const configMapReads = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }];

    addProblems(this, () => this.problems());

    // --- ServiceAccount and RBAC (the chart's names) -----------------------------------------
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: md(this.serviceAccountName) });
    if (props.multiNamespace) {
      // Cluster-scoped and not release-scoped in the chart: one per cluster.
      clusterScoped(new ApiObject(this, 'ClusterRole', { apiVersion: rbac, kind: 'ClusterRole', metadata: md('bbr-configmap-reader', true), rules: configMapReads }));
      clusterScoped(new ApiObject(this, 'ClusterRoleBinding', {
        apiVersion: rbac,
        kind: 'ClusterRoleBinding',
        metadata: md('bbr-configmap-reader', true),
        subjects,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'bbr-configmap-reader' },
      }));
    } else {
      const roleName = `${this.serviceAccountName}-configmap-reader`;
      new ApiObject(this, 'Role', { apiVersion: rbac, kind: 'Role', metadata: md(roleName), rules: configMapReads });
      new ApiObject(this, 'RoleBinding', {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: md(this.serviceAccountName),
        subjects,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      });
    }

    // --- Service ------------------------------------------------------------------------------
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md(this.serviceName),
      spec: {
        selector: { ...selector },
        ports: [{ name: 'grpc-ext-proc', protocol: 'TCP', port: this.port, targetPort: this.port, appProtocol: 'HTTP2' }],
        type: 'ClusterIP',
      },
    });

    // --- Deployment (default child) -----------------------------------------------------------
    this.deployment = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: md(name),
      spec: {
        replicas: props.replicas ?? 1,
        selector: { matchLabels: { ...selector } },
        template: { metadata: { labels: { ...this.podLabels } }, spec: this.podSpec() },
      },
    });

    // --- provider -----------------------------------------------------------------------------
    if (this.provider === 'istio') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for Istio
      const istio = require('../../imports/networking.istio.io') as typeof import('../../imports/networking.istio.io');
      const gatewayNs = props.gateway?.gatewayNamespace ?? ns;
      this.envoyFilter = new istio.EnvoyFilter(this, 'EnvoyFilter', {
        // targetRefs may only name a Gateway of the EnvoyFilter's own namespace.
        metadata: { name, namespace: gatewayNs, labels: { ...labels } },
        spec: {
          // Only the gateway's proxies call the router (the chart's filter reaches every proxy of its namespace).
          targetRefs: props.gateway ? [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.gateway.gatewayName }] : undefined,
          configPatches: [{
            applyTo: 'HTTP_FILTER' as EnvoyFilterSpecConfigPatchesApplyTo,
            match: { listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
            patch: {
              // First: the model header must be set before the endpoint picker's ext_proc and routing.
              operation: 'INSERT_FIRST' as EnvoyFilterSpecConfigPatchesPatchOperation,
              value: {
                name: 'envoy.filters.http.ext_proc',
                typed_config: {
                  '@type': 'type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor',
                  failure_mode_allow: false,
                  allow_mode_override: true,
                  processing_mode: {
                    request_header_mode: 'SEND',
                    response_header_mode: 'SKIP',
                    request_body_mode: 'FULL_DUPLEX_STREAMED',
                    response_body_mode: 'NONE',
                    request_trailer_mode: 'SEND',
                    response_trailer_mode: 'SKIP',
                  },
                  grpc_service: { envoy_grpc: { cluster_name: `outbound|${this.port}||${this.serviceFqdn}` } },
                },
              },
            },
          }],
        },
      });
      this.destinationRule = new istio.DestinationRule(this, 'DestinationRule', {
        metadata: md(name),
        spec: {
          host: this.serviceFqdn,
          // The router serves ext_proc over TLS with a self-signed certificate.
          trafficPolicy: { tls: { mode: istio.DestinationRuleSpecTrafficPolicyTlsMode.SIMPLE, insecureSkipVerify: true } },
        },
      });
    } else if (this.provider === 'gke') {
      this.routingExtension = new ApiObject(this, 'GCPRoutingExtension', {
        apiVersion: 'networking.gke.io/v1',
        kind: 'GCPRoutingExtension',
        metadata: md(name),
        spec: {
          targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.gateway?.gatewayName ?? '' }],
          extensionChains: [{
            name: 'chain1',
            extensions: [{
              name: 'ext1',
              authority: 'myext.com',
              timeout: '1s',
              supportedEvents: ['RequestHeaders', 'RequestBody', 'RequestTrailers'],
              requestBodySendMode: 'FullDuplexStreamed',
              backendRef: { group: '', kind: 'Service', name: this.serviceName, port: this.port },
            }],
          }],
        },
      });
      this.healthCheckPolicy = new ApiObject(this, 'HealthCheckPolicy', {
        apiVersion: 'networking.gke.io/v1',
        kind: 'HealthCheckPolicy',
        // The chart's fixed name: one router per namespace.
        metadata: md('bbr-healthcheck'),
        spec: {
          default: { logConfig: { enabled: true }, config: { type: 'GRPC', grpcHealthCheck: { portSpecification: 'USE_FIXED_PORT', port: this.healthCheckPort } } },
          targetRef: { group: '', kind: 'Service', name: this.serviceName, namespace: ns },
        },
      });
    }
  }

  /** cdk8s-plus `IPodSelector`: the router pods, in their namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: { app: this.name }, namespace: this.namespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods, for `kplus.NetworkPolicy` rules. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector. */
  public toPodSelector(): IPodSelector {
    return this;
  }

  /** The flags after `--streaming`, in key order, as `[key, value]`. */
  private flags(): Array<[string, string]> {
    const merged: Record<string, string | number | null> = { v: this.props.logVerbosity ?? 3, ...(this.props.flags ?? {}) };
    const out: Array<[string, string]> = [];
    for (const k of Object.keys(merged).sort()) {
      const v = merged[k];
      if (v === null || v === undefined || typeof v === 'boolean') continue;
      out.push([k, String(v)]);
    }
    return out;
  }

  private args(): string[] {
    const flags = this.flags();
    const given = new Set(flags.map(([k]) => k));
    // The chart sets the Service and container ports but never tells the binary: pass them when they differ from its defaults.
    const ports: string[] = [
      ...(this.port !== 9004 && !given.has('grpc-port') ? ['--grpc-port', String(this.port)] : []),
      ...(this.healthCheckPort !== 9005 && !given.has('grpc-health-port') ? ['--grpc-health-port', String(this.healthCheckPort)] : []),
    ];
    return ['--streaming', ...flags.flatMap(([k, v]) => [`--${k}`, v]), ...ports];
  }

  private podSpec(): Json {
    const p = this.props;
    const image = { ...DEFAULT_BBR_IMAGE, pullPolicy: 'IfNotPresent', ...(p.image ?? {}) };
    const hardening = p.hardening ?? {};
    const hardened = hardening.enabled ?? true;
    const runAsUser = hardening.runAsUser ?? 65532;
    const probe = (extra: Json): Json => ({ grpc: { port: this.healthCheckPort }, ...extra });
    const container: Json = {
      name: 'bbr',
      image: `${image.hub}/${image.name}:${image.tag}`,
      imagePullPolicy: image.pullPolicy,
      args: this.args(),
      // Without NAMESPACE the router watches the ConfigMaps of every namespace.
      ...(p.multiNamespace ? {} : { env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] }),
      // Unnamed like the chart's (names would not change what listens).
      ports: [{ containerPort: this.port }, { containerPort: this.healthCheckPort }],
      readinessProbe: probe({ periodSeconds: 5 }),
      livenessProbe: probe({ initialDelaySeconds: 5, periodSeconds: 10 }),
      resources: p.resources ?? DEFAULT_RESOURCES,
      ...(hardened ? { securityContext: hardenedContainerSecurityContext({ runAsUser, readOnlyRootFilesystem: hardening.readOnlyRootFilesystem ?? true }) } : {}),
    };
    return {
      serviceAccountName: this.serviceAccountName,
      // The router watches ConfigMaps through the API: it needs its token.
      automountServiceAccountToken: true,
      ...(hardened ? { securityContext: hardenedPodSecurityContext({ runAsUser }) } : {}),
      containers: [container],
    };
  }

  private problems(): Problem[] {
    const p = this.props;
    const out: Problem[] = [];
    const push = (x: Problem | undefined): void => {
      if (x) out.push(x);
    };
    const nameOk = isDns1035Label(this.name);
    if (!nameOk) {
      out.push({ field: 'name', value: this.name, allowed: 'a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter', why: 'it names the Service' });
    }
    // The ServiceAccount and RBAC names are made from name and releaseName: checked only when both
    // are valid on their own (a refused one is reported once, where the user wrote it).
    if (!isLabelValue(this.releaseName)) {
      out.push({ field: 'releaseName', value: this.releaseName, allowed: 'a label value: at most 63 alphanumerics, "-", "_", "."', why: 'it is the app.kubernetes.io/instance label' });
    } else if (nameOk && checkDns1123Subdomain('releaseName', `${this.serviceAccountName}-configmap-reader`) !== undefined) {
      out.push({
        field: 'releaseName',
        value: this.releaseName,
        allowed: 'lower-case letters, digits, "-" and ".", each "."-separated part starting and ending with a letter or digit',
        why: `it names the ServiceAccount ${this.serviceAccountName} and the Role ${this.serviceAccountName}-configmap-reader (DNS-1123 subdomains: <name>-<releaseName>)`,
      });
    }
    push(checkDns1123Label('namespace', this.namespace));
    out.push(...checkLabels('labels', p.labels));
    if (p.labels && 'app' in p.labels) out.push({ field: 'labels.app', value: p.labels.app, allowed: 'no "app" label', why: 'the Deployment and Service select the pods by app: <name>' });
    const minReplicas = this.provider === 'none' ? 0 : 1;
    if (p.replicas !== undefined && !(Number.isInteger(p.replicas) && p.replicas >= minReplicas)) {
      out.push({
        field: 'replicas',
        value: p.replicas,
        allowed: `an integer of ${minReplicas} or more`,
        ...(minReplicas === 1 && p.replicas === 0 ? { why: 'the gateway\'s ext_proc filter fails closed: with no router every request through it fails' } : {}),
      });
    }
    push(checkPort('port', p.port));
    push(checkPort('healthCheckPort', p.healthCheckPort));
    if (this.port === this.healthCheckPort) out.push({ field: 'healthCheckPort', value: this.healthCheckPort, allowed: `a port other than port (${this.port})` });
    if (p.logVerbosity !== undefined && !(Number.isInteger(p.logVerbosity) && p.logVerbosity >= 0)) out.push({ field: 'logVerbosity', value: p.logVerbosity, allowed: 'an integer of 0 or more' });
    out.push(...this.flagProblems());
    const pull = p.image?.pullPolicy;
    if (pull !== undefined && !PULL_POLICIES.includes(pull)) out.push({ field: 'image.pullPolicy', value: pull, allowed: PULL_POLICIES.join(', ') });
    for (const k of ['hub', 'name', 'tag'] as const) {
      const v = p.image?.[k];
      if (v !== undefined && (typeof v !== 'string' || v === '' || /[\s@]/.test(v) || (k !== 'hub' && v.includes(':')))) {
        out.push({ field: `image.${k}`, value: v, allowed: k === 'hub' ? 'a registry path such as "registry.k8s.io/gateway-api-inference-extension"' : `an image ${k} without ":", "@" or spaces` });
      }
    }
    out.push(...checkResources('resources', p.resources));
    if (p.hardening?.runAsUser !== undefined && !(Number.isInteger(p.hardening.runAsUser) && p.hardening.runAsUser > 0)) {
      out.push({ field: 'hardening.runAsUser', value: p.hardening.runAsUser, allowed: 'a non-root UID (an integer above 0)' });
    }
    if (p.provider !== undefined && !['istio', 'gke', 'none'].includes(p.provider)) out.push({ field: 'provider', value: p.provider, allowed: 'istio, gke, none' });
    const g = this.gateway;
    if (this.provider !== 'none' && !g) {
      out.push({ field: 'gateway', value: undefined, allowed: 'the gateway the router serves (an IstioGieGateway or IstioGieGateway.fromGatewayName(...))', why: `the ${this.provider} objects attach the router to a Gateway` });
    }
    if (g && this.provider === 'gke' && g.gatewayNamespace !== this.namespace) {
      out.push({ field: 'namespace', value: this.namespace, allowed: `the gateway's namespace "${g.gatewayNamespace}"`, why: 'the GCPRoutingExtension targets a Gateway of its own namespace' });
    }
    return out;
  }

  private flagProblems(): Problem[] {
    const out: Problem[] = [];
    for (const [k, v] of Object.entries(this.props.flags ?? {})) {
      const f = `flags.${k}`;
      if (!FLAG_NAME.test(k)) out.push({ field: f, value: v, allowed: 'a flag name: letters, digits, "-", "_" and "."' });
      else if (k === 'streaming') out.push({ field: f, value: v, allowed: 'unset', why: '--streaming is always passed (the gateway streams the body to the router)' });
      else if (BOOLEAN_FLAGS.includes(k) || typeof v === 'boolean') {
        out.push({ field: f, value: v, allowed: 'a flag that takes a value', why: 'flags are passed as "--k" "v", and Go reads a boolean flag\'s value only as --k=v: "v" would end the flags and every later one would be ignored' });
      } else if (v !== null && typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        out.push({ field: f, value: v, allowed: 'a string or a number, or null to drop the flag' });
      } else if (typeof v === 'string' && /[\r\n]/.test(v)) {
        out.push({ field: f, value: v, allowed: 'a value on one line' });
      } else if (k === 'grpc-port' && v !== null && String(v) !== String(this.port)) {
        out.push({ field: f, value: v, allowed: `unset, or port (${this.port})`, why: 'the Service and the gateway call port; the router would listen elsewhere' });
      } else if (k === 'grpc-health-port' && v !== null && String(v) !== String(this.healthCheckPort)) {
        out.push({ field: f, value: v, allowed: `unset, or healthCheckPort (${this.healthCheckPort})`, why: 'the probes and health checks call healthCheckPort; the router would serve health elsewhere' });
      }
    }
    return out;
  }
}
