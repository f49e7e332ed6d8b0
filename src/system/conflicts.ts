/**
 * App-wide rules of the operations objects: objects that each look right but defeat each other
 * once applied together, whoever made them (these constructs or any ApiObject of the app).
 *
 * - two autoscalers (HorizontalPodAutoscaler, KEDA ScaledObject) on one target: the HPA controller
 *   scales neither (AmbiguousSelector);
 * - two PodDisruptionBudgets that select the same pods: the eviction API refuses every eviction of
 *   those pods, and a drain blocks;
 * - two Grafana dashboards with one uid: Grafana provisions one of them.
 *
 * Each operations construct claims its objects ({@link claim}) and checks, at synth, the pairs its
 * objects are in: a pair is reported once, at the construct of the later object in tree order,
 * or at the earlier one's when the later object is not one of these constructs'. Both are named.
 * {@link unclaimedConflicts} reports the pairs of objects no construct claimed.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problem, ReportedProblem, reportProblem } from '../core/errors';
import { requirementMatches, SelectorRequirement, selectorMatches } from '../core/labels';
import { asArray, asObject, Json } from '../core/object-rules/json';
import { describeObject, identityOf } from './finding';
import { podGroups } from './workloads';

/** The construct that made an object, and the prop the object came from. */
interface Claim {
  readonly owner: IConstruct;
  readonly field: string;
}

const claims = new WeakMap<ApiObject, Claim>();

/** Marks `object` as made by `owner` from the prop `field`: its conflicts are reported there. */
export function claim(object: ApiObject, owner: IConstruct, field: string): void {
  claims.set(object, { owner, field });
}

/** Two objects that defeat each other; `problem` is the report, given the field of the construct it is reported at. */
interface Conflict {
  readonly earlier: ApiObject;
  readonly later: ApiObject;
  readonly problem: (field: string) => Problem;
}

/**
 * Every conflict of the app, found once per validation: reported at the construct that made the
 * later object (at its prop), else at the one that made the earlier object, else at the later
 * object itself.
 */
export function conflictReports(all: readonly IConstruct[]): ReportedProblem[] {
  return [autoscalerConflicts, budgetConflicts, dashboardConflicts].flatMap((rule) => rule(all)).map((c) => {
    const owner = claims.get(c.later) ?? claims.get(c.earlier);
    return owner ? reportProblem(owner.owner.node.path, c.problem(owner.field)) : reportProblem(c.later.node.path, c.problem('metadata.name'));
  });
}

/** `Kind ns/name (construct path)`. */
function named(o: ApiObject): string {
  return `${describeObject(identityOf({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.metadata.namespace } }))} (${o.node.path})`;
}

const objectsOf = (all: readonly IConstruct[], kinds: ReadonlySet<string>): ApiObject[] => all.filter((c): c is ApiObject => c instanceof ApiObject && kinds.has(c.kind));

const AUTOSCALERS = new Set(['HorizontalPodAutoscaler', 'ScaledObject']);

/** Autoscalers (HPA, KEDA ScaledObject) of the app with one target (kind, namespace, name): each later one with the first. */
export function autoscalerConflicts(all: readonly IConstruct[]): Conflict[] {
  const first = new Map<string, ApiObject>();
  const out: Conflict[] = [];
  for (const o of objectsOf(all, AUTOSCALERS)) {
    const spec = asObject((o.toJson() as Json).spec) ?? {};
    const ref = asObject(spec.scaleTargetRef) ?? {};
    // A ScaledObject's kind defaults to Deployment.
    const kind = typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : o.kind === 'ScaledObject' ? 'Deployment' : '';
    const target = `${kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${String(ref.name ?? '')}`;
    const earlier = first.get(target);
    if (earlier === undefined) {
      first.set(target, o);
      continue;
    }
    out.push({
      earlier,
      later: o,
      problem: (field) => ({
        field,
        value: target,
        allowed: 'a workload no other autoscaler of the app scales',
        why: `${named(o)} and ${named(earlier)} both scale ${target}: with two autoscalers on one target the HPA controller scales neither (AmbiguousSelector), and KEDA runs its own HPA for a ScaledObject`,
      }),
    });
  }
  return out;
}

/** A label selector (matchLabels and matchExpressions), as a PodDisruptionBudget has it. */
interface Selector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly SelectorRequirement[];
}

