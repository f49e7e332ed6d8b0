import { ApiObject, JsonPatch } from 'cdk8s';
import { inferenceSchedulerPoolFromHelmValues } from '../../src/helm';
import { InferenceSchedulerPool, PoolProvider } from '../../src/scheduler';
import { caseNames, expectContains, loadCase, newChart, synth } from '../support';
import { compareManifests } from '../../src/testing/semdiff';
import { fakeFuriosaServer } from './fixtures';

const CASES = caseNames('gaie-');

describe('parity with helm template (gaie-*)', () => {
  it('has the three reference cases', () => {
    expect(CASES).toEqual(expect.arrayContaining(['gaie-defaults', 'gaie-ha-monitoring', 'gaie-seed000']));
  });

  it.each(CASES)('%s: fromHelmValues output contains expected.yaml', (name) => {
    const c = loadCase(name);
    const { chart } = newChart(c.namespace);
    inferenceSchedulerPoolFromHelmValues(chart, 'gaie', c.values, { release: c.release, namespace: c.namespace });
    const ours = synth(chart);
    const r = compareManifests(c.expected, ours);
    expect(r.summary).toMatch(/^semdiff: objects=(\d+)\/\1 leaves=(\d+)\/\2 missing_objects=0/);
    expectContains(c.expected, ours);
    expect(ours).toMatchSnapshot();
  });
});

describe('seed 000 written as typed props', () => {
  it('gives the objects of gaie-seed000', () => {
    const c = loadCase('gaie-seed000');
    const { chart } = newChart('llm-d');
    const pool = new InferenceSchedulerPool(chart, 'gaie', {
      selector: { 'llm-d.ai/inferenceServing': 'true' },
      epp: { image: { hub: 'ghcr.io/llm-d', name: 'llm-d-inference-scheduler', tag: 'v0.5.0', pullPolicy: 'Always' } },
      monitoring: { enabled: true },
      provider: PoolProvider.istio(),
    });
    pool.addModelServer(fakeFuriosaServer);
    const ours = synth(chart);
    expectContains(c.expected, ours);
    expect(pool.metricsPreset).toBe('furiosa');
    expect(pool.servedPorts).toEqual([8000]);
    expect(pool.eppServiceFqdn).toBe('gaie-epp.llm-d.svc.cluster.local');
  });

  it('gives the same objects with the furiosa flags passed explicitly, in the guide order', () => {
    const c = loadCase('gaie-seed000');
    const { chart } = newChart('llm-d');
    new InferenceSchedulerPool(chart, 'gaie', {
      selector: { 'llm-d.ai/inferenceServing': 'true' },
      epp: {
        image: { hub: 'ghcr.io/llm-d', name: 'llm-d-inference-scheduler', tag: 'v0.5.0' },
        metricsPreset: 'vllm',
        flags: {
          'cache-info-metric': 'furiosa_llm_cache_config_info',
          'kv-cache-usage-percentage-metric': 'furiosa_llm_kv_cache_usage_percent',
          'lora-info-metric': '',
          'total-queued-requests-metric': 'furiosa_llm_num_requests_waiting',
          'total-running-requests-metric': 'furiosa_llm_num_requests_running',
        },
      },
      monitoring: { enabled: true },
      provider: PoolProvider.istio({ destinationRuleHost: 'gaie-epp.llm-d.svc.cluster.local' }),
    });
    expectContains(c.expected, synth(chart));
  });
});

describe('the InferencePool is the default child', () => {
  test.each(['inference.networking.k8s.io/v1', 'inference.networking.x-k8s.io/v1alpha2'] as const)('%s: ApiObject.of(pool) is the pool, and a JSON patch reaches the output', (apiVersion) => {
    const { chart } = newChart('llm-d');
    const pool = new InferenceSchedulerPool(chart, 'gaie', { apiVersion, selector: { app: 'x' } });
    const resource = ApiObject.of(pool);
    expect(resource).toBe(pool.inferencePool);
    expect(resource.kind).toBe('InferencePool');
    resource.addJsonPatch(JsonPatch.add('/metadata/annotations', { team: 'serving' }));
    const out = synth(chart).find((o) => o.kind === 'InferencePool')!;
    expect(out.apiVersion).toBe(apiVersion);
    expect((out.metadata as { annotations?: unknown }).annotations).toEqual({ team: 'serving' });
  });
});
