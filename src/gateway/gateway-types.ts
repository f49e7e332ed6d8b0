/**
 * Typed views of the Gateway API and Istio pieces the gateway props accept. They use the wire
 * format (camelCase JSON, what `kubectl` and the llm-d-infra chart's values take), so a chart
 * user can paste values and a TypeScript user gets completion.
 */

/** A listener protocol Istio's Gateway API implementation serves. */
export type GatewayListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP';

/** TLS mode of a listener. */
export type GatewayTlsMode = 'Terminate' | 'Passthrough';

/** A reference to the Secret (or other object) holding a listener's certificate. */
export interface GatewayCertificateRef {
  /** Name of the referent, usually a `kubernetes.io/tls` Secret. */
  readonly name: string;
  /** API group of the referent. @default '' (core) */
  readonly group?: string;
  /** Kind of the referent. @default 'Secret' */
  readonly kind?: string;
  /**
   * Namespace of the referent. A Secret in another namespace needs a ReferenceGrant there
   * (see `tlsReferenceGrant`).
   * @default - the Gateway's namespace
   */
  readonly namespace?: string;
}

/** TLS settings of an HTTPS or TLS listener. */
export interface GatewayListenerTls {
  /** @default - not written: the Gateway API's default, `Terminate` */
  readonly mode?: GatewayTlsMode;
  /** Certificates; at least one is required with mode `Terminate`. */
  readonly certificateRefs?: readonly GatewayCertificateRef[];
}

/** Where routes attaching to a listener may live. */
export type GatewayRouteNamespacesFrom = 'All' | 'Same' | 'Selector' | 'None';

/** A Kubernetes label selector (wire format). */
export interface GatewayLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}

/** `allowedRoutes` of a listener. */
export interface GatewayAllowedRoutes {
  readonly namespaces?: {
    /** @default 'Same' (Gateway API default when `allowedRoutes` is omitted) */
    readonly from?: GatewayRouteNamespacesFrom;
    /** Required when `from` is `Selector`. */
    readonly selector?: GatewayLabelSelector;
  };
  /** Route kinds allowed. @default - the kinds the protocol supports (HTTPRoute for HTTP/HTTPS) */
  readonly kinds?: ReadonlyArray<{ readonly group?: string; readonly kind: string }>;
}

/** One listener of the Gateway (`gateway.listeners[]` of the chart). */
export interface GatewayListener {
  /** Unique name of the listener; routes select it with `sectionName`. A DNS-1123 subdomain. */
  readonly name: string;
  /** Port, 1-65535. */
  readonly port: number;
  readonly protocol: GatewayListenerProtocol;
  /**
   * Host name the listener matches (SNI for TLS). The chart renders it only for listeners with
   * `tls` (from `tls.hostname`).
   * @default - all host names
   */
  readonly hostname?: string;
  /** TLS settings; required for HTTPS and TLS, refused for HTTP, TCP and UDP. */
  readonly tls?: GatewayListenerTls;
  /** @default - Gateway API default: routes from the Gateway's namespace only */
  readonly allowedRoutes?: GatewayAllowedRoutes;
}

/** core/v1 ServicePort, as accepted in the gateway Service customization. */
export interface GatewayServicePort {
  readonly port: number;
  readonly name?: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly targetPort?: number | string;
  /** 30000-32767, for NodePort and LoadBalancer Services. */
  readonly nodePort?: number;
  readonly appProtocol?: string;
}

/** The Service Istio creates for the gateway (`gateway.service` of the chart). */
export interface GatewayServiceOptions {
  /** Type of the gateway's Service. @default 'ClusterIP' */
  readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  /** Ports of the Service (names and nodePorts). @default - one port per listener (Istio's default) */
  readonly ports?: readonly GatewayServicePort[];
  /** Load balancer implementation (type LoadBalancer). @default - the cluster's default load balancer implementation */
  readonly loadBalancerClass?: string;
}

/** CPU/memory requests and limits of the gateway's istio-proxy container. */
export interface GatewayResourceRequirements {
  readonly limits?: Readonly<Record<string, string | number>>;
  readonly requests?: Readonly<Record<string, string | number>>;
}

/** Log level of the gateway's Envoy proxy. */
export type GatewayLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** A JSON value (Istio traffic policies and the like are passed through as given). */
export type GatewayJson = string | number | boolean | null | readonly GatewayJson[] | { readonly [key: string]: GatewayJson };

/** An Istio DestinationRule named after the gateway (`gateway.destinationRule` of the chart). */
export interface GatewayDestinationRuleOptions {
  /** Host the rule applies to, e.g. `gaie-epp.llm-d.svc.cluster.local`. */
  readonly host: string;
  /** Istio TrafficPolicy, passed through. @default - none */
  readonly trafficPolicy?: { readonly [key: string]: GatewayJson };
  /** Istio subsets, passed through. @default - none */
  readonly subsets?: ReadonlyArray<{ readonly [key: string]: GatewayJson }>;
  /** Namespaces the rule is exported to. @default - all */
  readonly exportTo?: readonly string[];
  /** Istio WorkloadSelector. @default - none */
  readonly workloadSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/**
 * A ReferenceGrant in the certificate Secret's namespace allowing this Gateway to read it
 * (`gateway.tls.referenceGrant` of the chart).
 */
export interface GatewayTlsReferenceGrantOptions {
  /** Name of the ReferenceGrant. @default `<gateway name>-tls` */
  readonly name?: string;
  /** The TLS Secret the Gateway may read. @default - the name of the first listener certificateRef */
  readonly secretName?: string;
  /** Namespace of that Secret (where the grant is created). @default - the namespace of the first listener certificateRef that has one */
  readonly secretNamespace?: string;
  /**
   * Also write `namespace` into `spec.to[0]`, as the llm-d-infra chart does. It is not a field of
   * ReferenceGrant (v1beta1 `to` has group, kind and name): the API server drops it, and
   * `kubectl apply` with its default strict field validation refuses the object
   * ("unknown field"). `istioGieGatewayFromHelmValues` (cdk8s-llm-d/helm) sets it so its output contains the chart's; leave it off
   * otherwise, or apply with `--validate=warn`.
   * @default false
   */
  readonly chartToNamespaceField?: boolean;
}
