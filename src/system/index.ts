// The system model: checks that a synthesized stack can start, run and upgrade on a cluster.
export { checkSystem, type SystemCheckOptions } from './system-model';
export { NodeInventory, inventoryFromDocuments, type NodeInventoryProps } from './inventory';
export { describeObject, type ObjectIdentity, type SystemFinding, type SystemManifest, type SystemRule } from './finding';
export type { NodePool, NodeTaint } from '../core/node-pools';
