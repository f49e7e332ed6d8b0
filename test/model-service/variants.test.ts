/**
 * Parity of extra values variants (test/fixtures/variants/furiosa-*): each folder holds a values
 * file, the `helm template` command line and helm's real output for furiosa/llm-d-modelservice
 * 2026.1.0; fromHelmValues must contain every object and field of it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { furiosaModelServiceFromHelmValues } from '../../src/helm';
import { parseManifests } from '../../src/testing/semdiff';
import { expectContains, FIXTURES, newChart, synth } from '../support';

const VARIANTS = path.join(FIXTURES, 'variants');

interface Variant {
  readonly values: Record<string, unknown>;
  readonly expected: Record<string, unknown>[];
  readonly release: string;
  readonly namespace: string;
}

function variantNames(prefix: string): string[] {
  if (!fs.existsSync(VARIANTS)) return [];
  return fs.readdirSync(VARIANTS).filter((n) => n.startsWith(prefix)).sort();
}

function loadVariant(name: string): Variant {
  const dir = path.join(VARIANTS, name);
  const words = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8').trim().split(/\s+/);
  const nsIdx = words.indexOf('-n');
  return {
    values: (YAML.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>,
    expected: parseManifests(fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8')),
    release: words[2],
    namespace: nsIdx >= 0 ? words[nsIdx + 1] : 'default',
  };
}

describe('FuriosaModelService parity with helm on values variants', () => {
  const names = variantNames('furiosa-');
  test('variants exist', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
  });
  test.each(names)('%s: fromHelmValues output contains expected.yaml', (name) => {
    const v = loadVariant(name);
    expect(v.expected.length).toBeGreaterThan(0);
    const { chart } = newChart(v.namespace);
    furiosaModelServiceFromHelmValues(chart, 'ms', v.values, { release: v.release, namespace: v.namespace });
    expectContains(v.expected, synth(chart));
  });
});
