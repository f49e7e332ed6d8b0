import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const root = path.join(__dirname, '..');

test('committed imports/ are what `npm run import` generates from the vendored CRDs', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-imports-'));
  execFileSync(process.execPath, [path.join(root, 'scripts', 'import.js'), out], { cwd: root, stdio: 'pipe' });
  const committed = fs.readdirSync(path.join(root, 'imports')).sort();
  expect(fs.readdirSync(out).sort()).toEqual(committed);
  for (const f of committed) {
    const fresh = fs.readFileSync(path.join(out, f), 'utf8');
    const ours = fs.readFileSync(path.join(root, 'imports', f), 'utf8');
    if (fresh !== ours) throw new Error(`imports/${f} is stale: run \`npm run import\` and commit the result`);
  }
}, 30_000);

test('every vendored CRD file names its upstream source and release in its header', () => {
  for (const f of fs.readdirSync(path.join(root, 'crds'))) {
    const first = fs.readFileSync(path.join(root, 'crds', f), 'utf8').split('\n')[0];
    expect(first).toMatch(/^# .+ from [\w.-]+\/[\w.-]+ (tag )?v?\d+\.\d+\.\d+/);
  }
});

test('cdk8s.yaml names every vendored CRD once, by a path relative to the repository', () => {
  const config = YAML.parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
  expect(config.imports.filter((i) => path.isAbsolute(i))).toEqual([]);
  expect(new Set(config.imports).size).toBe(config.imports.length);
  // Newer releases of a group that is already imported are vendored for the prerequisites and the
  // schema check only: the classes come from the older import (its fields are a subset) and the
  // fields the newer release adds are merged as wire fields (InferencePool appProtocol).
  const prerequisiteOnly = ['crds/gateway-api-inference-extension-v1.6.0.yaml', 'crds/gateway-api-v1.5.1-standard.yaml'];
  expect([...config.imports, ...prerequisiteOnly].sort()).toEqual(fs.readdirSync(path.join(root, 'crds')).map((f) => `crds/${f}`).sort());
});
