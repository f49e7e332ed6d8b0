/**
 * Volumes: which pods mount which PersistentVolumeClaim, and what the attach/detach controller
 * allows. A ReadWriteOnce volume attaches to one node at a time: pods that share it must all run
 * on that node (or wait their turn), and a ReadWriteOncePod volume serves one pod at a time.
 */
import { selectorMatches } from '../core/labels';
import { asArray, asObject, Json } from '../core/object-rules/json';
import { quantityValue } from '../core/quantities';
import { identityOf, ObjectIdentity, SystemFinding, SystemManifest } from './finding';
import { Inventory } from './inventory';
import { podRequests, whyNotOn } from './placement';
import { allContainers, PodGroup } from './workloads';

/** The label key on pods that share a claim and must run on one node (set by the model services). */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';

/** A claim of the manifests. */
export interface ClaimInfo {
  readonly object: ObjectIdentity;
  readonly source?: string;
  readonly accessModes: readonly string[];
}

/** How a pod group uses a claim. */
export interface ClaimUse {
  readonly group: PodGroup;
  /** Name of the pod volume that references the claim. */
  readonly volume: string;
  /** Some container mounts it writable. */
  readonly writes: boolean;
}

/** The claims of the manifests by `namespace/name`. */
export function claimsOf(manifests: readonly SystemManifest[]): Map<string, ClaimInfo> {
  const out = new Map<string, ClaimInfo>();
  for (const { manifest, source } of manifests) {
    const id = identityOf(manifest);
    if (id.kind !== 'PersistentVolumeClaim') continue;
    const modes = asArray(asObject(manifest.spec)?.accessModes).map(String);
    out.set(`${id.namespace}/${id.name}`, { object: id, source, accessModes: modes });
  }
  return out;
}

/** Per claim (`namespace/name`), the pod groups that mount it. */
export function claimUses(groups: readonly PodGroup[]): Map<string, ClaimUse[]> {
  const out = new Map<string, ClaimUse[]>();
  for (const g of groups) {
    for (const v of asArray(g.spec.volumes).map(asObject)) {
      const pvc = asObject(v?.persistentVolumeClaim);
      if (!v || !pvc || typeof pvc.claimName !== 'string') continue;
      const volume = String(v.name);
      const mounts = allContainers(g.spec).flatMap((c) => asArray(c.volumeMounts).map(asObject)).filter((m): m is Json => m?.name === volume);
      if (mounts.length === 0) continue;
      const writes = pvc.readOnly !== true && mounts.some((m) => m.readOnly !== true);
      const key = `${g.workload.namespace}/${pvc.claimName}`;
      out.set(key, [...(out.get(key) ?? []), { group: g, volume, writes }]);
    }
  }
  return out;
}

/**
 * Label selectors of the required pod-affinity terms on the node (topologyKey
 * kubernetes.io/hostname, the pod's own namespace) of a pod spec. Terms with matchExpressions are
 * not evaluated, so they are not taken as proof of co-location.
 */
function hostAffinitySelectors(spec: Json): Array<Readonly<Record<string, string>>> {
  const out: Array<Readonly<Record<string, string>>> = [];
  for (const t of asArray(asObject(asObject(spec.affinity)?.podAffinity)?.requiredDuringSchedulingIgnoredDuringExecution).map(asObject)) {
    if (!t || t.topologyKey !== HOSTNAME_TOPOLOGY_KEY || t.namespaces !== undefined || t.namespaceSelector !== undefined) continue;
    const selector = asObject(t.labelSelector);
    const labels = asObject(selector?.matchLabels);
    if (labels && Object.keys(labels).length > 0 && asArray(selector?.matchExpressions).length === 0) out.push(labels as Record<string, string>);
  }
  return out;
}

/** Whether every group's pods must share one node: they all pin the same hostname, or each requires the others on its node. */
function coLocated(groups: readonly PodGroup[]): boolean {
  const host = (g: PodGroup): unknown => asObject(g.spec.nodeSelector)?.[HOSTNAME_TOPOLOGY_KEY];
  const pinned = host(groups[0]);
  if (typeof pinned === 'string' && groups.every((g) => host(g) === pinned)) return true;
  // The scheduler places the first pod anywhere (a pod may satisfy its own affinity), then each
  // next one beside a pod its term selects: one term that selects every sharer keeps them on one node.
  return groups.every((g) => hostAffinitySelectors(g.spec).some((sel) => groups.every((o) => selectorMatches(sel, o.labels))));
}

