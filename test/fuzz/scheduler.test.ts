/**
 * Property tests over InferenceSchedulerPool props (flags, replicas, ports, plugin weights,
 * providers): any input either synthesizes into schema-valid manifests or is refused with an
 * LlmdValidationError.
 */
import * as fc from 'fast-check';
import { IModelServer } from '../../src/core/contracts';
import { InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider } from '../../src/scheduler';
import { Arbs, bothModes, check, junkString } from './support';

const server = (port: number, labels: Record<string, string>): IModelServer => ({ podLabels: labels, servingPort: port, modelName: 'm', podNamespace: 'llm-d', metricsFlavor: 'furiosa' });

const props = ({ mostly, name, port, labels, count }: Arbs): fc.Arbitrary<{ props: InferenceSchedulerPoolProps; servers: Array<{ port: number; labels: Record<string, string> }> }> => {
  const flagName = mostly(fc.constantFrom('kv-cache-usage-percentage-metric', 'total-queued-requests-metric', 'lora-info-metric', 'refresh-metrics-interval', 'secure-serving'), fc.oneof(junkString, fc.constantFrom('--v', 'pool-name', 'config-file')));
  const flagValue = mostly(fc.oneof(fc.constantFrom('vllm:num_requests_waiting', '50ms', ''), fc.integer({ min: 0, max: 100 }), fc.boolean(), fc.constant(null)), fc.oneof(fc.constant({ nested: 1 } as never), fc.constant([1] as never)));
  const weight = mostly(fc.integer({ min: 0, max: 10 }), fc.oneof(fc.integer({ min: -5, max: -1 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(Number.NaN)));
  const scorers = ['queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer'] as const;
  const config = fc.record({
    used: fc.subarray([...scorers], { minLength: 1 }),
    weights: fc.array(weight, { minLength: 3, maxLength: 3 }),
    picker: fc.constantFrom('max-score-picker', 'random-picker', 'weighted-random-picker'),
    blockSize: mostly(fc.integer({ min: 1, max: 256 }), fc.constantFrom(0, -1, 1.5)),
    danglingRef: mostly(fc.constant(false), fc.constant(true)),
  }).map(({ used, weights, picker, blockSize, danglingRef }) => ({
    plugins: [
      ...used.map((type) => (type === 'prefix-cache-scorer' ? { type, parameters: { hashBlockSize: blockSize } } : { type })),
      { type: picker },
    ] as never,
    schedulingProfiles: [{ name: 'default', plugins: [...used.map((t, i) => ({ pluginRef: t, weight: weights[i] })), { pluginRef: picker }, ...(danglingRef ? [{ pluginRef: 'missing' }] : [])] }],
  }));
  return fc.record({
    props: fc.record({
      name,
      apiVersion: fc.constantFrom('inference.networking.k8s.io/v1' as const, 'inference.networking.x-k8s.io/v1alpha2' as const),
      selector: mostly(fc.constant(undefined), labels),
      targetPorts: mostly(fc.constant(undefined), fc.array(port, { maxLength: 3 })),
      failureMode: fc.constantFrom(undefined, 'FailOpen' as const, 'FailClose' as const),
      provider: fc.constantFrom(PoolProvider.none(), PoolProvider.istio(), PoolProvider.gke()),
      epp: fc.record({
        replicas: mostly(fc.integer({ min: 1, max: 3 }), count(3)),
        extProcPort: port,
        metricsPort: port,
        flags: fc.dictionary(flagName, flagValue, { maxKeys: 3, noNullPrototype: true }),
        logVerbosity: mostly(fc.integer({ min: 0, max: 5 }), count(3)),
        config: mostly(fc.constant(undefined), config),
        tracing: fc.record({ enabled: fc.boolean(), samplerArg: mostly(fc.constantFrom('0.1', '1', '0'), fc.constantFrom('2', 'x', '-0.5')) }, { requiredKeys: [] }),
        hardening: fc.record({ enabled: fc.boolean(), readOnlyRootFilesystem: fc.boolean() }, { requiredKeys: [] }),
      }, { requiredKeys: [] }),
      monitoring: fc.record({ enabled: fc.boolean(), auth: fc.boolean(), interval: mostly(fc.constantFrom('10s', '1m', '30s'), junkString) }, { requiredKeys: [] }),
    }, { requiredKeys: [] }),
    servers: fc.array(fc.record({ port: mostly(fc.constant(8000), port), labels: mostly(fc.constant({ 'llm-d.ai/inferenceServing': 'true' }), labels) }), { maxLength: 2 }),
  });
};

describe('fuzz: InferenceSchedulerPool', () => {
  test('synth gives schema-valid manifests or an LlmdValidationError', () => {
    const r = check(bothModes(props), (input) => (chart) => {
      const pool = new InferenceSchedulerPool(chart, 'gaie', input.props);
      for (const s of input.servers) pool.addModelServer(server(s.port, s.labels));
    }, 200);
    expect(r.accepted).toBeGreaterThan(20);
    expect(r.refused).toBeGreaterThan(20);
  });
});
