/**
 * Our constructs as cdk8s-plus pod selectors and network-policy peers: `kplus.NetworkPolicy` rules
 * and `workload.connections.allowTo/allowFrom` select the pods they run, in their namespace.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { RngdServingStack } from '../../src/stack';

const LLAMA = 'furiosa-ai/Llama-3.1-8B-Instruct';

type Obj = Record<string, any>;

function chatApp(): { app: App; stack: RngdServingStack; chart: Chart; chat: kplus.Deployment } {
  const app = new App();
  const stack = new RngdServingStack(app, 'llm-d', {
    models: [{ model: LLAMA }],
    hfTokenSecret: kplus.Secret.fromSecretName(new Chart(app, 'refs'), 'hf', 'team-hf-token'),
  });
  const chart = new Chart(app, 'chat', { namespace: 'chat' });
  const chat = new kplus.Deployment(chart, 'web', { containers: [{ image: 'ghcr.io/example/chat:1.0', portNumber: 3000 }] });
  return { app, stack, chart, chat };
}

function policies(chart: Chart): Obj[] {
  return (chart.toJson() as Obj[]).filter((o) => o.kind === 'NetworkPolicy');
}

const GATEWAY_PODS = { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'llm-d-infra-inference-gateway' } };

describe('cdk8s-plus connections with the gateway', () => {
  test('chat.connections.allowTo(stack.gateway): egress from the chat pods, ingress into the gateway pods', () => {
    const { chart, chat, stack } = chatApp();
    chat.connections.allowTo(stack.gateway);
    const [egress, ingress] = policies(chart);
    expect(egress.metadata.namespace).toBe('chat');
    expect(egress.spec.policyTypes).toEqual(['Egress']);
    expect(egress.spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'llm-d' } }, podSelector: GATEWAY_PODS }]);
    expect(ingress.metadata.namespace).toBe('llm-d');
    expect(ingress.spec.podSelector).toEqual(GATEWAY_PODS);
    expect(ingress.spec.policyTypes).toEqual(['Ingress']);
    expect(ingress.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(chat.matchLabels);
  });

  test('chat.connections.allowFrom(stack.gateway): ingress into the chat pods, egress from the gateway pods', () => {
    const { chart, chat, stack } = chatApp();
    chat.connections.allowFrom(stack.gateway);
    const [ingress, egress] = policies(chart);
    expect(ingress.metadata.namespace).toBe('chat');
    expect(ingress.spec.ingress[0].from[0].podSelector).toEqual(GATEWAY_PODS);
    expect(ingress.spec.ingress[0].ports).toEqual([{ port: 3000, protocol: 'TCP' }]);
    expect(egress.metadata.namespace).toBe('llm-d');
    expect(egress.spec.podSelector).toEqual(GATEWAY_PODS);
    expect(egress.spec.egress[0].to[0].podSelector.matchLabels).toEqual(chat.matchLabels);
  });

  test('a kplus.NetworkPolicy selecting the gateway, with an ingress rule from the chat pods', () => {
    const { chart, chat, stack } = chatApp();
    new kplus.NetworkPolicy(chart, 'into-gateway', { selector: stack.gateway, metadata: { namespace: 'llm-d' }, ingress: { rules: [{ peer: chat, ports: [kplus.NetworkPolicyPort.tcp(80)] }] } });
    const [np] = policies(chart);
    expect(np.spec.podSelector).toEqual(GATEWAY_PODS);
    expect(np.spec.ingress).toEqual([{ from: [expect.objectContaining({ podSelector: { matchLabels: chat.matchLabels } })], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });
});

describe('every pod-running construct is a peer', () => {
  function selectorOf(peer: kplus.INetworkPolicyPeer): Obj {
    const cfg = peer.toNetworkPolicyPeerConfig().podSelector!;
    expect(peer.toPodSelector()).toBe(peer);
    return { labels: cfg.labelSelector._toKube(), namespaces: cfg.namespaces?.names };
  }

  test('IstioGieGateway: its gateway pods', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'infra' });
    expect(selectorOf(new IstioGieGateway(chart, 'gw', { name: 'edge' }))).toEqual({ labels: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } }, namespaces: ['infra'] });
  });

  test('the endpoint picker of a pool: its EPP pods', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'llm-d' });
    const pool = new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'x' } });
    expect(selectorOf(pool.endpointPicker)).toEqual({ labels: { matchLabels: { inferencepool: 'gaie-epp' } }, namespaces: ['llm-d'] });
  });

  test('FuriosaModelService: its decode pods', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'llm-d' });
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: LLAMA, uri: `hf://${LLAMA}` } });
    expect(selectorOf(ms)).toEqual({ labels: { matchLabels: { ...ms.podLabels } }, namespaces: ['llm-d'] });
  });

  test('ModelService with prefill: decode and prefill pods (the labels they share)', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'llm-d' });
    const ms = new ModelService(chart, 'ms', { modelArtifacts: { name: 'Qwen/Qwen3-0.6B', uri: 'hf://Qwen/Qwen3-0.6B' }, prefill: { create: true } });
    expect(ms.prefillServer).toBeDefined();
    const { labels } = selectorOf(ms);
    expect(labels.matchLabels).toEqual({ 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': 'Qwen3-0.6B' });
  });

  test('a kplus workload can reach the model servers and the EPP too', () => {
    const { chart, chat, stack } = chatApp();
    const model = stack.models[0];
    chat.connections.allowTo(model.modelService, { isolation: kplus.PodConnectionsIsolation.POD });
    chat.connections.allowTo(model.pool.endpointPicker, { isolation: kplus.PodConnectionsIsolation.POD });
    const to = policies(chart).map((p) => p.spec.egress[0].to[0].podSelector.matchLabels);
    expect(to).toEqual([{ ...model.modelService.podLabels }, { inferencepool: 'gaie-epp' }]);
  });
});

describe('cdk8s-plus objects as references', () => {
  test('model services: a kplus ServiceAccount and Secret name the pods\' account and token', () => {
    const app = new App();
    const refs = new Chart(app, 'refs');
    const sa = kplus.ServiceAccount.fromServiceAccountName(refs, 'sa', 'serving');
    const secret = kplus.Secret.fromSecretName(refs, 'hf', 'team-hf');
    const chart = new Chart(app, 'c', { namespace: 'llm-d' });
    new FuriosaModelService(chart, 'furiosa', { modelArtifacts: { name: LLAMA, uri: `hf://${LLAMA}`, authSecret: secret }, serviceAccount: sa });
    new ModelService(chart, 'vllm', { modelArtifacts: { name: 'Qwen/Qwen3-0.6B', uri: 'hf://Qwen/Qwen3-0.6B', authSecret: secret }, serviceAccount: sa });
    const pods = (chart.toJson() as Obj[]).filter((o) => o.kind === 'Deployment').map((d) => d.spec.template.spec);
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.serviceAccountName).toBe('serving');
      const env = pod.containers.flatMap((c: Obj) => c.env ?? []);
      expect(env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'team-hf', key: 'HF_TOKEN' } } });
    }
    // Given accounts are used, not created.
    expect((chart.toJson() as Obj[]).filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
  });
});
