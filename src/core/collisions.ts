import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ReportedProblem, reportProblem } from './errors';

/**
 * Kinds without a namespace: two of them with one name collide whatever chart (and chart
 * namespace) they are in. cdk8s still reports the chart's namespace for them.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService', 'CSIDriver', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'DeviceClass', 'GatewayClass', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume',
  'PriorityClass', 'RuntimeClass', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

/** `group/Kind namespace/name`: two objects with the same key overwrite each other when applied. */
export function objectIdentity(o: ApiObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf('/')) : 'core';
  const ns = CLUSTER_SCOPED_KINDS.has(o.kind) ? '' : (o.metadata.namespace ?? '');
  return `${group}/${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}`;
}

/**
 * Objects under `root` (any chart of the app) that share kind (API group included), namespace
 * and name: the second `kubectl apply` would silently replace the first. Reported at the
 * second object, naming both construct paths. Linear in the number of objects.
 */
export function nameCollisions(constructs: readonly IConstruct[]): ReportedProblem[] {
  const seen = new Map<string, string>();
  const out: ReportedProblem[] = [];
  for (const c of constructs) {
    if (!(c instanceof ApiObject)) continue;
    const key = objectIdentity(c);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, c.node.path);
    } else {
      out.push(reportProblem(c.node.path, { field: 'metadata.name', value: key, allowed: 'a name unique per kind and namespace in the app', why: `${c.node.path} and ${first} would overwrite each other` }));
    }
  }
  return out;
}
