import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

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
  const files = [...sourcesUnder(path.join(SRC, 'model-service')), ...sourcesUnder(path.join(SRC, 'storage'))];

  test.each(files.map((f) => path.relative(SRC, f)))('src/%s imports neither src/helm nor src/cli', (rel) => {
    const file = path.join(SRC, rel);
    const offending = importedModules(file)
      .filter((s) => s.startsWith('.'))
      .map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)).split(path.sep)[0])
      .filter((top) => top === 'helm' || top === 'cli');
    expect(offending).toEqual([]);
  });

  test('the model-service constructs have no fromHelmValues', async () => {
    const ms = await import('../../src/model-service');
    expect('fromHelmValues' in ms.FuriosaModelService).toBe(false);
    expect('fromHelmValues' in ms.ModelService).toBe(false);
    for (const name of ['furiosaModelServicePropsFromValues', 'FURIOSA_MODELSERVICE_CHART_DEFAULTS', 'modelServicePropsFromValues', 'MODELSERVICE_CHART_DEFAULTS']) {
      expect(Object.keys(ms)).not.toContain(name);
    }
  });
});
