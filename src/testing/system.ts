/**
 * The system model for tests: check a cdk8s app (or any manifests) the way synth and
 * `cdk8s-llm-d check` do, and get the findings as data to assert on.
 */
import { App } from 'cdk8s';
import { declaredNodePools, NodePool } from '../core/node-pools';
import { renderedObjects } from '../core/object-rules';
import type { SystemFinding, SystemManifest } from '../system/finding';
import { checkSystem } from '../system/system-model';

/** What {@link checkApp} and {@link checkManifests} check against. */
export interface SystemCheckInput {
  /** The cluster's nodes (every workload must fit them). @default - the nodes the app declares, else assumed */
  readonly nodes?: readonly NodePool[];
  /** The output deployed now (manifests), for the upgrade rules. @default - none */
  readonly previous?: readonly Record<string, unknown>[];
}

/** The system model's findings for plain manifests (e.g. `parseManifests` of `helm template` output). */
export function checkManifests(manifests: readonly Record<string, unknown>[], input: SystemCheckInput = {}): SystemFinding[] {
  return checkSystem(manifests.map((manifest) => ({ manifest })), options(undefined, input));
}

/** The system model's findings for a cdk8s app, each with the construct path of its object. */
export function checkApp(app: App, input: SystemCheckInput = {}): SystemFinding[] {
  const all = app.node.findAll();
  const manifests: SystemManifest[] = renderedObjects(all).map((o) => ({ manifest: o.manifest, source: o.object.node.path }));
  return checkSystem(manifests, options(declaredNodePools(all), input));
}

function options(declared: ReturnType<typeof declaredNodePools>, input: SystemCheckInput): Parameters<typeof checkSystem>[1] {
  return {
    nodes: input.nodes ? { pools: input.nodes, complete: true } : declared,
    ...(input.previous ? { previous: input.previous.map((manifest) => ({ manifest })) } : {}),
  };
}
