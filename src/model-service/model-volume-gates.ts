/**
 * What a model server's pods need to run from a claim that a downloader fills: wait for the
 * download to complete before the server starts (an init container on the downloader's
 * completion marker), and, for a ReadWriteOnce claim, run every pod that shares it on the one
 * node the volume attaches to (required pod affinity on kubernetes.io/hostname to a label all
 * sharers carry). The system model checks both on the rendered objects.
 */
import { createHash } from 'crypto';
import type { IModelStorage } from '../core/contracts';
import { isLabelValue } from '../core/labels';
import { waitForModelContainer } from '../core/model-readiness';
import { hardenedContainerSecurityContext } from '../core/security';

type Json = Record<string, unknown>;

/** Pod label every pod sharing a ReadWriteOnce model claim carries (the claim's name, or a hash of a long one). */
export const MODEL_CLAIM_LABEL = 'llm-d.ai/model-claim';

/** The node a ReadWriteOnce volume attaches to. */
const HOSTNAME = 'kubernetes.io/hostname';

/** Whether a claim attaches to one node at a time (every access mode is ReadWriteOnce). */
export function attachesToOneNode(storage: IModelStorage | undefined): boolean {
  const modes = storage?.accessModes;
  return modes !== undefined && modes.length > 0 && modes.every((m) => m === 'ReadWriteOnce');
}

/** The value of {@link MODEL_CLAIM_LABEL} for a claim. */
export function modelClaimLabelValue(claimName: string): string {
  return isLabelValue(claimName) ? claimName : `claim-${createHash('sha256').update(claimName).digest('hex').slice(0, 16)}`;
}

/** The additions to a model server's pod template for its storage. */
export interface ModelVolumeGates {
  /** Init containers to run first (the wait for the download). */
  readonly initContainers: readonly Json[];
  /** Labels to add to the pod template (not the selector). */
  readonly labels: Readonly<Record<string, string>>;
  /** Required pod-affinity terms to add. */
  readonly podAffinityTerms: readonly Json[];
}

/**
 * UID of the wait container: it only reads the marker (world-readable, as the downloader writes
 * it), so it runs non-root whatever the server's user (the nonroot UID of distroless images).
 */
const WAIT_UID = 65532;

/** The gates for pods that mount `storage` at `mountPath` in the volume `volume`, running `image`. */
export function modelVolumeGates(storage: IModelStorage | undefined, o: { image: string; volume: string; mountPath: string }): ModelVolumeGates {
  if (!storage) return { initContainers: [], labels: {}, podAffinityTerms: [] };
  const securityContext = hardenedContainerSecurityContext({ runAsUser: WAIT_UID, readOnlyRootFilesystem: true });
  const initContainers = storage.completionMarker === undefined ? [] : [waitForModelContainer({ ...o, securityContext, marker: storage.completionMarker })];
  if (!attachesToOneNode(storage)) return { initContainers, labels: {}, podAffinityTerms: [] };
  const labels = { [MODEL_CLAIM_LABEL]: modelClaimLabelValue(storage.claimName) };
  return { initContainers, labels, podAffinityTerms: [{ labelSelector: { matchLabels: { ...labels } }, topologyKey: HOSTNAME }] };
}

/** `affinity` with the terms added to its required pod affinity (other parts kept). */
export function withPodAffinity(affinity: unknown, terms: readonly Json[]): Json | undefined {
  const base = (typeof affinity === 'object' && affinity !== null ? affinity : {}) as Json;
  if (terms.length === 0) return Object.keys(base).length > 0 ? base : undefined;
  const pod = (base.podAffinity ?? {}) as Json;
  const required = Array.isArray(pod.requiredDuringSchedulingIgnoredDuringExecution) ? pod.requiredDuringSchedulingIgnoredDuringExecution : [];
  return { ...base, podAffinity: { ...pod, requiredDuringSchedulingIgnoredDuringExecution: [...required, ...terms] } };
}

/** Adds the gates to a pod spec: the wait first (before any sidecar), the affinity merged. */
export function addModelVolumeGates(pod: Json, gates: ModelVolumeGates): void {
  if (gates.initContainers.length > 0) pod.initContainers = [...gates.initContainers, ...(Array.isArray(pod.initContainers) ? pod.initContainers : [])];
  const affinity = withPodAffinity(pod.affinity, gates.podAffinityTerms);
  if (affinity !== undefined) pod.affinity = affinity;
}
