import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** Every value the main entry point exports. Adding one is an API decision: add it here too. */
const PUBLIC_VALUES = [
  'ACCELERATOR_RESOURCES',
  'AutoscalerEngine',
  'AutoscalingSignal',
  'BodyBasedRouter',
  'DEFAULT_CONSUMER_IMAGE',
  'DEFAULT_DOWNLOADER_IMAGE',
  'DEFAULT_DRA_CLAIM_TEMPLATES',
  'DEFAULT_EPP_IMAGE',
  'DEFAULT_FURIOSA_LLM_IMAGE',
  'DEFAULT_GATEWAY_LISTENERS',
  'DEFAULT_ROUTE_TIMEOUTS',
  'DEFAULT_ROUTING_SIDECAR_IMAGE',
  'DEFAULT_VLLM_IMAGE',
  'EPP_METRICS_PRESETS',
  'EndpointPickerConfig',
  'FuriosaModelService',
  'HubClient',
  'InferenceRoute',
  'InferenceSchedulerPool',
  'IstioGieGateway',
  'LlmdServingStack',
  'LlmdValidationError',
  'ModelPvcDownloader',
  'ModelServerAutoscaler',
  'ModelServerEngine',
  'ModelService',
  'ModelUriError',
  'NodeInventory',
  'PoolProvider',
  'SchedulerRelease',
  'RngdServingStack',
  'SUPPORTED_GATEWAY_CLASSES',
  'ServingAlerts',
  'ServingBenchmark',
  'ServingDashboards',
  'ServingDisruptionBudgets',
  'ServingNetworkPolicies',
  'describeProblem',
  'formatModelUri',
  'hardenedContainerSecurityContext',
  'hardenedPodSecurityContext',
  'istiodValuesYaml',
  'parseModelUri',
  'synthApp',
  'validateTree',
  'writeIstiodValues',
];

/** Relative module specifiers of `import/export ... from`, `import(...)` and `require(...)` in a file. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/\bfrom\s+'(\.[^']*)'/g), ...text.matchAll(/\b(?:require|import)\(\s*'(\.[^']*)'\s*\)/g)];
  return specs.map((m) => m[1]);
}

function resolveSource(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** Every repository source file reachable from `entry`, lazy requires included. */
function reachableFrom(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    for (const spec of relativeImports(file)) {
      const target = resolveSource(file, spec);
      if (target && !seen.has(target)) {
        seen.add(target);
        todo.push(target);
      }
    }
  }
  return [...seen].map((f) => path.relative(root, f).split(path.sep).join('/'));
}

describe('the main entry point', () => {
  test('exports exactly the listed values, at most 60', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require('../src') as Record<string, unknown>;
    const values = Object.keys(api).filter((k) => k !== '__esModule').sort();
    expect(values).toEqual([...PUBLIC_VALUES].sort());
    expect(values.length).toBeLessThanOrEqual(60);
  });

  test('reaches neither the helm adapters, the CLI nor the testing tools, lazy requires included', () => {
    const reachable = reachableFrom(path.join(root, 'src', 'index.ts'));
    expect(reachable).toEqual(expect.arrayContaining(['src/model-service/furiosa-model-service.ts', 'src/core/errors.ts']));
    expect(reachable.filter((m) => /^src\/(helm|cli|testing)\//.test(m))).toEqual([]);
  });
});

// cdk8s-plus: no src file names a cdk8s-plus module (test/interop), and package.json declares
// none (test/packaging/package-json.test.ts).

describe('package entry points', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types: string; default: string }>;
    typesVersions: Record<string, Record<string, string[]>>;
  };
  const sourceOf = (built: string) => path.join(root, built.replace(/^\.\/lib\//, '').replace(/\.d\.ts$|\.js$/, '.ts'));

  test.each([['.', 'src/index.ts'], ['./helm', 'src/helm/index.ts'], ['./testing', 'src/testing/index.ts']])('%s is built from %s', (entry, source) => {
    const target = pkg.exports[entry] as { types: string; default: string };
    expect(path.relative(root, sourceOf(target.default))).toBe(source);
    expect(path.relative(root, sourceOf(target.types))).toBe(source);
    expect(fs.existsSync(path.join(root, source))).toBe(true);
  });

  test('typesVersions gives the same subpaths to TypeScript without exports support', () => {
    expect(pkg.typesVersions['*']).toEqual({ helm: [(pkg.exports['./helm'] as { types: string }).types.slice(2)], testing: [(pkg.exports['./testing'] as { types: string }).types.slice(2)] });
  });

  test('the helm entry point builds constructs from values; the testing one checks manifests', async () => {
    const helm = await import('../src/helm');
    const testing = await import('../src/testing');
    expect(Object.keys(helm)).toEqual(expect.arrayContaining(['furiosaModelServiceFromHelmValues', 'inferenceSchedulerPoolFromHelmValues', 'istioGieGatewayFromHelmValues', 'modelServiceFromHelmValues']));
    expect(Object.keys(testing)).toEqual(expect.arrayContaining(['compareManifests', 'validateManifests', 'checkPodSecurityRestricted', 'checkPodSecurityBaseline']));
  });
});
