import * as YAML from 'yaml';
import { EndpointPickerConfig, EndpointPickerConfigSpec } from '../../src/scheduler';
import { loadCase, objectOf } from '../support';

/** A file of a reference case's EPP ConfigMap. */
function loadCaseConfig(caseName: string, file: string): string {
  return objectOf(loadCase(caseName).expected, 'ConfigMap', 'gaie-epp').data[file] as string;
}

describe('EndpointPickerConfig presets', () => {
  it('defaultPlugins() renders exactly the chart\'s default-plugins.yaml', () => {
    expect(YAML.parse(EndpointPickerConfig.toYaml(EndpointPickerConfig.defaultPlugins()))).toEqual(YAML.parse(loadCaseConfig('gaie-defaults', 'default-plugins.yaml')));
    expect(EndpointPickerConfig.validate(EndpointPickerConfig.defaultPlugins())).toEqual([]);
  });

  it('renders like the chart: header first, unindented lists', () => {
    expect(EndpointPickerConfig.toYaml(EndpointPickerConfig.defaultPlugins())).toBe(
      [
        'apiVersion: inference.networking.x-k8s.io/v1alpha1',
        'kind: EndpointPickerConfig',
        'plugins:',
        '- type: queue-scorer',
        '- type: kv-cache-utilization-scorer',
        '- type: prefix-cache-scorer',
        'schedulingProfiles:',
        '- name: default',
        '  plugins:',
        '  - pluginRef: queue-scorer',
        '    weight: 2',
        '  - pluginRef: kv-cache-utilization-scorer',
        '    weight: 2',
        '  - pluginRef: prefix-cache-scorer',
        '    weight: 3',
        '',
      ].join('\n'),
    );
  });

  it('prefillDecode() is valid and shares the hash block size', () => {
    const spec = EndpointPickerConfig.prefillDecode({ threshold: 10, hashBlockSize: 16 });
    expect(EndpointPickerConfig.validate(spec)).toEqual([]);
    const doc = YAML.parse(EndpointPickerConfig.toYaml(spec));
    expect(doc.plugins.find((p: any) => p.type === 'pd-profile-handler').parameters).toEqual({ threshold: 10, hashBlockSize: 16 });
    expect(doc.plugins.find((p: any) => p.type === 'prefix-cache-scorer').parameters).toEqual({ hashBlockSize: 16 });
    expect(doc.schedulingProfiles.map((s: any) => s.name)).toEqual(['prefill', 'decode']);
  });
});

describe('EndpointPickerConfig builder', () => {
  it('builds typed plugins with parameters, names and weights', () => {
    const cfg = new EndpointPickerConfig()
      .addPlugin({ type: 'single-profile-handler' })
      .addPlugin({ type: 'queue-scorer' })
      .addPlugin({ type: 'prefix-cache-scorer', name: 'prefix', parameters: { hashBlockSize: 64, maxPrefixBlocksToMatch: 256, lruCapacityPerServer: 31250 } })
      .addPlugin({ type: 'max-score-picker', parameters: { maxNumOfEndpoints: 2 } })
      .addPlugin({ type: 'my-scorer', custom: true, parameters: { anything: [1, 2] } })
      .addProfile('default', [{ pluginRef: 'queue-scorer', weight: 1 }, { pluginRef: 'prefix', weight: 3.5 }])
      .addProfile('default', [{ pluginRef: 'max-score-picker' }, { pluginRef: 'my-scorer', weight: 0 }])
      .addFeatureGate('dataLayer');
    expect(cfg.validate()).toEqual([]);
    const doc = YAML.parse(cfg.toYaml());
    expect(doc.plugins[2]).toEqual({ type: 'prefix-cache-scorer', name: 'prefix', parameters: { hashBlockSize: 64, maxPrefixBlocksToMatch: 256, lruCapacityPerServer: 31250 } });
    expect(doc.plugins[4]).toEqual({ type: 'my-scorer', parameters: { anything: [1, 2] } });
    expect(doc.schedulingProfiles).toEqual([
      { name: 'default', plugins: [{ pluginRef: 'queue-scorer', weight: 1 }, { pluginRef: 'prefix', weight: 3.5 }, { pluginRef: 'max-score-picker' }, { pluginRef: 'my-scorer', weight: 0 }] },
    ]);
    expect(doc.featureGates).toEqual(['dataLayer']);
    const spec: EndpointPickerConfigSpec = cfg.toSpec();
    expect(spec.plugins).toHaveLength(5);
  });
});

