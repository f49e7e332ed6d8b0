import { Problem } from './errors';
import type { ComputeResources } from './k8s-types';

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/;
const SUFFIX: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes resource.Quantity such as `100m`, `1Gi` or `2`. */
export function isQuantity(value: string | number): boolean {
  return typeof value === 'number' ? Number.isFinite(value) && value >= 0 : QUANTITY.test(value);
}

/**
 * The numeric value of a quantity, precise enough to compare a request with its limit;
 * undefined for anything that is not a quantity.
 */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  if (m[2] !== undefined) return Number(`${m[1]}${m[2]}`);
  return Number(m[1]) * SUFFIX[m[3] ?? ''];
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

/**
 * A copy of `resources` with a request added for every key of `defaults` the user gave neither a
 * request nor a limit for: a default request above a user's limit would make the pod invalid, and
 * Kubernetes copies a limit into a missing request itself.
 */
export function withDefaultRequests<R extends ComputeResources>(resources: R, defaults: Readonly<Record<string, string>>): R {
  const requests: Record<string, string | number> = { ...(resources.requests ?? {}) };
  for (const [k, v] of Object.entries(defaults)) {
    if (requests[k] === undefined && resources.limits?.[k] === undefined) requests[k] = v;
  }
  // An empty map the user did not write stays out of the manifest.
  return resources.requests === undefined && Object.keys(requests).length === 0 ? resources : { ...resources, requests };
}
