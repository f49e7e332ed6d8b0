import { furiosaModelServiceFromHelmValues } from '../../src/helm';
import { caseNames, expectContains, loadCase, newChart, synth } from '../support';

describe('FuriosaModelService parity with furiosa/llm-d-modelservice 2026.1.0', () => {
  const names = caseNames('furiosa-');
  test('reference cases exist', () => {
    expect(names).toEqual(expect.arrayContaining(['furiosa-dra', 'furiosa-hf-dp', 'furiosa-seed000']));
  });
  test.each(names)('%s: fromHelmValues output contains expected.yaml', (name) => {
    const c = loadCase(name);
    const { chart } = newChart(c.namespace);
    furiosaModelServiceFromHelmValues(chart, 'ms', c.values, { release: c.release, namespace: c.namespace });
    expectContains(c.expected, synth(chart));
  });
});
