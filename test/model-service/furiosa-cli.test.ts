import * as path from 'path';
import { runCli } from '../../src/cli/main';
import { expectContains, FIXTURES, loadCase } from '../support';
import { parseManifests } from '../../src/testing/semdiff';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('cdk8s-llm-d CLI with furiosa-modelservice', () => {
  const dir = path.join(FIXTURES, 'cases', 'furiosa-seed000');

  test('render reproduces the seed case', () => {
    const r = run(['render', 'furiosa-modelservice', '--release', 'ms', '-n', 'llm-d', '-f', path.join(dir, 'values.yaml')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expectContains(loadCase('furiosa-seed000').expected, parseManifests(r.out));
  });

  test('convert prints a FuriosaModelService app', () => {
    const r = run(['convert', 'furiosa-modelservice', '--release', 'ms', '-n', 'llm-d', '-f', path.join(dir, 'values.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("import { FuriosaModelService } from 'cdk8s-llm-d';");
    expect(r.out).toContain('pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct');
  });

  test('refused values exit 2 with the key path', () => {
    const r = run(['render', 'furiosa-modelservice', '--release', 'ms', '-n', 'llm-d', '--set', 'prefill.create=true']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/prefill.create: value true is not allowed \(Furiosa-LLM does not support prefill\/decode disaggregation/);
  });
});
