import { createHash } from 'node:crypto';

/** JSON of a value with the keys of every object sorted (and `undefined` members left out), so equal data gives equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** The first `length` hex digits of the sha256 of {@link stableJson}: a short name suffix that changes when the data does. */
export function shortHash(value: unknown, length = 10): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, length);
}
