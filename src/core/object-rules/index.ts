import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ReportedProblem, reportProblem, showValue } from '../errors';
import { isVerbatim } from '../verbatim-manifests';
import { objectApplyProblems, objectProblems, objectWarnings } from './object-rules';

/** An object of the app with its manifest, rendered once for every app-wide rule. */
export interface RenderedObject {
  readonly object: ApiObject;
  readonly manifest: Record<string, unknown>;
}

/** Every object of the app that the rules check (vendored documents are written as they are), rendered once. */
export function renderedObjects(constructs: readonly IConstruct[]): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const c of constructs) {
    if (c instanceof ApiObject && !isVerbatim(c)) out.push({ object: c, manifest: c.toJson() as Record<string, unknown> });
  }
  return out;
}

/** Whether `value` is `refused` or a string made from it (a name derived from a refused prop). */
function derivedFrom(value: unknown, refused: unknown): boolean {
  if (typeof value === 'string' && typeof refused === 'string' && refused !== '') return value.includes(refused);
  // A selector or a reference made from a refused name (`{ inferencepool: "<name>-epp" }`); names
  // this short are too common to tell.
  if (typeof refused === 'string' && refused.length >= 3 && typeof value === 'object' && value !== null) return stringsOf(value).some((s) => s.includes(refused));
  return JSON.stringify(value) === JSON.stringify(refused);
}

/** Every key and string leaf of a JSON-like value (bounded: problems hold small values). */
function stringsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length > 1000) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out, depth + 1);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out, depth + 1);
    }
  }
  return out;
}

/**
 * `found` without the follow-ons of a problem: what a construct built from a refused value (a
 * stack's pool named after a refused key) reports again, below the construct that refused it.
 */
export function withoutFollowOns(found: readonly ReportedProblem[]): ReportedProblem[] {
  return found.filter((p) => !found.some((a) => a !== p && p.path.startsWith(`${a.path}/`) && derivedFrom(p.value, a.value)));
}

/**
 * The problems of `found` that no construct reported first: the same value, or a name made from
 * it, reported at the object's construct or above it.
 */
export function notReportedBefore(found: readonly ReportedProblem[], already: readonly ReportedProblem[]): ReportedProblem[] {
  return found.filter((p) => !already.some((a) => (p.path === a.path || p.path.startsWith(`${a.path}/`)) && derivedFrom(p.value, a.value)));
}

/**
 * The API server's rules applied to every object of the app about to be written (vendored
 * documents excepted), each problem reported at the object's construct path. A value that a
 * construct already refused (the same value, or a name made from it, reported at the construct or
 * above it) is not reported a second time.
 */
export function objectRuleProblems(objects: readonly RenderedObject[], already: readonly ReportedProblem[], options: ObjectRuleOptions = {}): ReportedProblem[] {
  const out: ReportedProblem[] = [];
  for (const { object: c, manifest } of objects) {
    const path = c.node.path;
    for (const p of objectProblems(manifest)) {
      const where = `${c.kind} "${String(c.metadata.name)}" would be rejected by the API server or the kubelet`;
      out.push(reportProblem(path, { ...p, why: p.why ? `${p.why}; ${where}` : where }));
    }
    if (options.applyProblemsAsWarnings) continue;
    for (const p of objectApplyProblems(manifest)) {
      const where = `${c.kind} "${String(c.metadata.name)}" would be rejected by server-side apply or fail at start`;
      out.push(reportProblem(path, { ...p, why: p.why ? `${p.why}; ${where}` : where }));
    }
  }
  return notReportedBefore(out, already);
}

/** How {@link objectRuleProblems} and {@link objectRuleWarnings} treat what server-side apply rejects. */
export interface ObjectRuleOptions {
  /**
   * Report list-map duplicates, ports two containers bind and exponent numbers in command lines
   * (`objectApplyProblems`) as warnings: the CLI keeps a chart's output that has them.
   * @default false (refused)
   */
  readonly applyProblemsAsWarnings?: boolean;
}

/** Warnings (accepted by the cluster, likely mistakes) of every object of the app, at each object's construct path. */
export function objectRuleWarnings(objects: readonly RenderedObject[], options: ObjectRuleOptions = {}): ReportedProblem[] {
  const out: ReportedProblem[] = [];
  for (const { object: c, manifest } of objects) {
    for (const p of objectWarnings(manifest)) {
      const message = `${p.field}: value ${showValue(p.value)} is accepted but likely wrong (${c.kind} "${String(c.metadata.name)}"); expected: ${p.allowed}`;
      out.push({ path: c.node.path, field: p.field, value: p.value, allowed: p.allowed, message });
    }
    if (!options.applyProblemsAsWarnings) continue;
    for (const p of objectApplyProblems(manifest)) {
      const message = `${p.field}: value ${showValue(p.value)} is kept as the chart renders it, but ${p.why ?? 'it is likely wrong'} (${c.kind} "${String(c.metadata.name)}"); expected: ${p.allowed}`;
      out.push({ path: c.node.path, field: p.field, value: p.value, allowed: p.allowed, message });
    }
  }
  return out;
}

const SELECTING_WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/**
 * Workloads of one namespace whose selector matches another workload's pod labels: their
 * controllers would fight over the same pods (scaling each other's replicas away). Reported at
 * the later object, naming both.
 */
export function workloadSelectorOverlaps(objects: readonly RenderedObject[]): ReportedProblem[] {
  const workloads: Array<{ path: string; ns: string; name: string; selector: Record<string, string>; labels: Record<string, string> }> = [];
  for (const { object: c, manifest } of objects) {
    if (!SELECTING_WORKLOADS.has(c.kind)) continue;
    const spec = (manifest as { spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> } } } }).spec;
    const selector = spec?.selector?.matchLabels;
    if (!selector || Object.keys(selector).length === 0) continue;
    workloads.push({ path: c.node.path, ns: c.metadata.namespace ?? '', name: String(c.metadata.name), selector, labels: spec?.template?.metadata?.labels ?? {} });
  }
  const out: ReportedProblem[] = [];
  workloads.forEach((b, j) => {
    const a = workloads.slice(0, j).find((w) => w.ns === b.ns && (matches(w.selector, b.labels) || matches(b.selector, w.labels)));
    if (!a) return;
    out.push(reportProblem(b.path, {
      field: 'spec.selector.matchLabels',
      value: b.selector,
      allowed: `labels that select only the pods of ${b.name}`,
      why: `${a.name} (${a.path}) selects the same pods; their controllers would fight over them (give each model service its own labels)`,
    }));
  });
  return out;
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
