import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { setLibrarySynth } from '../core/app-synth';
import { writeFilesAtomically } from '../core/atomic-write';
import { nameCollisions } from '../core/collisions';
import { constructWarnings, describeProblem, LlmdValidationError, ReportedProblem, restate, setAppRules, structuredProblems, withoutRepeatedProps } from '../core/errors';
import { stringifyManifests } from '../core/manifest-yaml';
import { notReportedBefore, objectRuleProblems, withoutFollowOns, objectRuleWarnings, RenderedObject, renderedObjects, workloadSelectorOverlaps } from '../core/object-rules';
import { isSynthFiles } from '../core/synth-files';
import { isVerbatim } from '../core/verbatim-manifests';
import { declaredNodePools } from '../core/node-pools';
import { checkSystem } from '../system/system-model';
import { describeObject } from '../system/finding';
import type { SystemFinding, SystemManifest } from '../system/finding';
import { reportFinding } from '../system/report';
import { upgradeFindings } from '../system/upgrades';
import { conflictReports } from '../system/conflicts';
import { MANIFEST_YAML_LIMITS, parseYamlDocuments } from '../core/yaml-read';

/**
 * Runs every validation in the construct tree, the app-wide rule that no two objects share
 * kind, namespace and name, and the API server's rules on every object about to be written, and
 * throws one {@link LlmdValidationError} that lists all of them. When nothing is wrong, `warn`
 * gets what the cluster accepts but is likely a mistake (a container that declares ports but not
 * the one its server is started on). Call it before writing anything: `App.synth()` creates its
 * output folder before it validates.
 */
export function validateTree(root: IConstruct, warn?: (warning: ReportedProblem) => void): void {
  validateObjects(root, warn);
}

/** How a validation treats what a chart's output may hold. */
export interface SystemOptions {
  /**
   * Keep a chart's output as it renders (the CLI's `render`): the system model's errors and what
   * server-side apply rejects (list-map duplicates such as an env name twice in a container, a
   * port two containers bind, a number in exponent form on a command line) become warnings.
   * @default false
   */
  readonly keepChartOutput?: boolean;
}

/** {@link validateTree}, returning the objects it rendered (so a synth need not render them again). */
function validateObjects(root: IConstruct, warn?: (warning: ReportedProblem) => void, options: SystemOptions = {}): RenderedObject[] {
  // One walk of the tree for every rule below.
  const all = root.node.findAll();
  const found: ReportedProblem[] = withoutFollowOns(withoutRepeatedProps(all.flatMap(structuredProblems)));
  const objects = renderedObjects(all);
  found.push(...appWideProblems(all, objects, found, options.keepChartOutput));
  const system = systemFindings(all, objects, found);
  const byPath = new Map(objects.map((o) => [o.object.node.path, o.object]));
  const systemErrors = system.filter((f) => f.severity === 'error').map((f) => reportFindingAtProp(f, byPath));
  if (!options.keepChartOutput) found.push(...systemErrors);
  if (found.length > 0) throw new LlmdValidationError(found);
  if (warn) {
    const systemWarnings = system.filter((f) => f.severity === 'warning').map(reportFinding);
    for (const w of [...all.flatMap(constructWarnings), ...objectRuleWarnings(objects, { applyProblemsAsWarnings: options.keepChartOutput }), ...(options.keepChartOutput ? systemErrors : []), ...systemWarnings]) warn(w);
  }
  return objects;
}

/**
 * The system model over the rendered app, with the nodes its constructs declared, leaving out
 * what follows from a problem already found.
 */
function systemFindings(all: readonly IConstruct[], objects: readonly RenderedObject[], already: readonly ReportedProblem[]): SystemFinding[] {
  const manifests = objects.map((o) => ({ manifest: o.manifest, source: o.object.node.path }));
  return withoutFollowing(checkSystem(manifests, { nodes: declaredNodePools(all) }), already);
}

/**
 * A finding about an object a construct built from the user's props (a stack's model servers),
 * reported at the prop the user wrote when the construct says which (`models[0].replicas` for
 * too many pods on a ReadWriteOnce claim); else at the object.
 */
function reportFindingAtProp(f: SystemFinding, byPath: ReadonlyMap<string, IConstruct>): ReportedProblem {
  const c = f.source === undefined ? undefined : byPath.get(f.source);
  const p = { field: f.field, value: f.value, allowed: f.allowed, ...(f.why !== undefined ? { why: f.why } : {}) };
  const r = c === undefined ? undefined : restate(c, p);
  if (r === undefined) return reportFinding(f);
  return { path: r.path, ...r.problem, message: `${describeObject(f.object)} [${f.rule}] ${describeProblem(r.problem)}` };
}

