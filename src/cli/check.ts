/**
 * `cdk8s-llm-d check DIR [--nodes FILE] [--previous DIR]`: runs the system model over synth
 * output (ours, or `helm template`'s) and prints its findings. Exit 0: the stack can run; 1: it
 * found errors; 2: bad input. File reading and printing only: the rules are the system model's.
 */
import { UsageError } from './args';
import { readManifests, readYamlDocuments } from './manifest-files';
import { describeProblem } from '../core/errors';
import { SystemFinding, SystemManifest } from '../system/finding';
import { reportFinding } from '../system/report';
import { CLUSTER_SCOPED_KINDS } from '../core/collisions';
import { inventoryFromDocuments } from '../system/inventory';
import { checkSystem } from '../system/system-model';
import { modelRoutes } from '../system/requests';
import { podGroups } from '../system/workloads';

/** What `check` was given. */
export interface CheckInput {
  /** Namespace of objects that name none (what `kubectl apply -n` gives them). @default 'default' */
  readonly namespace?: string;
  readonly dir: string;
  readonly dirLabel: string;
  readonly nodes?: { readonly file: string; readonly label: string };
  readonly previous?: { readonly dir: string; readonly label: string };
}

/** `error: [source] Kind ns/name [rule] field: ...`: the finding as synth reports it, with its severity. */
function line(f: SystemFinding): string {
  const r = reportFinding(f);
  return `${f.severity}: [${r.path}] ${r.message}`;
}


function inNamespace(manifests: readonly SystemManifest[], namespace: string): SystemManifest[] {
  return manifests.map((m) => {
    const meta = (m.manifest.metadata ?? {}) as Record<string, unknown>;
    if (typeof meta.namespace === 'string' && meta.namespace !== '') return m;
    if (CLUSTER_SCOPED_KINDS.has(String(m.manifest.kind))) return m;
    return { ...m, manifest: { ...m.manifest, metadata: { ...meta, namespace } } };
  });
}

/** The report and whether the stack can run (no errors). */
export function checkOutputs(input: CheckInput): { text: string; errors: number; warnings: number } {
  const namespace = input.namespace ?? 'default';
  const manifests = inNamespace(readManifests(input.dir, input.dirLabel), namespace);
  if (manifests.length === 0) throw new UsageError(`${input.dirLabel}: no Kubernetes objects found (expected YAML with kind, e.g. the dist/ of a synth or helm template output)`);
  let nodes: { pools: ReturnType<typeof inventoryFromDocuments>['pools']; complete: boolean } | undefined;
  if (input.nodes) {
    const { pools, problems } = inventoryFromDocuments(readYamlDocuments(input.nodes.file, `--nodes ${input.nodes.label}`));
    if (problems.length > 0) throw new UsageError(`--nodes ${input.nodes.label}: ${problems.map(describeProblem).join('; ')}`);
    nodes = { pools, complete: true };
  }
  const previous = input.previous ? inNamespace(readManifests(input.previous.dir, `--previous ${input.previous.label}`), namespace) : undefined;
  const findings = checkSystem(manifests, { nodes, previous });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const what = `${manifests.length} objects${nodes ? `, ${nodes.pools.length} node pools` : ', nodes assumed (give --nodes for your cluster)'}${previous ? `, ${previous.length} previous objects` : ''}`;
  const summary = `${errors} error(s), ${warnings} warning(s) in ${what}`;
  // The request path per model, as a reviewer wants to see it.
  const routes = modelRoutes(manifests, podGroups(manifests)).map((r) => `model ${JSON.stringify(r.model)} -> ${r.backends.map((b) => `${b.pool} (${Math.round(b.weight * 1000) / 10} %)`).join(', ')}${r.byBody ? '' : ' [only with the X-Gateway-Model-Name header]'}`);
  return { text: [...findings.map(line), ...routes, summary].join('\n') + '\n', errors, warnings };
}
