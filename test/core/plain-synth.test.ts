/**
 * Plain `app.synth()` (what `cdk8s synth` runs) applies the same app-wide rules as synthApp: the
 * API server's rules on every object, objects that overwrite each other, overlapping selectors.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { RngdServingStack, synthApp } from '../../src';
import { FuriosaModelService } from '../../src/model-service';
import { expectRefusal, newChart } from '../support';

const MODEL = { name: 'o/m', uri: 'hf://o/m' };

function withBadConfigMap(): { app: App; chart: Chart } {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  new ApiObject(chart, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name' }, data: { a: 'b' } });
  return { app, chart };
}

const yamlFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')) : []);

test('app.synth() refuses an object the API server would reject, naming its path and field, and writes no manifest', () => {
  const { app } = withBadConfigMap();
  expectRefusal(() => app.synth(), [
    { path: 'test/extra', field: 'metadata.name', value: 'Not_A_Name', allowed: 'a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and "."' },
  ]);
  expect(yamlFiles(app.outdir)).toEqual([]);
});

test('synthApp reports the same problem once, structured', () => {
  const { app } = withBadConfigMap();
  expectRefusal(() => synthApp(app), [{ path: 'test/extra', field: 'metadata.name', value: 'Not_A_Name', allowed: 'a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and "."' }]);
});

test('app.synth() reports two objects that would overwrite each other', () => {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ms-llm-d-modelservice' } });
  expectRefusal(() => app.synth(), [
    { path: 'test/sa', field: 'metadata.name', value: 'core/ServiceAccount llm-d/ms-llm-d-modelservice', allowed: 'a name unique per kind and namespace in the app', why: 'test/sa and test/ms/service-account would overwrite each other' },
  ]);
});

test('a value a construct refused is reported once by app.synth(), by the construct', () => {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { replicas: -1 } });
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message.match(/-1/g)).toHaveLength(1);
  expect(message).toContain('[test/ms] decode.replicas: value -1 is not allowed');
});

test('an app without problems synthesizes with app.synth() as before', () => {
  const { app, chart } = newChart('llm-d');
  new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL });
  app.synth();
  expect(yamlFiles(app.outdir)).toEqual(['test.k8s.yaml']);
});

describe('app.synth() writes what synthApp writes', () => {
  const stackApp = (outdir: string): App => {
    const app = new App({ outdir });
    new RngdServingStack(app, 'llm-d', {
      models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', image: 'furiosaai/furiosa-llm:2026.1.0' }],
      prerequisites: { namespace: true, istiodValues: true },
    });
    return app;
  };
  const contents = (dir: string): Record<string, string> => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

  test('the manifests, the istiod values and the stack description, byte for byte', () => {
    const plain = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-plain-')), 'dist');
    const ours = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-synthapp-')), 'dist');
    stackApp(plain).synth();
    synthApp(stackApp(ours));
    const written = contents(plain);
    expect(Object.keys(written)).toEqual(['0000-llm-d-prerequisites.k8s.yaml', '0001-llm-d.k8s.yaml', 'istiod-values.yaml', 'llm-d.README.md']);
    expect(written).toEqual(contents(ours));
  });

  test('bad input: one error with every problem, and no output folder at all', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-plain-')), 'dist');
    const app = new App({ outdir });
    new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', tensorParallelism: 0, replicas: -1 }] });
    expect(() => app.synth()).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ field: 'models[0].tensorParallelism' }), expect.objectContaining({ field: 'models[0].replicas' })] }));
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('an app class that overrides synth keeps its own', () => {
    const calls: string[] = [];
    class MyApp extends App {
      public synth(): void {
        calls.push('mine');
      }
    }
    const app = new MyApp({ outdir: path.join(os.tmpdir(), 'llmd-never-written') });
    new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct' }] });
    app.synth();
    expect(calls).toEqual(['mine']);
  });

  test('an uncaught refusal prints the problems, without stack frames or a raw dump of them', () => {
    // The compiled library (lib/, built by jest's global set-up), as an app loads it.
    const script = [
      `const { App } = require('cdk8s');`,
      `const { RngdServingStack } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'src'))});`,
      `const app = new App({ outdir: ${JSON.stringify(path.join(os.tmpdir(), 'llmd-never-written'))} });`,
      `new RngdServingStack(app, 'llm-d', { models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', tensorParallelism: 0 }] });`,
      'app.synth();',
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[llm-d] models[0].tensorParallelism: value 0 is not allowed; allowed: a positive integer');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('problems:');
  });
});
