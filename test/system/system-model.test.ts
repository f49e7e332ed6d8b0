import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSystem, SystemFinding } from '../../src/system';
import { expectRefusal } from '../support';

type Json = Record<string, unknown>;
const m = (manifest: Json, source?: string) => ({ manifest, ...(source ? { source } : {}) });

function pod(o: { image?: string; requests?: Json; claim?: string; readOnly?: boolean; init?: Json[]; affinity?: Json; nodeSelector?: Json; tolerations?: Json[]; securityContext?: Json; env?: Json[] } = {}): Json {
  return {
    ...(o.init ? { initContainers: o.init } : {}),
    containers: [{ name: 'server', image: o.image ?? 'furiosaai/furiosa-llm:2026.1.0', resources: { requests: o.requests ?? { 'furiosa.ai/rngd': '1', cpu: '4' } }, ...(o.env ? { env: o.env } : {}), ...(o.claim ? { volumeMounts: [{ name: 'model', mountPath: '/models', ...(o.readOnly === false ? {} : { readOnly: true }) }] } : {}) }],
    ...(o.claim ? { volumes: [{ name: 'model', persistentVolumeClaim: { claimName: o.claim } }] } : {}),
    ...(o.affinity ? { affinity: o.affinity } : {}),
    ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    ...(o.securityContext ? { securityContext: o.securityContext } : {}),
  };
}

function deployment(name: string, replicas: number, spec: Json, labels: Json = { app: name }): Json {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'llm-d' }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } };
}

function claim(name: string, accessModes: string[]): Json {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'llm-d' }, spec: { accessModes, resources: { requests: { storage: '20Gi' } } } };
}

function job(name: string, claimName: string, marker?: string): Json {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'llm-d' },
    spec: {
      template: {
        metadata: { labels: { job: name }, ...(marker ? { annotations: { 'llm-d.ai/completion-marker': marker } } : {}) },
        spec: { restartPolicy: 'Never', containers: [{ name: 'dl', image: 'python:3.12', volumeMounts: [{ name: 'model', mountPath: '/models' }] }], volumes: [{ name: 'model', persistentVolumeClaim: { claimName } }] },
      },
    },
  };
}

const rules = (fs: readonly SystemFinding[]) => fs.map((f) => `${f.rule}:${f.object.kind}/${f.object.name}`);
const waitInit = (marker: string, mountPath = '/models') => ({ name: 'wait-for-model', image: 'busybox', env: [{ name: 'LLM_D_WAIT_FOR_FILE', value: `${mountPath}/${marker}` }], volumeMounts: [{ name: 'model', mountPath, readOnly: true }] });
const hostAffinity = (labels: Json) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } });

describe('placement', () => {
  const pools = [{ name: 'rngd', count: 2, allocatable: { cpu: '64', memory: '512Gi', 'furiosa.ai/rngd': 8 }, labels: { pool: 'rngd' }, taints: [{ key: 'furiosa.ai/rngd', effect: 'NoSchedule' as const }] }];
  const tolerate = [{ key: 'furiosa.ai/rngd', operator: 'Exists', effect: 'NoSchedule' }];

  test('a pod asking for more cards than a node holds is refused, naming the workload and why', () => {
    const eight = { pools: [{ name: 'rngd', allocatable: { 'furiosa.ai/rngd': 8 } }], complete: false };
    const f = checkSystem([m(deployment('big', 1, pod({ requests: { 'furiosa.ai/rngd': '16' } })), 'app/big')], { nodes: eight });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', rule: 'placement', source: 'app/big', field: 'spec.template.spec', value: { 'furiosa.ai/rngd': 16 }, object: { kind: 'Deployment', name: 'big', namespace: 'llm-d' } });
    expect(f[0].allowed).toContain('the pod needs 16 furiosa.ai/rngd, a node has 8');
  });

  test('declared devices per node are the assumption without an inventory; undeclared devices are not checked', () => {
    const spec = pod({ requests: { 'furiosa.ai/rngd': '4' } });
    expect(checkSystem([m(deployment('a', 1, spec))], { nodes: { pools: [{ name: 'small', allocatable: { 'furiosa.ai/rngd': 2 } }], complete: false } })).toHaveLength(1);
    expect(checkSystem([m(deployment('a', 1, spec))])).toEqual([]);
    expect(checkSystem([m(deployment('a', 1, pod({ requests: { 'amd.com/gpu': '24' } })))])).toEqual([]);
  });

  test('taints, nodeSelector and node affinity of an inventory are honoured', () => {
    const nodes = { pools, complete: true };
    expect(rules(checkSystem([m(deployment('a', 1, pod()))], { nodes }))).toEqual(['placement:Deployment/a']);
    expect(checkSystem([m(deployment('a', 1, pod({ tolerations: tolerate })))], { nodes })).toEqual([]);
    expect(rules(checkSystem([m(deployment('a', 1, pod({ tolerations: tolerate, nodeSelector: { pool: 'gpu' } })))], { nodes }))).toEqual(['placement:Deployment/a']);
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['gpu'] }] }] } } };
    expect(rules(checkSystem([m(deployment('a', 1, pod({ tolerations: tolerate, affinity })))], { nodes }))).toEqual(['placement:Deployment/a']);
  });

  test('an autoscaler maximum beyond the inventory is refused with the number that fits', () => {
    const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so', namespace: 'llm-d' }, spec: { scaleTargetRef: { name: 'a' }, maxReplicaCount: 20 } };
    const f = checkSystem([m(deployment('a', 2, pod({ tolerations: tolerate }))), m(so)], { nodes: { pools, complete: true } });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'placement', field: 'ScaledObject so maxReplicaCount', value: 20 });
    expect(f[0].allowed).toContain('at most 16 pods');
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'llm-d' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, maxReplicas: 16 } };
    expect(checkSystem([m(deployment('a', 2, pod({ tolerations: tolerate }))), m(hpa)], { nodes: { pools, complete: true } })).toEqual([]);
  });
});

