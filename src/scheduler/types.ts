/**
 * JSON-shaped Kubernetes types used by the scheduler props. They use the wire format (camelCase,
 * what the chart's values take), prefixed `Epp` so they don't clash with other areas. The core/v1
 * pod pieces are aliases of the shared definitions in src/core/k8s-types.ts (one definition each).
 */
import type { ContainerPort, EnvVar, ImagePullPolicy, ResourceRequirements, Toleration, Volume, VolumeMount } from '../core/k8s-types';

/** A JSON object passed through unchanged (affinity, volume sources...). */
export type EppJsonObject = Readonly<Record<string, unknown>>;

/** core/v1 EnvVar (a literal `value` or a `valueFrom` source). */
export type EppEnvVar = EnvVar;

/** core/v1 ContainerPort. */
export type EppContainerPort = ContainerPort;

/** core/v1 ServicePort. */
export interface EppServicePort {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** A container port number or name. */
  readonly targetPort?: number | string;
  readonly appProtocol?: string;
}

/** core/v1 Volume (name plus one source; the common sources are typed, others pass through). */
export type EppVolume = Volume;

/** core/v1 VolumeMount. */
export type EppVolumeMount = VolumeMount;

/** core/v1 Toleration. */
export type EppToleration = Toleration;

/** core/v1 ResourceRequirements with quantities as strings or numbers. */
export type EppResources = ResourceRequirements;

/** Image pull policy. */
export type EppImagePullPolicy = ImagePullPolicy;
