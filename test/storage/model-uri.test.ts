import { checkModelUri, formatModelUri, ModelUri, ModelUriError, modelStorageUri, parseModelUri } from '../../src/storage/model-uri';

describe('parseModelUri', () => {
  const ok: Array<[string, ModelUri]> = [
    ['hf://furiosa-ai/Llama-3.1-8B-Instruct', { scheme: 'hf', uri: 'hf://furiosa-ai/Llama-3.1-8B-Instruct', repoId: 'furiosa-ai/Llama-3.1-8B-Instruct' }],
    ['hf://gpt2', { scheme: 'hf', uri: 'hf://gpt2', repoId: 'gpt2' }],
    ['pvc://model-pvc/models/llama', { scheme: 'pvc', uri: 'pvc://model-pvc/models/llama', claimName: 'model-pvc', path: 'models/llama' }],
    ['pvc://model-pvc/llama/', { scheme: 'pvc', uri: 'pvc://model-pvc/llama/', claimName: 'model-pvc', path: 'llama' }],
    [
      'pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct',
      { scheme: 'pvc+hf', uri: 'pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct', claimName: 'model-pvc', hubCachePath: '', repoId: 'furiosa-ai/Llama-3.1-8B-Instruct' },
    ],
    [
      'pvc+hf://pvc-name/path/to/hf_hub_cache/facebook/opt-125m',
      { scheme: 'pvc+hf', uri: 'pvc+hf://pvc-name/path/to/hf_hub_cache/facebook/opt-125m', claimName: 'pvc-name', hubCachePath: 'path/to/hf_hub_cache', repoId: 'facebook/opt-125m' },
    ],
    ['oci://registry.example.com/models/llama:1', { scheme: 'oci', uri: 'oci://registry.example.com/models/llama:1', reference: 'registry.example.com/models/llama:1' }],
  ];
  test.each(ok)('%s', (uri, expected) => {
    expect(parseModelUri(uri)).toEqual(expected);
  });

  const bad: Array<[string, RegExp]> = [
    ['', /a model URI is required/],
    ['furiosa-ai/Llama-3.1-8B-Instruct', /no scheme/],
    ['s3://bucket/model', /unknown scheme "s3"/],
    ['hf://', /not a Hugging Face repository id/],
    ['hf://a/b/c', /not a Hugging Face repository id/],
    ['pvc:///models/llama', /claim name is missing/],
    ['pvc://', /claim name is missing/],
    ['pvc://Model_PVC/llama', /not a DNS-1123 subdomain/],
    ['pvc://model-pvc', /path of the model inside the claim is missing/],
    ['pvc://model-pvc/../etc', /clean relative path/],
    ['pvc+hf:///furiosa-ai/Llama', /claim name is missing/],
    ['pvc+hf://model-pvc/Llama', /needs the claim and an <org>\/<model>/],
    ['pvc+hf://model-pvc//org/model', /empty or ".." path segment/],
    ['oci://', /image reference is missing/],
  ];
  test.each(bad)('refuses %j', (uri, why) => {
    expect(() => parseModelUri(uri)).toThrow(ModelUriError);
    expect(() => parseModelUri(uri)).toThrow(why);
  });

  test('errors name the field and the allowed forms', () => {
    const p = checkModelUri('modelArtifacts.uri', 'pvc://');
    expect(p?.field).toBe('modelArtifacts.uri');
    expect(p?.allowed).toContain('pvc://<claim>/<path/to/model>');
    expect(checkModelUri('x', 'hf://a/b')).toBeUndefined();
  });

  test.each(ok.map(([u]) => u).filter((u) => !u.endsWith('/')))('formatModelUri round-trips %s', (uri) => {
    expect(formatModelUri(parseModelUri(uri))).toBe(uri);
  });
});

describe('modelStorageUri', () => {
  const storage = { claimName: 'model-pvc', claimNamespace: 'llm-d', hubCachePath: '', repoId: 'furiosa-ai/Llama-3.1-8B-Instruct' };
  test('root hub cache', () => {
    expect(modelStorageUri(storage)).toBe('pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct');
  });
  test('nested hub cache, explicit repo id', () => {
    expect(modelStorageUri({ ...storage, hubCachePath: '/hub/cache/' }, 'org/m')).toBe('pvc+hf://model-pvc/hub/cache/org/m');
    expect(parseModelUri(modelStorageUri({ ...storage, hubCachePath: 'hub/cache' }))).toMatchObject({ hubCachePath: 'hub/cache', repoId: storage.repoId });
  });
  test('refuses storage without a repository id', () => {
    let error: unknown;
    try {
      modelStorageUri({ ...storage, repoId: undefined });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelUriError);
    expect((error as ModelUriError).problem).toEqual({ field: 'repoId', value: undefined, allowed: 'a Hugging Face repository id <org>/<model>', why: 'the storage "model-pvc" does not say which repository it holds' });
  });
});
