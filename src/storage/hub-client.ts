import type { Problem } from '../core/errors';

/** huggingface_hub release `HubClient.pip()` installs (the guide installs whatever is latest). */
export const DEFAULT_HUGGINGFACE_HUB_VERSION = '0.36.0';
/** Python executable the download runs with: every image below has `python3`, not all have `python`. */
export const DEFAULT_DOWNLOADER_PYTHON = 'python3';

/** How the download container gets `huggingface_hub`: `pip` installs it at run time, `preinstalled` uses the image's. */
export type HubClientKind = 'pip' | 'preinstalled';

/** Options of {@link HubClient.pip}. */
export interface HubClientPipOptions {
  /** huggingface_hub release to install, pinned. @default DEFAULT_HUGGINGFACE_HUB_VERSION */
  readonly version?: string;
  /**
   * Package index to install from instead of PyPI, e.g. an internal mirror
   * (`https://pypi.internal.example/simple`): an http(s) URL without credentials, given to pip as
   * `PIP_INDEX_URL`. Its port is opened by the downloader's NetworkPolicy.
   * @default - PyPI
   */
  readonly indexUrl?: string;
  /** Host pip trusts without a valid HTTPS certificate (`PIP_TRUSTED_HOST`), e.g. an index over plain HTTP. Only with `indexUrl`. @default - none */
  readonly trustedHost?: string;
  /** Python executable of the image (a name on its PATH or an absolute path). @default 'python3' */
  readonly python?: string;
}

/** Options of {@link HubClient.preinstalled}. */
export interface HubClientPreinstalledOptions {
  /** Python executable that imports `huggingface_hub` (a name on the image's PATH or an absolute path). @default 'python3' */
  readonly python?: string;
}

// What the model-server images carry (read in their public sources), so `preinstalled` works
// with them, run as `python3`:
// - vLLM (`vllm/vllm-openai`): huggingface_hub comes with vLLM's requirements: vllm-project/vllm
//   `requirements/common.txt` listed `huggingface-hub[hf_xet] >= 0.33.0` in 2025 releases, and
//   newer ones get it through `transformers >= 4.56`. vllm-project/vllm `docker/Dockerfile` installs Python
//   with `update-alternatives` as `/usr/bin/python3` (there is no `python`) and starts the server
//   with `python3 -m vllm.entrypoints.openai.api_server`.
// - llm-d (`ghcr.io/llm-d/llm-d-cuda`, the default vLLM image here): vLLM in a venv at /opt/vllm
//   whose `bin` (`python` and `python3`) is first on PATH, and `/usr/bin/python3` links to it
//   (llm-d/llm-d `docker/Dockerfile.cuda`). It sets `HF_HOME=/var/lib/llm-d/.hf`, on the root
//   filesystem, which the downloader overrides to /tmp (its root filesystem is read-only), and
//   runs as UID 2000 with `HOME=/home/vllm`.
// - Furiosa-LLM (`furiosaai/furiosa-llm`): `furiosa-llm serve <hub id>` downloads models from the
//   hub itself (Furiosa's documented `docker run ... -v ~/.cache/huggingface:/root/.cache/huggingface
//   furiosaai/furiosa-llm serve furiosa-ai/...`), so huggingface_hub is installed. Its Dockerfile
//   is not public: a pip-installed furiosa-llm on Ubuntu, where the interpreter is `python3`;
//   pass `python` if an image differs.

/**
 * Where the model download gets the `huggingface_hub` library from. `HubClient.pip(...)` installs
 * a pinned release into /tmp when the download starts, from PyPI or a mirror index (needs pip in
 * the image and egress to the index). `HubClient.preinstalled(...)` uses the image's: nothing is
 * installed and no package index is reached at run time; every model-server image has it
 * (vLLM, llm-d, Furiosa-LLM). Air-gapped clusters: `HubClient.preinstalled()` with the
 * model-server image, plus the downloader's `hubEndpoint` pointing at a hub mirror.
 */
