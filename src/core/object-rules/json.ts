import { Problem } from '../errors';

/** A JSON object as read from a rendered manifest. */
export type Json = Record<string, unknown>;

export const INT32_MAX = 2 ** 31 - 1;

export function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A problem unless `value` is an integer from `min` to `max`. */
export function integerProblem(field: string, value: unknown, min: number, max: number, allowed: string): Problem | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return { field, value, allowed };
}
