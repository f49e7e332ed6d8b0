import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblems, Problem } from '../core/errors';

/** Pods one budget protects. */
export interface DisruptionTarget {
  /** Name of the PodDisruptionBudget (usually the workload's). */
  readonly name: string;
  /** Labels of the pods. */
  readonly podLabels: Readonly<Record<string, string>>;
}

export interface ServingDisruptionBudgetsProps {
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /** The workloads to protect: model servers and endpoint pickers. */
  readonly targets: readonly DisruptionTarget[];
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
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const max = props.maxUnavailable ?? 1;
    this.budgetNames = props.targets.map((t) => t.name);
    props.targets.forEach((t, i) => {
      new ApiObject(this, `pdb-${i}`, {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: t.name, ...(namespace ? { namespace } : {}) },
        spec: { maxUnavailable: max, selector: { matchLabels: { ...t.podLabels } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      });
    });
    addProblems(this, () => budgetProblems(props));
  }
}

function budgetProblems(props: ServingDisruptionBudgetsProps): Problem[] {
  const out: Problem[] = [];
  if (props.maxUnavailable !== undefined && !(Number.isInteger(props.maxUnavailable) && props.maxUnavailable >= 1)) {
    out.push({ field: 'maxUnavailable', value: props.maxUnavailable, allowed: 'an integer of 1 or more', why: '0 blocks every node drain' });
  }
  props.targets.forEach((t, i) => {
    if (Object.keys(t.podLabels).length === 0) out.push({ field: `targets[${i}].podLabels`, value: t.podLabels, allowed: 'at least one label', why: 'an empty selector selects every pod of the namespace' });
  });
  return out;
}
