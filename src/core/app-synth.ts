import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * `app.synth()` for an app that holds this library's constructs: set once by synth/validate to
 * `synthApp`'s writer (every problem in one error before anything is written, the files all or
 * none, and the side files of the stacks: istiod values, descriptions).
 */
let librarySynth: ((app: App) => void) | undefined;
const apps = new WeakSet<IConstruct>();

export function setLibrarySynth(synth: (app: App) => void): void {
  librarySynth = synth;
}

/**
 * Makes `app.synth()` of `scope`'s app (what every cdk8s entry point and `cdk8s synth` run) write
 * what `synthApp` writes. cdk8s's own `synth` writes the manifests only, after creating the output
 * folder, and validates the whole app once per chart. An app class that overrides `synth` keeps
 * its own.
 */
export function useLibrarySynth(scope: IConstruct): void {
  const root = scope.node.root;
  const synth = librarySynth;
  if (synth === undefined || apps.has(root)) return;
  apps.add(root);
  if (!(root instanceof App) || (root as { synth: unknown }).synth !== App.prototype.synth) return;
  Object.defineProperty(root, 'synth', { value: () => synth(root), configurable: true, writable: true, enumerable: false });
}