/** Findings about objects of a construct (or a parent or child of it) that already has a problem: they follow from it. */
function withoutFollowing(findings: readonly SystemFinding[], already: readonly ReportedProblem[]): SystemFinding[] {
  if (already.length === 0) return [...findings];
  return findings.filter((f) => !already.some((a) => f.source !== undefined && (f.source === a.path || f.source.startsWith(`${a.path}/`) || a.path.startsWith(`${f.source}/`))));
}

/**
 * The rules over the rendered app, beyond each construct's own: objects that overwrite each other,
 * the API server's rules on every object, and workloads whose selectors overlap. What `already`
 * holds (the constructs' problems) is not reported again.
 */
function appWideProblems(all: readonly IConstruct[], objects: readonly RenderedObject[], already: readonly ReportedProblem[], applyProblemsAsWarnings = false): ReportedProblem[] {
  const collisions = notReportedBefore(nameCollisions(all), already);
  // Two autoscalers on one target, overlapping disruption budgets, one dashboard uid twice, between
  // objects no operations construct made (those report their own).
  return [...collisions, ...objectRuleProblems(objects, [...already, ...collisions], { applyProblemsAsWarnings }), ...notReportedBefore(workloadSelectorOverlaps(objects), already), ...conflictReports(all)];
}

/**
 * {@link appWideProblems} and the system model's errors for plain `app.synth()` (and `cdk8s
 * synth`), which runs the constructs' own checks itself: those are read only when an app-wide
 * rule fired, to leave out what a construct reported first.
 */
function appRules(root: IConstruct): ReportedProblem[] {
  const all = root.node.findAll();
  const objects = renderedObjects(all);
  const systemErrors = systemFindings(all, objects, []).filter((f) => f.severity === 'error');
  if (appWideProblems(all, objects, []).length === 0 && systemErrors.length === 0) return [];
  const own = all.flatMap(structuredProblems);
  const wide = appWideProblems(all, objects, own);
  return [...wide, ...withoutFollowing(systemErrors, [...own, ...wide]).map(reportFinding)];
}
setAppRules(appRules);

/** `warning: [path] message` on stderr: what {@link synthApp} does with the warnings of {@link validateTree}. */
function printWarning(w: ReportedProblem): void {
  process.stderr.write(`warning: [${w.path}] ${w.message}\n`);
}

/** The API objects of one chart in dependency order, as cdk8s orders them. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/**
 * What `App.synth()` does before it orders charts: a chart depends on the charts nested in it and
 * on the charts its constructs depend on, and objects on the objects their constructs depend on.
 * Returns whether any chart depends on another (cdk8s then prefixes file names with an index, so
 * they apply in order).
 */
function resolveChartDependencies(app: App): boolean {
  let dependent = false;
  const all = app.node.findAll();
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        dependent = true;
      }
    }
  }
  for (const source of all) {
    for (const target of source.node.dependencies) {
      const from = Chart.of(source);
      const to = Chart.of(target);
      if (from !== to) {
        from.node.addDependency(to);
        dependent = true;
      }
      if (source instanceof Chart || target instanceof Chart) continue;
      const objectsOf = (c: IConstruct, chart: Chart) => c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
      const targets = objectsOf(target, to);
      for (const s of objectsOf(source, from)) for (const t of targets) if (s !== t) s.node.addDependency(t);
    }
  }
  return dependent;
}

/** cdk8s's file name for one object: `Kind.name` without characters unsafe in a path. */
function objectFileName(o: ApiObject): string {
  return `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}

/** One object as a YAML document; a vendored document as it was written. */
function documentOf(o: ApiObject, rendered?: ReadonlyMap<ApiObject, unknown>): string {
  return isVerbatim(o) ? o.text : stringifyManifests(rendered?.get(o) ?? o.toJson());
}

/** Documents joined as cdk8s joins them (`---` lines between). */
function joinDocuments(objects: readonly ApiObject[], rendered?: ReadonlyMap<ApiObject, unknown>): string {
  return objects.length === 0 ? stringifyManifests() : objects.map((o) => documentOf(o, rendered)).join('---\n');
}

/**
 * Renders every chart of the app in memory: `[relative file path, YAML]`, laid out as
 * `cdk8s synth` lays them out for the app's `yamlOutputType` and `outputFileExtension`.
 */
export function renderApp(app: App, rendered?: ReadonlyMap<ApiObject, unknown>): Array<[string, string]> {
  const indexed = resolveChartDependencies(app);
  const charts = app.charts;
  const ext = app.outputFileExtension;
  const chartName = (chart: Chart, i: number): string => (indexed ? `${String(i).padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart));
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      return charts.length > 0 ? [[`app${ext}`, joinDocuments(charts.flatMap(chartObjects), rendered)]] : [];
    case YamlOutputType.FILE_PER_RESOURCE:
      return charts.flatMap((chart) => chartObjects(chart).map((o): [string, string] => [`${objectFileName(o)}${ext}`, documentOf(o, rendered)]));
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      return charts.flatMap((chart, i) => chartObjects(chart).map((o): [string, string] => [path.join(chartName(chart, i), `${objectFileName(o)}${ext}`), documentOf(o, rendered)]));
    default:
      return charts.map((chart, i) => [`${chartName(chart, i)}${ext}`, joinDocuments(chartObjects(chart), rendered)]);
  }
}

