import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LlmdValidationError } from './errors';
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

/**
 * Validates the whole app and renders every chart in memory, so that bad input writes
 * nothing; then writes the YAML (`app.synth()`) and the extra files of constructs that have
 * them (see `ISynthFiles`). Use it instead of `app.synth()` in a cdk8s app's entry point.
 */
export function synthApp(app: App): void {
  validateTree(app);
  for (const chart of app.charts) Chart.of(chart).toJson();
  const files: Array<[string, string]> = [];
  for (const c of app.node.findAll()) {
    if (isSynthFiles(c)) files.push(...Object.entries(c.synthFiles()));
  }
  app.synth();
  for (const [name, content] of files) {
    fs.writeFileSync(path.join(app.outdir, name), content);
  }
}
