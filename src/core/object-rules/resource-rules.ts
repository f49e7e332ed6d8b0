import { Problem } from '../errors';
import { isLabelKey } from '../labels';
import { checkQuantity, quantityValue } from '../quantities';
import { Json, asObject } from './json';

/**
 * Resources the API server lets a request stay below its limit for; every other resource
 * (`nvidia.com/gpu`, `furiosa.ai/rngd`, hugepages) is a whole number of devices whose request,
 * when given, must equal its limit.
 */
function isOvercommittable(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name === 'storage';
}

function isExtended(name: string): boolean {
  return !isOvercommittable(name) && !name.startsWith('hugepages-') && !name.includes('kubernetes.io/');
}

/** Problems of one `resources` block: quantities, non-negative, request <= limit, whole devices. */
export function resourceProblems(field: string, resources: Json | undefined): Problem[] {
  if (!resources) return [];
  const out: Problem[] = [];
  const requests = asObject(resources.requests) ?? {};
  const limits = asObject(resources.limits) ?? {};
  for (const [part, map] of [['requests', requests], ['limits', limits]] as const) {
    for (const [name, q] of Object.entries(map)) {
      const f = `${field}.${part}.${name}`;
      if (!isLabelKey(name)) out.push({ field: `${field}.${part}`, value: name, allowed: 'a resource name such as cpu, memory or furiosa.ai/rngd' });
      const v = quantityValue(q);
      if (v === undefined) out.push(checkQuantity(f, q as string | number) ?? { field: f, value: q, allowed: 'a Kubernetes quantity' });
      else if (v < 0) out.push({ field: f, value: q, allowed: 'a quantity of zero or more' });
      else if (isExtended(name) && !Number.isInteger(v)) out.push({ field: f, value: q, allowed: 'a whole number (devices are not shared)' });
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const req = quantityValue(q);
    const lim = quantityValue(limits[name]);
    if (req === undefined || req < 0) continue;
    if (isOvercommittable(name)) {
      if (lim !== undefined && lim >= 0 && req > lim) {
        out.push({ field: `${field}.requests.${name}`, value: q, allowed: `at most the limit (${String(limits[name])})` });
      }
    } else if (lim === undefined) {
      out.push({ field: `${field}.limits.${name}`, value: limits[name], allowed: `a limit equal to the request (${String(q)})`, why: `${name} cannot be overcommitted` });
    } else if (lim !== req) {
      out.push({ field: `${field}.requests.${name}`, value: q, allowed: `the limit (${String(limits[name])})`, why: `${name} cannot be overcommitted` });
    }
  }
  return out;
}
