import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { kplusPodSelectorConfig } from '../core/pod-peer';
import type { INetworkPolicyPeer, IPodSelector, NetworkPolicyPeerConfig, PodSelectorConfig } from '../core/contracts';
import { Gateway, GatewaySpecListeners, ReferenceGrant } from '../../imports/gateway.networking.k8s.io';
import { DestinationRuleV1Beta1 } from '../../imports/networking.istio.io';
import { Telemetry } from '../../imports/telemetry.istio.io';
import { DEFAULT_YAML, stringifyYaml } from '../core/manifest-yaml';
import { IIstioGateway } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { checkLabels } from '../core/labels';
import { withDefaultRequests } from '../core/quantities';
import { withWireFields } from '../core/wire-fields';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import {
  DEFAULT_GATEWAY_LISTENERS,
  DEFAULT_GATEWAY_PROXY_RESOURCES,
  DEFAULT_GATEWAY_RELEASE_NAME,
  DEFAULT_SERVING_CERT_SECRET_NAME,
  GATEWAY_NAME_POD_LABEL,
  ISTIO_INFERENCE_EXTPROC_LABEL,
  IstioGatewayClassName,
  LLM_D_INFRA_CHART_NAME,
  SUPPORTED_GATEWAY_CLASSES,
  gatewayFullname,
  gatewayServiceName,
  istioProxyArgs,
  listenerProblems,
  proxyProblems,
  renderListener,
  serviceProblems,
} from './gateway-rules';
import {
  GatewayDestinationRuleOptions,
  GatewayListener,
  GatewayLogLevel,
  GatewayResourceRequirements,
  GatewayServiceOptions,
  GatewayTlsReferenceGrantOptions,
} from './gateway-types';
import { IstiodValuesOptions, istiodValuesYaml, ISTIOD_VALUES_FILE_NAME, writeIstiodValues } from './istiod-values';
import { plainProps } from '../core/plain-props';

/** Props of {@link IstioGieGateway}; each maps to a `gateway.*` value of the llm-d-infra chart. */
export interface IstioGieGatewayProps {
  /**
   * Helm release name the object names derive from (`<release>-inference-gateway`), as if the
   * llm-d-infra chart were installed under it.
   * @default 'llm-d-infra' (the guide's release, giving `llm-d-infra-inference-gateway`)
   */
  readonly releaseName?: string;
  /**
   * Full name of the Gateway (and of its ConfigMap and DestinationRule), instead of
   * `<releaseName>-<nameOverride>` (the chart's `gateway.fullnameOverride`). A DNS-1123 label:
   * Istio names the gateway's Deployment and Service after it.
   * @default `<releaseName>-<nameOverride>`, truncated to 63 characters like the chart
   */
  readonly name?: string;
  /** Suffix of the default name (the chart's `gateway.nameOverride`). @default 'inference-gateway' */
  readonly nameOverride?: string;
  /** Namespace of every object. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /**
   * Gateway class. `istio` is Istio's; `data-science-gateway-class` is OpenShift AI's Istio-based
   * class (no proxy Deployment customization, serving-cert annotation on the Service, no
   * Telemetry and no ext-proc label, as in the chart). Other classes of the chart (kgateway,
   * agentgateway-v2, gke-l7-*) are not Istio and are refused.
   * @default 'istio'
   */
  readonly gatewayClassName?: IstioGatewayClassName;
  /**
   * Listeners. Add more later with {@link IstioGieGateway.addListener}.
   * @default - the chart's: `default`, port 80, HTTP, routes from all namespaces
   */
  readonly listeners?: readonly GatewayListener[];
  /** Extra labels of the Gateway only (the chart's `gateway.labels`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the Gateway and its ConfigMap (the chart's `gateway.annotations`). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Labels of every labelled object (the chart's `commonLabels`). @default {} */
  readonly commonLabels?: Readonly<Record<string, string>>;
  /** Annotations of the Gateway, ConfigMap and ReferenceGrant (the chart's `commonAnnotations`). @default {} */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  /** `app.kubernetes.io/name` of the objects (the chart's top-level `nameOverride`). @default 'llm-d-infra' */
  readonly appName?: string;
  /**
   * Customize the gateway's Deployment and Service through a ConfigMap referenced by
   * `spec.infrastructure.parametersRef` (the chart's `gateway.gatewayParameters.enabled`). When
   * false, no ConfigMap and no access-log Telemetry are rendered and Istio's defaults apply.
   * @default true
   */
  readonly infrastructureParameters?: boolean;
  /** Envoy log level of the gateway proxy. @default 'warn' */
  readonly logLevel?: GatewayLogLevel;
  /**
   * Resources of the istio-proxy container. A cpu or memory request is added where neither a
   * request nor a limit is given (100m / 128Mi).
   * @default - the chart's: requests cpu 100m memory 128Mi, limits cpu 2 memory 1Gi
   */
  readonly proxyResources?: GatewayResourceRequirements;
  /** Envoy access logs through an Istio Telemetry object (class istio only). @default true */
  readonly accessLogging?: boolean;
  /** The gateway's Service. @default - type ClusterIP */
  readonly service?: GatewayServiceOptions;
  /**
   * Secret of the OpenShift serving certificate (class data-science-gateway-class only).
   * @default 'data-science-gateway-service-tls'
   */
  readonly servingCertSecretName?: string;
  /** An Istio DestinationRule named after the gateway. @default - none */
  readonly destinationRule?: GatewayDestinationRuleOptions;
  /** A ReferenceGrant letting the Gateway read a TLS Secret in another namespace. @default - none */
  readonly tlsReferenceGrant?: GatewayTlsReferenceGrantOptions;
  /** Extra istiod settings for {@link IstioGieGateway.istiodValuesYaml}. @default {} */
  readonly istiod?: IstiodValuesOptions;
}

