/**
 * The system model: the deployed stack as the cluster will run it, built from manifests alone
 * (ours, a cdk8s-plus workload's, or `helm template` output). It knows the nodes, the pods of
 * every workload at their largest size, where they can be placed, which claims they share, which
 * Job fills which claim and who waits for it, and, given the previous output, what cannot change
 * in place. Each rule returns structured findings.
 */
import { NodePool } from '../core/node-pools';
import { SystemFinding, SystemManifest } from './finding';
import { imageUserFindings } from './image-user';
import { derivedInventory, Inventory, isCoreResource } from './inventory';
import { placementFindings, podRequests } from './placement';
import { requestPathFindings } from './requests';
import { metricPathFindings } from './metrics';
import { startUpFindings } from './start-up';
import { upgradeFindings } from './upgrades';
import { claimsOf, claimUses, sharedVolumeFindings } from './volumes';
import { podGroups } from './workloads';

/** What a check runs on besides the manifests. */
export interface SystemCheckOptions {
  /**
   * The cluster's nodes. With `complete`, every workload must fit them at its largest size;
   * otherwise they are assumptions (devices per node) and node counts are not checked.
   * @default - as many nodes as needed, each with the devices the pods ask for (8 per node unless declared)
   */
  readonly nodes?: { readonly pools: readonly NodePool[]; readonly complete: boolean };
  /** The previous version of the output, for the upgrade rules. @default - none (no upgrade check) */
  readonly previous?: readonly SystemManifest[];
}

/** The inventory of a check: the given one, or one derived from the devices the pods ask for. */
function inventoryFor(groups: ReturnType<typeof podGroups>, nodes: SystemCheckOptions['nodes']): Inventory {
  if (nodes?.complete) return { pools: nodes.pools, complete: true };
  const devices = new Set<string>();
  for (const g of groups) for (const r of podRequests(g.spec).keys()) if (!isCoreResource(r)) devices.add(r);
  return derivedInventory(devices, nodes?.pools ?? []);
}

/** Every finding of the system model over `manifests`, in rule order. */
export function checkSystem(manifests: readonly SystemManifest[], options: SystemCheckOptions = {}): SystemFinding[] {
  const groups = podGroups(manifests);
  const inventory = inventoryFor(groups, options.nodes);
  const uses = claimUses(groups);
  return [
    ...placementFindings(groups, inventory),
    ...sharedVolumeFindings(claimsOf(manifests), uses, inventory),
    ...startUpFindings(uses),
    ...imageUserFindings(groups),
    ...requestPathFindings(manifests, groups),
    ...metricPathFindings(manifests, groups),
    ...(options.previous ? upgradeFindings(options.previous, manifests) : []),
  ];
}