export class HubClient {
  /** Installs huggingface_hub with pip when the download starts (the default, with the `python:3.12` image). */
  public static pip(options: HubClientPipOptions = {}): HubClient {
    return new HubClient('pip', options.python ?? DEFAULT_DOWNLOADER_PYTHON, options.version, options.indexUrl, options.trustedHost);
  }

  /** Uses the huggingface_hub the image carries (any model-server image): no pip, no package index at run time. */
  public static preinstalled(options: HubClientPreinstalledOptions = {}): HubClient {
    return new HubClient('preinstalled', options.python ?? DEFAULT_DOWNLOADER_PYTHON);
  }

  /** `pip` or `preinstalled`. */
  public readonly kind: HubClientKind;
  /** Python executable the download runs with. */
  public readonly python: string;
  /** huggingface_hub release pip installs, as given (a downloader's `hubClient` has it resolved); undefined for `preinstalled`. */
  public readonly version?: string;
  /** Package index pip installs from, when not PyPI. */
  public readonly indexUrl?: string;
  /** Host pip trusts without valid HTTPS. */
  public readonly trustedHost?: string;

  private constructor(kind: HubClientKind, python: string, version?: string, indexUrl?: string, trustedHost?: string) {
    this.kind = kind;
    this.python = python;
    this.version = version;
    this.indexUrl = indexUrl;
    this.trustedHost = trustedHost;
  }
}

const PYTHON = /^\/?[A-Za-z0-9_][A-Za-z0-9._+-]*(\/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$/;
const PIP_VERSION = /^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/;

/** The problems of a hub client's own fields (`field` prefixed with `hubClient.`). */
export function hubClientProblems(c: HubClient): Problem[] {
  const out: Problem[] = [];
  if (typeof c.python !== 'string' || !PYTHON.test(c.python) || c.python.split('/').includes('..')) {
    out.push({ field: 'hubClient.python', value: c.python, allowed: 'a Python executable name such as "python3" or an absolute path such as "/opt/venv/bin/python"' });
  }
  if (c.kind !== 'pip') return out;
  if (c.version !== undefined && !PIP_VERSION.test(c.version)) {
    out.push({ field: 'hubClient.version', value: c.version, allowed: 'an exact release such as "0.36.0"', why: 'the version is pinned so downloads are reproducible' });
  }
  if (c.indexUrl !== undefined) {
    const p = checkServiceUrl('hubClient.indexUrl', c.indexUrl, 'a package index URL such as "https://pypi.internal.example/simple"');
    if (p) out.push(p);
  }
  if (c.trustedHost !== undefined) {
    if (c.indexUrl === undefined) {
      out.push({ field: 'hubClient.trustedHost', value: c.trustedHost, allowed: 'unset', why: 'pip trusts a host only for an index given by indexUrl' });
    } else if (typeof c.trustedHost !== 'string' || !HOST.test(c.trustedHost)) {
      out.push({ field: 'hubClient.trustedHost', value: c.trustedHost, allowed: 'a host name or address, with an optional ":port", e.g. "pypi.internal.example"' });
    }
  }
  return out;
}

/**
 * An http(s) URL of a service the download talks to (a hub mirror, a package index): parseable,
 * no whitespace or control characters, no credentials (they would be readable in the manifest),
 * no query or fragment.
 */
export function checkServiceUrl(field: string, value: unknown, example: string): Problem | undefined {
  const allowed = `${example}: an http:// or https:// URL with a host, without user or password, query or fragment, whitespace or control characters`;
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value === '' || /[\s\x00-\x1f\x7f]/.test(value)) return { field, value, allowed };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, value, allowed };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { field, value, allowed };
  if (url.username !== '' || url.password !== '') {
    return { field, value, allowed, why: 'credentials in the URL would be readable by anyone who can read the manifest; use a token Secret or a proxy that authenticates' };
  }
  if (url.hostname === '' || url.search !== '' || url.hash !== '' || value.includes('#') || value.includes('?')) return { field, value, allowed };
  return undefined;
}

/** TCP port of an http(s) URL: its own, else 80 or 443 by scheme. */
export function urlPort(value: string): number {
  const url = new URL(value);
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}
