/**
 * Placement: would the scheduler find a node for every pod of every workload, at the workload's
 * largest size? A pod fits a node when its requests fit the node's allocatable resources, its
 * nodeSelector and required node affinity match the node's labels, and it tolerates the node's
 * NoSchedule/NoExecute taints (what the scheduler's NodeResourcesFit, NodeAffinity and
 * TaintToleration filters check).
 */
import { NodePool } from '../core/node-pools';
import { requirementMatches } from '../core/labels';
import { asArray, asObject, Json } from '../core/object-rules/json';
import { quantityValue } from '../core/quantities';
import { describeObject, SystemFinding } from './finding';
import { Inventory, isCoreResource } from './inventory';
import { gatingInitContainers, PodGroup, runningContainers } from './workloads';

/** Most nodes the capacity check expands pools into (bounded time on made-up inventories). */
const MAX_NODES = 10000;

/** What a container asks for: its requests, or its limits where it sets no request (the API server's defaulting). */
function containerRequests(c: Json): Map<string, number> {
  const res = asObject(c.resources) ?? {};
  const out = new Map<string, number>();
  for (const source of [asObject(res.limits) ?? {}, asObject(res.requests) ?? {}]) {
    for (const [k, v] of Object.entries(source)) {
      const n = quantityValue(v);
      if (n !== undefined) out.set(k, n);
    }
  }
  return out;
}

/**
 * A pod's effective requests, as the scheduler computes them: per resource, the larger of the
 * running containers' sum (app containers and sidecars) and the largest gating init container.
 */
export function podRequests(spec: Json, unchecked?: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of runningContainers(spec)) for (const [k, v] of containerRequests(c)) out.set(k, (out.get(k) ?? 0) + v);
  for (const c of gatingInitContainers(spec)) for (const [k, v] of containerRequests(c)) if (v > (out.get(k) ?? 0)) out.set(k, v);
  for (const [k, v] of out) if (v <= 0 || unchecked?.has(k)) out.delete(k);
  return out;
}

/** Requests as a plain map for messages (`{"furiosa.ai/rngd":1,"cpu":4}`). */
export function showRequests(req: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(req);
}

