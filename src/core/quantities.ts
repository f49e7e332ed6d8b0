import { Problem } from './errors';
import type { ComputeResources } from './k8s-types';

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** A Kubernetes resource.Quantity such as `100m`, `1Gi` or `2`. */
export function isQuantity(value: string | number): boolean {
  return typeof value === 'number' ? Number.isFinite(value) && value >= 0 : QUANTITY.test(value);
}

export function checkQuantity(field: string, value: string | number | undefined): Problem | undefined {
  if (value === undefined || isQuantity(value)) return undefined;
  return { field, value, allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' };
}

/** Problems with every quantity of a `resources` block (requests and limits). */
export function checkResources(field: string, resources: ComputeResources | undefined): Problem[] {
  const out: Problem[] = [];
  for (const part of ['requests', 'limits'] as const) {
    for (const [k, v] of Object.entries(resources?.[part] ?? {})) {
      const p = checkQuantity(`${field}.${part}.${k}`, v);
      if (p) out.push(p);
    }
  }
  return out;
}
