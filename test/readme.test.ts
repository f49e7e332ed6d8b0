import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const asPublished = (file: string) => fs.readFileSync(path.join(root, file), 'utf8').replace("from '../../src'", "from 'cdk8s-llm-d'");

describe('README', () => {
  test('has exactly the two set-up commands, and .ci/run runs the test one', () => {
    const setup = readme.slice(readme.indexOf('## Set-up'), readme.indexOf('\n## ', readme.indexOf('## Set-up') + 1));
    expect(setup.match(/```sh\n(.*)\n```/g)).toEqual(['```sh\nnpm ci && npm run synth\n```', '```sh\nnpm ci && npm test\n```']);
    expect(fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm ci && npm test( |$)/m);
  });

  test('starts with using the library in an app (install, main.ts, cdk8s synth, a jest test); the contributor commands come after', () => {
    const use = readme.indexOf('## Use it in your app');
    expect(use).toBeGreaterThan(0);
    expect(use).toBeLessThan(readme.indexOf('## Set-up'));
    expect(readme.indexOf('## ')).toBe(use);
    const section = readme.slice(use, readme.indexOf('\n## ', use + 1));
    expect(section).toContain('```sh\nnpm install cdk8s-llm-d\n```');
    expect(section).toContain('```sh\nnpx cdk8s synth\n```');
    // Both files run in an app made from the packed library (test/packaging).
    for (const file of ['examples/app/main.ts', 'examples/app/main.test.ts']) expect(section).toContain(fs.readFileSync(path.join(root, file), 'utf8'));
  });

  // The snippets are real, compiled files (type-checked by `npm test`), shown verbatim.
  test.each(['examples/furiosa-llama-3.1-8b/main.ts', 'examples/constructs/main.ts'])('shows %s verbatim', (file) => {
    expect(readme).toContain(asPublished(file));
  });

  test('the seed-000 stack is under 40 lines and the constructs example about 20', () => {
    expect(asPublished('examples/furiosa-llama-3.1-8b/main.ts').trim().split('\n').length).toBeLessThan(40);
    expect(asPublished('examples/constructs/main.ts').trim().split('\n').length).toBeLessThanOrEqual(20);
  });
});