/** Why the pool's nodes cannot take the pod, or undefined when they can. */
export function whyNotOn(pool: NodePool, spec: Json, requests: ReadonlyMap<string, number>): string | undefined {
  for (const [r, need] of requests) {
    const alloc = pool.allocatable[r];
    if (alloc === undefined) {
      if (!isCoreResource(r)) return `its nodes have no ${r}`;
      continue;
    }
    const has = quantityValue(alloc) ?? 0;
    if (need > has) return `the pod needs ${need} ${r}, a node has ${has}`;
  }
  if (pool.labels !== undefined) {
    const labels = pool.labels;
    for (const [k, v] of Object.entries(asObject(spec.nodeSelector) ?? {})) {
      if (labels[k] !== v) return `nodeSelector ${k}=${String(v)} matches no node label`;
    }
    const required = asObject(asObject(asObject(spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
    const terms = asArray(required?.nodeSelectorTerms).map(asObject).filter((t): t is Json => t !== undefined);
    if (terms.length > 0 && !terms.some((t) => asArray(t.matchExpressions).map(asObject).every((e) => e !== undefined && requirementMatches({ key: String(e.key), operator: String(e.operator), values: asArray(e.values).map(String) }, labels)))) {
      return 'the required node affinity matches no node label';
    }
  }
  const tolerations = asArray(spec.tolerations).map(asObject).filter((t): t is Json => t !== undefined);
  for (const taint of pool.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    const tolerated = tolerations.some((t) => {
      const exists = t.operator === 'Exists';
      const keyOk = t.key === undefined || t.key === '' ? exists : t.key === taint.key;
      const valueOk = exists || (t.value ?? '') === (taint.value ?? '');
      const effectOk = t.effect === undefined || t.effect === '' || t.effect === taint.effect;
      return keyOk && valueOk && effectOk;
    });
    if (!tolerated) return `the pod does not tolerate the taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
  }
  return undefined;
}

function specField(g: PodGroup): string {
  return g.templateField ? `${g.templateField}.spec` : 'spec';
}

/** A pod of a group fits no pool: the scheduler leaves it Pending. */
function unplaceable(g: PodGroup, inventory: Inventory, requests: ReadonlyMap<string, number>): SystemFinding | undefined {
  const reasons = inventory.pools.map((p) => [p, whyNotOn(p, g.spec, requests)] as const);
  if (reasons.some(([, why]) => why === undefined)) return undefined;
  return {
    severity: 'error',
    rule: 'placement',
    object: g.workload,
    source: g.source,
    field: specField(g),
    value: showRequests(requests),
    allowed: `a pod that some node can take (${inventory.complete ? 'the inventory' : 'assumed nodes'}: ${reasons.map(([p, why]) => `${p.name}: ${why}`).join('; ')})`,
    why: `the scheduler finds no node for the pods of ${describeObject(g.workload)}: they stay Pending`,
  };
}

/**
 * Every pod at every workload's largest size, first-fit on the inventory's nodes (largest pods
 * first): the pods that find no room. Only for a complete inventory with node counts.
 */
function capacityFindings(groups: readonly PodGroup[], inventory: Inventory, requests: ReadonlyMap<PodGroup, ReadonlyMap<string, number>>): SystemFinding[] {
  if (!inventory.complete || inventory.pools.some((p) => p.count === undefined)) return [];
  const nodes: Array<{ pool: NodePool; free: Map<string, number> }> = [];
  for (const pool of inventory.pools) {
    for (let i = 0; i < (pool.count ?? 0) && nodes.length < MAX_NODES; i++) {
      nodes.push({ pool, free: new Map(Object.entries(pool.allocatable).map(([k, v]) => [k, quantityValue(v) ?? 0])) });
    }
  }
  const size = (g: PodGroup): number => [...(requests.get(g) ?? [])].filter(([k]) => !isCoreResource(k)).reduce((n, [, v]) => n + v, 0);
  const order = groups.filter((g) => !g.runsToCompletion && !g.perNode).sort((a, b) => size(b) - size(a));
  const out: SystemFinding[] = [];
  for (const g of order) {
    const req = requests.get(g) ?? new Map<string, number>();
    let placed = 0;
    for (let n = 0; n < g.maxPods; n++) {
      const node = nodes.find((x) => whyNotOn(x.pool, g.spec, req) === undefined && [...req].every(([k, v]) => !x.free.has(k) || (x.free.get(k) ?? 0) >= v));
      if (!node) break;
      for (const [k, v] of req) if (node.free.has(k)) node.free.set(k, (node.free.get(k) ?? 0) - v);
      placed++;
    }
    if (placed < g.maxPods) {
      out.push({
        severity: 'error',
        rule: 'placement',
        object: g.workload,
        source: g.source,
        field: g.maxPodsFrom,
        value: g.maxPods,
        allowed: `at most ${placed} pods (what the inventory's nodes hold next to the other workloads), or more nodes`,
        why: `at its largest size ${describeObject(g.workload)} runs ${g.maxPods} pods of ${JSON.stringify(showRequests(req))}; ${g.maxPods - placed} would stay Pending`,
      });
    }
  }
  return out;
}

/** Placement findings: pods no node can take, and workloads whose largest size the inventory cannot hold. */
export function placementFindings(groups: readonly PodGroup[], inventory: Inventory): SystemFinding[] {
  const requests = new Map(groups.map((g) => [g, podRequests(g.spec, inventory.unchecked)] as const));
  const out: SystemFinding[] = [];
  for (const g of groups) {
    const f = unplaceable(g, inventory, requests.get(g) ?? new Map());
    if (f) out.push(f);
  }
  const placeable = groups.filter((g) => !out.some((f) => f.object === g.workload));
  return [...out, ...capacityFindings(placeable, inventory, requests)];
}
