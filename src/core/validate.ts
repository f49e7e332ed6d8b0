import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LlmdValidationError } from './errors';
import { stringifyManifests } from './manifest-yaml';
import { isSynthFiles } from './synth-files';

/**
 * Runs every validation in the construct tree and throws one {@link LlmdValidationError} that
 * lists all of them. Call it before writing anything: `App.synth()` creates its output folder
 * before it validates.
 */
export function validateTree(root: IConstruct): void {
  const found: Array<{ path: string; message: string }> = [];
  for (const c of root.node.findAll()) {
    for (const message of c.node.validate()) {
      found.push({ path: c.node.path, message });
    }
  }
  if (found.length > 0) throw new LlmdValidationError(found);
}

/** The API objects of one chart in dependency order, as cdk8s orders them. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/** Renders every chart of the app in memory: `[file name, YAML]`, named like `cdk8s synth` names them. */
export function renderApp(app: App): Array<[string, string]> {
  const charts = app.charts;
  // cdk8s prefixes file names with an index when charts depend on each other, so they apply in order.
  const indexed = charts.some((c) => c.node.dependencies.some((d) => d instanceof Chart));
  return charts.map((chart, i) => {
    const base = Names.toDnsLabel(chart);
    const name = indexed ? `${String(i).padStart(4, '0')}-${base}` : base;
    return [`${name}.k8s.yaml`, stringifyManifests(...chartObjects(chart).map((o) => o.toJson()))];
  });
}

/**
 * Validates the whole app once and renders every chart in memory, so that bad input writes
 * nothing; then writes the YAML files (named as `cdk8s synth` names them) and the extra files
 * of constructs that have them (see `ISynthFiles`). Use it instead of `app.synth()` in a cdk8s
 * app's entry point: `app.synth()` validates the whole app again for every chart, which grows
 * quadratically with the number of charts.
 */
export function synthApp(app: App): void {
  validateTree(app);
  const files = renderApp(app);
  for (const c of app.node.findAll()) {
    if (isSynthFiles(c)) files.push(...Object.entries(c.synthFiles()));
  }
  fs.mkdirSync(app.outdir, { recursive: true });
  for (const [name, content] of files) fs.writeFileSync(path.join(app.outdir, name), content);
}
