/**
 * Small typed views of the Kubernetes (core/v1) pod-spec pieces that construct props accept,
 * shared by every area (model service, scheduler, storage). They use the wire format (camelCase
 * JSON, exactly what `kubectl` and the charts' values take), so a chart user can paste values and
 * a TypeScript user gets completion. Where an index signature is present, fields we don't list
 * are still accepted and passed through unchanged.
 *
 * Not exported from the package top level (the names are generic); areas re-export them:
 * `FuriosaPodTypes.*` (model service) and the `Epp*` aliases (scheduler).
 */

/** A value for an `IntOrString` field: a port number or a port name. */
export type IntOrString = number | string;

/** core/v1 EnvVar. */
export interface EnvVar {
  readonly name: string;
  /** A literal value. */
  readonly value?: string;
  /** A value read from a Secret, ConfigMap, field or resource. */
  readonly valueFrom?: EnvVarSource;
}

/** core/v1 EnvVarSource. */
export interface EnvVarSource {
  readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  readonly fieldRef?: { readonly fieldPath: string; readonly apiVersion?: string };
  readonly resourceFieldRef?: { readonly resource: string; readonly containerName?: string; readonly divisor?: string };
  /** A key of an env file in a volume (Kubernetes 1.34+, EnvFiles feature gate). */
  readonly fileKeyRef?: { readonly volumeName: string; readonly path: string; readonly key: string; readonly optional?: boolean };
}

/** core/v1 ContainerPort. */
export interface ContainerPort {
  readonly containerPort: number;
  /** IANA service name; probes and PodMonitors refer to the port by it. */
  readonly name?: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly hostPort?: number;
  readonly hostIP?: string;
}

/** core/v1 HTTPGetAction. */
export interface HttpGetAction {
  readonly path?: string;
  readonly port: IntOrString;
  readonly host?: string;
  readonly scheme?: 'HTTP' | 'HTTPS';
  readonly httpHeaders?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** core/v1 Probe. */
export interface Probe {
  readonly httpGet?: HttpGetAction;
  readonly tcpSocket?: { readonly port: IntOrString; readonly host?: string };
  readonly grpc?: { readonly port: number; readonly service?: string };
  readonly exec?: { readonly command: readonly string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
  readonly terminationGracePeriodSeconds?: number;
}

/** CPU/memory/device requests and limits; quantities as strings ("4", "32Gi") or numbers. */
export interface ComputeResources {
  /** Minimum amounts the scheduler reserves, by resource name. */
  readonly requests?: Readonly<Record<string, string | number>>;
  /** Maximum amounts, by resource name. */
  readonly limits?: Readonly<Record<string, string | number>>;
}

/** core/v1 ResourceRequirements; quantities as strings ("4", "32Gi") or numbers. */
export interface ResourceRequirements extends ComputeResources {
  /** Dynamic resource claims (DRA) by name. */
  readonly claims?: ReadonlyArray<{ readonly name: string; readonly request?: string }>;
}

/** core/v1 VolumeMount. */
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
  readonly subPathExpr?: string;
  readonly mountPropagation?: string;
  readonly recursiveReadOnly?: string;
}

/** core/v1 KeyToPath: one key of a ConfigMap or Secret projected as a file. */
export interface KeyToPath {
  readonly key: string;
  readonly path: string;
  /** File mode bits (e.g. 0o444). */
  readonly mode?: number;
}

/** core/v1 Volume: the common sources are typed, any other source passes through. */
export interface Volume {
  readonly name: string;
  readonly emptyDir?: { readonly medium?: string; readonly sizeLimit?: string };
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
  readonly configMap?: { readonly name: string; readonly items?: readonly KeyToPath[]; readonly defaultMode?: number; readonly optional?: boolean };
  readonly secret?: { readonly secretName: string; readonly items?: readonly KeyToPath[]; readonly defaultMode?: number; readonly optional?: boolean };
  readonly hostPath?: { readonly path: string; readonly type?: string };
  /** Any other volume source (csi, nfs, ephemeral, image...). */
  readonly [source: string]: unknown;
}

/** core/v1 Toleration. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** core/v1 SecurityContext (container level). */
export interface SecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Unconfined' | 'Localhost'; readonly localhostProfile?: string };
  readonly [field: string]: unknown;
}

/** A plain core/v1 Container, used for init containers. */
export interface ContainerSpec {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly ContainerPort[];
  readonly resources?: ResourceRequirements;
  readonly volumeMounts?: readonly VolumeMount[];
  readonly securityContext?: SecurityContext;
  readonly imagePullPolicy?: ImagePullPolicy;
  readonly restartPolicy?: 'Always';
  /** Any other Container field, passed through. */
  readonly [field: string]: unknown;
}

/** core/v1 PullPolicy. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';
