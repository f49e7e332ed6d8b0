// The program of the download container. It is a constant: every value (repository, revision,
// paths, patterns, versions) reaches it through the environment, so nothing the user gives is
// ever parsed by a shell or by Python as code.
import { shortHash } from '../core/stable-hash';
import type { HubClient } from './hub-client';

/** Names of the environment variables the download program reads. */
export const DOWNLOAD_ENV = Object.freeze({
  /** Hugging Face repository id. */
  repoId: 'LLM_D_REPO_ID',
  /** Branch, tag or commit (absent: the default branch). */
  revision: 'LLM_D_REVISION',
  /** Absolute `cache_dir` of `snapshot_download`. */
  cacheDir: 'LLM_D_CACHE_DIR',
  /** JSON array of globs (absent: all files). */
  allowPatterns: 'LLM_D_ALLOW_PATTERNS',
  /** JSON array of globs (absent: none). */
  ignorePatterns: 'LLM_D_IGNORE_PATTERNS',
  /** Where the claim is mounted in the download container. */
  volumeRoot: 'LLM_D_VOLUME_ROOT',
  /** Completion marker, relative to the volume root. */
  completionMarker: 'LLM_D_COMPLETION_MARKER',
  /** huggingface_hub release pip installs (`HubClient.pip` only). */
  huggingfaceHubVersion: 'LLM_D_HUGGINGFACE_HUB_VERSION',
});

/**
 * The Python program: `snapshot_download` with the given arguments, then the completion marker,
 * written last and atomically (a temporary file in the same directory, then `os.replace`), so a
 * reader sees either no marker or a whole one, and only after the download succeeded.
 */
export const DOWNLOAD_PROGRAM = `import json
import os
from huggingface_hub import snapshot_download

env = os.environ


def patterns(name):
    value = env.get(name)
    return json.loads(value) if value else None


repo_id = env['${DOWNLOAD_ENV.repoId}']
revision = env.get('${DOWNLOAD_ENV.revision}') or None
path = snapshot_download(
    repo_id=repo_id,
    revision=revision,
    cache_dir=env['${DOWNLOAD_ENV.cacheDir}'],
    allow_patterns=patterns('${DOWNLOAD_ENV.allowPatterns}'),
    ignore_patterns=patterns('${DOWNLOAD_ENV.ignorePatterns}'),
)
marker = os.path.join(env['${DOWNLOAD_ENV.volumeRoot}'], env['${DOWNLOAD_ENV.completionMarker}'])
directory = os.path.dirname(marker)
os.makedirs(directory, exist_ok=True)
partial = '%s.%d.tmp' % (marker, os.getpid())
with open(partial, 'w') as f:
    json.dump({'repo_id': repo_id, 'revision': revision, 'snapshot': os.path.basename(path)}, f)
    f.flush()
    os.fsync(f.fileno())
os.replace(partial, marker)
try:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
except OSError:
    pass
print('downloaded %s (%s); wrote %s' % (repo_id, os.path.basename(path), marker), flush=True)
`;

/**
 * The shell script of `HubClient.pip`: install the pinned huggingface_hub under /tmp (the root
 * filesystem may be read-only), then replace the shell with the program. `$1` is the Python
 * executable and `$2` the program; the version and the index come from the environment
 * (`PIP_INDEX_URL` and `PIP_TRUSTED_HOST` are read by pip itself).
 */
export const PIP_INSTALL_SCRIPT = [
  'set -eu',
  `"$1" -m pip install --no-cache-dir --disable-pip-version-check --target /tmp/pydeps "huggingface_hub==$${DOWNLOAD_ENV.huggingfaceHubVersion}"`,
  'exec "$1" -c "$2"',
].join('\n');

/** `USER` of the download container, so tools that look up the user name work for any UID. */
export const DOWNLOADER_USER = 'llm-d';

/** Inputs of {@link downloadContainerEnv}: the download's values, all validated by the downloader. */
export interface DownloadContainerEnvInputs extends Omit<DownloadIdentity, 'hubCachePath'> {
  readonly hubClient: HubClient;
  readonly hubEndpoint?: string;
  /** The user's entries (they replace the generated USER, HF_HOME, PIP_CACHE_DIR and HF_* settings). */
  readonly userEnv?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly cacheDir: string;
  readonly volumeRoot: string;
  readonly completionMarker: string;
  /** The token's Secret and key, unless anonymous. */
  readonly token?: { readonly name: string; readonly key: string };
}