describe('shared volumes', () => {
  test('a ReadWriteOnce claim mounted by pods on several nodes is refused with the ways out', () => {
    const f = checkSystem([m(claim('model-pvc', ['ReadWriteOnce'])), m(deployment('ms', 2, pod({ claim: 'model-pvc' })), 'app/ms')]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', rule: 'shared-volume', field: 'spec.template.spec.volumes[model]', value: 'model-pvc', source: 'app/ms' });
    expect(f[0].allowed).toMatch(/ReadWriteMany.*hf:\/\/.*podAffinity/s);
  });

  test('one replica, ReadWriteMany, or co-located pods within one node pass', () => {
    expect(checkSystem([m(claim('c', ['ReadWriteOnce'])), m(deployment('ms', 1, pod({ claim: 'c' })))])).toEqual([]);
    expect(checkSystem([m(claim('c', ['ReadWriteMany'])), m(deployment('ms', 4, pod({ claim: 'c' })))])).toEqual([]);
    const spec = pod({ claim: 'c', affinity: hostAffinity({ share: 'c' }) });
    expect(checkSystem([m(claim('c', ['ReadWriteOnce'])), m(deployment('ms', 8, spec, { app: 'ms', share: 'c' }))])).toEqual([]);
  });

  test('co-located pods beyond one node are refused with what one node holds', () => {
    const spec = pod({ claim: 'c', affinity: hostAffinity({ share: 'c' }) });
    const nodes = { pools: [{ name: 'rngd', allocatable: { 'furiosa.ai/rngd': 8 } }], complete: false };
    const f = checkSystem([m(claim('c', ['ReadWriteOnce'])), m(deployment('ms', 9, spec, { app: 'ms', share: 'c' }))], { nodes });
    expect(f.map((x) => x.rule)).toEqual(['shared-volume']);
    expect(f[0].allowed).toContain('at most 8 pods');
  });

  test('affinity that does not select every sharer is not co-location (decode and prefill)', () => {
    const decode = pod({ claim: 'c', affinity: hostAffinity({ role: 'decode' }) });
    const prefill = pod({ claim: 'c', affinity: hostAffinity({ role: 'prefill' }) });
    const f = checkSystem([m(claim('c', ['ReadWriteOnce'])), m(deployment('d', 1, decode, { role: 'decode' })), m(deployment('p', 1, prefill, { role: 'prefill' }))]);
    expect(f.map((x) => x.rule)).toEqual(['shared-volume']);
  });

  test('ReadWriteOncePod admits one pod', () => {
    expect(checkSystem([m(claim('c', ['ReadWriteOncePod'])), m(deployment('ms', 2, pod({ claim: 'c', affinity: hostAffinity({ app: 'ms' }) })))]).map((x) => x.rule)).toEqual(['shared-volume']);
  });
});

describe('start-up order', () => {
  test('a server on a claim a Job fills, without waiting, is refused', () => {
    const f = checkSystem([m(claim('c', ['ReadWriteMany'])), m(job('dl', 'c', '.llm-d/x.complete')), m(deployment('ms', 1, pod({ claim: 'c' })), 'app/ms')]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', rule: 'start-up-order', field: 'spec.template.spec.initContainers', value: 'c', source: 'app/ms' });
    expect(f[0].allowed).toContain('.llm-d/x.complete');
  });

  test('an init container waiting for the marker on the same claim passes; another file does not', () => {
    const ok = pod({ claim: 'c', init: [waitInit('.llm-d/x.complete')] });
    expect(checkSystem([m(claim('c', ['ReadWriteMany'])), m(job('dl', 'c', '.llm-d/x.complete')), m(deployment('ms', 1, ok))])).toEqual([]);
    const doubled = pod({ claim: 'c', init: [{ ...waitInit('.llm-d/x.complete'), env: [{ name: 'LLM_D_WAIT_FOR_FILE', value: '//models/./.llm-d//x.complete' }] }] });
    expect(checkSystem([m(claim('c', ['ReadWriteMany'])), m(job('dl', 'c', '.llm-d/x.complete')), m(deployment('ms', 1, doubled))])).toEqual([]);
    const other = pod({ claim: 'c', init: [waitInit('.llm-d/y.complete')] });
    expect(rules(checkSystem([m(claim('c', ['ReadWriteMany'])), m(job('dl', 'c', '.llm-d/x.complete')), m(deployment('ms', 1, other))]))).toEqual(['start-up-order:Deployment/ms']);
  });

  test('a Job without a marker cannot be waited for', () => {
    const f = checkSystem([m(job('dl', 'c')), m(deployment('ms', 1, pod({ claim: 'c', init: [waitInit('x')] })))]);
    expect(f[0].allowed).toContain('kubectl wait');
  });
});

describe('image users', () => {
  test('vLLM as a non-root UID without USER and HOME is refused; with them it passes', () => {
    const spec = pod({ image: 'vllm/vllm-openai:v0.11.0', requests: { cpu: '1' }, securityContext: { runAsUser: 1000 } });
    const f = checkSystem([m(deployment('v', 1, spec))]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'image-user', field: 'spec.template.spec.containers[0].env', value: ['USER', 'HOME'] });
    const env = [{ name: 'USER', value: 'vllm' }, { name: 'HOME', value: '/tmp' }];
    expect(checkSystem([m(deployment('v', 1, pod({ image: 'ghcr.io/llm-d/llm-d-cuda:v0.4.0', requests: { cpu: '1' }, securityContext: { runAsUser: 1000 }, env })))])).toEqual([]);
    expect(checkSystem([m(deployment('v', 1, pod({ image: 'vllm/vllm-openai:v0.11.0', requests: { cpu: '1' } })))])).toEqual([]);
  });
});

describe('the system model runs on every synth', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RngdServingStack } = require('../../src') as typeof import('../../src');
  const tooMany = () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-sys-')) });
    new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', replicas: 9 }] });
    return app;
  };

  // Product problem: the finding stays at the built Deployment (llm-d/model/server/Resource,
  // spec.template.spec.volumes[model-storage]: "model-pvc"), not at the stack's models[0].replicas.
  test('plain app.synth() refuses pods on a ReadWriteOnce claim beyond one node', () => {
    expectRefusal(() => tooMany().synth(), [
      { path: 'llm-d', field: 'models[0].replicas', value: 9, allowed: expect.stringMatching(/^at most 8 pods sharing it /) },
    ]);
  });

  test('a NodeInventory in the app is the inventory: 9 one-card pods fit nowhere on 1-card nodes', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { NodeInventory } = require('../../src') as typeof import('../../src');
    const app = new App();
    new NodeInventory(app, 'nodes', { pools: [{ name: 'small', count: 1, allocatable: { 'furiosa.ai/rngd': 0 } }] });
    new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct' }] });
    expectRefusal(app, [
      { path: 'llm-d/model/server/Resource', field: 'spec.template.spec', value: { 'furiosa.ai/rngd': 1, cpu: 4, memory: 34359738368 }, allowed: 'a pod that some node can take (the inventory: small: the pod needs 1 furiosa.ai/rngd, a node has 0)', why: 'the scheduler finds no node for the pods of Deployment llm-d/ms-llm-d-modelservice-decode: they stay Pending' },
    ]);
  });
});

