import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService } from '../../src/model-service';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { ServingNetworkPolicies } from '../../src/stack/network-policies';
import { HubClient, ModelPvcDownloader } from '../../src/storage';
import { expectRefusal, newChart, objectOf, synth } from '../support';

const base = {
  namePrefix: 'llm-d',
  gateway: { podLabels: { 'gateway.networking.k8s.io/gateway-name': 'gw' } },
  endpointPickers: [{ podLabels: { inferencepool: 'gaie-epp' }, extProcPort: 9002, metricsPort: 9090 }],
  modelServers: [{ podLabels: { 'llm-d.ai/model': 'm', 'llm-d.ai/role': 'decode' }, servingPort: 8000 }],
};

describe('ServingNetworkPolicies', () => {
  test('gateway -> EPP ext-proc; the metrics port from any namespace when no monitoring namespace is named', () => {
    const { chart } = newChart('llm-d');
    new ServingNetworkPolicies(chart, 'np', base);
    const epp = objectOf(synth(chart), 'NetworkPolicy', 'llm-d-epp');
    expect(epp.metadata.namespace).toBe('llm-d');
    expect(epp.spec.podSelector).toEqual({ matchLabels: { inferencepool: 'gaie-epp' } });
    expect(epp.spec.policyTypes).toEqual(['Ingress']);
    expect(epp.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: base.gateway.podLabels } }], ports: [{ protocol: 'TCP', port: 9002 }] },
      { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
  });

  test('model pods accept the gateway and the EPP on the serving port', () => {
    const { chart } = newChart('llm-d');
    new ServingNetworkPolicies(chart, 'np', base);
    const m = objectOf(synth(chart), 'NetworkPolicy', 'llm-d-model');
    expect(m.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: base.gateway.podLabels } }, { podSelector: { matchLabels: { inferencepool: 'gaie-epp' } } }]);
    expect(m.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8000 }]);
  });

  test('monitoring namespaces reach metrics; several servers get numbered policies', () => {
    const { chart } = newChart('llm-d');
    new ServingNetworkPolicies(chart, 'np', { ...base, modelServers: [...base.modelServers, { podLabels: { a: 'b' }, servingPort: 8001 }], monitoringNamespaces: ['monitoring'] });
    const objects = synth(chart);
    const epp = objectOf(objects, 'NetworkPolicy', 'llm-d-epp');
    expect(epp.spec.ingress[1]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] });
    expect(objectOf(objects, 'NetworkPolicy', 'llm-d-model-1').spec.ingress[0].ports[0].port).toBe(8001);
    expect(objectOf(objects, 'NetworkPolicy', 'llm-d-model-0').spec.ingress[0].from).toHaveLength(3);
  });

  test('built from the constructs it protects', () => {
    const { chart } = newChart('llm-d');
    const gateway = new IstioGieGateway(chart, 'gw');
    const pool = new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'x' } });
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: 'org/m', uri: 'hf://org/m' }, routing: { servicePort: 8001 } });
    const a = new ModelPvcDownloader(chart, 'a', { repoId: 'org/a', name: 'dl-a', claimName: 'a' });
    const b = new ModelPvcDownloader(chart, 'b', { repoId: 'org/b', name: 'dl-b', claimName: 'b' });
    new ServingNetworkPolicies(chart, 'np', { namePrefix: 'llm-d', gateway, endpointPickers: [pool.endpointPicker], modelServers: [ms], downloaders: [a, b] });
    const objects = synth(chart);
    expect(objectOf(objects, 'NetworkPolicy', 'llm-d-epp').spec.podSelector).toEqual({ matchLabels: { inferencepool: 'gaie-epp' } });
    expect(objectOf(objects, 'NetworkPolicy', 'llm-d-epp').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { ...gateway.podLabels } } }]);
    const model = objectOf(objects, 'NetworkPolicy', 'llm-d-model');
    expect(model.spec.podSelector).toEqual({ matchLabels: { ...ms.podLabels } });
    expect(model.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8001 }]);
    // One policy for both downloaders: the labels they share (not their instance names).
    const dl = objectOf(objects, 'NetworkPolicy', 'llm-d-downloader').spec.podSelector.matchLabels;
    expect(dl).toEqual({ 'app.kubernetes.io/name': 'model-downloader', 'app.kubernetes.io/component': 'model-download', 'app.kubernetes.io/managed-by': 'cdk8s-llm-d' });
  });

  test('downloader: no ingress, egress to DNS and external HTTPS only', () => {
    const { chart } = newChart('llm-d');
    new ServingNetworkPolicies(chart, 'np', { ...base, downloaders: [{ podLabels: { app: 'dl' } }] });
    const d = objectOf(synth(chart), 'NetworkPolicy', 'llm-d-downloader');
    expect(d.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(d.spec.ingress).toEqual([]);
    expect(d.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(d.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '192.168.0.0/16']) } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  test('downloader with a hub mirror and an index: their ports to any address (and pods), 443 still only outside the private ranges', () => {
    const { chart } = newChart('llm-d');
    new ServingNetworkPolicies(chart, 'np', { ...base, downloaders: [{ podLabels: { app: 'dl' }, egressPorts: [443, 8080, 8081], mirrorEgressPorts: [8080, 8081] }] });
    const d = objectOf(synth(chart), 'NetworkPolicy', 'llm-d-downloader');
    expect(d.spec.egress).toHaveLength(3);
    expect(d.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(d.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8']) } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(d.spec.egress[2]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8081 }] });
  });

  test('downloader ports come from the ModelPvcDownloaders: an air-gapped one opens only its mirror, several share one policy', () => {
    const { chart } = newChart('llm-d');
    const airGapped = new ModelPvcDownloader(chart, 'a', { repoId: 'org/a', name: 'dl-a', claimName: 'a', hubClient: HubClient.preinstalled(), image: 'vllm/vllm-openai:v0.11.0', hubEndpoint: 'http://hf-mirror.mirrors.svc:8080' });
    new ServingNetworkPolicies(chart, 'np', { ...base, downloaders: [airGapped] });
    const only = objectOf(synth(chart), 'NetworkPolicy', 'llm-d-downloader').spec.egress;
    expect(only.slice(1)).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] }]);

    const { chart: two } = newChart('llm-d');
    const a = new ModelPvcDownloader(two, 'a', { repoId: 'org/a', name: 'dl-a', claimName: 'a' });
    const b = new ModelPvcDownloader(two, 'b', { repoId: 'org/b', name: 'dl-b', claimName: 'b', hubEndpoint: 'https://hf.internal.example:8443' });
    new ServingNetworkPolicies(two, 'np', { ...base, downloaders: [a, b] });
    const both = objectOf(synth(two), 'NetworkPolicy', 'llm-d-downloader').spec.egress;
    expect(both.slice(1).map((r: any) => r.ports.map((p: any) => p.port))).toEqual([[443], [8443]]);
    expect(both[1].to[0].ipBlock.except).toBeDefined();
    expect(both[2].to[0].ipBlock.except).toBeUndefined();
  });

  test('a downloader port outside 1-65535 is refused', () => {
    expectRefusal((chart) => new ServingNetworkPolicies(chart, 'np', { ...base, downloaders: [{ podLabels: { app: 'dl' }, egressPorts: [70000], mirrorEgressPorts: [0] }] }), [
      { path: 'test/np', field: 'downloaders[0].egressPorts[0]', value: 70000, allowed: 'an integer port number from 1 to 65535' },
      { path: 'test/np', field: 'downloaders[0].mirrorEgressPorts[0]', value: 0, allowed: 'an integer port number from 1 to 65535' },
    ]);
  });

  test.each([
    [{ gateway: { podLabels: {} } }, [{ path: 'test/np', field: 'gateway.podLabels', value: {}, allowed: 'at least one label', why: 'an empty podSelector selects every pod in the namespace' }]],
    [{ namePrefix: 'Bad_Name' }, [{ path: 'test/np', field: 'namePrefix', value: 'Bad_Name', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' }]],
    [{ modelServers: [{ podLabels: { a: 'b' }, servingPort: 70000 }] }, [{ path: 'test/np', field: 'modelServers[0].servingPort', value: 70000, allowed: 'an integer port number from 1 to 65535' }]],
    [{ endpointPickers: [{ podLabels: { 'bad key!': 'x' }, extProcPort: 9002, metricsPort: 9090 }] }, [{ path: 'test/np', field: 'endpointPickers[0].podLabels key', value: 'bad key!', allowed: 'a qualified name: optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."' }]],
  ])('bad input %j', (override, expected) => {
    expectRefusal((chart) => new ServingNetworkPolicies(chart, 'np', { ...base, ...override }), expected);
  });
});
