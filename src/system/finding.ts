/**
 * What the system model reports: a {@link Problem} (field, value, what is allowed or what to do)
 * about one object of the deployed stack, with the rule that found it and how serious it is.
 */
import type { Problem } from '../core/errors';

/** Identity of a Kubernetes object, as the API server keys it. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  /** "" for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

/** A manifest the system model reads, and where it came from (a construct path or a file). */
export interface SystemManifest {
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Construct path (`app/chart/model/server`) or file (`dist/0001-llm-d.k8s.yaml`). @default - the object's kind/namespace/name */
  readonly source?: string;
}

/** The rules of the system model. */
export type SystemRule =
  | 'placement'
  | 'shared-volume'
  | 'start-up-order'
  | 'upgrade'
  | 'image-user'
  | 'request-path'
  | 'metric-path';

/** One finding of the system model. */
export interface SystemFinding extends Problem {
  /** `error`: the stack would not start, serve or upgrade; `warning`: it would, but likely not as meant. */
  readonly severity: 'error' | 'warning';
  /** Which rule found it. */
  readonly rule: SystemRule;
  /** The object it is about. */
  readonly object: ObjectIdentity;
  /** Where that object came from (construct path or file), when known. */
  readonly source?: string;
}

/** `Kind namespace/name` (`Kind name` when cluster-scoped). */
export function describeObject(o: ObjectIdentity): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** The identity of a manifest (missing fields read as ""). */
export function identityOf(manifest: Readonly<Record<string, unknown>>): ObjectIdentity {
  const meta = (manifest.metadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { apiVersion: str(manifest.apiVersion), kind: str(manifest.kind), namespace: str(meta.namespace), name: str(meta.name) };
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ""). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Key of an object across versions of its API: group, kind, namespace, name. */
export function objectKey(o: ObjectIdentity): string {
  return `${groupOf(o.apiVersion)}\0${o.kind}\0${o.namespace}\0${o.name}`;
}