describe('synthApp compares with the output folder as it was', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RngdServingStack, synthApp } = require('../../src') as typeof import('../../src');
  const synthInto = (outdir: string, model: string): string => {
    const app = new App({ outdir });
    new RngdServingStack(app, 'llm-d', { models: [{ model, storage: { download: { accessModes: ['ReadWriteMany'] } } }] });
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      synthApp(app);
      return spy.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      spy.mockRestore();
    }
  };

  test('a changed model changes the immutable Deployment selector: a warning with the way through; an unchanged re-synth says nothing', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-prev-'));
    expect(synthInto(out, 'furiosa-ai/Llama-3.1-8B-Instruct')).not.toContain('[upgrade]');
    expect(synthInto(out, 'furiosa-ai/Llama-3.1-8B-Instruct')).not.toContain('[upgrade]');
    const stderr = synthInto(out, 'furiosa-ai/EXAONE-3.5-7.8B-Instruct');
    expect(stderr).toMatch(/warning: \[llm-d\/model\/server\/Resource\] Deployment llm-d\/ms-llm-d-modelservice-decode \[upgrade\] spec\.selector/);
  });
});

describe('app-wide conflicts between objects no operations construct made', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApiObject, App, Chart } = require('cdk8s') as typeof import('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateTree } = require('../../src') as typeof import('../../src');

  test('two hand-written autoscalers on one Deployment are refused at synth, naming both', () => {
    const app = new App();
    const chart = new Chart(app, 'web', { namespace: 'apps' });
    const hpa = (id: string): void => {
      new ApiObject(chart, id, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: id }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 2 } });
    };
    hpa('one');
    expect(() => validateTree(app)).not.toThrow();
    hpa('two');
    expectRefusal(app, [
      { path: 'web/two', field: 'metadata.name', value: 'Deployment apps/web', allowed: 'a workload no other autoscaler of the app scales', why: expect.stringContaining('HorizontalPodAutoscaler apps/two (web/two) and') },
    ]);
  });
});
