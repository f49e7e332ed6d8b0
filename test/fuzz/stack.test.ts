/**
 * Property tests over RngdServingStack: 1 to 4 models with random parallelism, replicas, keys,
 * storage and routing. Any input either synthesizes into schema-valid manifests or is refused
 * with an LlmdValidationError.
 */
import * as fc from 'fast-check';
import { RngdModelProps, RngdServingStack, RngdServingStackProps } from '../../src/stack';
import { Arbs, bothModes, check, junkString } from './support';

const props = ({ mostly, count, name }: Arbs): fc.Arbitrary<RngdServingStackProps> => {
  const model: fc.Arbitrary<RngdModelProps> = fc.record({
    model: mostly(fc.constantFrom('furiosa-ai/Llama-3.1-8B-Instruct', 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', 'Qwen/Qwen3-8B', 'gpt2'), fc.oneof(junkString, fc.constant('a/b/c'))),
    key: mostly(fc.constant(undefined), name),
    tensorParallelism: mostly(fc.constantFrom(1, 2, 4, 8, 16, 32), fc.constantFrom(0, 3.5, 128, -1)),
    dataParallelism: mostly(fc.constantFrom(1, 2), count(4)),
    replicas: mostly(fc.integer({ min: 0, max: 3 }), count(3)),
    image: mostly(fc.constant(undefined), fc.constantFrom('furiosaai/furiosa-llm:2026.1.0', 'furiosaai/furiosa-llm:latest', '')),
    storage: fc.oneof(
      fc.constant(undefined),
      fc.record({ uri: mostly(fc.constantFrom('hf://furiosa-ai/Llama-3.1-8B-Instruct', 'pvc://models/llama'), fc.constantFrom('oci://r/m:1', 'junk')) }),
      fc.record({ download: fc.record({ storageSize: mostly(fc.constantFrom('20Gi', '100Gi'), fc.constant('lots')), workload: fc.constantFrom('job' as const, 'pod' as const) }, { requiredKeys: [] }) }),
    ),
    routing: mostly(
      fc.constant(undefined),
      fc.record({ weight: mostly(fc.integer({ min: 1, max: 100 }), fc.constant(-1)), matches: fc.constant([{ path: { type: 'PathPrefix' as const, value: '/' } }]) }, { requiredKeys: [] }),
    ),
  }, { requiredKeys: ['model'] });
  return fc.record({
    namespace: mostly(fc.constantFrom('llm-d', 'serving'), fc.constant('Bad_NS')),
    models: mostly(fc.uniqueArray(model, { minLength: 1, maxLength: 4, selector: (m) => m.key ?? m.model }), fc.array(model, { maxLength: 4 })),
    maxRngdPerNode: mostly(fc.constant(undefined), fc.integer({ min: 0, max: 16 })),
    networkPolicies: fc.boolean(),
  }, { requiredKeys: ['models'] });
};

describe('fuzz: RngdServingStack (1..4 models)', () => {
  test('synth gives schema-valid manifests or an LlmdValidationError', () => {
    const r = check(bothModes(props), (p) => (_chart, app) => new RngdServingStack(app, 'stack', p), 120);
    expect(r.accepted).toBeGreaterThan(15);
    expect(r.refused).toBeGreaterThan(15);
  });
});
