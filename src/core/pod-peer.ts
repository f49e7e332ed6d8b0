// The pods a construct runs, as cdk8s-plus sees a pod selector and a network-policy peer, so
// `kplus.NetworkPolicy` rules and `workload.connections.allowTo(construct)` work with ours.
// cdk8s-plus-28 is an optional peer dependency: its types are imported for the compiler only,
// and the module is loaded when cdk8s-plus asks for a selector (then the app has loaded it already).
import type * as kplus from 'cdk8s-plus-28';

/** The pods one construct runs: the labels that select them and their namespace. */
export interface SelectedPods {
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
}

/** A cdk8s-plus pod selector for `pods`: by label, in their namespace by name. */
export function kplusPodSelectorConfig(pods: SelectedPods): kplus.PodSelectorConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer dependency, loaded on use
  const { LabelSelector } = require('cdk8s-plus-28') as typeof kplus;
  // cdk8s-plus creates the peer's own policies in the namespaces named here: name them, never select by label.
  return { labelSelector: LabelSelector.of({ labels: { ...pods.labels } }), namespaces: { names: [pods.namespace] } };
}