type Json = Record<string, unknown>;

function nonEmpty<T extends object>(m: T | undefined): T | undefined {
  return m && Object.keys(m).length > 0 ? m : undefined;
}

/** How to find a Gateway that is not part of the app. */
export interface GatewayImportOptions {
  /** Namespace of the Gateway. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Its listener names, when known (a route's `sectionName` is then checked). @default [] */
  readonly listenerNames?: readonly string[];
  /** Port of its plain-HTTP listener (for a benchmark or a client URL). @default 80 */
  readonly httpPort?: number;
}

class ImportedGateway extends Construct implements IIstioGateway {
  public readonly gatewayNamespace: string;
  public readonly listenerNames: readonly string[];
  public readonly serviceName: string;
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly httpPort: number;
  constructor(scope: Construct, id: string, public readonly gatewayName: string, options: GatewayImportOptions) {
    super(scope, id);
    options = plainProps(this, options);
    this.gatewayNamespace = options.namespace ?? Chart.of(this).namespace ?? 'default';
    this.listenerNames = [...(options.listenerNames ?? [])];
    // What Istio names and labels for a managed gateway (its automated deployment).
    this.serviceName = gatewayServiceName(gatewayName, 'istio');
    this.podLabels = { [GATEWAY_NAME_POD_LABEL]: gatewayName };
    this.httpPort = options.httpPort ?? 80;
  }

  /** cdk8s-plus `IPodSelector`: the gateway's proxy pods in its namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: this.podLabels, namespace: this.gatewayNamespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector. */
  public toPodSelector(): IPodSelector {
    return this;
  }
}

/**
 * The Istio inference gateway of the llm-d-infra chart (v1.3.10): a Gateway API `Gateway` of
 * class `istio` labelled `istio.io/enable-inference-extproc: "true"` (so Istio calls the
 * InferencePool's endpoint picker), the ConfigMap that customizes the proxy Deployment and
 * Service, and an access-log `Telemetry`; optionally a DestinationRule and a TLS ReferenceGrant.
 *
 * Istio must run with the inference extension enabled: write {@link istiodValuesYaml} next to the
 * manifests ({@link writeIstiodValues}) and install istiod with it.
 */
export class IstioGieGateway extends Construct implements IIstioGateway, IPodSelector, INetworkPolicyPeer {
  /**
   * A Gateway created elsewhere (another app, the platform team's `llm-d-infra` release), for
   * routes to attach to. Nothing is synthesized for it.
   */
  public static fromGatewayName(scope: Construct, id: string, gatewayName: string, options: GatewayImportOptions = {}): IIstioGateway {
    return new ImportedGateway(scope, id, gatewayName, options);
  }

