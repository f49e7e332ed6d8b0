/**
 * Parity of istioGieGatewayFromHelmValues with real `helm template` output of the llm-d-infra
 * chart v1.3.10 for values variants (test/fixtures/variants/infra-*): each folder holds the
 * values.yaml, the command line that rendered it and helm's expected.yaml.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseValuesYaml } from '../../src/cli/values';
import { istioGieGatewayFromHelmValues } from '../../src/helm';
import { expectContains, FIXTURES, newChart, synth } from '../support';

const VARIANTS = path.join(FIXTURES, 'variants');
const PREFIX = 'infra-';

interface Variant {
  readonly values: Record<string, unknown>;
  readonly expectedText: string;
  readonly release: string;
  readonly namespace: string;
}

/** Reads a variant folder; release and namespace come from command.txt (`helm template R <chart> -n NS ...`). */
function loadVariant(name: string): Variant {
  const dir = path.join(VARIANTS, name);
  const words = fs.readFileSync(path.join(dir, 'command.txt'), 'utf8').trim().split(/\s+/);
  const nsIdx = words.indexOf('-n');
  // Values are parsed the way helm reads them (YAML 1.1), as the CLI does.
  const values = parseValuesYaml(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8')) ?? {};
  return {
    values: values as Record<string, unknown>,
    expectedText: fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8'),
    release: words[2],
    namespace: nsIdx >= 0 ? words[nsIdx + 1] : 'default',
  };
}

const names = fs.existsSync(VARIANTS) ? fs.readdirSync(VARIANTS).filter((n) => n.startsWith(PREFIX)).sort() : [];

test('the llm-d-infra variants are present', () => {
  expect(names.length).toBeGreaterThanOrEqual(10);
});

test.each(names)('%s: helm template output is contained in ours', (name) => {
  const v = loadVariant(name);
  const { chart } = newChart(v.namespace);
  istioGieGatewayFromHelmValues(chart, 'infra', v.values, { release: v.release, namespace: v.namespace });
  expectContains(v.expectedText, synth(chart));
});

test('an unquoted "." in helm output and in values is a string, not NaN (DestinationRule exportTo)', () => {
  const values = parseValuesYaml('gateway:\n  destinationRule:\n    enabled: true\n    host: x\n    exportTo:\n      - .\n') as Record<string, unknown>;
  const { chart } = newChart('llm-d');
  istioGieGatewayFromHelmValues(chart, 'infra', values, { release: 'r', namespace: 'llm-d' });
  const objects = synth(chart);
  expect(objects.find((o) => o.kind === 'DestinationRule')).toMatchObject({ spec: { exportTo: ['.'] } });
  expectContains('apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata:\n  name: r-inference-gateway\nspec:\n  exportTo:\n    - .\n', objects);
});

test('a listener-level hostname (ignored by the chart) is rendered on the listener; tls.hostname still wins', () => {
  const { chart } = newChart('llm-d');
  istioGieGatewayFromHelmValues(chart, 'infra', { gateway: { listeners: [
    { name: 'http', port: 80, protocol: 'HTTP', hostname: 'api.example.com' },
    { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'ignored.example.com', tls: { hostname: 'tls.example.com', mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } },
  ] } }, { release: 'infra', namespace: 'llm-d' });
  const gw = synth(chart).find((o) => o.kind === 'Gateway') as any;
  expect(gw.spec.listeners.map((l: any) => [l.name, l.hostname])).toEqual([['http', 'api.example.com'], ['https', 'tls.example.com']]);
});
