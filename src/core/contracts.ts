/**
 * The typed relations between constructs. Each construct implements the interface others read,
 * so wiring is done by passing objects (`pool.addModelServer(ms)`, `route.addBackend(pool)`)
 * rather than by matching names by hand. Objects outside the app can be referenced with the
 * `fromXxx` helpers that return these interfaces.
 */
import type { IConstruct } from 'constructs';

// cdk8s-plus interop. cdk8s-plus (any of cdk8s-plus-28 ... -33) calls a pod selector and a
// network-policy peer through the interfaces below; they are declared here, structurally, so
// that this library works with whichever cdk8s-plus the app uses, and without one. Our
// constructs are accepted by `workload.connections.allowTo/allowFrom`, `kplus.NetworkPolicy`
// rules and selectors, and a cdk8s-plus workload is accepted where these types are taken.

/**
 * Which namespaces the pods of a {@link PodSelectorConfig} are in: cdk8s-plus's
 * `NamespaceSelectorConfig`.
 */
export interface NamespaceSelectorConfig {
  /**
   * A cdk8s-plus `LabelSelector` of namespaces, when they are selected by label (ours never are).
   * Typed `any`: that class has private members, so no declared type other than the class itself
   * is assignable to it, and this library does not name any cdk8s-plus module.
   */
  readonly labelSelector?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The namespaces, by name. */
  readonly names?: string[];
}

/**
 * A pod selector as cdk8s-plus reads one: its `PodSelectorConfig`.
 */
export interface PodSelectorConfig {
  /**
   * The pods' labels, as a cdk8s-plus `LabelSelector` (an object with `isEmpty()` and
   * `_toKube()`, which is all cdk8s-plus calls on it). Typed `any`: that class has private
   * members, so no declared type other than the class itself is assignable to it, and this
   * library does not name any cdk8s-plus module.
   */
  readonly labelSelector: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The namespaces the pods are in. @default - the namespace of the selecting pods */
  readonly namespaces?: NamespaceSelectorConfig;
}

/**
 * Something that selects pods: cdk8s-plus's `IPodSelector`. Our pod-running constructs are
 * one, and so is a cdk8s-plus workload.
 */
export interface IPodSelector extends IConstruct {
  /** Return the configuration of this selector. */
  toPodSelectorConfig(): PodSelectorConfig;
}

/**
 * The configuration of a network-policy peer: cdk8s-plus's `NetworkPolicyPeerConfig`, for peers
 * that are pods (cdk8s-plus's also has `ipBlock`).
 */
export interface NetworkPolicyPeerConfig {
  /** The pod selector this peer represents. */
  readonly podSelector?: PodSelectorConfig;
}

/**
 * A peer to allow traffic to or from: cdk8s-plus's `INetworkPolicyPeer`. Our pod-running
 * constructs are one, and so is a cdk8s-plus workload.
 */
export interface INetworkPolicyPeer extends IConstruct {
  /** Return the configuration of this peer. */
  toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig;
  /** Convert the peer into a pod selector, if possible. */
  toPodSelector(): IPodSelector | undefined;
}

/** Which metric names a model server exposes for the EPP's Model Server Protocol scrapers. */
export type ModelServerMetricsFlavor = 'furiosa' | 'vllm';

/** A Gateway API Gateway that routes can attach to. */
export interface IInferenceGateway {
  /** `metadata.name` of the Gateway. */
  readonly gatewayName: string;
  /** Namespace of the Gateway. */
  readonly gatewayNamespace: string;
  /** Listener names a route may attach to with `sectionName`; empty when unknown. */
  readonly listenerNames: readonly string[];
}

/**
 * An Istio Gateway API gateway: an {@link IInferenceGateway} whose proxy pods and Service follow
 * Istio's conventions (pods labelled `gateway.networking.k8s.io/gateway-name: <name>`, Service
 * `<name>-istio`). `IstioGieGateway` is one, and so is `IstioGieGateway.fromGatewayName(...)`;
 * both are cdk8s-plus network-policy peers (their proxy pods).
 */
export interface IIstioGateway extends IInferenceGateway, IPodSelector, INetworkPolicyPeer {
  /** The Service in front of the gateway's proxy pods. */
  readonly serviceName: string;
  /** Labels of the gateway's proxy pods (for NetworkPolicies). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The port plain HTTP requests reach the gateway's Service on. */
  readonly httpPort: number;
}

/** An InferencePool that a route can send traffic to. */
export interface IInferencePoolRef {
  /** `metadata.name` of the InferencePool. */
  readonly poolName: string;
  /** Namespace of the InferencePool. */
  readonly poolNamespace: string;
  /** The API group of the pool (`inference.networking.k8s.io` for v1). */
  readonly poolGroup: string;
  /** The ports the pool serves (its targetPorts); a route backend port must be one of them. */
  readonly servedPorts: readonly number[];
}

/** A set of model-server pods that an InferencePool can select. */
export interface IModelServer {
  /** Labels every model-server pod carries; a pool selecting these labels selects the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The container port the model server serves inference on (the pool's targetPort). */
  readonly servingPort: number;
  /** The model name clients send in requests (`model` of the OpenAI API). */
  readonly modelName: string;
  /** Namespace of the pods. */
  readonly podNamespace: string;
  /** Which metric names the server exposes. */
  readonly metricsFlavor: ModelServerMetricsFlavor;
}

/** A PersistentVolumeClaim holding a Hugging Face hub cache that model servers can mount. */
export interface IModelStorage {
  /** Name of the PersistentVolumeClaim. */
  readonly claimName: string;
  /** Namespace of the claim. */
  readonly claimNamespace: string;
  /**
   * Path inside the volume of the Hugging Face hub cache (the `cache_dir` of
   * `snapshot_download`), without leading or trailing "/"; "" for the volume root.
   */
  readonly hubCachePath: string;
  /** The Hugging Face repository id stored in it, e.g. `furiosa-ai/Llama-3.1-8B-Instruct`. */
  readonly repoId?: string;
  /** The Secret holding the Hugging Face token, when one is used. */
  readonly tokenSecret?: ISecretReference;
  /**
   * Path, relative to the volume root, of a file the filler writes last, once the model is
   * complete: model servers wait for it before they start. @default - none (nothing to wait for)
   */
  readonly completionMarker?: string;
  /** Access modes of the claim, when this app creates it. @default - unknown (a claim made elsewhere) */
  readonly accessModes?: readonly string[];
}

/**
 * A Secret referenced by name, never by content: a cdk8s-plus `ISecret` (created or imported with
 * `Secret.fromSecretName`) is one, and so is a plain `{ name: 'hf-token' }`.
 */
export interface ISecretReference {
  /** `metadata.name` of the Secret. */
  readonly name: string;
}

/** A ServiceAccount referenced by name: a cdk8s-plus `IServiceAccount` is one. */
export interface IServiceAccountReference {
  /** `metadata.name` of the ServiceAccount. */
  readonly name: string;
}

/** A PersistentVolumeClaim referenced by name: a cdk8s-plus `IPersistentVolumeClaim` is one. */
export interface IPersistentVolumeClaimReference {
  /** `metadata.name` of the claim. */
  readonly name: string;
}

/** A ConfigMap referenced by name: a cdk8s-plus `IConfigMap` is one. */
export interface IConfigMapReference {
  /** `metadata.name` of the ConfigMap. */
  readonly name: string;
}