  /** `metadata.name` of the Gateway. */
  public readonly gatewayName: string;
  /** Namespace of the Gateway and of every object except a TLS ReferenceGrant. */
  public readonly gatewayNamespace: string;
  /** Release name the names derive from. */
  public readonly releaseName: string;
  /** Gateway class. */
  public readonly gatewayClassName: IstioGatewayClassName;
  /** The Service Istio creates for the gateway (`<name>-istio`); point clients or an Ingress at it. */
  public readonly serviceName: string;
  /** Labels Istio puts on the gateway's proxy pods (for NetworkPolicies). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Labels of the chart-labelled objects (ConfigMap, ReferenceGrant; the Gateway adds its own). */
  public readonly objectLabels: Readonly<Record<string, string>>;
  /** The Gateway object. */
  public readonly gateway: ApiObject;
  /** The gateway-parameters ConfigMap, unless `infrastructureParameters` is false. */
  public readonly parametersConfigMap?: ApiObject;
  /** The access-log Telemetry, when rendered. */
  public readonly telemetry?: ApiObject;
  /** The DestinationRule, when configured. */
  public readonly destinationRuleObject?: ApiObject;
  /** The TLS ReferenceGrant, when configured. */
  public readonly referenceGrant?: ApiObject;

  private readonly listeners: GatewayListener[];
  private readonly istiodOptions: IstiodValuesOptions;