/**
 * {@link validateTree} for the app of `chart`, returning that chart's manifests in the order
 * `chart.toJson()` gives them, from the renderings the validation made: calling `chart.toJson()`
 * afterwards would validate the whole app again.
 */
export function validatedChartManifests(chart: Chart, warn?: (warning: ReportedProblem) => void, options: SystemOptions = {}): unknown[] {
  const app = App.of(chart);
  const rendered = new Map(validateObjects(app, warn, options).map((o) => [o.object, o.manifest]));
  resolveChartDependencies(app);
  return chartObjects(chart).map((o) => rendered.get(o) ?? o.toJson());
}

/**
 * Validates the whole app once and renders every chart in memory, so that bad input writes
 * nothing; then writes the YAML files, all or none (into a staging folder next to the output
 * folder, then moved in: any failure leaves the output folder as it was), named and laid out as
 * `cdk8s synth` would for the app's output settings, and the extra files of constructs that have
 * them (see `ISynthFiles`: a stack's description, istiod values). Prints warnings on stderr.
 *
 * `app.synth()` does the same for an app that holds this library's constructs (the first one
 * makes it so); `synthApp` also returns what it wrote.
 */
export function synthApp(app: App): SynthSummary {
  const objects = validateObjects(app, printWarning);
  const files = renderApp(app, new Map(objects.map((o) => [o.object, o.manifest])));
  const objectCount = files.reduce((n, [, text]) => n + (text.match(/^kind: /gm)?.length ?? 0), 0);
  const manifests = files.length;
  for (const c of app.node.findAll()) {
    if (isSynthFiles(c)) files.push(...Object.entries(c.synthFiles()));
  }
  // cdk8s keeps the setting private; it writes the file when the app was created with it (or CDK8S_RECORD_CONSTRUCT_METADATA=true).
  if ((app as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata === true) files.push(['construct-metadata.json', constructMetadata(objects)]);
  // What the output folder held before: changes the API server refuses to apply in place are warned about.
  for (const f of upgradeWarnings(app.outdir, files.slice(0, manifests), objects)) printWarning(f);
  // All or nothing: a file the file system refuses, or any failure half-way, leaves the output folder as it was.
  writeFilesAtomically(app.outdir, files);
  const summary = `wrote ${files.length} files to ${app.outdir}: ${manifests} manifest files with ${objectCount} objects`;
  return { outdir: app.outdir, files: files.map(([name]) => name), objects: objectCount, summary };
}
setLibrarySynth((app) => {
  synthApp(app);
});

/** cdk8s's `construct-metadata.json` (`recordConstructMetadata`): each object's construct path by its name. */
function constructMetadata(objects: readonly RenderedObject[]): string {
  const resources: Record<string, { path: string }> = {};
  for (const { object } of objects) resources[object.name] = { path: object.node.path };
  return JSON.stringify({ version: '1.0.0', resources });
}

/** Most bytes of a previous manifest file read for the upgrade check. */
const MAX_PREVIOUS_BYTES = 64 * 1024 * 1024;

/**
 * The upgrade rules of the system model between the manifest files already in `outdir` (a
 * previous synth) and the new ones: only files whose text changed are parsed, so a synth with
 * nothing changed pays one read and one comparison per file.
 */
function upgradeWarnings(outdir: string, files: ReadonlyArray<[string, string]>, objects: readonly RenderedObject[]): ReportedProblem[] {
  const previous: SystemManifest[] = [];
  for (const [name, text] of files) {
    const file = path.join(outdir, name);
    let old: string;
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_PREVIOUS_BYTES) continue;
      old = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (old === text) continue;
    try {
      for (const m of parseYamlDocuments(old, MANIFEST_YAML_LIMITS, (why) => new Error(why))) {
        if (typeof m === 'object' && m !== null && !Array.isArray(m)) previous.push({ manifest: m as Record<string, unknown>, source: file });
      }
    } catch {
      // Not YAML we can read: nothing to compare with.
    }
  }
  if (previous.length === 0) return [];
  const next = objects.map((o) => ({ manifest: o.manifest, source: o.object.node.path }));
  return upgradeFindings(previous, next).map((f) => {
    const r = reportFinding(f);
    return { ...r, message: `${r.message} (compared with ${path.relative(process.cwd(), outdir) || '.'} as it was)` };
  });
}

/** What {@link synthApp} wrote. */
export interface SynthSummary {
  readonly outdir: string;
  /** Paths of the files written, relative to `outdir`. */
  readonly files: readonly string[];
  /** Objects in the manifest files. */
  readonly objects: number;
  /** One line for a person: `wrote 4 files to dist: 2 manifest files with 47 objects`. */
  readonly summary: string;
}
