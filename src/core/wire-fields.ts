// The classes `cdk8s import` generates take their props under TypeScript names and rename them
// on output (`consecutive5XxErrors` -> `consecutive5xxErrors`), dropping every key they do not
// know. Blobs users paste in wire format (an Istio trafficPolicy from chart values) would lose
// exactly those fields, so they are merged into the output after the generated converter ran.
import { ApiObject } from 'cdk8s';

type JsonObject = Record<string, unknown>;

function mergedAt(target: JsonObject, path: readonly string[], fields: JsonObject): JsonObject {
  if (path.length === 0) return { ...target, ...fields };
  const [head, ...rest] = path;
  const child = target[head];
  const base = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as JsonObject) : {};
  return { ...target, [head]: mergedAt(base, rest, fields) };
}

/**
 * Wire-format `fields` merged into `obj`'s output at `path` (e.g. `['spec']`), after its
 * generated converter; undefined fields are left out.
 */
export function withWireFields<T extends ApiObject>(obj: T, path: readonly string[], fields: Readonly<Record<string, unknown>>): T {
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(present).length === 0) return obj;
  const generated = obj.toJson.bind(obj);
  obj.toJson = () => mergedAt(generated(), path, present);
  return obj;
}
