import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { FuriosaModelService } from '../../src/model-service';
import { modelStorageUri, parseModelUri } from '../../src/storage/model-uri';
import {
  DEFAULT_DOWNLOADER_IMAGE,
  DEFAULT_HUGGINGFACE_HUB_VERSION,
  DOWNLOAD_PROGRAM,
  downloaderCacheDir,
  downloaderCommand,
  HubClient,
  hubCacheModelDir,
  isHuggingFaceRepoId,
  ModelPvcDownloader,
  ModelPvcDownloaderProps,
  PIP_INSTALL_SCRIPT,
} from '../../src/storage';
import { isFloatingImageTag } from '../../src/core/security';
import { expectContains, expectRefusal, FIXTURES, newChart, objectOf, problemsFrom, synth } from '../support';

const REPO = 'furiosa-ai/Llama-3.1-8B-Instruct';

function render(props: Partial<ModelPvcDownloaderProps> = {}, ns = 'llm-d') {
  const { chart } = newChart(ns);
  const d = new ModelPvcDownloader(chart, 'model', { repoId: REPO, ...props });
  return { chart, d, objects: synth(chart) };
}

/** Builds the downloader `model` into the chart of a refusal test. */
const downloader = (props: Partial<ModelPvcDownloaderProps>) => (chart: Chart) => new ModelPvcDownloader(chart, 'model', { repoId: REPO, ...props });

/** Value of a plain env entry of a container, undefined when absent. */
function envOf(c: any, name: string): string | undefined {
  return (c.env as any[]).find((e) => e.name === name)?.value;
}

function downloadContainer(objects: Record<string, unknown>[]): any {
  const job = objects.find((o) => o.kind === 'Job') as any;
  if (job) return job.spec.template.spec.containers[0];
  return (objectOf(objects, 'Pod') as any).spec.initContainers[0];
}

describe('ModelPvcDownloader seed 000', () => {
  test('the guide\'s Pod shape carries the guide\'s PVC and download semantics', () => {
    const { objects } = render({ workload: 'pod', storageClassName: 'default' });
    expectContains(fs.readFileSync(path.join(FIXTURES, 'seed000', 'model-storage.yaml'), 'utf8'), objects);
    // The guide's snapshot_download(repo_id=..., cache_dir='/models'), its values from the environment.
    const c = downloadContainer(objects);
    expect(c.command).toEqual(['/bin/sh', '-c', PIP_INSTALL_SCRIPT, 'download-model', 'python3', DOWNLOAD_PROGRAM]);
    expect(envOf(c, 'LLM_D_REPO_ID')).toBe(REPO);
    expect(envOf(c, 'LLM_D_CACHE_DIR')).toBe('/models');
  });

  test('default Job: PVC + a Job that completes, retries and can be waited on', () => {
    const { objects, d } = render();
    expect(d.downloaderName).toMatch(/^model-downloader-[0-9a-f]{10}$/);
    expect(objects.map((o) => `${o.kind}/${(o.metadata as any).name}`)).toEqual(['PersistentVolumeClaim/model-pvc', `Job/${d.downloaderName}`]);
    const pvc = objectOf(objects, 'PersistentVolumeClaim', 'model-pvc');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
    const job = objectOf(objects, 'Job', d.downloaderName);
    expect(job.spec.backoffLimit).toBe(4);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.volumes).toEqual([
      { name: 'model-storage', persistentVolumeClaim: { claimName: 'model-pvc' } },
      { name: 'tmp', emptyDir: {} },
    ]);
    const c = downloadContainer(objects);
    expect(c.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } });
    expect(c.volumeMounts).toContainEqual({ name: 'model-storage', mountPath: '/models' });
    expect(d.waitCommand()).toBe(`kubectl wait --for=condition=complete job/${d.downloaderName} -n llm-d --timeout=2h`);
    for (const o of objects) expect((o.metadata as any).namespace).toBe('llm-d');
  });

  test('snapshots (job and pod)', () => {
    expect(render().objects).toMatchSnapshot();
    expect(render({ workload: 'pod' }).objects).toMatchSnapshot();
  });
});

describe('ModelPvcDownloader hardening', () => {
  test('non-root, fsGroup, no escalation, drop ALL, seccomp, read-only root, no token, requests', () => {
    const { objects } = render();
    const pod = objectOf(objects, 'Job').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    const c = downloadContainer(objects);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true });
    expect(c.env).toContainEqual({ name: 'HOME', value: '/tmp' });
    expect(c.env).toContainEqual({ name: 'PYTHONPATH', value: '/tmp/pydeps' });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(c.resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(isFloatingImageTag(c.image)).toBe(false);
    expect(c.image).toBe(DEFAULT_DOWNLOADER_IMAGE);
    expect(envOf(c, 'LLM_D_HUGGINGFACE_HUB_VERSION')).toBe(DEFAULT_HUGGINGFACE_HUB_VERSION);
    expect(c.command[2]).toContain('"huggingface_hub==$LLM_D_HUGGINGFACE_HUB_VERSION"');
    expect(c.command[2]).toContain('--target /tmp/pydeps');
    expect(JSON.stringify(objects)).not.toMatch(/hf_[A-Za-z0-9]{20,}/);
  });

  test('pod shape: consumer container hardened, pinned, with requests', () => {
    const pod = objectOf(render({ workload: 'pod' }).objects, 'Pod', 'model-downloader').spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['download-model']);
    const consumer = pod.containers[0];
    expect(consumer).toMatchObject({ name: 'model-consumer', image: 'ubuntu:24.04', command: ['sleep', 'infinity'] });
    expect(consumer.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(consumer.resources.requests).toEqual({ cpu: '10m', memory: '16Mi' });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('opt-outs: runAsUser, fsGroup, runAsNonRoot, readOnlyRootFilesystem', () => {
    const { objects } = render({ runAsUser: 2000, fsGroup: 3000, readOnlyRootFilesystem: false });
    const pod = objectOf(objects, 'Job').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 3000 });
    expect(downloadContainer(objects).securityContext.readOnlyRootFilesystem).toBeUndefined();
    const root = render({ runAsNonRoot: false, runAsUser: 0 }).objects;
    expect(objectOf(root, 'Job').spec.template.spec.securityContext.runAsNonRoot).toBeUndefined();
    expect(downloadContainer(root).securityContext.runAsNonRoot).toBeUndefined();
  });
});

