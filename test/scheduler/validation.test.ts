import { Chart } from 'cdk8s';
import { InferenceSchedulerPool, InferenceSchedulerPoolProps } from '../../src/scheduler';
import { expectRefusal, problemsFrom } from '../support';
import { fakeFuriosaServer, vllmServer } from './fixtures';

/** Builds the pool `gaie` (then `setup` on it) into the chart of a refusal test. */
const pool = (props: InferenceSchedulerPoolProps, setup?: (pool: InferenceSchedulerPool) => void) => (chart: Chart) => {
  const built = new InferenceSchedulerPool(chart, 'gaie', props);
  setup?.(built);
};

const SELECTOR = { 'llm-d.ai/inferenceServing': 'true' };

describe('bad input', () => {
  it('a valid pool has no problems', () => {
    expect(problemsFrom(pool({ selector: SELECTOR }))).toEqual([]);
  });

  it('replicas < 1', () => {
    expectRefusal(pool({ selector: SELECTOR, epp: { replicas: 0 } }), [{ path: 'test/gaie', field: 'epp.replicas', value: 0, allowed: 'an integer of 1 or more' }]);
  });

  it('custom text files are checked as EndpointPickerConfig when the EPP reads them or they declare that kind', () => {
    const bad = 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins: []\nschedulingProfiles: []\n';
    expectRefusal(pool({ selector: SELECTOR, epp: { customConfigFiles: { 'other.yaml': bad } } }), [
      { path: 'test/gaie', field: 'epp.customConfigFiles.other.yaml.schedulingProfiles', value: [], allowed: 'at least one scheduling profile', why: 'the EPP needs a profile to schedule with' },
    ]);
    expectRefusal(pool({ selector: SELECTOR, epp: { customConfigFiles: { 'active.yaml': 'foo: bar\n' }, configFile: 'active.yaml' } }), [
      { path: 'test/gaie', field: 'epp.customConfigFiles.active.yaml.apiVersion', value: undefined, allowed: 'inference.networking.x-k8s.io/v1alpha1' },
      { path: 'test/gaie', field: 'epp.customConfigFiles.active.yaml.kind', value: undefined, allowed: 'EndpointPickerConfig' },
      { path: 'test/gaie', field: 'epp.customConfigFiles.active.yaml.schedulingProfiles', value: [], allowed: 'at least one scheduling profile', why: 'the EPP needs a profile to schedule with' },
    ]);
  });

  it('empty selector', () => {
    expectRefusal(pool({ selector: {} }), [{ path: 'test/gaie', field: 'selector', value: {}, allowed: 'at least one label', why: 'an empty selector would select every pod in the namespace' }]);
  });

  it('no selector and no model server', () => {
    expectRefusal(pool({}), [
      { path: 'test/gaie', field: 'selector', value: undefined, allowed: 'labels of the model-server pods, or addModelServer(...)', why: 'the pool needs to know which pods it routes to (the chart requires inferencePool.modelServers.matchLabels)' },
    ]);
  });

  it('port mismatch between servers', () => {
    expectRefusal(pool({}, (p) => p.addModelServer(vllmServer()).addModelServer(vllmServer({ servingPort: 8200 }))), [
      { path: 'test/gaie', field: 'modelServers[1].servingPort', value: 8200, allowed: '8000 (the port of modelServers[0]), or set targetPorts', why: 'port mismatch between the model servers of one pool' },
    ]);
  });

  it('server port not among explicit targetPorts', () => {
    expectRefusal(pool({ selector: SELECTOR, targetPorts: [8000] }, (p) => p.addModelServer(vllmServer({ servingPort: 8200 }))), [
      { path: 'test/gaie', field: 'modelServers[0].servingPort', value: 8200, allowed: 'one of targetPorts [8000]', why: 'port mismatch: the pool would not send traffic to this server\'s port' },
    ]);
  });

  it('label mismatch with the selector', () => {
    expectRefusal(pool({ selector: { app: 'other' } }, (p) => p.addModelServer(vllmServer())), [
      { path: 'test/gaie', field: 'modelServers[0].podLabels', value: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'qwen', 'llm-d.ai/role': 'decode' }, allowed: 'labels matching the pool selector {"app":"other"}', why: 'label mismatch: the pool would not select this server\'s pods' },
    ]);
  });

  it('label mismatch between servers (nothing shared)', () => {
    expectRefusal(pool({}, (p) => p.addModelServer(vllmServer({ podLabels: { app: 'a' } })).addModelServer(vllmServer({ podLabels: { app: 'b' } }))), [
      { path: 'test/gaie', field: 'modelServers', value: [{ app: 'a' }, { app: 'b' }], allowed: 'model servers whose pod labels share at least one label, or an explicit selector', why: 'label mismatch: the servers have no label in common, so no selector matches them all' },
    ]);
  });

  it('server in another namespace', () => {
    expectRefusal(pool({ selector: SELECTOR }, (p) => p.addModelServer(vllmServer({ podNamespace: 'other' }))), [
      { path: 'test/gaie', field: 'modelServers[0].podNamespace', value: 'other', allowed: 'the pool\'s namespace "llm-d"', why: 'an InferencePool selects pods of its own namespace only' },
    ]);
  });

  it('servers of different metric flavors', () => {
    expectRefusal(pool({ selector: SELECTOR }, (p) => p.addModelServer(vllmServer()).addModelServer(fakeFuriosaServer)), [
      { path: 'test/gaie', field: 'epp.metricsPreset', value: ['vllm', 'furiosa'], allowed: 'model servers of one metrics flavor, or an explicit epp.metricsPreset', why: 'the EPP scrapes one set of metric names' },
    ]);
  });

  it('unknown plugin type in the config', () => {
    expectRefusal(pool({ selector: SELECTOR, epp: { config: { plugins: [{ type: 'magic-scorer' } as never], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'magic-scorer' }] }] } } }), [
      { path: 'test/gaie', field: 'epp.config.plugins[0].type', value: 'magic-scorer', allowed: expect.stringContaining('queue-scorer, kv-cache-utilization-scorer, lora-affinity-scorer,'), why: 'unknown plugin type' },
    ]);
  });

  it('profile referring to an undeclared plugin', () => {
    expectRefusal(pool({ selector: SELECTOR, epp: { config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'prefix-cache-scorer' }] }] } } }), [
      { path: 'test/gaie', field: 'epp.config.schedulingProfiles[0].plugins[0].pluginRef', value: 'prefix-cache-scorer', allowed: 'a declared plugin: queue-scorer', why: 'the profile refers to a plugin that is not in plugins' },
    ]);
  });

  it('weight < 0', () => {
    expectRefusal(pool({ selector: SELECTOR, epp: { config: { plugins: [{ type: 'queue-scorer' }], schedulingProfiles: [{ name: 'default', plugins: [{ pluginRef: 'queue-scorer', weight: -1 }] }] } } }), [
      { path: 'test/gaie', field: 'epp.config.schedulingProfiles[0].plugins[0].weight', value: -1, allowed: 'a number of 0 or more' },
    ]);
  });

  it('config file that is not in the ConfigMap', () => {
    expectRefusal(pool({ selector: SELECTOR, epp: { configFile: 'plugins-v2.yaml' } }), [
      { path: 'test/gaie', field: 'epp.configFile', value: 'plugins-v2.yaml', allowed: 'a file of the EPP ConfigMap: default-plugins.yaml', why: '/config is the ConfigMap volume; the EPP would not start' },
    ]);
  });

  it('reserved and conflicting flags', () => {
    expectRefusal(pool({ selector: SELECTOR, epp: { flags: { 'pool-name': 'x', v: 2 }, logVerbosity: 3 } }), [
      { path: 'test/gaie', field: 'epp.flags.v', value: 2, allowed: 'either flags.v or logVerbosity, not both' },
      { path: 'test/gaie', field: 'epp.flags.pool-name', value: 'x', allowed: 'flags other than pool-name, pool-namespace, pool-group, zap-encoder, config-file, ha-enable-leader-election, tracing, metrics-endpoint-auth', why: 'the construct renders this flag from its props' },
    ]);
  });

  it('v1alpha2 with two target ports', () => {
    expectRefusal(pool({ selector: SELECTOR, apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPorts: [8000, 8001] }), [
      { path: 'test/gaie', field: 'targetPorts', value: [8000, 8001], allowed: 'exactly one port', why: 'v1alpha2 InferencePools have a single targetPortNumber' },
    ]);
  });

  it('a name that is not DNS-1123 is reported once, at name', () => {
    expectRefusal(pool({ name: 'Bad_Name', selector: SELECTOR }), [
      { path: 'test/gaie', field: 'name', value: 'Bad_Name', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
  });

  it('bad ports, durations and labels', () => {
    expectRefusal(pool({
      selector: { 'llm-d.ai/x': 'not ok!' },
      targetPorts: [70000],
      epp: { extProcPort: 0, extraContainerPorts: [{ name: 'grpc', containerPort: 9002 }], image: { pullPolicy: 'Sometimes' as never } },
      monitoring: { interval: 'ten seconds' },
    }), [
      { path: 'test/gaie', field: 'selector.llm-d.ai/x', value: 'not ok!', allowed: 'a label value: a string of at most 63 alphanumerics, "-", "_", "." starting and ending with an alphanumeric (quote "true" and numbers)' },
      { path: 'test/gaie', field: 'targetPorts[0]', value: 70000, allowed: 'an integer port number from 1 to 65535' },
      { path: 'test/gaie', field: 'epp.extProcPort', value: 0, allowed: 'an integer port number from 1 to 65535' },
      { path: 'test/gaie', field: 'epp.image.pullPolicy', value: 'Sometimes', allowed: 'Always, IfNotPresent, Never' },
      { path: 'test/gaie', field: 'epp.extraContainerPorts[0].name', value: 'grpc', allowed: 'a name other than grpc, grpc-health, metrics and the other extra ports' },
      { path: 'test/gaie', field: 'epp.extraContainerPorts[0].containerPort', value: 9002, allowed: 'a port other than 9002, 9003, 9090 and the other extra ports' },
      { path: 'test/gaie', field: 'monitoring.interval', value: 'ten seconds', allowed: 'a Prometheus duration such as "10s" or "1m"' },
    ]);
  });

  it('two pools in one namespace sharing the default metrics Secret', () => {
    expectRefusal((chart) => {
      new InferenceSchedulerPool(chart, 'a', { selector: SELECTOR, monitoring: { enabled: true } });
      new InferenceSchedulerPool(chart, 'b', { selector: SELECTOR, monitoring: { enabled: true } });
    }, [
      { path: 'test/a', field: 'monitoring.metricsSecretName', value: 'inference-gateway-sa-metrics-reader-secret', allowed: 'a name not used by test/b in namespace llm-d', why: 'both pools would create the same Secret' },
      { path: 'test/b', field: 'monitoring.metricsSecretName', value: 'inference-gateway-sa-metrics-reader-secret', allowed: 'a name not used by test/a in namespace llm-d', why: 'both pools would create the same Secret' },
    ]);
  });

  it('synth throws with every problem', () => {
    expectRefusal(pool({ selector: {}, epp: { replicas: 0 } }), [
      { path: 'test/gaie', field: 'selector', value: {}, allowed: 'at least one label' },
      { path: 'test/gaie', field: 'epp.replicas', value: 0, allowed: 'an integer of 1 or more' },
    ]);
  });
});
