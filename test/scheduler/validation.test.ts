import { InferenceSchedulerPool, InferenceSchedulerPoolProps } from '../../src/scheduler';
import { newChart, problemsOf, synth } from '../support';
import { fakeFuriosaServer, vllmServer } from './fixtures';

function problems(props: InferenceSchedulerPoolProps, setup?: (pool: InferenceSchedulerPool) => void): string[] {
  const { chart } = newChart('llm-d');
  const pool = new InferenceSchedulerPool(chart, 'gaie', props);
  setup?.(pool);
  return problemsOf(chart);
}

const SELECTOR = { 'llm-d.ai/inferenceServing': 'true' };

describe('bad input', () => {
  it('a valid pool has no problems', () => {
    expect(problems({ selector: SELECTOR })).toEqual([]);
  });

  it('replicas < 1', () => {
    expect(problems({ selector: SELECTOR, epp: { replicas: 0 } })).toEqual([
      '[test/gaie] epp.replicas: value 0 is not allowed; allowed: an integer of 1 or more',
    ]);
  });

  it('custom text files are checked as EndpointPickerConfig when the EPP reads them or they declare that kind', () => {
    const bad = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins: []\nschedulingProfiles: []\n';
    expect(problems({ selector: SELECTOR, epp: { customConfigFiles: { 'other.yaml': bad } } })).toEqual([
      '[test/gaie] epp.customConfigFiles.other.yaml.schedulingProfiles: value [] is not allowed (the EPP needs a profile to schedule with); allowed: at least one scheduling profile',
    ]);
    expect(problems({ selector: SELECTOR, epp: { customConfigFiles: { 'active.yaml': 'foo: bar\n' }, configFile: 'active.yaml' } })).toEqual([
      '[test/gaie] epp.customConfigFiles.active.yaml.apiVersion: value undefined is not allowed; allowed: inference.networking.x-k8s.io/v1alpha1',
      '[test/gaie] epp.customConfigFiles.active.yaml.kind: value undefined is not allowed; allowed: EndpointPickerConfig',
      '[test/gaie] epp.customConfigFiles.active.yaml.schedulingProfiles: value [] is not allowed (the EPP needs a profile to schedule with); allowed: at least one scheduling profile',
    ]);
  });

  it('empty selector', () => {
    expect(problems({ selector: {} })).toEqual([
      '[test/gaie] selector: value {} is not allowed (an empty selector would select every pod in the namespace); allowed: at least one label',
    ]);
  });

  it('no selector and no model server', () => {
    expect(problems({})[0]).toContain('selector: value undefined is not allowed (the pool needs to know which pods it routes to');
  });

  it('port mismatch between servers', () => {
    const msgs = problems({}, (pool) => pool.addModelServer(vllmServer()).addModelServer(vllmServer({ servingPort: 8200 })));
    expect(msgs).toEqual([
      '[test/gaie] modelServers[1].servingPort: value 8200 is not allowed (port mismatch between the model servers of one pool); allowed: 8000 (the port of modelServers[0]), or set targetPorts',
    ]);
  });

  it('server port not among explicit targetPorts', () => {
    expect(problems({ selector: SELECTOR, targetPorts: [8000] }, (p) => p.addModelServer(vllmServer({ servingPort: 8200 })))).toEqual([
      '[test/gaie] modelServers[0].servingPort: value 8200 is not allowed (port mismatch: the pool would not send traffic to this server\'s port); allowed: one of targetPorts [8000]',
    ]);
  });

  it('label mismatch with the selector', () => {
    const msgs = problems({ selector: { app: 'other' } }, (p) => p.addModelServer(vllmServer()));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain('modelServers[0].podLabels');
    expect(msgs[0]).toContain('label mismatch: the pool would not select this server\'s pods');
    expect(msgs[0]).toContain('allowed: labels matching the pool selector {"app":"other"}');
  });

  it('label mismatch between servers (nothing shared)', () => {
    const msgs = problems({}, (p) => p.addModelServer(vllmServer({ podLabels: { app: 'a' } })).addModelServer(vllmServer({ podLabels: { app: 'b' } })));
    expect(msgs).toEqual([
      '[test/gaie] modelServers: value [{"app":"a"},{"app":"b"}] is not allowed (label mismatch: the servers have no label in common, so no selector matches them all); allowed: model servers whose pod labels share at least one label, or an explicit selector',
    ]);
  });

  it('server in another namespace', () => {
    expect(problems({ selector: SELECTOR }, (p) => p.addModelServer(vllmServer({ podNamespace: 'other' })))[0]).toContain(
      'modelServers[0].podNamespace: value "other" is not allowed (an InferencePool selects pods of its own namespace only)',
    );
  });

  it('servers of different metric flavors', () => {
    expect(problems({ selector: SELECTOR }, (p) => p.addModelServer(vllmServer()).addModelServer(fakeFuriosaServer))).toEqual([
      '[test/gaie] epp.metricsPreset: value ["vllm","furiosa"] is not allowed (the EPP scrapes one set of metric names); allowed: model servers of one metrics flavor, or an explicit epp.metricsPreset',
    ]);
  });

  it('unknown plugin type in the config', () => {
    expect(problems({ selector: SELECTOR, epp: { config: { plugins: [{ type: 'magic-scorer' } as never], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'magic-scorer' }] }] } } })[0]).toMatch(
      /epp\.config\.plugins\[0\]\.type: value "magic-scorer" is not allowed \(unknown plugin type\); allowed: queue-scorer, .*; or mark a plugin of another type with custom: true/,
    );
  });

  it('profile referring to an undeclared plugin', () => {
    expect(problems({ selector: SELECTOR, epp: { config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'prefix-cache-scorer' }] }] } } })).toEqual([
      '[test/gaie] epp.config.schedulingProfiles[0].plugins[0].pluginRef: value "prefix-cache-scorer" is not allowed (the profile refers to a plugin that is not in plugins); allowed: a declared plugin: queue-scorer',
    ]);
  });

  it('weight < 0', () => {
    expect(problems({ selector: SELECTOR, epp: { config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer', weight: -1 }] }] } } })).toEqual([
      '[test/gaie] epp.config.schedulingProfiles[0].plugins[0].weight: value -1 is not allowed; allowed: a number of 0 or more',
    ]);
  });

  it('config file that is not in the ConfigMap', () => {
    expect(problems({ selector: SELECTOR, epp: { configFile: 'plugins-v2.yaml' } })).toEqual([
      '[test/gaie] epp.configFile: value "plugins-v2.yaml" is not allowed (/config is the ConfigMap volume; the EPP would not start); allowed: a file of the EPP ConfigMap: default-plugins.yaml',
    ]);
  });

  it('reserved and conflicting flags', () => {
    expect(problems({ selector: SELECTOR, epp: { flags: { 'pool-name': 'x', v: 2 }, logVerbosity: 3 } })).toEqual([
      '[test/gaie] epp.flags.v: value 2 is not allowed; allowed: either flags.v or logVerbosity, not both',
      '[test/gaie] epp.flags.pool-name: value "x" is not allowed (the construct renders this flag from its props); allowed: flags other than pool-name, pool-namespace, pool-group, zap-encoder, config-file, ha-enable-leader-election, tracing, metrics-endpoint-auth',
    ]);
  });

  it('v1alpha2 with two target ports', () => {
    expect(problems({ selector: SELECTOR, apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPorts: [8000, 8001] })).toEqual([
      '[test/gaie] targetPorts: value [8000,8001] is not allowed (v1alpha2 InferencePools have a single targetPortNumber); allowed: exactly one port',
    ]);
  });

  it('bad ports, names, durations and labels', () => {
    const msgs = problems({
      name: 'Bad_Name',
      selector: { 'llm-d.ai/x': 'not ok!' },
      targetPorts: [70000],
      epp: { extProcPort: 0, extraContainerPorts: [{ name: 'grpc', containerPort: 9002 }], image: { pullPolicy: 'Sometimes' as never } },
      monitoring: { interval: 'ten seconds' },
    });
    const fields = msgs.map((m) => m.replace(/^\[[^\]]+\] /, '').split(':')[0]);
    expect(fields).toEqual(expect.arrayContaining([
      'name',
      'selector.llm-d.ai/x',
      'targetPorts[0]',
      'epp.extProcPort',
      'epp.extraContainerPorts[0].name',
      'epp.extraContainerPorts[0].containerPort',
      'epp.image.pullPolicy',
      'monitoring.interval',
    ]));
  });

  it('two pools in one namespace sharing the default metrics Secret', () => {
    const { chart } = newChart('llm-d');
    new InferenceSchedulerPool(chart, 'a', { selector: SELECTOR, monitoring: { enabled: true } });
    new InferenceSchedulerPool(chart, 'b', { selector: SELECTOR, monitoring: { enabled: true } });
    const msgs = problemsOf(chart);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toContain('monitoring.metricsSecretName: value "inference-gateway-sa-metrics-reader-secret" is not allowed (both pools would create the same Secret); allowed: a name not used by test/b in namespace llm-d');
  });

  it('synth throws with every problem', () => {
    const { chart } = newChart('llm-d');
    new InferenceSchedulerPool(chart, 'gaie', { selector: {}, epp: { replicas: 0 } });
    expect(() => synth(chart)).toThrow(/2 problem\(s\)[\s\S]*selector[\s\S]*epp\.replicas/);
  });
});
