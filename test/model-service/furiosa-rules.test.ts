import {
  acceleratorResources,
  furiosaServeArgs,
  huggingFaceEnv,
  isInferenceSimImage,
  modelArgument,
  modelLabelValue,
  modelServiceFullname,
  modelVolume,
  modelVolumeMount,
  parallelismArgs,
  parallelismEnv,
  portReference,
  releaseNameFromId,
  rngdPerPod,
} from '../../src/model-service/furiosa-rules';
import { routingProxyArgs } from '../../src/model-service/routing-sidecar';
import { parseModelUri } from '../../src/storage/model-uri';

describe('modelServiceFullname (llm-d-modelservice.fullname)', () => {
  test.each([
    ['ms', undefined, 'ms-llm-d-modelservice'],
    ['my-llm-d-modelservice', undefined, 'my-llm-d-modelservice'],
    ['llm-d-modelservice', undefined, 'llm-d-modelservice'],
    ['ms', 'custom', 'custom'],
    ['ms', 'x'.repeat(60), 'x'.repeat(55)],
    ['a'.repeat(36), undefined, `${'a'.repeat(36)}-llm-d-modelservice`],
    ['a'.repeat(40), undefined, `${'a'.repeat(40)}-llm-d-modelser`],
    ['a'.repeat(48), undefined, `${'a'.repeat(48)}-llm-d`],
    ['a'.repeat(60), undefined, 'a'.repeat(55)],
    ['ms', 'ends-with-dash-'.padEnd(56, '-'), 'ends-with-dash'],
  ])('release %s override %s -> %s', (release, override, expected) => {
    expect(modelServiceFullname(release, override)).toBe(expected);
  });
});

test.each([
  ['ms', 'ms'],
  ['MyService', 'myservice'],
  ['ms_llama 8b', 'ms-llama-8b'],
  ['--', 'ms'],
])('releaseNameFromId(%s) = %s', (id, expected) => {
  expect(releaseNameFromId(id)).toBe(expected);
});

describe('RNGD count and parallelism flags', () => {
  test.each([
    [1, 1, 1, 1, []],
    [4, 1, 1, 1, ['--tensor-parallel-size', '4']],
    [8, 1, 1, 1, ['--tensor-parallel-size', '8']],
    [4, 2, 1, 1, ['--tensor-parallel-size', '4', '--data-parallel-size', '2']],
    [8, 2, 1, 2, ['--tensor-parallel-size', '8', '--data-parallel-size', '2']],
    [8, 1, 2, 2, ['--tensor-parallel-size', '8', '--pipeline-parallel-size', '2']],
    [8, 4, 2, 8, ['--tensor-parallel-size', '8', '--data-parallel-size', '4', '--pipeline-parallel-size', '2']],
    [3, 3, 1, 2, ['--tensor-parallel-size', '3', '--data-parallel-size', '3']],
  ])('tp=%i dp=%i pp=%i -> %i RNGD, args %j', (tensor, data, pipeline, cards, args) => {
    expect(rngdPerPod({ tensor, data, pipeline })).toBe(cards);
    expect(parallelismArgs({ tensor, data, pipeline })).toEqual(args);
  });

  test('DP_SIZE, TP_SIZE, PP_SIZE always, as strings', () => {
    expect(parallelismEnv({ tensor: 1, data: 1, pipeline: 1 })).toEqual([
      { name: 'DP_SIZE', value: '1' },
      { name: 'TP_SIZE', value: '1' },
      { name: 'PP_SIZE', value: '1' },
    ]);
  });
});

