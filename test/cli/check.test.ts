import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/main';
import { FIXTURES } from '../support';

function cli(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function dir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-check-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  return d;
}

const SEED_CHART = fs.readFileSync(path.join(FIXTURES, 'cases', 'furiosa-seed000', 'expected.yaml'), 'utf8');
const SEED_STORAGE = fs.readFileSync(path.join(FIXTURES, 'seed000', 'model-storage.yaml'), 'utf8');

describe('cdk8s-llm-d check', () => {
  test('the guide as helm template output plus its raw YAML: the RWO claim and the download race, exit 1', () => {
    const d = dir({ 'ms.yaml': SEED_CHART, 'storage.yaml': SEED_STORAGE });
    const r = cli(['check', d, '-n', 'llm-d']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringMatching(/^error: \[.*ms\.yaml\] Deployment llm-d\/ms-llm-d-modelservice-decode \[shared-volume\] spec\.template\.spec\.volumes\[model-storage\]: value "model-pvc"/),
      expect.stringMatching(/^error: \[.*ms\.yaml\] Deployment llm-d\/ms-llm-d-modelservice-decode \[start-up-order\] .*Pod llm-d\/model-downloader may still be filling it/),
    ]);
    expect(lines[lines.length - 1]).toBe('2 error(s), 0 warning(s) in 4 objects, nodes assumed (give --nodes for your cluster)');
  });

  test('our synth of the same stack passes: exit 0', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildApp } = require('../../examples/furiosa-llama-3.1-8b/main') as typeof import('../../examples/furiosa-llama-3.1-8b/main');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-check-')), 'dist');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthApp } = require('../../src') as typeof import('../../src');
    synthApp(buildApp(out).app);
    const r = cli(['check', out]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^0 error\(s\), 0 warning\(s\) in \d+ objects/);
  });

  test.each(fs.readdirSync(path.join(__dirname, '..', '..', 'examples')).filter((e) => fs.existsSync(path.join(__dirname, '..', '..', 'examples', e, 'main.ts'))))('examples/%s: its synth output passes check with no errors', (example) => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-check-')), 'dist');
    // An example written like `cdk8s init`'s main.ts synthesizes when loaded, into CDK8S_OUTDIR (what `cdk8s synth` sets).
    const was = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = out;
    let mod: { buildApp?: (outdir?: string) => { app: import('cdk8s').App }; app?: import('cdk8s').App };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(`../../examples/${example}/main`);
    } finally {
      if (was === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = was;
    }
    if (!mod.buildApp && !mod.app) {
      const r = cli(['check', out]);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
      expect(r.code).toBe(0);
      return;
    }
    if (!mod.buildApp) {
      // An example that builds its app on import (constructs): the same model, through the testing entry point.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkApp } = require('../../src/testing') as typeof import('../../src/testing');
      expect(checkApp(mod.app!).filter((f) => f.severity === 'error')).toEqual([]);
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthApp } = require('../../src') as typeof import('../../src');
    synthApp(mod.buildApp(out).app);
    const r = cli(['check', out]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(r.code).toBe(0);
  });

  test('--nodes takes kubectl get nodes output: a pod needing more cards than any node has', () => {
    const nodes = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { allocatable: { cpu: '8', memory: '64Gi', 'furiosa.ai/rngd': '0' } } }] };
    const d = dir({ 'ms.yaml': SEED_CHART, 'nodes.json': JSON.stringify(nodes) });
    const r = cli(['check', path.join(d, 'ms.yaml'), '--nodes', path.join(d, 'nodes.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[placement] spec.template.spec');
    expect(r.stdout).toContain('n1: the pod needs 1 furiosa.ai/rngd, a node has 0');
    expect(r.stdout).toContain('1 node pools');
  });

  test('--previous: a changed Deployment selector is an upgrade error with the way through', () => {
    const before = dir({ 'ms.yaml': SEED_CHART });
    const after = dir({ 'ms.yaml': SEED_CHART.replace(/llm-d\.ai\/model: Llama-3\.1-8B-Instruct/g, 'llm-d.ai/model: Qwen3-8B') });
    const r = cli(['check', path.join(after, 'ms.yaml'), '--previous', path.join(before, 'ms.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error: .*Deployment .*ms-llm-d-modelservice-decode \[upgrade\] spec\.selector/);
  });

  test.each([
    [['check'], 'check needs one path'],
    [['check', '/nonexistent/dist'], 'no such file or folder'],
    [['check', '--bogus', 'x'], 'unknown flag "--bogus"'],
  ])('bad usage %j: exit 2, %s, nothing on stdout', (argv, message) => {
    const r = cli(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(message);
  });

  test('bad input: no objects, a bad nodes file: exit 2 naming the file', () => {
    const empty = dir({ 'x.yaml': 'a: 1\n' });
    expect(cli(['check', empty])).toMatchObject({ code: 2, stdout: '' });
    const d = dir({ 'ms.yaml': SEED_CHART, 'nodes.yaml': 'pools:\n  - name: x\n    count: -1\n    allocatable: {}\n' });
    const r = cli(['check', d, '--nodes', path.join(d, 'nodes.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--nodes .*nodes\.yaml: pools\[0\]\.count: value -1 is not allowed/);
  });
});
