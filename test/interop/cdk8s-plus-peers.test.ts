/**
 * Our constructs as cdk8s-plus pod selectors and network-policy peers: `kplus.NetworkPolicy` rules
 * and `workload.connections.allowTo/allowFrom` select the pods they run, in their namespace. The
 * same scenarios run against cdk8s-plus-28 and cdk8s-plus-33 (the library names neither), and a
 * fresh Node process in which `cdk8s-plus-28` cannot be loaded shows that an app on 33 never
 * loads it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import type { IIstioGateway, INetworkPolicyPeer, IPodSelector, IServiceAccountReference, ISecretReference } from '../../src';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { RngdServingStack } from '../../src/stack';

const ROOT = path.join(__dirname, '..', '..');
const LLAMA = 'furiosa-ai/Llama-3.1-8B-Instruct';

type Obj = Record<string, any>;

/**
 * The scenarios are written once against cdk8s-plus-33's types; cdk8s-plus-28 runs them as well.
 * Both versions are checked at the type level, both ways, by `typeLevel28` and `typeLevel33` below.
 */
type Kplus = typeof kplus33;
const VERSIONS: Array<[string, Kplus]> = [
  ['cdk8s-plus-28', kplus28 as unknown as Kplus],
  ['cdk8s-plus-33', kplus33],
];

const GATEWAY_PODS = { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'llm-d-infra-inference-gateway' } };

function policies(chart: Chart): Obj[] {
  return (chart.toJson() as Obj[]).filter((o) => o.kind === 'NetworkPolicy');
}

