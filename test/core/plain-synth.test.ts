/**
 * Plain `app.synth()` (what `cdk8s synth` runs) applies the same app-wide rules as synthApp: the
 * API server's rules on every object, objects that overwrite each other, overlapping selectors.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { LlmdValidationError, synthApp } from '../../src';
import { FuriosaModelService } from '../../src/model-service';
import { newChart } from '../support';

const MODEL = { name: 'o/m', uri: 'hf://o/m' };

function withBadConfigMap(): { app: App; chart: Chart } {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  new ApiObject(chart, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name' }, data: { a: 'b' } });
  return { app, chart };
}

const yamlFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')) : []);

test('app.synth() refuses an object the API server would reject, naming its path and field, and writes no manifest', () => {
  const { app } = withBadConfigMap();
  expect(() => app.synth()).toThrow(/\[test\/extra\] metadata\.name: value "Not_A_Name" is not allowed/);
  expect(yamlFiles(app.outdir)).toEqual([]);
});

test('synthApp reports the same problem once, structured', () => {
  const { app } = withBadConfigMap();
  let error: unknown;
  try {
    synthApp(app);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LlmdValidationError);
  expect((error as LlmdValidationError).problems).toEqual([expect.objectContaining({ path: 'test/extra', field: 'metadata.name', value: 'Not_A_Name' })]);
});

test('app.synth() reports two objects that would overwrite each other', () => {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ms-llm-d-modelservice' } });
  expect(() => app.synth()).toThrow(/\[test\/sa\] metadata\.name: .*would overwrite each other/);
});

test('a value a construct refused is reported once by app.synth(), by the construct', () => {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { replicas: -1 } });
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message.match(/-1/g)).toHaveLength(1);
  expect(message).toContain('[test/ms] decode.replicas: value -1 is not allowed');
});

test('an app without problems synthesizes with app.synth() as before', () => {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  app.synth();
  expect(yamlFiles(app.outdir)).toEqual(['test.k8s.yaml']);
});
