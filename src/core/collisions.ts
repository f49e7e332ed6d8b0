import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problem } from './errors';

/** `group/Kind namespace/name`: two objects with the same key overwrite each other when applied. */
function identity(o: ApiObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf('/')) : 'core';
  const ns = o.metadata.namespace ?? '';
  return `${group}/${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}`;
}

/**
 * Objects under `root` that share kind (API group included), namespace and name: the second
 * `kubectl apply` would silently replace the first. Linear in the number of objects.
 */
export function nameCollisions(root: IConstruct): Problem[] {
  const seen = new Map<string, string>();
  const out: Problem[] = [];
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const key = identity(c);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, c.node.path);
    } else {
      out.push({ field: 'metadata.name', value: key, allowed: 'a name unique per kind and namespace', why: `${c.node.path} and ${first} would overwrite each other` });
    }
  }
  return out;
}
