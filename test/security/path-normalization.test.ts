/**
 * Issue 29, item 6: paths are normalized before they are compared. `//tmp`, `/tmp/` and `/./tmp`
 * name /tmp to the kubelet and the file system, so a check such as "not under /tmp" or "once per
 * container" compares what a path names (src/core/paths.ts), not how it is spelled.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFilesAtomically } from '../../src/core/atomic-write';
import { markerPathIn } from '../../src/core/model-readiness';
import { isPosixPathWithin, normalizedPosixPath } from '../../src/core/paths';
import { IstioGieGateway } from '../../src/gateway';
import { FuriosaModelService } from '../../src/model-service';
import { InferenceRoute } from '../../src/routing';
import { InferenceSchedulerPool } from '../../src/scheduler';
import { ModelPvcDownloader } from '../../src/storage';
import { validateTree } from '../../src/synth/validate';
import { newChart, problemsFrom } from '../support';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';

describe('normalizedPosixPath', () => {
  test.each([
    ['//tmp', '/tmp'],
    ['/tmp/', '/tmp'],
    ['/tmp/./x', '/tmp/x'],
    ['/./tmp', '/tmp'],
    ['///tmp//x//', '/tmp/x'],
    ['/x/../tmp', '/tmp'],
    ['/', '/'],
    ['//', '/'],
    ['/./', '/'],
    ['a/./b/', 'a/b'],
  ])('%s names %s', (p, n) => {
    expect(normalizedPosixPath(p)).toBe(n);
  });

  test('within', () => {
    expect(isPosixPathWithin('//tmp/x', '/tmp/')).toBe(true);
    expect(isPosixPathWithin('/tmpx', '/tmp')).toBe(false);
    expect(isPosixPathWithin('/anything', '/')).toBe(true);
  });
});

describe('ModelPvcDownloader mountPath: not the root and not under /tmp, however spelled', () => {
  const problems = (mountPath: string) => problemsFrom((chart) => new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, mountPath })).filter((p) => p.field === 'mountPath');

  test.each(['//tmp', '/./tmp', '//tmp//models', '///tmp', '//', '/./'])('%s is refused', (mountPath) => {
    expect(problems(mountPath)).toEqual([expect.objectContaining({ path: 'test/dl', field: 'mountPath', value: mountPath, allowed: 'an absolute path such as "/models" (not "/" and not under /tmp, which holds the scratch emptyDir)' })]);
  });

  test('every spelling of /tmp is refused like /tmp, and other directories are not (guard: /models/, //models, /tmpx)', () => {
    for (const mountPath of ['/tmp', '/tmp/', '/tmp/./x', '//tmp']) expect(problems(mountPath)).toHaveLength(1);
    for (const mountPath of ['/models', '/models/', '//models', '/tmpx', '/data/tmp']) expect(problems(mountPath)).toEqual([]);
  });
});

describe('FuriosaModelService: a pvc+hf:// model is mounted at /model-cache, however spelled', () => {
  const problems = (mountPath: string) => problemsFrom((chart) => new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `pvc+hf://model-pvc/${MODEL}`, mountPath } })).filter((p) => p.field === 'modelArtifacts.mountPath');

  test.each(['/model-cache/', '//model-cache', '/./model-cache'])('%s is accepted', (mountPath) => {
    expect(problems(mountPath)).toEqual([]);
  });

  test('the wait-for-model container looks for the marker at one spelling of its path', () => {
    expect(markerPathIn('//model-cache/', '/hub/.llm-d/download-x.complete')).toBe('/model-cache/hub/.llm-d/download-x.complete');
    const { app, chart } = newChart('llm-d');
    const storage = new ModelPvcDownloader(chart, 'dl', { repoId: MODEL, hubCachePath: 'hub' });
    new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: MODEL, storage, mountPath: '//model-cache/' } });
    validateTree(app); // the system model proves the server starts after the download
    const deployment = (chart.toJson() as any[]).find((o) => o.kind === 'Deployment');
    const wait = deployment.spec.template.spec.initContainers.find((c: any) => c.name === 'wait-for-model');
    expect(wait.env).toEqual([{ name: 'LLM_D_WAIT_FOR_FILE', value: `/model-cache/${storage.completionMarker}` }]);
  });

  test('another directory is still refused (guard)', () => {
    expect(problems('/model-cache')).toEqual([]);
    expect(problems('/model-cache/x')).toEqual([expect.objectContaining({ path: 'test/ms', value: '/model-cache/x', allowed: '"/model-cache" with pvc+hf:// URIs' })]);
  });
});

describe('InferenceSchedulerPool: no EPP volume is mounted over /config, however spelled', () => {
  test.each(['/config/', '//config', '/./config', '/etc/../config'])('%s is refused', (mountPath) => {
    const found = problemsFrom((chart) => new InferenceSchedulerPool(chart, 'gaie', { selector: { app: 'vllm' }, epp: { volumes: [{ name: 'extra', emptyDir: {} }], volumeMounts: [{ name: 'extra', mountPath }] } }));
    expect(found).toContainEqual(expect.objectContaining({ path: 'test/gaie', field: 'epp.volumeMounts[0].mountPath', value: mountPath, allowed: 'a path other than /config (the config volume)' }));
  });
});

describe('object rules: a mount path once per container, however spelled', () => {
  test.each([['/data', '/data/'], ['/data', '//data'], ['/data', '/./data'], ['/data/x', '/data//x/']])('%s and %s are one path', (a, b) => {
    const found = problemsFrom((chart) => new InferenceSchedulerPool(chart, 'gaie', {
      selector: { app: 'vllm' },
      epp: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }], volumeMounts: [{ name: 'a', mountPath: a }, { name: 'b', mountPath: b }] },
    }));
    expect(found).toContainEqual(expect.objectContaining({ value: b, allowed: 'each mount path once per container' }));
  });
});

describe('InferenceRoute: a path match the gateway would read as another path is refused', () => {
  test.each(['/v1/..', '/v1/.', '/v1%2fadmin', '/v1%2Fadmin', '/v1#x'])('%s', (value) => {
    const found = problemsFrom((chart) => {
      const gateway = new IstioGieGateway(chart, 'gw', {});
      new InferenceRoute(chart, 'route', { gateway, backends: [{ pool: InferenceRoute.poolRef({ name: 'gaie', namespace: 'llm-d', ports: [8000] }) }], matches: [{ path: { type: 'PathPrefix', value } }] });
    });
    expect(found).toContainEqual(expect.objectContaining({ path: 'test/route', field: 'matches[0].path.value', value }));
  });
});

describe('writeFilesAtomically: one file under two spellings', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-paths-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('with other content: refused, nothing written', () => {
    const out = path.join(tmp, 'different');
    expect(() => writeFilesAtomically(out, [['a.yaml', 'one'], ['./a.yaml', 'two']])).toThrow('cannot write "./a.yaml": "a.yaml" is the same file, with other content');
    expect(fs.existsSync(out)).toBe(false);
    expect(() => writeFilesAtomically(out, [['x/a.yaml', 'one'], ['x//y/../a.yaml', 'two']])).toThrow(/the same file/);
  });

  test('with the same content: written once, in a new or an existing folder', () => {
    const out = path.join(tmp, 'same');
    writeFilesAtomically(out, [['a.yaml', 'one'], ['./a.yaml', 'one']]);
    expect(fs.readdirSync(out)).toEqual(['a.yaml']);
    writeFilesAtomically(out, [['a.yaml', 'two'], ['./a.yaml', 'two']]);
    expect(fs.readFileSync(path.join(out, 'a.yaml'), 'utf8')).toBe('two');
  });
});
