/**
 * The nodes a stack runs on, as the system model sees them: pools of alike nodes with what each
 * node can give pods. Constructs declare what they know (an RNGD stack: cards per node); an
 * app or `check --nodes` can give the whole inventory.
 */
import { IConstruct } from 'constructs';

/** A node taint (`kubectl taint`), which pods must tolerate to be placed there. */
export interface NodeTaint {
  /** Taint key, e.g. `furiosa.ai/rngd`. */
  readonly key: string;
  /** Taint value. @default - none */
  readonly value?: string;
  /** NoSchedule, PreferNoSchedule or NoExecute. */
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Alike nodes: how many, what each can give pods, labels and taints. */
export interface NodePool {
  /** Name of the pool, for messages. */
  readonly name: string;
  /** How many nodes. @default - as many as the pods need (only per-node limits are checked) */
  readonly count?: number;
  /**
   * What one node can give pods (`status.allocatable`): `cpu`, `memory`, devices such as
   * `furiosa.ai/rngd` or `nvidia.com/gpu`. A device not listed is absent; cpu or memory not
   * listed is not checked.
   */
  readonly allocatable: Readonly<Record<string, string | number>>;
  /** Node labels (for nodeSelector and node affinity). @default - unknown: every selector is taken to match */
  readonly labels?: Readonly<Record<string, string>>;
  /** Node taints. @default [] */
  readonly taints?: readonly NodeTaint[];
}

interface Declared {
  readonly pools: readonly NodePool[];
  /** The whole inventory (given by the user), not one construct's assumption. */
  readonly complete: boolean;
}

const declared = new WeakMap<IConstruct, Declared>();

/**
 * Records node pools on a construct for the system model: `complete` for the user's whole
 * inventory, otherwise an assumption (e.g. an RNGD stack's cards per node) used when no
 * inventory is given.
 */
export function declareNodePools(scope: IConstruct, pools: readonly NodePool[], complete: boolean): void {
  const was = declared.get(scope);
  declared.set(scope, { pools: [...(was?.pools ?? []), ...pools], complete: complete || (was?.complete ?? false) });
}

/** The node pools the constructs declared: the inventory when one was given, else the assumptions. */
export function declaredNodePools(constructs: readonly IConstruct[]): { readonly pools: readonly NodePool[]; readonly complete: boolean } | undefined {
  const all = constructs.map((c) => declared.get(c)).filter((d): d is Declared => d !== undefined);
  if (all.length === 0) return undefined;
  const complete = all.filter((d) => d.complete);
  if (complete.length > 0) return { pools: complete.flatMap((d) => d.pools), complete: true };
  return { pools: all.flatMap((d) => d.pools), complete: false };
}
