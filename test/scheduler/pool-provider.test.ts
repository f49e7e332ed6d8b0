import { toTypeScriptLiteral } from '../../src/cli/codegen';
import { InferenceSchedulerPool, InferenceSchedulerPoolProps, PoolProvider } from '../../src/scheduler';
import { expectRefusal, newChart, synth } from '../support';

function kinds(props: InferenceSchedulerPoolProps): string[] {
  const { chart } = newChart('llm-d');
  new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'x' }, ...props });
  return synth(chart).map((o) => o.kind as string);
}

describe('PoolProvider', () => {
  test('none (the default) adds no provider objects; istio a DestinationRule; gke its policies', () => {
    expect(kinds({})).toEqual(kinds({ provider: PoolProvider.none() }));
    expect(kinds({ provider: PoolProvider.none() })).not.toContain('DestinationRule');
    expect(kinds({ provider: PoolProvider.istio() })).toContain('DestinationRule');
    expect(kinds({ provider: PoolProvider.gke() })).toEqual(expect.arrayContaining(['HealthCheckPolicy', 'GCPBackendPolicy']));
    expect(kinds({ provider: PoolProvider.gke() })).not.toContain('DestinationRule');
  });

  test('each kind carries only its own options', () => {
    expect(PoolProvider.istio({ destinationRuleHost: 'h' })).toMatchObject({ name: 'istio', istio: { destinationRuleHost: 'h' }, gke: undefined });
    expect(PoolProvider.gke({ autopilot: true })).toMatchObject({ name: 'gke', istio: undefined, gke: { autopilot: true } });
  });

  test('a string from a JavaScript caller is refused, naming the factories', () => {
    expectRefusal((chart) => new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'x' }, provider: 'istio' as unknown as PoolProvider }), [
      { path: 'test/gaie', field: 'provider', value: 'istio', allowed: 'PoolProvider.none(), PoolProvider.istio({...}) or PoolProvider.gke({...})' },
    ]);
  });

  test('convert prints it as the call that builds it, and records the import', () => {
    const imports = new Set<string>();
    expect(toTypeScriptLiteral({ provider: PoolProvider.istio({ destinationRuleHost: 'h' }) }, 0, imports)).toBe("{\n  provider: PoolProvider.istio({\n    destinationRuleHost: 'h',\n  }),\n}");
    expect(toTypeScriptLiteral(PoolProvider.none())).toBe('PoolProvider.none()');
    expect([...imports]).toEqual(['PoolProvider']);
  });
});
