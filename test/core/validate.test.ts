import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblems, fail, LlmdValidationError } from '../../src/core/errors';
import { renderApp, synthApp, validateTree } from '../../src/synth/validate';
import { expectRefusal } from '../support';

function refusal(f: () => void): LlmdValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof LlmdValidationError) return e;
    throw e;
  }
  throw new Error('expected an LlmdValidationError');
}

function configMap(scope: Construct, id: string, name: string, namespace?: string): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });
}

describe('problems stay structured from the construct to the caller', () => {
  test('addProblems: path, field, value, allowed and why are fields of the error', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const thing = new Construct(chart, 'thing');
    addProblems(thing, () => [{ field: 'replicas', value: -1, allowed: 'an integer >= 0', why: 'negative' }]);
    const e = refusal(() => validateTree(app));
    expect(e.problems).toEqual([{ path: 'c/thing', field: 'replicas', value: -1, allowed: 'an integer >= 0', why: 'negative', message: 'replicas: value -1 is not allowed (negative); allowed: an integer >= 0' }]);
  });

  test('fail throws at once with the same structure', () => {
    const app = new App();
    const e = refusal(() => fail(new Chart(app, 'c'), { field: 'model', value: 'oci://x', allowed: 'hf://, pvc://' }));
    expect(e.problems[0]).toMatchObject({ path: 'c', field: 'model', value: 'oci://x', allowed: 'hf://, pvc://' });
  });

  test('a foreign validation is reported once, with its message and no field', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    chart.node.addValidation({ validate: () => ['something else is wrong'] });
    addProblems(chart, () => [{ field: 'a', value: 1, allowed: '2' }]);
    const e = refusal(() => validateTree(app));
    expect(e.problems.map((p) => [p.path, p.field])).toEqual([['c', 'a'], ['c', undefined]]);
  });

  test('plain app.synth() still sees our checks', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-v-')) });
    addProblems(new Chart(app, 'c'), () => [{ field: 'a', value: 1, allowed: '2' }]);
    expectRefusal(() => app.synth(), [{ path: 'c', field: 'a', value: 1, allowed: '2' }]);
  });
});

describe('object-name collisions anywhere in the app', () => {
  test('two charts with one namespace: refused, naming both construct paths', () => {
    const app = new App();
    configMap(new Chart(app, 'one', { namespace: 'llm-d' }), 'cm', 'same');
    configMap(new Chart(app, 'two', { namespace: 'llm-d' }), 'cm', 'same');
    const e = refusal(() => validateTree(app));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ path: 'two/cm', field: 'metadata.name', value: 'core/ConfigMap llm-d/same', why: 'two/cm and one/cm would overwrite each other' });
  });

  test('same name in two namespaces, or two kinds: allowed', () => {
    const app = new App();
    configMap(new Chart(app, 'one', { namespace: 'a' }), 'cm', 'same');
    configMap(new Chart(app, 'two', { namespace: 'b' }), 'cm', 'same');
    new ApiObject(new Chart(app, 'three', { namespace: 'a' }), 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'same' } });
    expect(() => validateTree(app)).not.toThrow();
  });

  test('cluster-scoped kinds collide across namespaces', () => {
    const app = new App();
    for (const ns of ['a', 'b']) {
      new ApiObject(new Chart(app, ns, { namespace: ns }), 'cr', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } });
    }
    expect(refusal(() => validateTree(app)).problems[0]).toMatchObject({ path: 'b/cr', value: 'rbac.authorization.k8s.io/ClusterRole reader' });
  });

  test('synthApp writes nothing when names collide', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-v-')), 'dist');
    const app = new App({ outdir });
    configMap(new Chart(app, 'one'), 'cm', 'same');
    configMap(new Chart(app, 'two'), 'cm', 'same');
    expect(() => synthApp(app)).toThrow(LlmdValidationError);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe('synthApp honours the App output settings', () => {
  function twoCharts(props: ConstructorParameters<typeof App>[0]): App {
    const app = new App(props);
    configMap(new Chart(app, 'alpha'), 'a', 'first');
    configMap(new Chart(app, 'beta'), 'b', 'second');
    return app;
  }

  test.each([
    [YamlOutputType.FILE_PER_CHART, '.yml', ['alpha.yml', 'beta.yml']],
    [YamlOutputType.FILE_PER_APP, '.k8s.yaml', ['app.k8s.yaml']],
    [YamlOutputType.FILE_PER_RESOURCE, '.k8s.yaml', ['ConfigMap.first.k8s.yaml', 'ConfigMap.second.k8s.yaml']],
    [YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, '.yaml', [path.join('alpha', 'ConfigMap.first.yaml'), path.join('beta', 'ConfigMap.second.yaml')]],
  ])('yamlOutputType %s with extension %s: the files cdk8s synth writes', (yamlOutputType, outputFileExtension, files) => {
    const ours = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-ours-'));
    const theirs = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-cdk8s-'));
    synthApp(twoCharts({ outdir: ours, yamlOutputType, outputFileExtension }));
    twoCharts({ outdir: theirs, yamlOutputType, outputFileExtension }).synth();
    const list = (d: string) => (fs.readdirSync(d, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(d, f)).isFile()).sort();
    expect(list(ours)).toEqual([...files].sort());
    expect(list(theirs)).toEqual([...files].sort());
    for (const f of files) expect(fs.readFileSync(path.join(ours, f), 'utf8')).toBe(fs.readFileSync(path.join(theirs, f), 'utf8'));
  });

  test('nested charts get the index prefix cdk8s synth gives them', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      configMap(new Chart(new Chart(app, 'parent'), 'child'), 'c', 'x');
      return app;
    };
    const theirs = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-cdk8s-'));
    build(theirs).synth();
    const names = renderApp(build(theirs)).map(([n]) => n);
    expect(names).toEqual(fs.readdirSync(theirs).sort());
    expect(names[0]).toMatch(/^0000-/);
  });
});

test('synthApp returns what it wrote: files, objects and a one-line summary', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-summary-'));
  const app = new App({ outdir });
  const chart = new Chart(app, 'c');
  new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
  expect(synthApp(app)).toEqual({ outdir, files: ['c.k8s.yaml'], objects: 2, summary: `wrote 1 files to ${outdir}: 1 manifest files with 2 objects` });
});
