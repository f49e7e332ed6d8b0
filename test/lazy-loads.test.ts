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

// `ajv` is a dependency for `cdk8s-llm-d/testing`'s schema checks only: an app that synthesizes
// without them never loads it, and importing the testing entry point does not either.
describe('ajv loads on the first schema check', () => {
  /** Whether `ajv` was loaded while `run` ran, in a fresh module registry. */
  function ajvLoadedBy(run: () => void): boolean {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('ajv', () => {
        loaded = true;
        return jest.requireActual('ajv');
      });
      run();
    });
    jest.dontMock('ajv');
    return loaded;
  }

  test('building, validating and synthesizing the README app does not load it', () => {
    expect(ajvLoadedBy(() => {
      const os = require('os') as typeof import('os');
      const fs = require('fs') as typeof import('fs');
      const path = require('path') as typeof import('path');
      const { buildApp } = require('../examples/furiosa-llama-3.1-8b/main') as typeof import('../examples/furiosa-llama-3.1-8b/main');
      const { synthApp } = require('../src') as typeof import('../src');
      synthApp(buildApp(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-lazy-'))).app);
    })).toBe(false);
  });

  test('importing cdk8s-llm-d/testing does not load it; validateManifests does', () => {
    expect(ajvLoadedBy(() => {
      require('../src/testing');
    })).toBe(false);
    expect(ajvLoadedBy(() => {
      const { validateManifests } = require('../src/testing') as typeof import('../src/testing');
      expect(validateManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } }])).toEqual([]);
    })).toBe(true);
  });
});
