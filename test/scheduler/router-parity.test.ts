/**
 * Parity of the llm-d-router v0.10 adapters with real `helm template` output: the reference cases
 * (test/fixtures/cases/router-*) and values variants rendered from the charts
 * (test/fixtures/variants/router-*), through inferenceSchedulerPoolFromRouterValues.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseValuesYaml } from '../../src/cli/values';
import { inferenceSchedulerPoolFromRouterValues, LlmdRouterChart } from '../../src/helm';
import { compareManifests, parseManifests } from '../../src/testing/semdiff';
import { caseNames, expectContains, FIXTURES, loadCase, newChart, synth } from '../support';

const chartOf = (name: string): LlmdRouterChart => (name.startsWith('router-gateway-') ? 'gateway' : 'standalone');

describe('parity with helm template (router-*)', () => {
  const cases = caseNames('router-');
  it('has the four reference cases', () => {
    expect(cases).toEqual(['router-gateway-defaults', 'router-gateway-furiosa-seed000', 'router-standalone-defaults', 'router-standalone-optimized-baseline']);
  });

  it.each(cases)('%s: output contains expected.yaml', (name) => {
    const c = loadCase(name);
    const { chart } = newChart(c.namespace);
    inferenceSchedulerPoolFromRouterValues(chart, 'gaie', chartOf(name), c.values, { release: c.release, namespace: c.namespace });
    const ours = synth(chart);
    expect(compareManifests(c.expected, ours).summary).toMatch(/^semdiff: objects=(\d+)\/\1 leaves=(\d+)\/\2 missing_objects=0/);
    expectContains(c.expected, ours);
  });
});

describe('parity with helm template on values variants (router-*)', () => {
  const dir = path.join(FIXTURES, 'variants');
  const names = fs.readdirSync(dir).filter((n) => n.startsWith('router-')).sort();
  it('has the rendered variants', () => expect(names.length).toBeGreaterThanOrEqual(8));

  it.each(names)('%s: output contains expected.yaml', (name) => {
    const words = fs.readFileSync(path.join(dir, name, 'command.txt'), 'utf8').trim().split(/\s+/);
    const namespace = words[words.indexOf('-n') + 1];
    const values = (parseValuesYaml(fs.readFileSync(path.join(dir, name, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
    const expected = parseManifests(fs.readFileSync(path.join(dir, name, 'expected.yaml'), 'utf8'));
    const { chart } = newChart(namespace);
    inferenceSchedulerPoolFromRouterValues(chart, 'gaie', chartOf(name), values, { release: words[2], namespace });
    expectContains(expected, synth(chart));
  });
});
