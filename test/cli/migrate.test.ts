/**
 * `cdk8s-llm-d migrate inferencepool`: inferencepool v1.3.0 values to llm-d-router-gateway v0.10.0
 * values, checked by rendering both: the migrated seed-000 values are the input of a helm-rendered
 * variant (test/fixtures/variants/router-gateway-migrated-seed000, parity in router-parity.test.ts)
 * and render to the objects of router-gateway-furiosa-seed000, the hand migration of the same guide.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseValuesYaml } from '../../src/cli/values';
import { migrateInferencePoolValues } from '../../src/helm/migrate-inferencepool';
import { compareManifests, parseManifests } from '../../src/testing/semdiff';
import { FIXTURES, loadCase } from '../support';
import { cli } from './support';

const SEED = path.join(FIXTURES, 'cases', 'gaie-seed000');

describe('migrate inferencepool', () => {
  const r = cli(['migrate', 'inferencepool', '-f', 'values.yaml'], SEED);

  test('prints the values of the helm-rendered migrated variant, with its decisions as comments', () => {
    expect(r.code).toBe(0);
    const fixture = fs.readFileSync(path.join(FIXTURES, 'variants', 'router-gateway-migrated-seed000', 'values.yaml'), 'utf8');
    expect(parseValuesYaml(r.stdout)).toEqual(parseValuesYaml(fixture));
    expect(r.stdout).toMatch(/^# - \*-metric flags moved into furiosa-llm-plugins.yaml/m);
    expect(r.stdout).toMatch(/^# - image ghcr.io\/llm-d\/llm-d-inference-scheduler:v0.5.0 cannot read llm-d.ai\/v1alpha1 configs/m);
  });

  test('the migrated values render like the hand-migrated guide (router-gateway-furiosa-seed000), up to the config file name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-migrate-'));
    fs.writeFileSync(path.join(dir, 'migrated.yaml'), r.stdout);
    const out = cli(['render', 'llm-d-router-gateway', '--release', 'gaie', '-n', 'llm-d', '-f', 'migrated.yaml'], dir);
    expect(out.code).toBe(0);
    const ours = parseManifests(out.stdout.replace(/furiosa-llm-plugins\.yaml/g, 'furiosa-plugins.yaml'));
    expect(compareManifests(loadCase('router-gateway-furiosa-seed000').expected, ours).summary).toMatch(/^semdiff: objects=(\d+)\/\1 leaves=(\d+)\/\2 missing_objects=0/);
  });

  test('no metric flag survives; other flags and keys move', () => {
    const m = migrateInferencePoolValues({
      inferenceExtension: { flags: { v: 3, 'lora-info-metric': '' }, pluginsConfigFile: 'mine.yaml', pluginsCustomConfig: { 'mine.yaml': 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\nschedulingProfiles: []\n' }, failureMode: 'FailClose' },
      inferencePool: { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', modelServers: { matchLabels: { app: 'x' } } },
      experimentalHttpRoute: { enabled: true },
    });
    const router = m.values.router as any;
    expect(router.epp.flags).toEqual({ v: 3 });
    expect(router.inferencePool.failureMode).toBe('FailClose');
    expect(router.modelServers.matchLabels).toEqual({ app: 'x' });
    expect((m.values.httpRoute as any).create).toBe(true);
    const cfg = parseValuesYaml(router.epp.pluginsCustomConfig['mine.yaml']) as any;
    expect(cfg.apiVersion).toBe('llm-d.ai/v1alpha1');
    expect(cfg.plugins[1]).toEqual({ type: 'core-metrics-extractor', parameters: { defaultEngine: 'migrated', engineConfigs: [{ name: 'migrated', loraSpec: '' }] } });
    expect(m.notes).toContain('inferencePool.apiVersion dropped: llm-d-router always writes inference.networking.k8s.io/v1 pools');
  });

  test('refuses what it cannot carry over, naming the key and the source', () => {
    const bad = cli(['migrate', 'inferencepool', '--set', 'inferenceExtension.latencyPredictor.enabled=true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[--set inferenceExtension.latencyPredictor.enabled=true] inferenceExtension.latencyPredictor.enabled: value true is not allowed (no automatic migration');
    expect(cli(['migrate', 'modelservice', '-f', 'x.yaml']).stderr).toContain('migrate reads inferencepool values only');
  });
});