describe('ModelPvcDownloader options', () => {
  test('revision, allow and ignore patterns', () => {
    const c = downloadContainer(render({ revision: 'v1.0', allowPatterns: ['*.json', '*.safetensors'], ignorePatterns: ['original/*'] }).objects);
    expect(envOf(c, 'LLM_D_REVISION')).toBe('v1.0');
    expect(JSON.parse(envOf(c, 'LLM_D_ALLOW_PATTERNS')!)).toEqual(['*.json', '*.safetensors']);
    expect(JSON.parse(envOf(c, 'LLM_D_IGNORE_PATTERNS')!)).toEqual(['original/*']);
    // Unset options are absent rather than empty.
    const plain = downloadContainer(render().objects);
    expect(plain.env.map((e: any) => e.name)).not.toEqual(expect.arrayContaining(['LLM_D_REVISION']));
    expect(plain.env.map((e: any) => e.name).filter((n: string) => n.endsWith('_PATTERNS'))).toEqual([]);
  });

  test('image, huggingface_hub version, consumer image, resources, env, node selector, pull secrets, labels', () => {
    const { objects, d } = render({
      workload: 'pod',
      image: 'registry.local/python:3.12.11-slim',
      huggingfaceHubVersion: '1.0.0',
      consumerImage: 'busybox:1.36.1',
      resources: { limits: { cpu: '2', memory: '8Gi' } },
      env: [{ name: 'HTTPS_PROXY', value: 'http://proxy.local:3128' }],
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      imagePullSecrets: ['regcred'],
      labels: { team: 'ml' },
    });
    const pod = objectOf(objects, 'Pod').spec;
    const c = pod.initContainers[0];
    expect(c.image).toBe('registry.local/python:3.12.11-slim');
    expect(envOf(c, 'LLM_D_HUGGINGFACE_HUB_VERSION')).toBe('1.0.0');
    expect(c.resources).toEqual({ limits: { cpu: '2', memory: '8Gi' } });
    expect(c.env).toContainEqual({ name: 'HTTPS_PROXY', value: 'http://proxy.local:3128' });
    const xet = downloadContainer(render({ env: [{ name: 'HF_XET_CHUNK_CACHE_SIZE_BYTES', value: '1000000' }] }).objects).env.filter((e: any) => e.name === 'HF_XET_CHUNK_CACHE_SIZE_BYTES');
    expect(xet).toEqual([{ name: 'HF_XET_CHUNK_CACHE_SIZE_BYTES', value: '1000000' }]);
    expect(pod.containers[0].image).toBe('busybox:1.36.1');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(d.podLabels.team).toBe('ml');
    expect(objectOf(objects, 'Pod').metadata.labels.team).toBe('ml');
    expect(d.waitCommand('30m')).toBe('kubectl wait --for=condition=Ready pod/model-downloader -n llm-d --timeout=30m');
  });

  test('storage size, class, access modes, names, namespace', () => {
    const { objects, d } = render({ claimName: 'llama', name: 'get-llama', storageSize: '40Gi', storageClassName: 'fast', accessModes: ['ReadWriteMany'], namespace: 'models' });
    const pvc = objectOf(objects, 'PersistentVolumeClaim', 'llama');
    expect(pvc.metadata.namespace).toBe('models');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '40Gi' } }, storageClassName: 'fast' });
    expect(d.downloaderName).toMatch(/^get-llama-[0-9a-f]{10}$/);
    expect(objectOf(objects, 'Job', d.downloaderName).metadata.namespace).toBe('models');
    expect(d.claimNamespace).toBe('models');
  });

  test('namespace defaults to the chart namespace, then "default"', () => {
    expect(render({}, 'ns1').d.claimNamespace).toBe('ns1');
    const { chart } = newChart();
    expect(new ModelPvcDownloader(chart, 'm', { repoId: REPO }).claimNamespace).toBe('default');
  });

  test('existing claim: no PVC object', () => {
    const { objects, d } = render({ existingClaim: { name: 'shared-models' } });
    expect(objects.map((o) => o.kind)).toEqual(['Job']);
    expect(d.claimName).toBe('shared-models');
    expect(objectOf(objects, 'Job').spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe('shared-models');
  });

  test('token secret name/key; anonymous downloads carry no token', () => {
    const c = downloadContainer(render({ tokenSecret: { name: 'hf' }, tokenSecretKey: 'token' }).objects);
    expect(c.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } });
    const { objects, d } = render({ anonymous: true, repoId: 'openai-community/gpt2' });
    expect(downloadContainer(objects).env.map((e: any) => e.name)).not.toContain('HF_TOKEN');
    expect(d.tokenSecret).toBeUndefined();
  });

  test('cdk8s-plus objects as the claim and the token Secret', () => {
    const refs = new Chart(new App(), 'refs');
    const claim = kplus.PersistentVolumeClaim.fromClaimName(refs, 'claim', 'team-models');
    const secret = new kplus.Secret(refs, 'hf', { metadata: { name: 'team-hf' } });
    const { objects, d } = render({ existingClaim: claim, tokenSecret: secret });
    expect(d.claimName).toBe('team-models');
    expect(d.tokenSecret).toBe(secret);
    const job = objectOf(objects, 'Job');
    expect(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe('team-models');
    expect(downloadContainer(objects).env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'team-hf', key: 'HF_TOKEN' } } });
  });

  test('Job settings', () => {
    const job = objectOf(render({ backoffLimit: 1, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 600 }).objects, 'Job');
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 600 });
  });
});

