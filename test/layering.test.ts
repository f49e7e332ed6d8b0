import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Module specifiers of `import ... from`, `export ... from` and `require(...)` in a file. */
function importedModules(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/\bfrom\s+'([^']+)'/g), ...text.matchAll(/\brequire\(\s*'([^']+)'\s*\)/g), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
  return specs.map((m) => m[1]);
}

describe('Helm is a one-way layer over the constructs', () => {
  // Every construct area, the core under them, and the testing tools: only the CLI and the helm
  // adapters themselves may import the adapters.
  const areas = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'helm' && e.name !== 'cli').map((e) => e.name);
  const files = areas.flatMap((a) => sourcesUnder(path.join(SRC, a)));

  test('covers every construct area', () => {
    expect(areas.sort()).toEqual(['core', 'gateway', 'model-service', 'operations', 'routing', 'scheduler', 'stack', 'storage', 'synth', 'system', 'testing']);
  });

  test.each(files.map((f) => path.relative(SRC, f)))('src/%s imports neither src/helm nor src/cli', (rel) => {
    const file = path.join(SRC, rel);
    const offending = importedModules(file)
      .filter((s) => s.startsWith('.'))
      .map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)).split(path.sep)[0])
      .filter((top) => top === 'helm' || top === 'cli');
    expect(offending).toEqual([]);
  });

  test('no construct has a fromHelmValues, and no area re-exports an adapter', async () => {
    const ms = await import('../src/model-service');
    const sched = await import('../src/scheduler');
    const gw = await import('../src/gateway');
    for (const cls of [ms.FuriosaModelService, ms.ModelService, sched.InferenceSchedulerPool, gw.IstioGieGateway]) {
      expect('fromHelmValues' in cls).toBe(false);
    }
    const exported = [...Object.keys(ms), ...Object.keys(sched), ...Object.keys(gw)];
    const adapters = Object.keys(await import('../src/helm'));
    expect(exported.filter((n) => adapters.includes(n))).toEqual([]);
  });
});

describe('files that each hold one idea', () => {
  test('no hand-written src file is over 600 lines', () => {
    const long = sourcesUnder(SRC)
      .map((f) => ({ file: path.relative(SRC, f), lines: fs.readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 600);
    expect(long).toEqual([]);
  });
});

