import { helmChart } from '../../src/helm/registry';
import '../../src/helm/charts';
import { loadCase, newChart, synth, expectContains } from '../support';
test('the registered CLI adapter llm-d-infra renders infra-seed000', () => {
  const a = helmChart('llm-d-infra')!;
  const c = loadCase('infra-seed000');
  const { chart } = newChart(c.namespace);
  a.create(chart, c.release, a.toProps(c.values, { release: c.release, namespace: c.namespace }));
  expectContains(c.expected, synth(chart));
});
