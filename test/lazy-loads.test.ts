// An app pays at load time only for the generated CRD modules of the features it uses.
/* eslint-disable @typescript-eslint/no-require-imports -- fresh module registries per case */
const FEATURE_MODULES = {
  monitoring: '../imports/monitoring.coreos.com',
  keda: '../imports/keda.sh',
  lws: '../imports/leaderworkerset.x-k8s.io',
} as const;
type Feature = keyof typeof FEATURE_MODULES;

/** Which feature modules were loaded while `build` ran, in a fresh module registry. */
function featuresLoadedBy(build: () => void): Feature[] {
  const loaded = new Set<Feature>();
  jest.isolateModules(() => {
    for (const [feature, mod] of Object.entries(FEATURE_MODULES) as Array<[Feature, string]>) {
      jest.doMock(mod, () => {
        loaded.add(feature);
        return jest.requireActual(mod);
      });
    }
    build();
  });
  for (const mod of Object.values(FEATURE_MODULES)) jest.dontMock(mod);
  return [...loaded].sort();
}

describe('generated CRD modules load on first use', () => {
  test('a model service and a pool without monitoring load none of them', () => {
    const loaded = featuresLoadedBy(() => {
      const { Chart, Testing } = require('cdk8s') as typeof import('cdk8s');
      const lib = require('../src') as typeof import('../src');
      const chart = new Chart(Testing.app(), 'c', { namespace: 'llm-d' });
      const ms = new lib.FuriosaModelService(chart, 'ms', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' } });
      new lib.InferenceSchedulerPool(chart, 'gaie', { modelServers: [ms], monitoring: { enabled: false } });
      lib.validateTree(chart);
    });
    expect(loaded).toEqual([]);
  });

  test('the README main job loads only monitoring (the EPP ServiceMonitor of the guide)', () => {
    const loaded = featuresLoadedBy(() => {
      const { buildApp } = require('../examples/furiosa-llama-3.1-8b/main') as typeof import('../examples/furiosa-llama-3.1-8b/main');
      const { validateTree } = require('../src') as typeof import('../src');
      validateTree(buildApp().app);
    });
    expect(loaded).toEqual(['monitoring']);
  });

  test('the production example (alerts, monitors, KEDA) loads monitoring and keda', () => {
    const loaded = featuresLoadedBy(() => {
      const { buildApp } = require('../examples/furiosa-production/main') as typeof import('../examples/furiosa-production/main');
      buildApp().app.node.findAll();
    });
    expect(loaded).toEqual(['keda', 'monitoring']);
  });
});
