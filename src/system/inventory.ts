/**
 * The node inventory of the system model: given by the user (a {@link NodeInventory} in the app,
 * or `check --nodes FILE` with pools or `kubectl get nodes -o yaml`), or derived from what the
 * pods ask for and what the constructs know (an RNGD stack's cards per node).
 */
import { Construct } from 'constructs';
import { addProblems, Problem } from '../core/errors';
import { declareNodePools, NodePool, NodeTaint } from '../core/node-pools';
import { asArray, asObject, Json } from '../core/object-rules/json';
import { isQuantity } from '../core/quantities';

/** Resources whose absence from a pool's allocatable means "not checked" rather than "none". */
const CORE_RESOURCES = /^(cpu|memory|ephemeral-storage|pods|hugepages-.*)$/;

/** The inventory a check runs on. */
export interface Inventory {
  readonly pools: readonly NodePool[];
  /** Given by the user; otherwise derived (node counts unknown, only per-node limits checked). */
  readonly complete: boolean;
  /** Devices nothing says a node's count of (a derived inventory): requests of them are not checked. */
  readonly unchecked?: ReadonlySet<string>;
}

/** Props of {@link NodeInventory}. */
export interface NodeInventoryProps {
  /** The node pools of the cluster the app is deployed to. */
  readonly pools: readonly NodePool[];
}

/**
 * The nodes of the cluster an app is deployed to, for the system model that runs at synth: with
 * it, every workload's pods must fit these nodes at the workload's largest size (replicas or its
 * autoscaler's maximum), and pods sharing a ReadWriteOnce claim must fit one node. Without it,
 * the check assumes as many nodes as needed, each with the devices the model services declare
 * (`accelerator.maxRngdPerNode`, 8 by default); other devices are not checked.
 *
 * ```ts
 * new NodeInventory(app, 'nodes', { pools: [{ name: 'rngd', count: 2, allocatable: { cpu: '96', memory: '512Gi', 'furiosa.ai/rngd': 8 } }] });
 * ```
 */
export class NodeInventory extends Construct {
  /** The pools, as given. */
  public readonly pools: readonly NodePool[];

  constructor(scope: Construct, id: string, props: NodeInventoryProps) {
    super(scope, id);
    this.pools = [...(props.pools ?? [])];
    declareNodePools(this, this.pools, true);
    addProblems(this, () => nodePoolProblems(this.pools, 'pools'));
  }
}

/** What is wrong with pools given by a user: names, counts, quantities, taints. */
export function nodePoolProblems(pools: readonly NodePool[], field: string): Problem[] {
  const out: Problem[] = [];
  if (!Array.isArray(pools) || pools.length === 0) return [{ field, value: pools, allowed: 'at least one node pool' }];
  pools.forEach((p, i) => {
    const at = `${field}[${i}]`;
    if (typeof p?.name !== 'string' || p.name === '') out.push({ field: `${at}.name`, value: p?.name, allowed: 'a name' });
    if (p?.count !== undefined && !(Number.isInteger(p.count) && p.count >= 0 && p.count <= 100000)) out.push({ field: `${at}.count`, value: p.count, allowed: 'an integer from 0 to 100000' });
    for (const [k, v] of Object.entries(asObject(p?.allocatable) ?? {})) {
      if (!((typeof v === 'string' || typeof v === 'number') && isQuantity(v))) out.push({ field: `${at}.allocatable.${k}`, value: v, allowed: 'a quantity such as 8, "96", "500m" or "512Gi"' });
    }
    if (asObject(p?.allocatable) === undefined) out.push({ field: `${at}.allocatable`, value: p?.allocatable, allowed: 'a map of resource name to quantity' });
    for (const [k, v] of Object.entries(asObject(p?.labels) ?? {})) if (typeof v !== 'string') out.push({ field: `${at}.labels.${k}`, value: v, allowed: 'a string' });
    asArray(p?.taints).forEach((t, j) => {
      const taint = asObject(t);
      if (!taint || typeof taint.key !== 'string' || !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(taint.effect))) {
        out.push({ field: `${at}.taints[${j}]`, value: t, allowed: 'a taint { key, value?, effect: NoSchedule | PreferNoSchedule | NoExecute }' });
      }
    });
  });
  return out;
}

