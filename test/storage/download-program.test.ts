/**
 * The download container runs a constant program: user values reach it only through the
 * environment (a property over valid inputs), and the program does what the env says (run
 * against a stub huggingface_hub with the local python3).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { DOWNLOAD_PROGRAM, downloadCompletionMarker, HubClient, ModelPvcDownloader, ModelPvcDownloaderProps, PIP_INSTALL_SCRIPT } from '../../src/storage';
import { newChart, problemsFrom } from '../support';

const SEED = 20260215;
const word = (first: string, rest: string, max: number) => fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom(...rest), { maxLength: max })).map(([a, b]) => a + b.join(''));
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HOST = word('abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz0123456789', 12);

/** Valid-by-validation inputs of every value that reaches the program. Repo names start with "Zq" so they cannot occur in the program text. */
const inputs = fc.record({
  repoId: fc.tuple(word(ALNUM, `${ALNUM}._-`, 20), word(ALNUM, `${ALNUM}._-`, 20)).map(([org, name]) => `Zq${org}x/Zq${name}x`),
  revision: fc.option(word(ALNUM, `${ALNUM}._/-`, 30).filter((r) => !r.includes('..')), { nil: undefined }),
  allowPatterns: fc.array(word(`${ALNUM}*?[`, `${ALNUM}._-/*?[]`, 12), { maxLength: 3 }),
  ignorePatterns: fc.array(word(`${ALNUM}*`, `${ALNUM}._-/*?`, 12), { maxLength: 3 }),
  hubCachePath: fc.oneof(fc.constant(''), fc.array(word(ALNUM, `${ALNUM}_-`, 8), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'))),
  mountPath: fc.array(word(ALNUM, `${ALNUM}_-`, 8), { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`).filter((p) => p !== '/tmp' && !p.startsWith('/tmp/')),
  hubEndpoint: fc.option(fc.tuple(fc.constantFrom('http', 'https'), HOST, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([s, h, p]) => `${s}://mirror-${h}.example${p ? `:${p}` : ''}/hub`), { nil: undefined }),
  version: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 3 }).map((v) => v.join('.')),
  indexUrl: fc.option(HOST.map((h) => `https://index-${h}.example/simple`), { nil: undefined }),
  anonymous: fc.boolean(),
  workload: fc.constantFrom('job' as const, 'pod' as const),
});
type Inputs = typeof inputs extends fc.Arbitrary<infer T> ? T : never;

function propsOf(kind: 'pip' | 'preinstalled', i: Inputs): ModelPvcDownloaderProps {
  return {
    repoId: i.repoId,
    revision: i.revision,
    allowPatterns: i.allowPatterns,
    ignorePatterns: i.ignorePatterns,
    hubCachePath: i.hubCachePath,
    mountPath: i.mountPath,
    hubEndpoint: i.hubEndpoint,
    anonymous: i.anonymous,
    workload: i.workload,
    ...(kind === 'pip' ? { hubClient: HubClient.pip({ version: i.version, indexUrl: i.indexUrl }) } : { hubClient: HubClient.preinstalled(), image: 'vllm/vllm-openai:v0.11.0' }),
  };
}

function downloadContainerOf(props: ModelPvcDownloaderProps): { command: string[]; env: Array<{ name: string; value?: string }> } {
  const { chart } = newChart('llm-d');
  new ModelPvcDownloader(chart, 'dl', props);
  const o = (chart.toJson() as any[]).find((x) => x.kind === 'Job' || x.kind === 'Pod');
  const pod = o.kind === 'Job' ? o.spec.template.spec : o.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === 'download-model');
}

describe.each(['pip', 'preinstalled'] as const)('HubClient.%s: the command is a constant', (kind) => {
  const reference = downloadContainerOf({ repoId: 'a/b', ...(kind === 'pip' ? {} : { hubClient: HubClient.preinstalled(), image: 'vllm/vllm-openai:v0.11.0' }) }).command;

  test('for every valid input the command is identical, and each value is in the environment', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const props = propsOf(kind, i);
        expect(problemsFrom((chart) => new ModelPvcDownloader(chart, 'dl', props))).toEqual([]);
        const c = downloadContainerOf(props);
        expect(c.command).toEqual(reference);
        const text = JSON.stringify(c.command);
        for (const v of [i.repoId, i.hubEndpoint, i.indexUrl]) if (v !== undefined) expect(text).not.toContain(v);
        const env = Object.fromEntries(c.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
        expect(env.LLM_D_REPO_ID).toBe(i.repoId);
        expect(env.LLM_D_REVISION).toBe(i.revision);
        expect(env.LLM_D_ALLOW_PATTERNS === undefined ? [] : JSON.parse(env.LLM_D_ALLOW_PATTERNS)).toEqual(i.allowPatterns);
        expect(env.LLM_D_IGNORE_PATTERNS === undefined ? [] : JSON.parse(env.LLM_D_IGNORE_PATTERNS)).toEqual(i.ignorePatterns);
        expect(env.LLM_D_VOLUME_ROOT).toBe(i.mountPath);
        expect(env.LLM_D_CACHE_DIR).toBe(i.hubCachePath ? `${i.mountPath}/${i.hubCachePath}` : i.mountPath);
        expect(env.LLM_D_COMPLETION_MARKER).toBe(downloadCompletionMarker(i));
        expect(env.HF_ENDPOINT).toBe(i.hubEndpoint);
        expect(env.LLM_D_HUGGINGFACE_HUB_VERSION).toBe(kind === 'pip' ? i.version : undefined);
        expect(env.PIP_INDEX_URL).toBe(kind === 'pip' ? i.indexUrl : undefined);
        expect(c.env.some((e) => e.name === 'HF_TOKEN')).toBe(!i.anonymous);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

const python = spawnSync('python3', ['--version']).status === 0;
const withPython = python ? test : test.skip;

describe('the program, run by python3 against a stub huggingface_hub', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-download-'));
    fs.mkdirSync(path.join(dir, 'stub', 'huggingface_hub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stub', 'huggingface_hub', '__init__.py'), [
      'import json, os',
      'def snapshot_download(**kw):',
      "    with open(os.environ['STUB_LOG'], 'w') as f:",
      '        json.dump(kw, f)',
      "    if os.environ.get('STUB_FAIL'):",
      "        raise RuntimeError('download failed')",
      "    path = os.path.join(kw['cache_dir'], 'models--o--m', 'snapshots', 'c0ffee')",
      '    os.makedirs(path, exist_ok=True)',
      '    return path',
      '',
    ].join('\n'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The rendered container's environment, with the volume moved into the test's directory. */
  function envFor(props: Partial<ModelPvcDownloaderProps>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const c = downloadContainerOf({ repoId: 'o/m', anonymous: true, ...props });
    const env: Record<string, string> = {};
    for (const e of c.env) if (e.value !== undefined) env[e.name] = e.value;
    const volume = path.join(dir, 'volume');
    env.LLM_D_CACHE_DIR = volume + env.LLM_D_CACHE_DIR.slice(env.LLM_D_VOLUME_ROOT.length);
    env.LLM_D_VOLUME_ROOT = volume;
    return { ...env, HOME: dir, PATH: process.env.PATH, PYTHONPATH: path.join(dir, 'stub'), STUB_LOG: path.join(dir, 'log.json'), ...extra };
  }

  withPython('downloads with the arguments from the environment, then writes the marker atomically', () => {
    const props = { revision: 'v1.0', allowPatterns: ['*.json', 'model-*.safetensors'], hubCachePath: 'hub' };
    const env = envFor(props);
    const r = spawnSync('python3', ['-c', DOWNLOAD_PROGRAM], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'log.json'), 'utf8'))).toEqual({
      repo_id: 'o/m', revision: 'v1.0', cache_dir: path.join(dir, 'volume', 'hub'), allow_patterns: ['*.json', 'model-*.safetensors'], ignore_patterns: null,
    });
    const marker = downloadCompletionMarker({ repoId: 'o/m', ...props });
    expect(env.LLM_D_COMPLETION_MARKER).toBe(marker);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'volume', marker), 'utf8'))).toEqual({ repo_id: 'o/m', revision: 'v1.0', snapshot: 'c0ffee' });
    expect(fs.readdirSync(path.dirname(path.join(dir, 'volume', marker)))).toEqual([path.basename(marker)]);
    expect(r.stdout).toContain('downloaded o/m (c0ffee)');
  });

  withPython('no marker when the download fails', () => {
    const r = spawnSync('python3', ['-c', DOWNLOAD_PROGRAM], { env: envFor({}, { STUB_FAIL: '1' }), encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('download failed');
    expect(fs.existsSync(path.join(dir, 'volume', '.llm-d'))).toBe(false);
  });

  withPython('the pip script installs the pinned version from the env, then execs the program with the given python', () => {
    const fake = path.join(dir, 'fake-python');
    fs.writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "-m" ]; then printf \'%s\\n\' "$@" > "$STUB_PIP_LOG"; exit 0; fi\nexec python3 "$@"\n', { mode: 0o755 });
    const env = envFor({ hubClient: HubClient.pip({ version: '0.35.3', indexUrl: 'https://pypi.internal.example/simple' }) }, { STUB_PIP_LOG: path.join(dir, 'pip.log') });
    const r = spawnSync('/bin/sh', ['-c', PIP_INSTALL_SCRIPT, 'download-model', fake, DOWNLOAD_PROGRAM], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'pip.log'), 'utf8').trim().split('\n')).toEqual(['-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--target', '/tmp/pydeps', 'huggingface_hub==0.35.3']);
    expect(env.PIP_INDEX_URL).toBe('https://pypi.internal.example/simple');
    expect(fs.existsSync(path.join(dir, 'volume', env.LLM_D_COMPLETION_MARKER!))).toBe(true);
  });
});
