import { createHash } from 'node:crypto';
import type { Problem } from './errors';

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

/** Hex digits of the hash a {@link hashedName} ends in. */
const NAME_HASH_LENGTH = 10;
/** Longest base of a {@link hashedName}: `-<hash>` is appended and the name must fit a 63-character label. */
export const MAX_HASHED_NAME_BASE = 63 - 1 - NAME_HASH_LENGTH;

/**
 * `<base>-<hash of spec>`: the name of an object whose spec cannot change in place (a Job's pod
 * template), so a changed spec is a new object instead of a refused update.
 */
export function hashedName(base: string, spec: unknown): string {
  return `${base}-${shortHash(spec, NAME_HASH_LENGTH)}`;
}

/** A base (already a DNS-1123 label) too long for {@link hashedName}. */
export function hashedNameProblem(field: string, base: string, what: string): Problem | undefined {
  if (base.length <= MAX_HASHED_NAME_BASE) return undefined;
  return { field, value: base, allowed: `a DNS-1123 label of at most ${MAX_HASHED_NAME_BASE} characters`, why: `the ${what} is named <name>-<${NAME_HASH_LENGTH}-character hash> and its name must fit a 63-character label` };
}
