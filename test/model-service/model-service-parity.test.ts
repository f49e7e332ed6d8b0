import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { applySet } from '../../src/cli/values';
import { modelServiceFromHelmValues } from '../../src/helm';
import { caseNames, expectContains, loadCase, newChart, synth } from '../support';

describe('ModelService parity with llm-d-incubation/llm-d-modelservice v0.4.12', () => {
  const names = caseNames('upstream-');
  test('reference cases exist', () => {
    expect(names).toEqual(expect.arrayContaining(['upstream-cpu', 'upstream-pd', 'upstream-pvc-hf', 'upstream-xpu']));
  });
  test.each(names)('%s: fromHelmValues output contains expected.yaml', (name) => {
    const c = loadCase(name);
    const values = JSON.parse(JSON.stringify(c.values)) as Record<string, unknown>;
    for (const s of c.sets) applySet(values, s);
    const { chart } = newChart(c.namespace);
    modelServiceFromHelmValues(chart, 'ms', values, { release: c.release, namespace: c.namespace });
    expectContains(c.expected, synth(chart));
  });
});

/**
 * Extra values variants (test/model-service/fixtures/modelservice-variants/*): values, the
 * `helm template` command and helm's real output for v0.4.12 (GPU P/D with monitoring and the
 * accelerator-warning annotation, pvc+hf without proxy, chart defaults, intel-xe overrides,
 * custom prefill-only CPU, pvc:// with tensor 8 on the simulator).
 */
describe('ModelService parity with helm-rendered variants', () => {
  const dir = path.join(__dirname, 'fixtures', 'modelservice-variants');
  const variants = fs.readdirSync(dir).sort();
  test('variants exist', () => expect(variants.length).toBeGreaterThanOrEqual(6));
  test.each(variants)('%s', (v) => {
    const command = fs.readFileSync(path.join(dir, v, 'command.txt'), 'utf8').trim().split(/\s+/);
    const values = YAML.parse(fs.readFileSync(path.join(dir, v, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const { chart } = newChart('default');
    modelServiceFromHelmValues(chart, 'ms', values, { release: command[2], namespace: 'default' });
    expectContains(fs.readFileSync(path.join(dir, v, 'expected.yaml'), 'utf8'), synth(chart));
  });
});