const WAYS_OUT = [
  'storage with ReadWriteMany or ReadOnlyMany (accessModes, with a storage class that supports it)',
  'a copy per pod (model URI hf://, downloaded into each pod)',
  'running the sharing pods on one node (required podAffinity on kubernetes.io/hostname, which the model services add for a ReadWriteOnce claim of a downloader) with no more pods than one node holds',
  'a single replica',
];

/**
 * ReadWriteOnce / ReadWriteOncePod claims shared by pods that may run on several nodes, or by
 * more pods than one node holds. Jobs that fill the claim are left to the start-up rule.
 */
export function sharedVolumeFindings(claims: ReadonlyMap<string, ClaimInfo>, uses: ReadonlyMap<string, readonly ClaimUse[]>, inventory: Inventory): SystemFinding[] {
  const out: SystemFinding[] = [];
  for (const [key, claim] of claims) {
    const modes = claim.accessModes;
    const oncePod = modes.length > 0 && modes.every((m) => m === 'ReadWriteOncePod');
    const onceNode = !oncePod && modes.length > 0 && modes.every((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod');
    if (!oncePod && !onceNode) continue;
    const running = (uses.get(key) ?? []).filter((u) => !u.group.runsToCompletion);
    const total = running.reduce((n, u) => n + u.group.maxPods, 0);
    if (total <= 1) continue;
    const first = running.find((u) => u.group.maxPods > 1) ?? running[running.length - 1];
    const names = running.map((u) => `${u.group.workload.kind} ${u.group.workload.name} (${u.group.maxPods}, ${u.group.maxPodsFrom})`).join(', ');
    const base = { severity: 'error' as const, rule: 'shared-volume' as const, object: first.group.workload, source: first.group.source, field: `${first.group.templateField ? `${first.group.templateField}.spec` : 'spec'}.volumes[${first.volume}]` };
    if (oncePod) {
      out.push({ ...base, value: claim.object.name, allowed: `one pod at a time, or ${WAYS_OUT.slice(0, 2).join(', or ')}`, why: `claim ${claim.object.name} is ReadWriteOncePod and ${total} pods mount it (${names}): all but one stay Pending` });
      continue;
    }
    if (!coLocated(running.map((u) => u.group))) {
      out.push({ ...base, value: claim.object.name, allowed: WAYS_OUT.join('; or '), why: `claim ${claim.object.name} is ReadWriteOnce and ${total} pods may mount it from several nodes (${names}): pods on another node than the volume's hang in ContainerCreating (Multi-Attach error), and a drain waits for pods that can only come back on the drained node` });
      continue;
    }
    const fits = oneNodeFits(running, inventory);
    if (fits !== undefined && fits.most < total) {
      out.push({
        ...base,
        value: claim.object.name,
        allowed: `at most ${fits.most} pods sharing it (what one node holds${fits.pool ? `: ${fits.pool}` : ''}), or ${WAYS_OUT.slice(0, 2).join(', or ')}`,
        why: `claim ${claim.object.name} is ReadWriteOnce, so its ${total} pods (${names}) must all run on one node; ${total - fits.most} of them would stay Pending`,
      });
    }
  }
  return out;
}

/**
 * Most pods of these groups one node of the inventory holds, filling the groups in order; the pool
 * that holds the most. Undefined when no pool says anything about what the pods need.
 */
function oneNodeFits(uses: readonly ClaimUse[], inventory: Inventory): { most: number; pool?: string } | undefined {
  let best: { most: number; pool?: string } | undefined;
  const requests = new Map(uses.map((u) => [u, podRequests(u.group.spec, inventory.unchecked)] as const));
  for (const pool of inventory.pools) {
    const free = new Map(Object.entries(pool.allocatable).map(([k, v]) => [k, quantityValue(v) ?? 0]));
    let placed = 0;
    let bounded = false;
    for (const u of uses) {
      const req = requests.get(u) ?? new Map<string, number>();
      if (whyNotOn(pool, u.group.spec, req) !== undefined) continue;
      for (let i = 0; i < u.group.maxPods; i++) {
        if (![...req].every(([k, v]) => !free.has(k) || (free.get(k) ?? 0) >= v)) {
          bounded = true;
          break;
        }
        for (const [k, v] of req) if (free.has(k)) free.set(k, (free.get(k) ?? 0) - v);
        placed++;
      }
    }
    if (!bounded && placed === uses.reduce((n, u) => n + u.group.maxPods, 0)) return undefined;
    if (!best || placed > best.most) best = { most: placed, pool: `${pool.name} (${JSON.stringify(pool.allocatable)} per node)` };
  }
  return best;
}