describe('per-scheme rules', () => {
  const hf = parseModelUri('hf://org/model');
  const pvc = parseModelUri('pvc://claim/dir/model');
  const pvchf = parseModelUri('pvc+hf://claim/cache/org/model');
  const pvchfRoot = parseModelUri('pvc+hf://claim/org/model');

  test('model argument', () => {
    expect(modelArgument(hf, '/m')).toBe('org/model');
    expect(modelArgument(pvc, '/m')).toBe('/m/dir/model');
    expect(modelArgument(pvchf, '/m')).toBe('org/model');
    expect(() => modelArgument(parseModelUri('oci://x/y'), '/m')).toThrow(/oci/);
  });

  test('serve args: model, --port, parallelism, then user args', () => {
    expect(furiosaServeArgs(pvc, '/model-cache', 8000, { tensor: 8, data: 2, pipeline: 1, workers: 1 }, ['--x'])).toEqual([
      '/model-cache/dir/model', '--port', '8000', '--tensor-parallel-size', '8', '--data-parallel-size', '2', '--x',
    ]);
  });

  test('Hugging Face env', () => {
    const token = { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'HF_TOKEN' } } };
    expect(huggingFaceEnv(hf, '/cache', true, 's')).toEqual([{ name: 'HF_HOME', value: '/cache' }, token]);
    expect(huggingFaceEnv(hf, '/cache', false, 's')).toEqual([token]);
    expect(huggingFaceEnv(pvchf, '/elsewhere', true, undefined)).toEqual([{ name: 'HF_HUB_CACHE', value: '/model-cache/cache' }]);
    expect(huggingFaceEnv(pvchfRoot, '/model-cache', true, undefined)).toEqual([{ name: 'HF_HUB_CACHE', value: '/model-cache/' }]);
    expect(huggingFaceEnv(pvc, '/model-cache', true, 's')).toEqual([token]);
    expect(huggingFaceEnv(pvc, '/model-cache', true, undefined)).toEqual([]);
  });

  test('model volume and mount', () => {
    expect(modelVolume(hf, '40Gi')).toEqual({ name: 'model-storage', emptyDir: { sizeLimit: '40Gi' } });
    expect(modelVolume(hf, undefined)).toEqual({ name: 'model-storage', emptyDir: { sizeLimit: '0' } });
    expect(modelVolume(pvc, '1Gi')).toEqual({ name: 'model-storage', persistentVolumeClaim: { claimName: 'claim', readOnly: true } });
    expect(modelVolume(pvchf, undefined)).toEqual({ name: 'model-storage', persistentVolumeClaim: { claimName: 'claim', readOnly: true } });
    expect(modelVolumeMount(hf, '/c')).toEqual({ name: 'model-storage', mountPath: '/c' });
    expect(modelVolumeMount(pvc, '/c')).toEqual({ name: 'model-storage', mountPath: '/c', readOnly: true });
    expect(modelVolumeMount(pvchf, '/c')).toEqual({ name: 'model-storage', mountPath: '/c', readOnly: true });
  });
});

describe('acceleratorResources (mergeOverwrite of the chart)', () => {
  test('no user resources', () => {
    expect(acceleratorResources(undefined, 'furiosa.ai/rngd', 2)).toEqual({ limits: { 'furiosa.ai/rngd': '2' }, requests: { 'furiosa.ai/rngd': '2' } });
  });
  test('user values kept, accelerator overwritten', () => {
    expect(acceleratorResources({ limits: { memory: '64Gi', 'furiosa.ai/rngd': 4 }, requests: { cpu: '8' } }, 'furiosa.ai/rngd', 1)).toEqual({
      limits: { memory: '64Gi', 'furiosa.ai/rngd': '1' },
      requests: { cpu: '8', 'furiosa.ai/rngd': '1' },
    });
  });
  test('no accelerator for an empty resource name or count 0', () => {
    expect(acceleratorResources({ requests: { cpu: '1' } }, '', 1)).toEqual({ limits: {}, requests: { cpu: '1' } });
    expect(acceleratorResources(undefined, 'furiosa.ai/rngd', 0)).toEqual({ limits: {}, requests: {} });
  });
});

test('routing proxy args, optional flags only when set, in chart order', () => {
  expect(routingProxyArgs({ servicePort: 8000, targetPort: 8200, connector: 'nixlv2' })).toEqual(['--port=8000', '--vllm-port=8200', '--connector=nixlv2']);
  expect(
    routingProxyArgs({ servicePort: 8000, targetPort: 8200, connector: 'nixlv2', zapDevel: true, zapEncoder: 'json', zapLogLevel: 3, zapStacktraceLevel: 'error', zapTimeEncoding: 'iso8601', secure: false, prefillerUseTLS: true, certPath: '/certs' }),
  ).toEqual([
    '--port=8000', '--vllm-port=8200', '--connector=nixlv2', '--zap-devel=true', '--zap-encoder=json', '--zap-log-level=3', '--zap-stacktrace-level=error',
    '--zap-time-encoding=iso8601', '--secure-proxy=false', '--prefiller-use-tls=true', '--cert-path=/certs',
  ]);
});

test('small helpers', () => {
  expect(isInferenceSimImage('ghcr.io/llm-d/llm-d-inference-sim:v0.5.0')).toBe(true);
  expect(isInferenceSimImage('furiosaai/furiosa-llm:2026.1.0')).toBe(false);
  expect(portReference([{ containerPort: 8000, name: 'http' }], 8000)).toBe('http');
  expect(portReference([{ containerPort: 8000 }], 8000)).toBe(8000);
  expect(modelLabelValue('furiosa-ai/Llama-3.1-8B-Instruct')).toBe('Llama-3.1-8B-Instruct');
  expect(modelLabelValue('org/model:with spaces')).toBe('model-with-spaces');
  expect(modelLabelValue('///')).toBe('model');
});
