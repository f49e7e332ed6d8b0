/**
 * Parity of inferenceSchedulerPoolFromHelmValues with real `helm template` output of the
 * inferencepool chart v1.3.0 for values variants (test/fixtures/variants/gaie-*): each folder
 * holds the values.yaml, the command line that rendered it and helm's expected.yaml.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseValuesYaml } from '../../src/cli/values';
import { inferenceSchedulerPoolFromHelmValues } from '../../src/helm';
import { parseManifests } from '../../src/testing/semdiff';
import { expectContains, FIXTURES, newChart, synth } from '../support';

const VARIANTS = path.join(FIXTURES, 'variants');
const PREFIX = 'gaie-';

interface Variant {
  readonly values: Record<string, unknown>;
  readonly expected: Record<string, unknown>[];
  readonly release: string;
  readonly namespace: string;
}

/** Reads a variant folder; release and namespace come from command.txt (`helm template R <chart> -n NS ...`). */
function loadVariant(name: string): Variant {
  const dir = path.join(VARIANTS, name);
  const words = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8').trim().split(/\s+/);
  const nsIdx = words.indexOf('-n');
  return {
    // Values are parsed the way helm reads them (YAML 1.1), as the CLI does.
    values: (parseValuesYaml(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>,
    expected: parseManifests(fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8')),
    release: words[2],
    namespace: nsIdx >= 0 ? words[nsIdx + 1] : 'default',
  };
}

const names = fs.existsSync(VARIANTS) ? fs.readdirSync(VARIANTS).filter((n) => n.startsWith(PREFIX)).sort() : [];

describe('InferenceSchedulerPool parity with helm on values variants (gaie-*)', () => {
  test('the inferencepool variants are present', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
  });

  test.each(names)('%s: fromHelmValues output contains expected.yaml', (name) => {
    const v = loadVariant(name);
    expect(v.expected.length).toBeGreaterThan(0);
    const { chart } = newChart(v.namespace);
    inferenceSchedulerPoolFromHelmValues(chart, 'gaie', v.values, { release: v.release, namespace: v.namespace });
    expectContains(v.expected, synth(chart));
  });
});
