/**
 * `fromXxxName` importers: objects created elsewhere, referenced by name, that the constructs of
 * this app wire to as if they were local. They synthesize nothing.
 */
import { Chart } from 'cdk8s';
import { IstioGieGateway } from '../src/gateway';
import { InferenceRoute } from '../src/routing';
import { InferenceSchedulerPool } from '../src/scheduler';
import { expectRefusal, newChart, objectOf, synth } from './support';

function routeTo(chart: Chart, build: (c: Chart) => Pick<ConstructorParameters<typeof InferenceRoute>[2], 'gateway' | 'backends'>, extra = {}) {
  return new InferenceRoute(chart, 'route', { ...build(chart), ...extra });
}

describe('IstioGieGateway.fromGatewayName', () => {
  test('a route attaches to it; the namespace defaults to the chart\'s', () => {
    const { chart } = newChart('llm-d');
    const gateway = IstioGieGateway.fromGatewayName(chart, 'gw', 'platform-gateway');
    expect(gateway).toMatchObject({ gatewayName: 'platform-gateway', gatewayNamespace: 'llm-d', listenerNames: [] });
    const pool = new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'x' } });
    routeTo(chart, () => ({ gateway, backends: [{ pool }] }));
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'Gateway')).toEqual([]);
    expect(objectOf(objects, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform-gateway' }]);
  });

  test('with listener names, a route\'s sectionName is checked against them', () => {
    const { chart } = newChart('llm-d');
    const gateway = IstioGieGateway.fromGatewayName(chart, 'gw', 'shared', { namespace: 'infra', listenerNames: ['http'] });
    const pool = new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'x' } });
    routeTo(chart, () => ({ gateway, backends: [{ pool }] }), { sectionName: 'https' });
    expectRefusal(chart, [{ path: 'test/route', field: 'sectionName', value: 'https', allowed: 'a listener of gateway shared: http' }]);
  });
});

describe('InferenceSchedulerPool.fromPoolName', () => {
  test('a route in another namespace sends traffic to it, with a ReferenceGrant there', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gw');
    const pool = InferenceSchedulerPool.fromPoolName(chart, 'pool', 'team-pool', { namespace: 'team-a', targetPorts: [8080] });
    expect(pool).toMatchObject({ poolName: 'team-pool', poolNamespace: 'team-a', poolGroup: 'inference.networking.k8s.io', servedPorts: [8080] });
    routeTo(chart, () => ({ gateway, backends: [{ pool }] }));
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'InferencePool')).toEqual([]);
    expect(objectOf(objects, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'team-pool', namespace: 'team-a', port: 8080, weight: 1 }]);
    expect(objectOf(objects, 'ReferenceGrant').metadata.namespace).toBe('team-a');
  });

  test('defaults: the chart\'s namespace, port 8000, v1; v1alpha2 gives the x-k8s group', () => {
    const { chart } = newChart('llm-d');
    expect(InferenceSchedulerPool.fromPoolName(chart, 'a', 'p')).toMatchObject({ poolNamespace: 'llm-d', servedPorts: [8000], poolGroup: 'inference.networking.k8s.io' });
    expect(InferenceSchedulerPool.fromPoolName(chart, 'b', 'p', { apiVersion: 'inference.networking.x-k8s.io/v1alpha2' }).poolGroup).toBe('inference.networking.x-k8s.io');
  });

  test('a backend port the imported pool does not serve is refused', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gw');
    const pool = InferenceSchedulerPool.fromPoolName(chart, 'pool', 'p', { targetPorts: [8080] });
    routeTo(chart, () => ({ gateway, backends: [{ pool, port: 9000 }] }));
    expectRefusal(chart, [{ path: 'test/route', field: 'backends[0].port', value: 9000, allowed: 'a port pool p serves: 8080' }]);
  });
});
