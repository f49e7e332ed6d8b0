import { Problem } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 label: what Kubernetes requires of Service, Namespace and container names. */
export function isDns1123Label(value: string): boolean {
  // A string, not an object whose length and toString pass (a class instance kept by plainProps).
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** RFC 1035 label: what Kubernetes requires of Service names (starts with a letter). */
export function isDns1035Label(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1035_LABEL.test(value);
}

/** RFC 1123 subdomain: what Kubernetes requires of most object names. */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

export function checkDns1123Label(field: string, value: string | undefined): Problem | undefined {
  if (value === undefined || isDns1123Label(value)) return undefined;
  return {
    field,
    value,
    allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit',
  };
}

export function checkDns1123Subdomain(field: string, value: string | undefined): Problem | undefined {
  if (value === undefined || isDns1123Subdomain(value)) return undefined;
  return {
    field,
    value,
    allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit',
  };
}

/** Helm's `trunc 63 | trimSuffix "-"`, which every chart we replace applies to its names. */
export function truncateName(name: string, max = 63): string {
  return name.slice(0, max).replace(/-+$/, '');
}
