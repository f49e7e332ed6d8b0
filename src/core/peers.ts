import { IConstruct } from 'constructs';

/**
 * Constructs registered under a key, per construct tree (keyed by the tree's root). Checks like
 * "does another pool in this namespace render the same Secret?" look their peers up here instead
 * of walking the whole tree from every construct, which made validation quadratic in app size.
 */
const registry = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/**
 * Records `c` under `key` in its tree. Call it in the constructor once the values the key is
 * made of are set; they must not change afterwards.
 */
export function registerPeer(c: IConstruct, key: string): void {
  const root = c.node.root;
  let byKey = registry.get(root);
  if (byKey === undefined) {
    byKey = new Map();
    registry.set(root, byKey);
  }
  const list = byKey.get(key);
  if (list === undefined) byKey.set(key, [c]);
  else list.push(c);
}

/**
 * The other constructs registered under `key` in c's tree that are still part of it, in tree
 * order (the order `root.node.findAll()` lists them).
 */
export function peersOf<T extends IConstruct>(c: IConstruct, key: string): T[] {
  const root = c.node.root;
  const list = registry.get(root)?.get(key);
  if (list === undefined) return [];
  const out = list.filter((x) => x !== c && attached(x)) as T[];
  if (out.length < 2) return out;
  // Registration order is construction order; report in tree order like a tree walk would.
  const wanted = new Set<IConstruct>(out);
  return root.node.findAll().filter((x) => wanted.has(x)) as T[];
}

/** False once the construct (or an ancestor) was removed with `node.tryRemoveChild`. */
function attached(c: IConstruct): boolean {
  for (let x = c, scope = x.node.scope; scope !== undefined; x = scope, scope = x.node.scope) {
    if (scope.node.tryFindChild(x.node.id) !== x) return false;
  }
  return true;
}