/** One Node object (`kubectl get nodes -o yaml`) as a pool of one. */
function poolOfNode(node: Json): NodePool {
  const meta = asObject(node.metadata) ?? {};
  const status = asObject(node.status) ?? {};
  const taints: NodeTaint[] = asArray(asObject(node.spec)?.taints).map(asObject).filter((t): t is Json => t !== undefined).map((t) => ({
    key: String(t.key),
    ...(typeof t.value === 'string' ? { value: t.value } : {}),
    effect: t.effect as NodeTaint['effect'],
  }));
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(meta.labels) ?? {})) if (typeof v === 'string') labels[k] = v;
  const allocatable: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(asObject(status.allocatable) ?? asObject(status.capacity) ?? {})) if (typeof v === 'string' || typeof v === 'number') allocatable[k] = v;
  return { name: String(meta.name ?? 'node'), count: 1, allocatable, labels, taints };
}

/**
 * An inventory from the documents of a nodes file: `{ pools: [...] }`, Node objects, or a
 * NodeList / List of them. Problems name the file's fields.
 */
export function inventoryFromDocuments(docs: readonly unknown[]): { pools: NodePool[]; problems: Problem[] } {
  const pools: NodePool[] = [];
  const problems: Problem[] = [];
  docs.forEach((d, i) => {
    const doc = asObject(d);
    const at = docs.length > 1 ? `document ${i + 1}: ` : '';
    if (!doc) {
      if (d !== null && d !== undefined) problems.push({ field: `${at}(top level)`, value: d, allowed: 'a map with pools, a Node, or a NodeList' });
      return;
    }
    if (doc.kind === 'Node') pools.push(poolOfNode(doc));
    else if (doc.kind === 'NodeList' || doc.kind === 'List') {
      for (const item of asArray(doc.items)) {
        const node = asObject(item);
        if (node?.kind === 'Node' || (doc.kind === 'NodeList' && node)) pools.push(poolOfNode(node as Json));
      }
    } else if (Array.isArray(doc.pools)) {
      const given = doc.pools as NodePool[];
      const found = nodePoolProblems(given, `${at}pools`);
      problems.push(...found);
      if (found.length === 0) pools.push(...given);
    } else problems.push({ field: `${at}(top level)`, value: Object.keys(doc), allowed: 'pools: [...] (name, count, allocatable, labels, taints), a Node, or a NodeList (kubectl get nodes -o yaml)' });
  });
  if (pools.length === 0 && problems.length === 0) problems.push({ field: '(file)', value: '', allowed: 'at least one node pool or Node' });
  return { pools, problems };
}

/** Whether `resource` missing from a pool means "not checked" (cpu, memory, ...) rather than "none". */
export function isCoreResource(resource: string): boolean {
  return CORE_RESOURCES.test(resource);
}

/**
 * The inventory assumed when none is given: for each device the pods ask for that a construct
 * declared (an RNGD model service: `maxRngdPerNode`), pools of nodes with that many, as many nodes
 * as needed; other devices are not checked (nothing says how many a node has). Labels unknown,
 * no taints, cpu and memory not checked.
 */
export function derivedInventory(devicesAsked: ReadonlySet<string>, declared: readonly NodePool[]): Inventory {
  const pools: NodePool[] = [];
  const unchecked = new Set<string>();
  for (const device of [...devicesAsked].sort()) {
    const own = declared.filter((p) => p.allocatable[device] !== undefined);
    if (own.length > 0) pools.push(...own.filter((p) => !pools.includes(p)));
    else unchecked.add(device);
  }
  pools.push({ name: 'nodes without declared devices (assumed)', allocatable: Object.fromEntries([...unchecked].map((d) => [d, 0])) });
  return { pools, complete: false, unchecked };
}