describe.each(VERSIONS)('%s', (version, kplus) => {
  function chatApp(): { app: App; stack: RngdServingStack; chart: Chart; chat: kplus33.Deployment } {
    const app = new App();
    const stack = new RngdServingStack(app, 'llm-d', {
      models: [{ model: LLAMA }],
      hfTokenSecret: kplus.Secret.fromSecretName(new Chart(app, 'refs'), 'hf', 'team-hf-token'),
    });
    const chart = new Chart(app, 'chat', { namespace: 'chat' });
    const chat = new kplus.Deployment(chart, 'web', { containers: [{ image: 'ghcr.io/example/chat:1.0', portNumber: 3000 }] });
    return { app, stack, chart, chat };
  }

  test('the scenarios run on the version named', () => {
    const { chat } = chatApp();
    const fqn = (chat.constructor as unknown as Record<symbol, { fqn: string }>)[Symbol.for('jsii.rtti')].fqn;
    expect(fqn).toBe(`${version}.Deployment`);
  });

  describe('connections with the gateway', () => {
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

    test('a kplus.NetworkPolicy without a namespace takes the one our selector names', () => {
      const { chart, stack } = chatApp();
      new kplus.NetworkPolicy(chart, 'deny-gateway', { selector: stack.gateway, ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY } });
      const [np] = policies(chart);
      expect(np.metadata.namespace).toBe('llm-d');
      expect(np.spec).toEqual({ podSelector: GATEWAY_PODS, policyTypes: ['Ingress'] });
    });
  });

  describe('every pod-running construct is a peer', () => {
    function selectorOf(peer: kplus33.INetworkPolicyPeer): Obj {
      const cfg = peer.toNetworkPolicyPeerConfig().podSelector!;
      expect(peer.toPodSelector()).toBe(peer);
      expect(cfg.labelSelector.isEmpty()).toBe(false);
      return { labels: cfg.labelSelector._toKube(), namespaces: cfg.namespaces?.names };
    }

    test('IstioGieGateway: its gateway pods', () => {
      const chart = new Chart(new App(), 'c', { namespace: 'infra' });
      expect(selectorOf(new IstioGieGateway(chart, 'gw', { name: 'edge' }))).toEqual({ labels: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } }, namespaces: ['infra'] });
    });

    test('IstioGieGateway.fromGatewayName: the pods Istio runs for it', () => {
      const chart = new Chart(new App(), 'c', { namespace: 'apps' });
      const gw = IstioGieGateway.fromGatewayName(chart, 'gw', 'shared', { namespace: 'infra' });
      expect(selectorOf(gw)).toEqual({ labels: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'shared' } }, namespaces: ['infra'] });
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

    test('the body-based router: its pods', () => {
      const app = new App();
      const stack = new RngdServingStack(app, 'llm-d', { models: [{ model: LLAMA }, { model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', tensorParallelism: 4 }], bodyBasedRouting: true });
      const { labels, namespaces } = selectorOf(stack.bodyBasedRouter!);
      expect(labels.matchLabels).toEqual({ app: stack.bodyBasedRouter!.name });
      expect(namespaces).toEqual([stack.gateway.gatewayNamespace]);
    });

    test('a kplus workload can reach the model servers and the EPP too', () => {
      const { chart, chat, stack } = chatApp();
      const model = stack.models[0];
      chat.connections.allowTo(model.modelService, { isolation: kplus.PodConnectionsIsolation.POD });
      chat.connections.allowTo(model.pool.endpointPicker, { isolation: kplus.PodConnectionsIsolation.POD });
      const to = policies(chart).map((p) => p.spec.egress[0].to[0].podSelector.matchLabels);
      expect(to).toEqual([{ ...model.modelService.podLabels }, { inferencepool: 'gaie-epp' }]);
    });

    test('a kplus Service and pod affinity select our pods', () => {
      const { chart, chat, stack } = chatApp();
      const ms = stack.models[0].modelService;
      new kplus.Service(chart, 'svc', { selector: ms, ports: [{ port: 8000 }] });
      chat.scheduling.colocate(ms);
      const objects = chart.toJson() as Obj[];
      expect(objects.find((o) => o.kind === 'Service')!.spec.selector).toEqual({ ...ms.podLabels });
      const deployment = objects.find((o) => o.kind === 'Deployment')!;
      expect(deployment.spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        { labelSelector: { matchLabels: { ...ms.podLabels } }, namespaces: ['llm-d'], topologyKey: 'kubernetes.io/hostname' },
      ]);
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
});

// Type level, both ways, for each version: `tsc --noEmit` compiles these as an app would; the
// tests also run them.
function typeLevel28(app: App): Obj[] {
  const chart = new Chart(app, 'kplus28', { namespace: 'chat' });
  const stack = new RngdServingStack(app, 'llm-d', { models: [{ model: LLAMA }], hfTokenSecret: kplus28.Secret.fromSecretName(chart, 'hf', 'team-hf') });
  const gateway: IIstioGateway = stack.gateway;
  const web = new kplus28.Deployment(chart, 'web', { containers: [{ image: 'example/web:1', portNumber: 8080 }] });
  // Ours where cdk8s-plus-28 takes a peer or a selector.
  web.connections.allowTo(gateway);
  web.connections.allowFrom(stack.models[0].pool.endpointPicker, { isolation: kplus28.PodConnectionsIsolation.POD });
  new kplus28.NetworkPolicy(chart, 'np', { selector: stack.models[0].modelService, metadata: { namespace: 'llm-d' }, ingress: { rules: [{ peer: web }, { peer: gateway }] } });
  const asPeer: kplus28.INetworkPolicyPeer = stack.models[0].modelService;
  const asSelector: kplus28.IPodSelector = gateway;
  // cdk8s-plus-28 objects where ours take a peer, a selector or a reference.
  const peer: INetworkPolicyPeer = web;
  const selector: IPodSelector = web;
  const secret: ISecretReference = kplus28.Secret.fromSecretName(chart, 'other', 'other-secret');
  const account: IServiceAccountReference = new kplus28.ServiceAccount(chart, 'sa');
  return [asPeer.toNetworkPolicyPeerConfig(), asSelector.toPodSelectorConfig(), peer.toNetworkPolicyPeerConfig(), selector.toPodSelectorConfig(), { secret: secret.name, account: account.name }];
}

function typeLevel33(app: App): Obj[] {
  const chart = new Chart(app, 'kplus33', { namespace: 'chat' });
  const stack = new RngdServingStack(app, 'llm-d', { models: [{ model: LLAMA }], hfTokenSecret: kplus33.Secret.fromSecretName(chart, 'hf', 'team-hf') });
  const gateway: IIstioGateway = stack.gateway;
  const web = new kplus33.Deployment(chart, 'web', { containers: [{ image: 'example/web:1', portNumber: 8080 }] });
  web.connections.allowTo(gateway);
  web.connections.allowFrom(stack.models[0].pool.endpointPicker, { isolation: kplus33.PodConnectionsIsolation.POD });
  new kplus33.NetworkPolicy(chart, 'np', { selector: stack.models[0].modelService, metadata: { namespace: 'llm-d' }, ingress: { rules: [{ peer: web }, { peer: gateway }] } });
  const asPeer: kplus33.INetworkPolicyPeer = stack.models[0].modelService;
  const asSelector: kplus33.IPodSelector = gateway;
  const peer: INetworkPolicyPeer = web;
  const selector: IPodSelector = web;
  const secret: ISecretReference = kplus33.Secret.fromSecretName(chart, 'other', 'other-secret');
  const account: IServiceAccountReference = new kplus33.ServiceAccount(chart, 'sa');
  return [asPeer.toNetworkPolicyPeerConfig(), asSelector.toPodSelectorConfig(), peer.toNetworkPolicyPeerConfig(), selector.toPodSelectorConfig(), { secret: secret.name, account: account.name }];
}

test.each([
  ['cdk8s-plus-28', typeLevel28],
  ['cdk8s-plus-33', typeLevel33],
])('%s: our constructs are its peers and selectors, and its objects are ours', (_version, run) => {
  const app = new App();
  const [asPeer, asSelector, peer, selector, refs] = run(app);
  expect(asPeer.podSelector.labelSelector._toKube()).toEqual({ matchLabels: { ...(app.node.findChild('llm-d') as RngdServingStack).models[0].modelService.podLabels } });
  expect(asSelector.labelSelector._toKube()).toEqual(GATEWAY_PODS);
  expect(peer.podSelector.labelSelector._toKube().matchLabels).toEqual(selector.labelSelector._toKube().matchLabels);
  expect(refs).toEqual({ secret: 'other-secret', account: expect.stringMatching(/sa/) });
  const chat = app.node.children.find((c) => c.node.id.startsWith('kplus')) as Chart;
  expect(policies(chat)).toHaveLength(4);
});

test('no library source names a cdk8s-plus module, not even for types', () => {
  const naming: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.ts') && /['"]cdk8s-plus-\d+['"/]/.test(fs.readFileSync(file, 'utf8'))) naming.push(path.relative(ROOT, file));
    }
  };
  walk(path.join(ROOT, 'src'));
  expect(naming).toEqual([]);
});

