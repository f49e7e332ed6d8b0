import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IModelServer } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { claim } from '../system/conflicts';
import { plainProps } from '../core/plain-props';

/** Pods one budget protects. */
export interface DisruptionTarget {
  /** Name of the PodDisruptionBudget (usually the workload's). */
  readonly name: string;
  /** Labels of the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A pool whose endpoint picker a budget protects: an InferenceSchedulerPool is one. */
export interface DisruptedPool {
  /** The endpoint picker's Deployment name. */
  readonly eppName: string;
  /** Labels of the endpoint picker's pods. */
  readonly eppPodLabels: Readonly<Record<string, string>>;
}

export interface ServingDisruptionBudgetsProps {
  /** Namespace of the budgets (and of the pods they select). @default - the chart's namespace */
  readonly namespace?: string;
  /** Model services whose main workload (decode, or the only role) gets a budget named after it. @default [] */
  readonly modelServers?: readonly (IConstruct & IModelServer)[];
  /** Pools whose endpoint picker gets a budget named after its Deployment. @default [] */
  readonly pools?: readonly DisruptedPool[];
  /** Any other pods, e.g. a prefill workload: a name and the pods' labels. @default [] */
  readonly targets?: readonly DisruptionTarget[];
  /**
   * Pods of one workload a voluntary disruption (a node drain) may take at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/**
 * A PodDisruptionBudget per workload with `maxUnavailable: 1`: a drain takes one pod at a time,
 * so a pool of two or more keeps serving; a one-replica pool can still be drained (a
 * `minAvailable: 1` budget would block that drain forever). `unhealthyPodEvictionPolicy:
 * AlwaysAllow` lets a drain evict a pod that never became ready (a model that failed to load).
 */
export class ServingDisruptionBudgets extends Construct {
  /** Names of the budgets. */
  public readonly budgetNames: readonly string[];

  constructor(scope: Construct, id: string, props: ServingDisruptionBudgetsProps) {
    super(scope, id);
    props = plainProps(this, props);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const max = props.maxUnavailable ?? 1;
    const targets = budgetTargets(props);
    this.budgetNames = targets.map((t) => t.name);
    targets.forEach((t, i) => {
      const pdb = new ApiObject(this, `pdb-${i}`, {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: t.name, ...(namespace ? { namespace } : {}) },
        spec: { maxUnavailable: max, selector: { matchLabels: { ...t.podLabels } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      });
      claim(pdb, this, t.field);
    });
    // Two budgets that select one pod make the eviction API refuse to evict it: checked over the whole app.
    addProblems(this, () => budgetProblems(props));
  }
}

/** Every protected workload: model servers, the other targets (prefill pods), endpoint pickers; each with the prop it came from. */
function budgetTargets(props: ServingDisruptionBudgetsProps): Array<DisruptionTarget & { readonly field: string }> {
  return [
    ...(props.modelServers ?? []).map((ms, i) => ({ name: ApiObject.of(ms).name, podLabels: ms.podLabels, field: `modelServers[${i}]` })),
    ...(props.targets ?? []).map((t, i) => ({ ...t, field: `targets[${i}].podLabels` })),
    ...(props.pools ?? []).map((p, i) => ({ name: p.eppName, podLabels: p.eppPodLabels, field: `pools[${i}].eppPodLabels` })),
  ];
}

function budgetProblems(props: ServingDisruptionBudgetsProps): Problem[] {
  const out: Problem[] = [];
  if (props.maxUnavailable !== undefined && !(Number.isInteger(props.maxUnavailable) && props.maxUnavailable >= 1)) {
    out.push({ field: 'maxUnavailable', value: props.maxUnavailable, allowed: 'an integer of 1 or more', why: '0 blocks every node drain' });
  }
  (props.targets ?? []).forEach((t, i) => {
    if (Object.keys(t.podLabels).length === 0) out.push({ field: `targets[${i}].podLabels`, value: t.podLabels, allowed: 'at least one label', why: 'an empty selector selects every pod of the namespace' });
  });
  if (budgetTargets(props).length === 0) out.push({ field: 'modelServers', value: [], allowed: 'at least one model server, pool or target', why: 'nothing would be protected' });
  return out;
}
