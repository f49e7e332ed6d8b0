import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LlmdValidationError } from './errors';

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

/**
 * Validates the whole app, renders every chart in memory (so a failure in rendering writes
 * nothing either), then writes the YAML files with `app.synth()`.
 */
export function synthApp(app: App): void {
  validateTree(app);
  for (const chart of app.charts) Chart.of(chart).toJson();
  app.synth();
}
