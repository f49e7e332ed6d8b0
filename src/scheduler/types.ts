/**
 * Small JSON-shaped Kubernetes types used by the scheduler props. They use the wire format
 * (camelCase, what the chart's values take), prefixed `Epp` so they don't clash with other areas.
 */

/** A JSON object passed through unchanged (affinity, volume sources...). */
export type EppJsonObject = Readonly<Record<string, unknown>>;

/** core/v1 EnvVar. */
export interface EppEnvVar {
  readonly name: string;
  /** A literal value. */
  readonly value?: string;
  /** A value from a field, Secret, ConfigMap or resource (core/v1 EnvVarSource JSON). */
  readonly valueFrom?: EppJsonObject;
}

/** core/v1 ContainerPort. */
export interface EppContainerPort {
  readonly containerPort: number;
  /** IANA service name. */
  readonly name?: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** core/v1 ServicePort. */
export interface EppServicePort {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** A container port number or name. */
  readonly targetPort?: number | string;
  readonly appProtocol?: string;
}

/** core/v1 Volume (name plus one source, as JSON). */
export interface EppVolume {
  readonly name: string;
  readonly [source: string]: unknown;
}

/** core/v1 VolumeMount. */
export interface EppVolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

/** core/v1 Toleration. */
export interface EppToleration {
  readonly key?: string;
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** core/v1 ResourceRequirements with quantities as strings or numbers. */
export interface EppResources {
  readonly requests?: Readonly<Record<string, string | number>>;
  readonly limits?: Readonly<Record<string, string | number>>;
}

/** Image pull policy. */
export type EppImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';