function selectorOf(v: unknown): Selector {
  const s = asObject(v) ?? {};
  const matchLabels: Record<string, string> = {};
  for (const [k, x] of Object.entries(asObject(s.matchLabels) ?? {})) if (typeof x === 'string') matchLabels[k] = x;
  const matchExpressions = asArray(s.matchExpressions).map(asObject).filter((e): e is Json => e !== undefined).map((e) => ({
    key: String(e.key ?? ''),
    operator: String(e.operator ?? ''),
    values: asArray(e.values).filter((x): x is string => typeof x === 'string'),
  }));
  return { matchLabels, matchExpressions };
}

/** Whether `s` selects pods labelled `labels` (an empty selector selects every pod: policy/v1). */
function selects(s: Selector, labels: Readonly<Record<string, string>>): boolean {
  return selectorMatches(s.matchLabels, labels) && s.matchExpressions.every((e) => requirementMatches(e, labels));
}

/** Whether every pod `b` selects is selected by `a` too: `a` is matchLabels only, a subset of `b`'s. */
function covers(a: Selector, b: Selector): boolean {
  return a.matchExpressions.length === 0 && selectorMatches(a.matchLabels, b.matchLabels);
}

const POD_WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'LeaderWorkerSet']);
const BUDGETS = new Set(['PodDisruptionBudget']);

/**
 * PodDisruptionBudgets of one namespace that select the same pods: both select the pod template of
 * a workload of the app, or one selects (by labels alone) every pod the other does. Each later
 * budget is paired with the first earlier one it overlaps.
 */
export function budgetConflicts(all: readonly IConstruct[]): Conflict[] {
  const budgets = objectsOf(all, BUDGETS).map((o) => ({ o, ns: o.metadata.namespace ?? '', selector: selectorOf(asObject((o.toJson() as Json).spec)?.selector) }));
  if (budgets.length < 2) return [];
  const templates = podGroups(objectsOf(all, POD_WORKLOADS).map((o) => ({ manifest: o.toJson() as Json })));
  const out: Conflict[] = [];
  // Which templates each budget selects, worked out once: a pair then shares one of them or not.
  const selected = budgets.map((b) => new Set(templates.filter((t) => t.workload.namespace === b.ns && selects(b.selector, t.labels))));
  budgets.forEach((b, j) => {
    for (const [i, a] of budgets.slice(0, j).entries()) {
      if (a.ns !== b.ns) continue;
      const shared = [...selected[i]].find((t) => selected[j].has(t));
      if (!shared && !covers(a.selector, b.selector) && !covers(b.selector, a.selector)) continue;
      const pods = shared ? `the pods of ${describeObject(shared.workload)}` : 'the same pods';
      out.push({
        earlier: a.o,
        later: b.o,
        problem: (field) => ({
          field,
          value: { matchLabels: b.selector.matchLabels, ...(b.selector.matchExpressions.length ? { matchExpressions: b.selector.matchExpressions } : {}) },
          allowed: 'a selector that shares no pod with another PodDisruptionBudget of the namespace',
          why: `${named(b.o)} and ${named(a.o)} both select ${pods}: the eviction API refuses to evict a pod that more than one budget selects, so every drain blocks on them`,
        }),
      });
      break;
    }
  });
  return out;
}

const CONFIG_MAPS = new Set(['ConfigMap']);

/** Grafana dashboards in ConfigMaps (label `grafana_dashboard`, the sidecar's) of the app that share a uid: each later one with the first. */
export function dashboardConflicts(all: readonly IConstruct[]): Conflict[] {
  const first = new Map<string, ApiObject>();
  const out: Conflict[] = [];
  for (const o of objectsOf(all, CONFIG_MAPS)) {
    if (o.metadata.getLabel('grafana_dashboard') === undefined) continue;
    const data = asObject((o.toJson() as Json).data) ?? {};
    const uids = new Set<string>();
    for (const text of Object.values(data)) {
      if (typeof text !== 'string') continue;
      try {
        const uid = asObject(JSON.parse(text))?.uid;
        if (typeof uid === 'string' && uid !== '') uids.add(uid);
      } catch {
        // Not a dashboard.
      }
    }
    for (const uid of uids) {
      const earlier = first.get(uid);
      if (earlier === undefined) {
        first.set(uid, o);
        continue;
      }
      out.push({
        earlier,
        later: o,
        problem: (field) => ({
          field,
          value: uid,
          allowed: 'a dashboard uid no other dashboard of the app has',
          why: `${named(o)} and ${named(earlier)} both hold a dashboard with uid "${uid}": Grafana provisions only one of them`,
        }),
      });
    }
  }
  return out;
}