// A fresh Node process in which resolving `cdk8s-plus-28` throws (and is recorded): the library
// loads, and an app on cdk8s-plus-33 wires a workload to the gateway and synthesizes.
const FRESH_APP = `
const Module = require('module');
const path = require('path');
const blocked = [];
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const refuse = () => {
    blocked.push(request);
    throw Object.assign(new Error('cdk8s-plus-28 is not installed: ' + request), { code: 'MODULE_NOT_FOUND' });
  };
  if (/^cdk8s-plus-28($|\\/)/.test(request)) refuse();
  const file = resolve.call(this, request, ...rest);
  if (file.split(path.sep).includes('cdk8s-plus-28')) refuse();
  return file;
};
// The sources, transpiled on load (as ts-jest does), without a type check.
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, file) => {
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { fileName: file, compilerOptions: options }).outputText, file);
};
const lib = require('./src');
const kplus = require('cdk8s-plus-33');
const { App, Chart } = require('cdk8s');
const app = new App();
const stack = new lib.RngdServingStack(app, 'llm-d', { models: [{ model: '${LLAMA}' }], hfTokenSecret: kplus.Secret.fromSecretName(new Chart(app, 'refs'), 'hf', 'team-hf') });
const chart = new Chart(app, 'chat', { namespace: 'chat' });
const chat = new kplus.Deployment(chart, 'web', { containers: [{ image: 'example/chat:1', portNumber: 3000 }] });
chat.connections.allowTo(stack.gateway);
chat.connections.allowFrom(stack.models[0].modelService);
lib.validateTree(app);
const loaded = Object.keys(require.cache).map((f) => f.split(path.sep)).filter((p) => p.includes('node_modules')).map((p) => p[p.lastIndexOf('node_modules') + 1]);
process.stdout.write(JSON.stringify({ blocked, kplus: [...new Set(loaded.filter((n) => n.startsWith('cdk8s-plus')))], policies: chart.toJson().filter((o) => o.kind === 'NetworkPolicy').length }));
`;

test('an app on cdk8s-plus-33 never loads cdk8s-plus-28 (fresh process, cdk8s-plus-28 unresolvable)', () => {
  const run = spawnSync(process.execPath, ['-e', FRESH_APP], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`fresh process failed (${run.status}): ${run.stderr}`);
  expect(JSON.parse(run.stdout)).toEqual({ blocked: [], kplus: ['cdk8s-plus-33'], policies: 4 });
}, 60_000);
