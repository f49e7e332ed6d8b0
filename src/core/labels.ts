import { Problem } from './errors';

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Qualified label key: optional DNS subdomain prefix (<= 253) + "/" + name (<= 63). */
export function isLabelKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return false;
  if (parts.length === 2) return parts[0].length > 0 && parts[0].length <= 253 && LABEL_PREFIX.test(parts[0]);
  return true;
}

/** Label value: empty, or <= 63 characters of alphanumerics, "-", "_" and "." with alphanumeric ends. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** Problems with every key and value of a label map. */
export function checkLabels(field: string, labels: Readonly<Record<string, string>> | undefined): Problem[] {
  const out: Problem[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!isLabelKey(k)) {
      out.push({ field: `${field} key`, value: k, allowed: 'a qualified name: optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."' });
    }
    if (typeof v !== 'string' || !isLabelValue(v)) {
      out.push({ field: `${field}.${k}`, value: v, allowed: 'a label value: a string of at most 63 alphanumerics, "-", "_", "." starting and ending with an alphanumeric (quote "true" and numbers)' });
    }
  }
  return out;
}

/** True when every entry of `selector` is present with the same value in `labels`. */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A selector requirement (`matchExpressions` of a label selector, or of a node selector term). */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/**
 * Whether `labels` meet a requirement: In, NotIn, Exists, DoesNotExist (label selectors), and Gt,
 * Lt (node selectors); an unknown operator matches nothing.
 */
export function requirementMatches(r: SelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v as string);
    case 'NotIn':
      return !has || !values.includes(v as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(v) > Number(values[0]);
    case 'Lt':
      return has && Number(v) < Number(values[0]);
    default:
      return false;
  }
}

/** The labels every map has with the same value (what a selector of all their pods may use); undefined for no maps. */
export function sharedLabels(maps: ReadonlyArray<Readonly<Record<string, string>>>): Record<string, string> | undefined {
  if (maps.length === 0) return undefined;
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}