  constructor(scope: Construct, id: string, props: IstioGieGatewayProps = {}) {
    super(scope, id);
    props = plainProps(this, props);
    this.releaseName = props.releaseName ?? DEFAULT_GATEWAY_RELEASE_NAME;
    this.gatewayName = props.name ?? gatewayFullname(this.releaseName, props.nameOverride);
    this.gatewayNamespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.gatewayClassName = props.gatewayClassName ?? 'istio';
    this.serviceName = gatewayServiceName(this.gatewayName, this.gatewayClassName);
    this.podLabels = { [GATEWAY_NAME_POD_LABEL]: this.gatewayName };
    this.listeners = [...(props.listeners ?? DEFAULT_GATEWAY_LISTENERS)];
    this.istiodOptions = props.istiod ?? {};
    const isIstio = this.gatewayClassName === 'istio';
    const parameters = props.infrastructureParameters ?? true;
    const logLevel = props.logLevel ?? 'warn';
    const name = this.gatewayName;
    const namespace = this.gatewayNamespace;

    this.objectLabels = {
      'app.kubernetes.io/name': props.appName || LLM_D_INFRA_CHART_NAME,
      'app.kubernetes.io/instance': this.releaseName,
      'app.kubernetes.io/managed-by': 'cdk8s-llm-d',
      'app.kubernetes.io/gateway': name,
      'app.kubernetes.io/component': 'inference-gateway',
      ...(props.commonLabels ?? {}),
    };
    const annotations = nonEmpty({ ...(props.commonAnnotations ?? {}), ...(props.annotations ?? {}) });

    // --- validation ------------------------------------------------------------------------
    const staticProblems: Problem[] = [];
    if (!(SUPPORTED_GATEWAY_CLASSES as readonly string[]).includes(this.gatewayClassName)) {
      staticProblems.push({
        field: 'gatewayClassName',
        value: this.gatewayClassName,
        allowed: SUPPORTED_GATEWAY_CLASSES.join(', '),
        why: 'IstioGieGateway renders Istio gateways; kgateway, agentgateway-v2 and gke-l7-* gateways need other objects (GatewayParameters) or none of these',
      });
    }
    // The Gateway's name is the user's `name`, or made from releaseName and nameOverride: each is
    // checked as the user wrote it, and a name made from a refused one is not refused again.
    const nameWhy = 'Istio names the gateway Deployment and Service after the Gateway';
    if (props.name !== undefined) {
      const nameProblem = checkDns1123Label('name', name);
      if (nameProblem) staticProblems.push({ ...nameProblem, why: nameWhy });
    }
    // The release name is also the app.kubernetes.io/instance label (the gateway name is truncated, the label is not).
    const releaseProblem = checkDns1123Label('releaseName', this.releaseName);
    if (releaseProblem) {
      const namesGateway = props.name === undefined && checkDns1123Label('name', name) !== undefined;
      staticProblems.push({ ...releaseProblem, why: namesGateway ? `it is the app.kubernetes.io/instance label of every object, and the Gateway would be named "${name}" after it; ${nameWhy}` : 'it is the app.kubernetes.io/instance label of every object' });
    } else if (props.name === undefined && checkDns1123Label('name', name) !== undefined) {
      // With a valid release name, only nameOverride makes the name made from them invalid.
      staticProblems.push({
        field: 'nameOverride',
        value: props.nameOverride,
        allowed: 'lower-case letters, digits and "-" (the Gateway is named <releaseName>-<nameOverride>, a DNS-1123 label)',
        why: `the Gateway would be named "${name}"; ${nameWhy}`,
      });
    }
    const nsProblem = checkDns1123Label('namespace', namespace);
    if (nsProblem) staticProblems.push(nsProblem);
    staticProblems.push(...checkLabels('labels', props.labels));
    staticProblems.push(...checkLabels('commonLabels', props.commonLabels));
    if (props.appName) staticProblems.push(...checkLabels('appName', { 'app.kubernetes.io/name': props.appName }).map((p) => ({ ...p, field: 'appName' })));
    staticProblems.push(...proxyProblems(logLevel, props.proxyResources));
    staticProblems.push(...serviceProblems(props.service));
    if (!parameters) {
      const ignored: Array<[string, unknown]> = [
        ['service', props.service],
        ['logLevel', props.logLevel],
        ['proxyResources', props.proxyResources],
        ['accessLogging', props.accessLogging],
      ];
      for (const [field, v] of ignored) {
        if (v !== undefined) staticProblems.push({ field, value: v, allowed: 'unset', why: 'it is applied through the gateway-parameters ConfigMap, which infrastructureParameters: false turns off' });
      }
    }
    if (!isIstio) {
      if (props.logLevel !== undefined || props.proxyResources !== undefined) {
        staticProblems.push({ field: props.logLevel !== undefined ? 'logLevel' : 'proxyResources', value: props.logLevel ?? props.proxyResources, allowed: 'unset', why: `the chart customizes the proxy Deployment only for class istio, not ${this.gatewayClassName}` });
      }
      if (props.accessLogging === true) staticProblems.push({ field: 'accessLogging', value: true, allowed: 'unset or false', why: `the access-log Telemetry is rendered only for class istio, not ${this.gatewayClassName}` });
    } else if (props.servingCertSecretName !== undefined) {
      staticProblems.push({ field: 'servingCertSecretName', value: props.servingCertSecretName, allowed: 'unset', why: 'the serving certificate is used only by class data-science-gateway-class' });
    }
    if (props.destinationRule) {
      const dr = props.destinationRule;
      if (typeof dr.host !== 'string' || dr.host === '') staticProblems.push({ field: 'destinationRule.host', value: dr.host, allowed: 'a service host name, e.g. "gaie-epp.llm-d.svc.cluster.local"', why: 'the chart requires destinationRule.host when enabled' });
    }
    addProblems(this, () => [...staticProblems, ...listenerProblems(this.listeners), ...this.referenceGrantProblems(props.tlsReferenceGrant)]);

    // --- gateway-parameters ConfigMap ---------------------------------------------------------
    if (parameters) {
      const data: Record<string, string> = {};
      if (isIstio) {
        const resources = withDefaultRequests(props.proxyResources ?? DEFAULT_GATEWAY_PROXY_RESOURCES, { cpu: '100m', memory: '128Mi' });
        const container: Json = { name: 'istio-proxy', args: istioProxyArgs(logLevel) };
        if (nonEmpty(resources.limits) || nonEmpty(resources.requests)) {
          container.resources = { ...(nonEmpty(resources.limits) ? { limits: resources.limits } : {}), ...(nonEmpty(resources.requests) ? { requests: resources.requests } : {}) };
        }
        data.deployment = stringifyYaml({ spec: { template: { spec: { containers: [container] } } } }, DEFAULT_YAML);
      }
      const svc = props.service ?? {};
      const serviceSpec: Json = { type: svc.type ?? 'ClusterIP' };
      if (svc.ports && svc.ports.length > 0) serviceSpec.ports = svc.ports;
      if (svc.loadBalancerClass) serviceSpec.loadBalancerClass = svc.loadBalancerClass;
      const serviceDoc: Json = { spec: serviceSpec };
      if (this.gatewayClassName === 'data-science-gateway-class') {
        serviceDoc.metadata = { annotations: { 'service.beta.openshift.io/serving-cert-secret-name': props.servingCertSecretName || DEFAULT_SERVING_CERT_SECRET_NAME } };
      }
      data.service = stringifyYaml(serviceDoc, DEFAULT_YAML);
      this.parametersConfigMap = new ApiObject(this, 'parameters', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels: { ...this.objectLabels }, ...(annotations ? { annotations } : {}) },
        data,
      });
    }

    // --- Gateway ----------------------------------------------------------------------------
    const gatewayLabels: Record<string, string> = { ...this.objectLabels, ...(props.labels ?? {}) };
    if (isIstio) gatewayLabels[ISTIO_INFERENCE_EXTPROC_LABEL] = 'true';
    // The Gateway is the construct's default child: `ApiObject.of(gateway).addJsonPatch(...)`.
    this.gateway = new Gateway(this, 'Resource', {
      metadata: { name, namespace, labels: gatewayLabels, ...(annotations ? { annotations } : {}) },
      spec: {
        gatewayClassName: this.gatewayClassName,
        // Listeners can still be added after the constructor; they are read at synthesis.
        listeners: Lazy.any({ produce: () => this.listeners.map(renderListener) }) as unknown as GatewaySpecListeners[],
        infrastructure: parameters ? { parametersRef: { group: '', kind: 'ConfigMap', name } } : undefined,
      },
    });

    // --- access-log Telemetry ----------------------------------------------------------------
    if (isIstio && parameters && (props.accessLogging ?? true)) {
      this.telemetry = new Telemetry(this, 'telemetry', {
        metadata: { name: `${name}-telemetry`, namespace, labels: { ...this.objectLabels } },
        spec: {
          targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name }],
          accessLogging: [{ providers: [{ name: 'envoy' }] }],
        },
      });
    }

    // --- DestinationRule ----------------------------------------------------------------------
    if (props.destinationRule) {
      const dr = props.destinationRule;
      const drObject = new DestinationRuleV1Beta1(this, 'destination-rule', {
        metadata: { name, namespace, labels: { ...this.objectLabels } },
        spec: {
          host: dr.host,
          exportTo: dr.exportTo && dr.exportTo.length > 0 ? [...dr.exportTo] : undefined,
          workloadSelector: nonEmpty(dr.workloadSelector) ? { matchLabels: dr.workloadSelector?.matchLabels ? { ...dr.workloadSelector.matchLabels } : undefined } : undefined,
        },
      });
      // trafficPolicy and subsets are Istio JSON in wire format, passed through as given.
      this.destinationRuleObject = withWireFields(drObject, ['spec'], {
        trafficPolicy: nonEmpty(dr.trafficPolicy) ? dr.trafficPolicy : undefined,
        subsets: dr.subsets && dr.subsets.length > 0 ? dr.subsets : undefined,
      });
    }

    // --- TLS ReferenceGrant -------------------------------------------------------------------
    if (props.tlsReferenceGrant) {
      const rg = props.tlsReferenceGrant;
      const target = () => this.referenceGrantTarget(rg);
      const metadata = {
        name: rg.name || `${name}-tls`,
        namespace: Lazy.any({ produce: () => target().secretNamespace }) as unknown as string,
        labels: { ...this.objectLabels },
        ...(nonEmpty(props.commonAnnotations) ? { annotations: { ...props.commonAnnotations } } : {}),
      };
      const from = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace }];
      const to = () => ({ group: '', kind: 'Secret', name: target().secretName });
      this.referenceGrant = rg.chartToNamespaceField
        // The chart writes `namespace` under `to`, which ReferenceGrantTo lacks: the generated class
        // would drop it, so this parity-only variant stays a plain object.
        ? new ApiObject(this, 'tls-reference-grant', {
          apiVersion: ReferenceGrant.GVK.apiVersion,
          kind: ReferenceGrant.GVK.kind,
          metadata,
          spec: { from, to: [Lazy.any({ produce: () => ({ ...to(), namespace: target().secretNamespace }) })] },
        })
        : new ReferenceGrant(this, 'tls-reference-grant', { metadata, spec: { from, to: [Lazy.any({ produce: to }) as unknown as ReturnType<typeof to>] } });
    }
  }

  /** cdk8s-plus `IPodSelector`: the gateway pods Istio runs for this Gateway (label `gateway.networking.k8s.io/gateway-name`), in its namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return kplusPodSelectorConfig({ labels: this.podLabels, namespace: this.gatewayNamespace });
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the same pods, for `kplus.NetworkPolicy` rules and `connections.allowTo/allowFrom`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the peer is a pod selector, so cdk8s-plus can add the policy on our side too. */
  public toPodSelector(): IPodSelector {
    return this;
  }

  /** Port of the first HTTP listener (where in-cluster clients such as a benchmark send plain HTTP), else of the first listener. */
  public get httpPort(): number {
    return (this.listeners.find((l) => l.protocol === 'HTTP') ?? this.listeners[0])?.port ?? 80;
  }

  /** Listener names (for a route's `sectionName`). */
  public get listenerNames(): readonly string[] {
    return this.listeners.map((l) => l.name);
  }

  /** Adds a listener; it is validated with the others at synth time. */
  public addListener(listener: GatewayListener): void {
    this.listeners.push(listener);
  }

  /**
   * Whether an HTTPRoute in `routeNamespace` may attach to this Gateway (to `sectionName`, or to
   * any listener): `undefined` when a namespace selector decides.
   */
  public allowsRoutesFrom(routeNamespace: string, sectionName?: string): boolean | undefined {
    const candidates = this.listeners.filter((l) => sectionName === undefined || l.name === sectionName);
    let unknown = false;
    for (const l of candidates) {
      const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
      if (from === 'All') return true;
      if (from === 'Same' && routeNamespace === this.gatewayNamespace) return true;
      if (from === 'Selector') unknown = true;
    }
    return unknown ? undefined : false;
  }

  /** The istiod Helm values this gateway needs, as YAML (see {@link istiodValuesYaml}). */
  public istiodValuesYaml(): string {
    return istiodValuesYaml(this.istiodValuesOptions());
  }

  /**
   * Writes {@link istiodValuesYaml} to `<outdir>/istiod-values.yaml` (call it after `app.synth()`
   * with `app.outdir` to put it next to the manifests); returns the path.
   */
  public writeIstiodValues(outdir: string, fileName = ISTIOD_VALUES_FILE_NAME): string {
    return writeIstiodValues(outdir, this.istiodValuesOptions(), fileName);
  }

  private istiodValuesOptions(): IstiodValuesOptions {
    return {
      header: [
        ` Helm values for istiod, needed by the inference gateway ${this.gatewayNamespace}/${this.gatewayName} (generated by cdk8s-llm-d).`,
        ' helm install istio-base istio/base -n istio-system --set defaultRevision=default --create-namespace',
        ` helm install istiod istio/istiod -n istio-system -f ${ISTIOD_VALUES_FILE_NAME} --wait`,
      ],
      ...this.istiodOptions,
    };
  }

  private referenceGrantTarget(rg: GatewayTlsReferenceGrantOptions): { secretName: string; secretNamespace: string } {
    const refs = this.listeners.flatMap((l) => l.tls?.certificateRefs ?? []);
    return {
      secretName: rg.secretName || refs[0]?.name || '',
      secretNamespace: rg.secretNamespace || refs.find((r) => r.namespace)?.namespace || '',
    };
  }

  private referenceGrantProblems(rg: GatewayTlsReferenceGrantOptions | undefined): Problem[] {
    if (!rg) return [];
    const out: Problem[] = [];
    const t = this.referenceGrantTarget(rg);
    if (!t.secretName) out.push({ field: 'tlsReferenceGrant.secretName', value: undefined, allowed: 'a Secret name', why: 'no listener has a certificateRef to take it from' });
    else {
      const p = checkDns1123Subdomain('tlsReferenceGrant.secretName', t.secretName);
      if (p) out.push(p);
    }
    if (!t.secretNamespace) out.push({ field: 'tlsReferenceGrant.secretNamespace', value: undefined, allowed: 'the namespace of the TLS Secret', why: 'no listener certificateRef has a namespace to take it from' });
    else {
      const p = checkDns1123Label('tlsReferenceGrant.secretNamespace', t.secretNamespace);
      if (p) out.push(p);
    }
    if (rg.name) {
      const p = checkDns1123Subdomain('tlsReferenceGrant.name', rg.name);
      if (p) out.push(p);
    }
    return out;
  }
}
