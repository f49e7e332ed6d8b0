import {
  apiGroupOf,
  clusterRbacNameFor,
  eppArgs,
  eppNameFor,
  FURIOSA_METRIC_FLAGS,
  goFormatNumber,
  presetFixedArgs,
  presetFlags,
  presetForFlavors,
  resolveEppFlags,
} from '../../src/scheduler';

describe('names', () => {
  it.each([
    ['gaie', 'gaie-epp'],
    ['GAIE', 'gaie-epp'],
    ['a'.repeat(50), `${'a'.repeat(40)}-epp`],
    ['', 'default-pool-epp'],
  ])('eppNameFor(%s) = %s', (release, want) => {
    expect(eppNameFor(release)).toBe(want);
  });

  it.each([
    ['gaie', 'llm-d', 'gaie-llm-d-epp'],
    ['gaie', '', 'gaie-default-epp'],
    ['r'.repeat(45), 'n'.repeat(45), `${'r'.repeat(40)}-${'n'.repeat(40)}-epp`],
  ])('clusterRbacNameFor(%s, %s) = %s', (release, ns, want) => {
    expect(clusterRbacNameFor(release, ns)).toBe(want);
  });

  it.each([
    ['inference.networking.k8s.io/v1', 'inference.networking.k8s.io'],
    ['inference.networking.x-k8s.io/v1alpha2', 'inference.networking.x-k8s.io'],
  ])('apiGroupOf(%s) = %s', (v, want) => {
    expect(apiGroupOf(v)).toBe(want);
  });
});

describe('metric presets', () => {
  it('furiosa flags are the guide\'s, sorted like Helm ranges over them', () => {
    expect(presetFlags('furiosa')).toEqual(FURIOSA_METRIC_FLAGS);
    const keys = FURIOSA_METRIC_FLAGS.map(([k]) => k);
    expect(keys).toEqual([...keys].sort());
    expect(Object.fromEntries(FURIOSA_METRIC_FLAGS)).toEqual({
      'cache-info-metric': 'furiosa_llm_cache_config_info',
      'kv-cache-usage-percentage-metric': 'furiosa_llm_kv_cache_usage_percent',
      'lora-info-metric': '',
      'total-queued-requests-metric': 'furiosa_llm_num_requests_waiting',
      'total-running-requests-metric': 'furiosa_llm_num_requests_running',
    });
  });

  it.each([
    ['vllm', 0, 0],
    ['furiosa', 5, 0],
    ['triton-tensorrt-llm', 0, 6],
  ] as const)('%s: %i flags, %i fixed args', (preset, nFlags, nArgs) => {
    expect(presetFlags(preset)).toHaveLength(nFlags);
    expect(presetFixedArgs(preset)).toHaveLength(nArgs);
  });

  it.each([
    [[], 'vllm'],
    [['furiosa'], 'furiosa'],
    [['furiosa', 'furiosa'], 'furiosa'],
    [['vllm', 'furiosa'], undefined],
  ] as const)('presetForFlavors(%j) = %s', (flavors, want) => {
    expect(presetForFlavors(flavors)).toBe(want);
  });
});

describe('resolveEppFlags', () => {
  it.each<[string, Array<[string, string]>, Record<string, string | number | boolean | null> | undefined, number, Array<[string, string]>]>([
    ['defaults', [], undefined, 1, [['v', '1']]],
    ['preset then v', [['a', '1']], undefined, 2, [['a', '1'], ['v', '2']]],
    ['flags after preset', [['a', '1']], { b: 'x' }, 1, [['a', '1'], ['b', 'x'], ['v', '1']]],
    ['flag overrides preset key', [['a', '1'], ['c', '3']], { a: 'z' }, 1, [['c', '3'], ['a', 'z'], ['v', '1']]],
    ['v from flags keeps its place', [], { a: 1, v: 5, z: true }, 1, [['a', '1'], ['v', '5'], ['z', 'true']]],
    ['empty string kept', [], { 'lora-info-metric': '' }, 1, [['lora-info-metric', ''], ['v', '1']]],
    ['null drops preset and default flags', [['a', '1'], ['b', '2']], { a: null, v: null }, 1, [['b', '2']]],
  ])('%s', (_n, preset, flags, v, want) => {
    expect(resolveEppFlags(preset, flags, v)).toEqual(want);
  });
});

describe('eppArgs', () => {
  const base = { poolName: 'p', poolNamespace: 'ns', poolGroup: 'g', configFile: 'c.yaml', fixedArgs: [], leaderElection: false, flags: [], tracing: false, metricsAuth: true };
  it('chart order', () => {
    expect(eppArgs({ ...base, fixedArgs: ['--x', ''], leaderElection: true, flags: [['v', '1']], tracing: true, metricsAuth: false })).toEqual([
      '--pool-name', 'p', '--pool-namespace', 'ns', '--pool-group', 'g', '--zap-encoder', 'json', '--config-file', '/config/c.yaml',
      '--x', '', '--ha-enable-leader-election', '--v', '1', '--tracing=true', '--metrics-endpoint-auth=false',
    ]);
    expect(eppArgs(base).slice(-1)).toEqual(['--tracing=false']);
  });
});

describe('goFormatNumber (Helm prints values-file numbers as Go float64)', () => {
  it.each([
    [1, '1'],
    [0, '0'],
    [0.5, '0.5'],
    [-3, '-3'],
    [100000, '100000'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e21, '1.5e+21'],
  ])('%d → %s', (n, want) => {
    expect(goFormatNumber(n)).toBe(want);
  });
});