/** Environment of the download container: generated settings, the user's entries, then the program's inputs and the token. */
export function downloadContainerEnv(o: DownloadContainerEnvInputs): Array<Record<string, unknown>> {
  const pip = o.hubClient.kind === 'pip';
  const userNames = new Set((o.userEnv ?? []).map((e) => e.name));
  const env: Array<Record<string, unknown>> = [
    { name: 'HOME', value: '/tmp' },
    // Tools that look up the user name (getpass.getuser() falls back to the passwd file, which
    // has no entry for an arbitrary runAsUser) find it here.
    { name: 'USER', value: DOWNLOADER_USER },
    // Images may point HF_HOME at their read-only root filesystem (llm-d's: /var/lib/llm-d/.hf).
    { name: 'HF_HOME', value: '/tmp/.cache/huggingface' },
    ...(pip ? [{ name: 'PYTHONPATH', value: '/tmp/pydeps' }, { name: 'PIP_CACHE_DIR', value: '/tmp/.cache/pip' }] : []),
    { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
    // hf_xet (installed with huggingface_hub) would otherwise keep a chunk cache of up to 10 GB
    // in HF_HOME, i.e. on the node's ephemeral storage.
    { name: 'HF_XET_CHUNK_CACHE_SIZE_BYTES', value: '0' },
  ].filter((e) => !userNames.has(e.name));
  env.push(...(o.userEnv ?? []).map((e) => ({ name: e.name, value: e.value })));
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) env.push({ name, value });
  };
  if (pip) {
    set(DOWNLOAD_ENV.huggingfaceHubVersion, o.hubClient.version);
    set('PIP_INDEX_URL', o.hubClient.indexUrl);
    set('PIP_TRUSTED_HOST', o.hubClient.trustedHost);
  }
  set('HF_ENDPOINT', o.hubEndpoint);
  set(DOWNLOAD_ENV.repoId, o.repoId);
  set(DOWNLOAD_ENV.revision, o.revision);
  set(DOWNLOAD_ENV.cacheDir, o.cacheDir);
  if (o.allowPatterns && o.allowPatterns.length > 0) set(DOWNLOAD_ENV.allowPatterns, JSON.stringify(o.allowPatterns));
  if (o.ignorePatterns && o.ignorePatterns.length > 0) set(DOWNLOAD_ENV.ignorePatterns, JSON.stringify(o.ignorePatterns));
  set(DOWNLOAD_ENV.volumeRoot, o.volumeRoot);
  set(DOWNLOAD_ENV.completionMarker, o.completionMarker);
  if (o.token) env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: o.token.name, key: o.token.key } } });
  return env;
}

/** The download container's command: the same for every repository, revision, path and version. */
export function downloaderCommand(hubClient: HubClient): string[] {
  return hubClient.kind === 'preinstalled'
    ? [hubClient.python, '-c', DOWNLOAD_PROGRAM]
    : ['/bin/sh', '-c', PIP_INSTALL_SCRIPT, 'download-model', hubClient.python, DOWNLOAD_PROGRAM];
}

/** What the completion marker names: a different download gives a different marker. */
export interface DownloadIdentity {
  readonly repoId: string;
  readonly revision?: string;
  readonly allowPatterns?: readonly string[];
  readonly ignorePatterns?: readonly string[];
  /** Path of the hub cache inside the volume ("" = volume root). */
  readonly hubCachePath: string;
}

/**
 * Path, relative to the volume root, of the file the download writes last:
 * `<hubCachePath>/.llm-d/download-<hash>.complete` (`.llm-d/download-<hash>.complete` when the
 * hub cache is the volume root), where `<hash>` is the first 10 hex digits of the sha256 of the
 * repository, revision, patterns (order ignored) and hub cache path.
 */
export function downloadCompletionMarker(d: DownloadIdentity): string {
  const hash = shortHash({
    repoId: d.repoId,
    revision: d.revision ?? null,
    allowPatterns: [...(d.allowPatterns ?? [])].sort(),
    ignorePatterns: [...(d.ignorePatterns ?? [])].sort(),
    hubCachePath: d.hubCachePath,
  });
  return [d.hubCachePath, `.llm-d/download-${hash}.complete`].filter((s) => s !== '').join('/');
}