describe('EndpointPickerConfig.validate', () => {
  const profile = (refs: string[]) => [{ name: 'default', plugins: refs.map((pluginRef) => ({ pluginRef })) }];
  const fields = (spec: EndpointPickerConfigSpec) => EndpointPickerConfig.validate(spec).map((p) => p.field);

  it.each<[string, EndpointPickerConfigSpec, string[]]>([
    ['unknown plugin type', { plugins: [{ type: 'magic' } as never], schedulingProfiles: profile(['magic']) }, ['config.plugins[0].type']],
    ['undeclared pluginRef', { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: profile(['nope']) }, ['config.schedulingProfiles[0].plugins[0].pluginRef']],
    ['negative weight', { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'd', plugins: [{ pluginRef: 'queue-scorer', weight: -0.5 }] }] }, ['config.schedulingProfiles[0].plugins[0].weight']],
    ['NaN weight', { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'd', plugins: [{ pluginRef: 'queue-scorer', weight: NaN }] }] }, ['config.schedulingProfiles[0].plugins[0].weight']],
    ['duplicate plugin names', { plugins: [{ type: 'queue-scorer' }, { type: 'queue-scorer' }], schedulingProfiles: profile(['queue-scorer']) }, ['config.plugins[1].name']],
    ['duplicate profiles', { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [...profile(['queue-scorer']), ...profile(['queue-scorer'])] }, ['config.schedulingProfiles[1].name']],
    ['no profiles', { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [] }, ['config.schedulingProfiles']],
    ['bad typed parameter', { plugins: [{ type: 'prefix-cache-scorer', parameters: { hashBlockSize: 0 } }], schedulingProfiles: profile(['prefix-cache-scorer']) }, ['config.plugins[0].parameters.hashBlockSize']],
    ['unknown typed parameter', { plugins: [{ type: 'queue-scorer', parameters: { x: 1 } } as never], schedulingProfiles: profile(['queue-scorer']) }, ['config.plugins[0].parameters.x']],
    ['pd handler without profiles', { plugins: [{ type: 'pd-profile-handler' }], schedulingProfiles: profile([]) }, ['config.plugins[0].parameters.prefillProfile', 'config.plugins[0].parameters.decodeProfile']],
    ['by-label-selector without labels', { plugins: [{ type: 'by-label-selector', parameters: { matchLabels: {} } }], schedulingProfiles: profile([]) }, ['config.plugins[0].parameters.matchLabels']],
  ])('%s', (_name, spec, expected) => {
    expect(fields(spec)).toEqual(expected);
  });

  it('names the unknown type and how to allow it', () => {
    const [p] = EndpointPickerConfig.validate({ plugins: [{ type: 'magic' } as never], schedulingProfiles: profile(['magic']) }, 'epp.config');
    expect(p.value).toBe('magic');
    expect(p.why).toBe('unknown plugin type');
    expect(p.allowed).toContain('queue-scorer');
    expect(p.allowed).toContain('custom: true');
  });
});

describe('EndpointPickerConfig.validateYaml (custom files)', () => {
  const head = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\n';

  it('accepts the seed 003 multi-factor file (unknown types are explicit in text)', () => {
    const text = `${head}plugins:\n  - type: single-profile-handler\n  - type: queue-scorer\n  - type: kv-cache-scorer\n  - type: prefix-cache-scorer\n    parameters:\n      mode: approximate\n  - type: max-score-picker\nschedulingProfiles:\n  - name: default\n    plugins:\n      - pluginRef: queue-scorer\n        weight: 1.0\n      - pluginRef: kv-cache-scorer\n        weight: 2.0\n      - pluginRef: prefix-cache-scorer\n        weight: 3.0\n`;
    expect(EndpointPickerConfig.validateYaml(text)).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['syntax error', `${head}plugins: [`, 'config'],
    ['wrong kind', 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: Other\nschedulingProfiles: [{name: d, plugins: []}]\n', 'config.kind'],
    ['undeclared ref', `${head}plugins: [{type: queue-scorer}]\nschedulingProfiles: [{name: d, plugins: [{pluginRef: nope}]}]\n`, 'config.schedulingProfiles[0].plugins[0].pluginRef'],
    ['negative weight', `${head}plugins: [{type: x}]\nschedulingProfiles: [{name: d, plugins: [{pluginRef: x, weight: -2}]}]\n`, 'config.schedulingProfiles[0].plugins[0].weight'],
    ['plugin without type', `${head}plugins: [{name: x}]\nschedulingProfiles: [{name: d, plugins: []}]\n`, 'config.plugins'],
  ])('%s', (_name, text, field) => {
    expect(EndpointPickerConfig.validateYaml(text).map((p) => p.field)).toContain(field);
  });
});