describe('hub cache layout agreement with the model service', () => {
  test('pure helpers', () => {
    expect(hubCacheModelDir(REPO)).toBe('models--furiosa-ai--Llama-3.1-8B-Instruct');
    expect(downloaderCacheDir('/models', '')).toBe('/models');
    expect(downloaderCacheDir('/models/', 'hub')).toBe('/models/hub');
    expect(downloaderCacheDir('/', 'hub')).toBe('/hub');
    expect(isHuggingFaceRepoId(REPO)).toBe(true);
    expect(isHuggingFaceRepoId('a/b/c')).toBe(false);
    expect(downloaderCommand(HubClient.preinstalled())).toEqual(['python3', '-c', DOWNLOAD_PROGRAM]);
    expect(downloaderCommand(HubClient.pip({ version: '1.0.0' }))).toEqual(['/bin/sh', '-c', PIP_INSTALL_SCRIPT, 'download-model', 'python3', DOWNLOAD_PROGRAM]);
    expect(PIP_INSTALL_SCRIPT.split('\n')).toEqual([
      'set -eu',
      '"$1" -m pip install --no-cache-dir --disable-pip-version-check --target /tmp/pydeps "huggingface_hub==$LLM_D_HUGGINGFACE_HUB_VERSION"',
      'exec "$1" -c "$2"',
    ]);
  });

  test.each([
    ['', '/models', 'pvc+hf://model-pvc/furiosa-ai/Llama-3.1-8B-Instruct', '/model-cache/', 'models--furiosa-ai--Llama-3.1-8B-Instruct'],
    ['hub', '/models/hub', 'pvc+hf://model-pvc/hub/furiosa-ai/Llama-3.1-8B-Instruct', '/model-cache/hub', 'hub/models--furiosa-ai--Llama-3.1-8B-Instruct'],
    ['cache/hf', '/models/cache/hf', 'pvc+hf://model-pvc/cache/hf/furiosa-ai/Llama-3.1-8B-Instruct', '/model-cache/cache/hf', 'cache/hf/models--furiosa-ai--Llama-3.1-8B-Instruct'],
  ])('hubCachePath "%s": cache_dir %s, uri %s, HF_HUB_CACHE %s', (hubCachePath, cacheDir, uri, hfHubCache, dirInVolume) => {
    const { chart } = newChart('llm-d');
    const d = new ModelPvcDownloader(chart, 'model', { repoId: REPO, hubCachePath });
    expect(d.cacheDir).toBe(cacheDir);
    expect(d.modelDirInVolume).toBe(dirInVolume);
    expect(modelStorageUri(d)).toBe(uri);
    const parsed = parseModelUri(uri);
    expect(parsed).toMatchObject({ scheme: 'pvc+hf', claimName: 'model-pvc', hubCachePath, repoId: REPO });
    // The downloader writes <cacheDir>/models--org--name = <mount>/<hubCachePath>/models--...;
    // the model service mounts the same claim at /model-cache and reads HF_HUB_CACHE.
    new FuriosaModelService(chart, 'ms', { releaseName: 'ms', modelArtifacts: { name: REPO, storage: d } });
    const objects = synth(chart);
    expect(envOf(downloadContainer(objects), 'LLM_D_CACHE_DIR')).toBe(cacheDir);
    const deploy = objects.find((o) => o.kind === 'Deployment') as any;
    const pod = deploy.spec.template.spec;
    const server = pod.containers.find((c: any) => (c.env ?? []).some((e: any) => e.name === 'HF_HUB_CACHE'));
    const hubEnv = server.env.find((e: any) => e.name === 'HF_HUB_CACHE').value as string;
    expect(hubEnv).toBe(hfHubCache);
    const vol = pod.volumes.find((v: any) => v.persistentVolumeClaim?.claimName === 'model-pvc');
    expect(vol).toBeDefined();
    const mount = server.volumeMounts.find((m: any) => m.name === vol.name).mountPath as string;
    // Path of the model inside the volume, seen by both sides, is the same.
    expect(`${hubEnv.replace(/\/$/, '')}/${hubCacheModelDir(REPO)}`.slice(mount.length + 1)).toBe(dirInVolume);
    expect(`${cacheDir}/${hubCacheModelDir(REPO)}`.slice('/models'.length + 1)).toBe(dirInVolume);
    expect(server.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token-secret', key: 'HF_TOKEN' } } });
  });
});

describe('ModelPvcDownloader bad input', () => {
  test('invalid DNS-1123 names', () => {
    expectRefusal(downloader({ claimName: 'Model_PVC' }), [
      { path: 'test/model', field: 'claimName', value: 'Model_PVC', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
    expectRefusal(downloader({ existingClaim: { name: 'Bad!' } }), [
      { path: 'test/model', field: 'existingClaim.name', value: 'Bad!', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
    expectRefusal(downloader({ namespace: 'LLM-D' }), [
      { path: 'test/model', field: 'namespace', value: 'LLM-D', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
    expectRefusal(downloader({ name: 'a.b' }), [
      { path: 'test/model', field: 'name', value: 'a.b', allowed: 'a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit' },
    ]);
    expectRefusal(downloader({ tokenSecret: { name: 'Bad Secret' } }), [
      { path: 'test/model', field: 'tokenSecret.name', value: 'Bad Secret', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
    expectRefusal(downloader({ storageClassName: 'Fast SSD' }), [
      { path: 'test/model', field: 'storageClassName', value: 'Fast SSD', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
  });

  test('missing token secret name when one is required', () => {
    expectRefusal(downloader({ tokenSecret: { name: '' } }), [
      { path: 'test/model', field: 'tokenSecret.name', value: '', allowed: 'the name of a Secret holding the Hugging Face token', why: 'a token is required unless anonymous: true (gated models such as Llama need one)' },
    ]);
    expectRefusal(downloader({ anonymous: true, tokenSecret: { name: 'x' } }), [{ path: 'test/model', field: 'tokenSecret', value: { name: 'x' }, allowed: 'unset', why: 'anonymous: true downloads without a token' }]);
    expectRefusal(downloader({ tokenSecretKey: 'bad key' }), [{ path: 'test/model', field: 'tokenSecretKey', value: 'bad key', allowed: 'a Secret key: letters, digits, "-", "_" and "."' }]);
  });

  test('repo id, revision and patterns that could not be embedded safely', () => {
    expectRefusal(downloader({ repoId: "x'; import os" }), [
      { path: 'test/model', field: 'repoId', value: 'x\'; import os', allowed: 'a Hugging Face repository id such as "furiosa-ai/Llama-3.1-8B-Instruct": <org>/<name> of letters, digits, ".", "_", "-"' },
    ]);
    expectRefusal(downloader({ repoId: 'a/b/c' }), [
      { path: 'test/model', field: 'repoId', value: 'a/b/c', allowed: 'a Hugging Face repository id such as "furiosa-ai/Llama-3.1-8B-Instruct": <org>/<name> of letters, digits, ".", "_", "-"' },
    ]);
    expectRefusal(downloader({ revision: 'main"; rm -rf /' }), [{ path: 'test/model', field: 'revision', value: 'main"; rm -rf /', allowed: 'a branch, tag or commit: letters, digits, ".", "_", "-" and "/"' }]);
    expectRefusal(downloader({ allowPatterns: ['*.json', "$(id)'"] }), [{ path: 'test/model', field: 'allowPatterns[1]', value: '$(id)\'', allowed: 'a glob of letters, digits, ".", "_", "-", "/", "*", "?", "[", "]"' }]);
  });

  test('storage', () => {
    expectRefusal(downloader({ storageSize: '20 GB' }), [{ path: 'test/model', field: 'storageSize', value: '20 GB', allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' }]);
    expectRefusal(downloader({ accessModes: [] }), [{ path: 'test/model', field: 'accessModes', value: [], allowed: 'at least one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod' }]);
    expectRefusal(downloader({ accessModes: ['ReadOnlyMany'] }), [
      { path: 'test/model', field: 'accessModes', value: ['ReadOnlyMany'], allowed: 'a writable mode as well (ReadWriteOnce, ReadWriteMany or ReadWriteOncePod)', why: 'the downloader writes the model into the claim' },
    ]);
    // Twice read-only is still read-only.
    expectRefusal(downloader({ accessModes: ['ReadOnlyMany', 'ReadOnlyMany'] }), [
      { path: 'test/model', field: 'accessModes', value: ['ReadOnlyMany', 'ReadOnlyMany'], allowed: 'a writable mode as well (ReadWriteOnce, ReadWriteMany or ReadWriteOncePod)', why: 'the downloader writes the model into the claim' },
    ]);
    expectRefusal(downloader({ accessModes: ['RWO' as any] }), [{ path: 'test/model', field: 'accessModes[0]', value: 'RWO', allowed: 'ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod' }]);
    expectRefusal(downloader({ existingClaim: { name: 'c' }, storageSize: '10Gi' }), [
      { path: 'test/model', field: 'storageSize', value: '10Gi', allowed: 'unset', why: 'no claim is created with existingClaim; size, class and access modes are the existing claim\'s' },
    ]);
    expectRefusal(downloader({ existingClaim: { name: 'c' }, claimName: 'd' }), [{ path: 'test/model', field: 'claimName', value: 'd', allowed: 'unset', why: 'existingClaim is the claim to use' }]);
  });

  test('paths', () => {
    expectRefusal(downloader({ hubCachePath: '/hub' }), [
      { path: 'test/model', field: 'hubCachePath', value: '/hub', allowed: '"" (volume root) or a relative path like "hub" or "cache/hub": segments of letters, digits, ".", "_", "-", no leading or trailing "/", no ".."' },
    ]);
    expectRefusal(downloader({ hubCachePath: 'a/../b' }), [
      { path: 'test/model', field: 'hubCachePath', value: 'a/../b', allowed: '"" (volume root) or a relative path like "hub" or "cache/hub": segments of letters, digits, ".", "_", "-", no leading or trailing "/", no ".."' },
    ]);
    expectRefusal(downloader({ mountPath: 'models' }), [
      { path: 'test/model', field: 'mountPath', value: 'models', allowed: 'an absolute path such as "/models" (not "/" and not under /tmp, which holds the scratch emptyDir)' },
    ]);
    expectRefusal(downloader({ mountPath: '/tmp/models' }), [
      { path: 'test/model', field: 'mountPath', value: '/tmp/models', allowed: 'an absolute path such as "/models" (not "/" and not under /tmp, which holds the scratch emptyDir)' },
    ]);
  });

  test('versions, images, resources, workload settings, ids, env', () => {
    expectRefusal(downloader({ huggingfaceHubVersion: '>=0.30' }), [
      { path: 'test/model', field: 'huggingfaceHubVersion', value: '>=0.30', allowed: 'an exact release such as "0.36.0"', why: 'the version is pinned so downloads are reproducible' },
    ]);
    expectRefusal(downloader({ image: '' }), [{ path: 'test/model', field: 'image', value: '', allowed: 'an image reference with Python 3 and pip, e.g. "python:3.12.11-slim-bookworm"' }]);
    expectRefusal(downloader({ resources: { requests: { cpu: 'a lot' } } }), [
      { path: 'test/model', field: 'resources.requests.cpu', value: 'a lot', allowed: 'a Kubernetes quantity such as "500m", "2", "1Gi" or "20Gi"' },
    ]);
    expectRefusal(downloader({ workload: 'pod', backoffLimit: 2 }), [{ path: 'test/model', field: 'backoffLimit', value: 2, allowed: 'unset', why: 'it is a Job setting; workload "pod" runs a bare Pod' }]);
    expectRefusal(downloader({ consumerImage: 'busybox:1' }), [{ path: 'test/model', field: 'consumerImage', value: 'busybox:1', allowed: 'unset', why: 'the consumer container exists only with workload "pod"' }]);
    expectRefusal(downloader({ workload: 'deployment' as any }), [{ path: 'test/model', field: 'workload', value: 'deployment', allowed: 'job or pod' }]);
    expectRefusal(downloader({ backoffLimit: -1 }), [{ path: 'test/model', field: 'backoffLimit', value: -1, allowed: 'an integer of 0 or more' }]);
    expectRefusal(downloader({ activeDeadlineSeconds: 0 }), [{ path: 'test/model', field: 'activeDeadlineSeconds', value: 0, allowed: 'a positive integer' }]);
    expectRefusal(downloader({ runAsUser: 0 }), [{ path: 'test/model', field: 'runAsUser', value: 0, allowed: 'a non-zero UID', why: 'runAsNonRoot is on; set runAsNonRoot: false to run as root' }]);
    expectRefusal(downloader({ fsGroup: -5 }), [{ path: 'test/model', field: 'fsGroup', value: -5, allowed: 'an integer ID from 0 to 2147483647' }]);
    expectRefusal(downloader({ env: [{ name: 'HF_TOKEN', value: 'hf_secret' }] }), [
      { path: 'test/model', field: 'env[0].name', value: 'HF_TOKEN', allowed: 'a name other than HF_TOKEN, HOME and PYTHONPATH', why: 'the downloader sets it (the token only from tokenSecret)' },
    ]);
    expectRefusal(downloader({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }), [{ path: 'test/model', field: 'env[1].name', value: 'A', allowed: 'a name not used by an earlier entry' }]);
    expectRefusal(downloader({ labels: { 'bad key!': 'x' } }), [
      { path: 'test/model', field: 'labels key', value: 'bad key!', allowed: 'a qualified name: optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", "."' },
    ]);
  });
});

describe('hub client: where huggingface_hub comes from', () => {

  test('default: pip with the pinned version from PyPI, in the python image (unchanged standalone behaviour)', () => {
    const { objects, d } = render();
    const c = downloadContainer(objects);
    expect(d.hubClient).toMatchObject({ kind: 'pip', python: 'python3', version: DEFAULT_HUGGINGFACE_HUB_VERSION, indexUrl: undefined });
    expect(c.image).toBe(DEFAULT_DOWNLOADER_IMAGE);
    expect(c.command).toEqual(['/bin/sh', '-c', PIP_INSTALL_SCRIPT, 'download-model', 'python3', DOWNLOAD_PROGRAM]);
    expect(envOf(c, 'PYTHONPATH')).toBe('/tmp/pydeps');
    expect(envOf(c, 'PIP_INDEX_URL')).toBeUndefined();
    expect(d.egressPorts).toEqual([443]);
    expect(d.mirrorEgressPorts).toEqual([]);
  });

  test('HubClient.pip({ version, indexUrl, trustedHost, python }): a pinned install from a mirror index', () => {
    const { objects, d } = render({ hubClient: HubClient.pip({ version: '0.35.3', indexUrl: 'http://pypi.internal:8081/simple', trustedHost: 'pypi.internal:8081', python: 'python3.12' }) });
    const c = downloadContainer(objects);
    expect(envOf(c, 'LLM_D_HUGGINGFACE_HUB_VERSION')).toBe('0.35.3');
    expect(envOf(c, 'PIP_INDEX_URL')).toBe('http://pypi.internal:8081/simple');
    expect(envOf(c, 'PIP_TRUSTED_HOST')).toBe('pypi.internal:8081');
    expect(c.command).toEqual(['/bin/sh', '-c', PIP_INSTALL_SCRIPT, 'download-model', 'python3.12', DOWNLOAD_PROGRAM]);
    // The index replaces PyPI; the hub is still reached on 443.
    expect(d.egressPorts).toEqual([443, 8081]);
    expect(d.mirrorEgressPorts).toEqual([8081]);
    expect(render({ hubClient: HubClient.pip({ indexUrl: 'https://pypi.internal/simple' }) }).d.egressPorts).toEqual([443]);
  });

  test('the deprecated huggingfaceHubVersion still sets pip\'s version', () => {
    const { objects, d } = render({ huggingfaceHubVersion: '0.30.2' });
    expect(d.hubClient.version).toBe('0.30.2');
    expect(envOf(downloadContainer(objects), 'LLM_D_HUGGINGFACE_HUB_VERSION')).toBe('0.30.2');
    expect(render({ hubClient: HubClient.pip(), huggingfaceHubVersion: '0.30.2' }).d.hubClient.version).toBe('0.30.2');
  });

  test('HubClient.preinstalled(): the image\'s huggingface_hub, no pip, no package index', () => {
    const image = 'vllm/vllm-openai:v0.11.0';
    const { objects, d } = render({ hubClient: HubClient.preinstalled(), image });
    const c = downloadContainer(objects);
    expect(d.hubClient.kind).toBe('preinstalled');
    expect(c.image).toBe(image);
    expect(c.command).toEqual(['python3', '-c', DOWNLOAD_PROGRAM]);
    const names = c.env.map((e: any) => e.name);
    for (const n of ['PYTHONPATH', 'PIP_CACHE_DIR', 'PIP_INDEX_URL', 'LLM_D_HUGGINGFACE_HUB_VERSION']) expect(names).not.toContain(n);
    expect(JSON.stringify(c)).not.toMatch(/pip install/);
    // Only the hub is reached.
    expect(d.egressPorts).toEqual([443]);
    const python = downloadContainer(render({ hubClient: HubClient.preinstalled({ python: '/opt/vllm/bin/python' }), image }).objects);
    expect(python.command[0]).toBe('/opt/vllm/bin/python');
  });

  test('refusals, with their structured fields', () => {
    const image = 'furiosaai/furiosa-llm:2026.1.0';
    expectRefusal(downloader({ hubClient: HubClient.pip({ version: '>=0.30' }) }), [{ path: 'test/model', field: 'hubClient.version', value: '>=0.30', allowed: 'an exact release such as "0.36.0"' }]);
    expectRefusal(downloader({ hubClient: HubClient.preinstalled(), image, huggingfaceHubVersion: '0.36.0' }), [{ path: 'test/model', field: 'huggingfaceHubVersion', value: '0.36.0', allowed: 'unset' }]);
    expectRefusal(downloader({ hubClient: HubClient.pip({ version: '0.36.0' }), huggingfaceHubVersion: '0.35.0' }), [{ path: 'test/model', field: 'huggingfaceHubVersion', value: '0.35.0', allowed: 'unset' }]);
    expectRefusal(downloader({ hubClient: HubClient.preinstalled() }), [{ path: 'test/model', field: 'image', value: undefined, allowed: 'an image with Python 3 and huggingface_hub, e.g. the model server\'s' }]);
    expectRefusal(downloader({ hubClient: HubClient.preinstalled({ python: 'python3; rm -rf /' }), image }), [
      { path: 'test/model', field: 'hubClient.python', value: 'python3; rm -rf /', allowed: 'a Python executable name such as "python3" or an absolute path such as "/opt/venv/bin/python"' },
    ]);
    expectRefusal(downloader({ hubClient: HubClient.preinstalled({ python: '/opt/../bin/python' }), image }), [
      { path: 'test/model', field: 'hubClient.python', value: '/opt/../bin/python', allowed: 'a Python executable name such as "python3" or an absolute path such as "/opt/venv/bin/python"' },
    ]);
    expectRefusal(downloader({ hubClient: { kind: 'conda' } as any }), [{ path: 'test/model', field: 'hubClient', value: { kind: 'conda' }, allowed: 'HubClient.pip(...) or HubClient.preinstalled(...)' }]);
  });

  test.each([
    ['ftp://pypi.internal/simple', undefined],
    ['pypi.internal/simple', undefined],
    ['https://user:secret@pypi.internal/simple', expect.stringContaining('credentials')],
    ['https://pypi.internal/simple\n', undefined],
    ['https://pypi.internal/sim ple', undefined],
    ['https://pypi.internal/simple?x=1', undefined],
  ])('indexUrl %j is refused', (indexUrl, why) => {
    expectRefusal(downloader({ hubClient: HubClient.pip({ indexUrl }) }), [
      { path: 'test/model', field: 'hubClient.indexUrl', value: indexUrl, allowed: expect.stringContaining('a package index URL such as "https://pypi.internal.example/simple": an http:// or https:// URL'), ...(why ? { why } : {}) },
    ]);
  });

  test('trustedHost: only with an index, and a host', () => {
    expectRefusal(downloader({ hubClient: HubClient.pip({ trustedHost: 'pypi.internal' }) }), [{ path: 'test/model', field: 'hubClient.trustedHost', value: 'pypi.internal', allowed: 'unset' }]);
    expectRefusal(downloader({ hubClient: HubClient.pip({ indexUrl: 'http://pypi.internal/simple', trustedHost: 'pypi internal' }) }), [
      { path: 'test/model', field: 'hubClient.trustedHost', value: 'pypi internal', allowed: 'a host name or address, with an optional ":port", e.g. "pypi.internal.example"' },
    ]);
  });
});

describe('hub mirror (hubEndpoint)', () => {

  test('HF_ENDPOINT, and the mirror\'s port instead of the hub\'s 443', () => {
    const { objects, d } = render({ hubEndpoint: 'http://hf-mirror.mirrors.svc:8080' });
    expect(envOf(downloadContainer(objects), 'HF_ENDPOINT')).toBe('http://hf-mirror.mirrors.svc:8080');
    expect(d.hubEndpoint).toBe('http://hf-mirror.mirrors.svc:8080');
    // pip still reaches PyPI on 443.
    expect(d.egressPorts).toEqual([443, 8080]);
    expect(d.mirrorEgressPorts).toEqual([8080]);
  });

  test('air-gapped: preinstalled client + mirror = only the mirror\'s port (default port by scheme)', () => {
    const image = 'ghcr.io/llm-d/llm-d-cuda:v0.4.0';
    expect(render({ hubClient: HubClient.preinstalled(), image, hubEndpoint: 'https://hf.internal.example' }).d.egressPorts).toEqual([443]);
    const http = render({ hubClient: HubClient.preinstalled(), image, hubEndpoint: 'http://hf.internal.example/' }).d;
    expect(http.egressPorts).toEqual([80]);
    expect(http.mirrorEgressPorts).toEqual([80]);
    expect(render({ hubClient: HubClient.preinstalled(), image }).d.hubEndpoint).toBeUndefined();
  });

  test.each([
    ['hf.internal.example', undefined],
    ['file:///models', undefined],
    ['https://token:hf_abc@hf.internal.example', expect.stringContaining('credentials')],
    ['https://hf.internal.example\r\nX-Injected: 1', undefined],
    ['https://hf.internal.example/#frag', undefined],
    ['', undefined],
  ])('hubEndpoint %j is refused', (hubEndpoint, why) => {
    expectRefusal(downloader({ hubEndpoint }), [
      { path: 'test/model', field: 'hubEndpoint', value: hubEndpoint, allowed: expect.stringContaining('a Hugging Face Hub mirror URL such as "https://hf-mirror.internal.example": an http:// or https:// URL'), ...(why ? { why } : {}) },
    ]);
  });

  test('env may not set what props own: HF_ENDPOINT, PIP_INDEX_URL, LLM_D_*', () => {
    expectRefusal(downloader({ env: [{ name: 'HF_ENDPOINT', value: 'https://m' }] }), [{ path: 'test/model', field: 'env[0].name', value: 'HF_ENDPOINT', allowed: 'hubEndpoint instead' }]);
    expectRefusal(downloader({ env: [{ name: 'PIP_INDEX_URL', value: 'https://m' }] }), [
      { path: 'test/model', field: 'env[0].name', value: 'PIP_INDEX_URL', allowed: 'hubClient: HubClient.pip({ indexUrl, trustedHost }) instead' },
    ]);
    expectRefusal(downloader({ env: [{ name: 'LLM_D_REPO_ID', value: 'evil/model' }] }), [{ path: 'test/model', field: 'env[0].name', value: 'LLM_D_REPO_ID', allowed: 'a name not starting with LLM_D_' }]);
  });
});

describe('completion marker', () => {
  const markerOf = (props: Partial<ModelPvcDownloaderProps> = {}) => render(props).d.completionMarker;

  test('relative to the claim root, under the hub cache, with a 10-hex hash', () => {
    expect(markerOf()).toMatch(/^\.llm-d\/download-[0-9a-f]{10}\.complete$/);
    expect(markerOf({ hubCachePath: 'cache/hub' })).toMatch(/^cache\/hub\/\.llm-d\/download-[0-9a-f]{10}\.complete$/);
  });

  test('on the pod template as an annotation, and given to the program with the mount path', () => {
    const { objects, d } = render({ mountPath: '/data', hubCachePath: 'hub' });
    const job = objectOf(objects, 'Job');
    expect(job.spec.template.metadata.annotations).toEqual({ 'llm-d.ai/completion-marker': d.completionMarker });
    const c = downloadContainer(objects);
    expect(envOf(c, 'LLM_D_VOLUME_ROOT')).toBe('/data');
    expect(envOf(c, 'LLM_D_COMPLETION_MARKER')).toBe(d.completionMarker);
    const pod = render({ workload: 'pod' });
    expect(objectOf(pod.objects, 'Pod').metadata.annotations).toEqual({ 'llm-d.ai/completion-marker': pod.d.completionMarker });
    expect(envOf(downloadContainer(pod.objects), 'LLM_D_COMPLETION_MARKER')).toBe(pod.d.completionMarker);
  });

  test('changes with what is downloaded, not with how', () => {
    const base = markerOf();
    expect(markerOf({ repoId: 'furiosa-ai/Llama-3.3-70B-Instruct' })).not.toBe(base);
    expect(markerOf({ revision: 'v2' })).not.toBe(base);
    expect(markerOf({ allowPatterns: ['*.json'] })).not.toBe(base);
    expect(markerOf({ ignorePatterns: ['original/*'] })).not.toBe(base);
    // Another hub cache path is another place, and another hash.
    expect(markerOf({ hubCachePath: 'hub' })).toMatch(/^hub\/\.llm-d\/download-[0-9a-f]{10}\.complete$/);
    expect(markerOf({ hubCachePath: 'hub' })).not.toBe(`hub/${base}`);
    for (const same of [
      { resources: { requests: { cpu: '1', memory: '2Gi' } } },
      { name: 'other', claimName: 'other' },
      { workload: 'pod' as const },
      { hubClient: HubClient.preinstalled(), image: 'vllm/vllm-openai:v0.11.0' },
      { hubEndpoint: 'https://hf.internal.example' },
      { mountPath: '/data' },
      { allowPatterns: [] },
    ]) {
      expect(markerOf(same)).toBe(base);
    }
    expect(markerOf({ allowPatterns: ['a', 'b'] })).toBe(markerOf({ allowPatterns: ['b', 'a'] }));
  });
});

describe('re-applicable Jobs: named after their spec', () => {
  test('the same props give the same name; a changed template a new one', () => {
    const name = (props: Partial<ModelPvcDownloaderProps> = {}) => render(props).d.downloaderName;
    expect(name()).toBe(name());
    for (const changed of [{ resources: { requests: { cpu: '1' } } }, { revision: 'v2' }, { image: 'python:3.12.12-slim-bookworm' }, { ttlSecondsAfterFinished: 60 }, { backoffLimit: 1 }]) {
      expect(name(changed)).not.toBe(name());
      expect(name(changed)).toMatch(/^model-downloader-[0-9a-f]{10}$/);
    }
    // The Pod shape keeps its name (the guide's).
    expect(render({ workload: 'pod' }).d.downloaderName).toBe('model-downloader');
  });

  test('the hash is of the rendered Job spec', () => {
    const { objects, d } = render();
    const job = objectOf(objects, 'Job');
    expect(job.metadata.name).toBe(d.downloaderName);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { shortHash } = require('../../src/core/stable-hash') as typeof import('../../src/core/stable-hash');
    expect(d.downloaderName).toBe(`model-downloader-${shortHash(job.spec)}`);
  });

  test('a name that leaves no room for the hash is refused for a Job, not for a Pod', () => {
    const long = 'a'.repeat(53);
    expectRefusal(downloader({ name: long }), [
      { path: 'test/model', field: 'name', value: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', allowed: 'a DNS-1123 label of at most 52 characters', why: 'the Job is named <name>-<10-character hash> and its name must fit a 63-character label' },
    ]);
    expect(problemsFrom((chart) => new ModelPvcDownloader(chart, 'model', { repoId: REPO, name: 'a'.repeat(52) }))).toEqual([]);
    expect(problemsFrom((chart) => new ModelPvcDownloader(chart, 'model', { repoId: REPO, name: long, workload: 'pod' }))).toEqual([]);
  });
});

describe('any user ID, anonymous downloads', () => {
  test('USER is set (getpass.getuser() without a passwd entry), HOME and HF_HOME on /tmp; USER can be replaced', () => {
    const c = downloadContainer(render({ runAsUser: 123456 }).objects);
    expect(envOf(c, 'USER')).toBe('llm-d');
    expect(envOf(c, 'HOME')).toBe('/tmp');
    expect(envOf(c, 'HF_HOME')).toBe('/tmp/.cache/huggingface');
    const mine = downloadContainer(render({ env: [{ name: 'USER', value: 'me' }] }).objects);
    expect(mine.env.filter((e: any) => e.name === 'USER')).toEqual([{ name: 'USER', value: 'me' }]);
  });

  test('anonymous: no HF_TOKEN at all, no tokenSecret on the construct', () => {
    for (const workload of ['job', 'pod'] as const) {
      const { objects, d } = render({ anonymous: true, workload });
      expect(d.tokenSecret).toBeUndefined();
      expect(JSON.stringify(objects)).not.toContain('HF_TOKEN');
    }
  });
});
