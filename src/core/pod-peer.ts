// The pods a construct runs, as cdk8s-plus sees a pod selector and a network-policy peer, so
// `kplus.NetworkPolicy` rules and `workload.connections.allowTo(construct)` work with ours.
// No cdk8s-plus module is loaded or named: the app may use any cdk8s-plus-NN, or none. Every
// cdk8s-plus (28 ... 33) calls exactly two methods on a `LabelSelector` it gets from a peer,
// `isEmpty()` and `_toKube()`, and never tests it with `instanceof`; the object built here has
// both, with cdk8s-plus's semantics (an empty selector renders as `{}`).
import type { PodSelectorConfig } from './contracts';

/** The pods one construct runs: the labels that select them and their namespace. */
export interface SelectedPods {
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
}

/** The Kubernetes `LabelSelector` that cdk8s-plus's `LabelSelector._toKube()` returns. */
interface KubeLabelSelector {
  readonly matchLabels?: Record<string, string>;
}

/** What cdk8s-plus calls on the `labelSelector` of a `PodSelectorConfig`. */
interface LabelSelectorShape {
  isEmpty(): boolean;
  _toKube(): KubeLabelSelector;
}

/** A cdk8s-plus-compatible label selector matching `labels` (a copy: later changes are not seen). */
export function podLabelSelector(labels: Readonly<Record<string, string>>): LabelSelectorShape {
  const own = { ...labels };
  const isEmpty = (): boolean => Object.keys(own).length === 0;
  return {
    isEmpty,
    // cdk8s-plus: `{}` when empty, else `{ matchLabels }` (a fresh object for each caller).
    _toKube: () => (isEmpty() ? {} : { matchLabels: { ...own } }),
  };
}

/** A cdk8s-plus pod selector for `pods`: by label, in their namespace by name. */
export function kplusPodSelectorConfig(pods: SelectedPods): PodSelectorConfig {
  // cdk8s-plus creates the peer's own policies in the namespaces named here: name them, never select by label.
  return { labelSelector: podLabelSelector(pods.labels), namespaces: { names: [pods.namespace] } };
}
