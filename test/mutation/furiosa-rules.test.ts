/**
 * src/model-service/furiosa-rules.ts: the helpers its table-driven tests
 * (test/model-service/furiosa-rules.test.ts) leave to the construct suites, and the edges of its
 * name rules; written to kill the mutants StrykerJS left alive (docs/mutation.md).
 */
import {
  DEFAULT_FURIOSA_LLM_IMAGE,
  guideProbes,
  modelLabelValue,
  modelVolume,
  portReference,
  probePortName,
  releaseNameFromId,
} from '../../src/model-service/furiosa-rules';
import { parseModelUri } from '../../src/storage/model-uri';

test('the default image is the pinned furiosa-llm release', () => {
  expect(DEFAULT_FURIOSA_LLM_IMAGE).toBe('furiosaai/furiosa-llm:2026.1.0');
});

describe('releaseNameFromId', () => {
  test.each([
    ['My__Model!!x', 'my-model-x'],
    ['--a--', 'a'],
    ['a--', 'a'],
    ['!!!', 'ms'],
  ])('%j → %j', (id, name) => {
    expect(releaseNameFromId(id)).toBe(name);
  });
});

describe('modelLabelValue', () => {
  test.each([
    ['org/My  Model!!v2', 'My-Model-v2'],
    ['..x..', 'x'],
    ['org/', 'model'],
    ['a'.repeat(70), 'a'.repeat(63)],
    // Cut to 63 first, then a trailing separator removed.
    [`${'a'.repeat(62)}--b`, 'a'.repeat(62)],
  ])('%j → %j', (name, value) => {
    expect(modelLabelValue(name)).toBe(value);
  });
});

test('modelVolume for each scheme', () => {
  expect(modelVolume(parseModelUri('hf://org/m'), undefined)).toEqual({ name: 'model-storage', emptyDir: { sizeLimit: '0' } });
  expect(modelVolume(parseModelUri('hf://org/m'), '20Gi')).toEqual({ name: 'model-storage', emptyDir: { sizeLimit: '20Gi' } });
  expect(modelVolume(parseModelUri('pvc://claim/models/m'), undefined)).toEqual({ name: 'model-storage', persistentVolumeClaim: { claimName: 'claim', readOnly: true } });
  expect(modelVolume(parseModelUri('oci://registry.example/models/m:1'), undefined)).toEqual({ name: 'model-storage', image: { reference: 'registry.example/models/m:1', pullPolicy: 'Always' } });
});

test('portReference: the name of the port when it has one, else its number', () => {
  const ports = [{ containerPort: 8000, name: 'http' }, { containerPort: 9000 }];
  expect(portReference(ports, 8000)).toBe('http');
  expect(portReference(ports, 9000)).toBe(9000);
  expect(portReference(ports, 7000)).toBe(7000);
});

test('guideProbes: the probes of the Furiosa-LLM + llm-d guide', () => {
  expect(guideProbes('http')).toEqual({
    startupProbe: { httpGet: { path: '/v1/models', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 60 },
    livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/v1/models', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
  });
});

test('probePortName: a named port of httpGet or tcpSocket', () => {
  expect(probePortName(undefined)).toBeUndefined();
  expect(probePortName({})).toBeUndefined();
  expect(probePortName({ httpGet: { path: '/', port: 'http' } })).toBe('http');
  expect(probePortName({ httpGet: { path: '/', port: 8000 } })).toBeUndefined();
  expect(probePortName({ tcpSocket: { port: 'metrics' } })).toBe('metrics');
  expect(probePortName({ tcpSocket: { port: 9000 } })).toBeUndefined();
});
