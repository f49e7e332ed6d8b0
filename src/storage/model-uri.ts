/**
 * Model artifact URIs, as understood by the llm-d-modelservice charts (`modelArtifacts.uri`):
 *
 * - `hf://<org>/<model>`: a Hugging Face repository, downloaded by the server at start-up.
 * - `pvc://<claim>/<path>`: a model directory at `<path>` inside the PersistentVolumeClaim `<claim>`.
 * - `pvc+hf://<claim>/[<hub cache path>/]<org>/<model>`: a Hugging Face hub cache (what
 *   `snapshot_download(cache_dir=...)` writes) at `<hub cache path>` inside the claim.
 * - `oci://<reference>`: a model packaged as an OCI image (parsed so callers can refuse it with a
 *   clear message; the Furiosa chart fails on it).
 *
 * Pure functions, no constructs: the model services and the storage constructs share them.
 */
import { IModelStorage } from '../core/contracts';
import { Problem } from '../core/errors';
import { isDns1123Subdomain } from '../core/names';

/** `hf://<org>/<model>`. */
export interface HfModelUri {
  readonly scheme: 'hf';
  /** The URI as given. */
  readonly uri: string;
  /** Hugging Face repository id, e.g. `furiosa-ai/Llama-3.1-8B-Instruct`. */
  readonly repoId: string;
}

/** `pvc://<claim>/<path>`. */
export interface PvcModelUri {
  readonly scheme: 'pvc';
  readonly uri: string;
  /** Name of the PersistentVolumeClaim. */
  readonly claimName: string;
  /** Path of the model directory inside the volume, without leading "/". */
  readonly path: string;
}

/** `pvc+hf://<claim>/[<hub cache path>/]<org>/<model>`. */
export interface PvcHfModelUri {
  readonly scheme: 'pvc+hf';
  readonly uri: string;
  readonly claimName: string;
  /** Path of the hub cache inside the volume ("" for the volume root), without leading or trailing "/". */
  readonly hubCachePath: string;
  /** Hugging Face repository id, `<org>/<model>`. */
  readonly repoId: string;
}

/** `oci://<reference>`. */
export interface OciModelUri {
  readonly scheme: 'oci';
  readonly uri: string;
  /** The image reference after `oci://`. */
  readonly reference: string;
}

/** A parsed model artifact URI. */
export type ModelUri = HfModelUri | PvcModelUri | PvcHfModelUri | OciModelUri;

/** What a model URI may look like, for error messages. */
export const MODEL_URI_FORMS = 'hf://<org>/<model>, pvc://<claim>/<path/to/model>, or pvc+hf://<claim>/[<hub cache path>/]<org>/<model>';

/** Error thrown by {@link parseModelUri}; `problem` is ready for the library's error reporting. */
export class ModelUriError extends Error {
  constructor(public readonly problem: Problem) {
    super(`${problem.field}: value ${JSON.stringify(problem.value)} is not allowed${problem.why ? ` (${problem.why})` : ''}; allowed: ${problem.allowed}`);
    this.name = 'ModelUriError';
  }
}

const HF_PART = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

function isRepoId(id: string): boolean {
  const parts = id.split('/');
  return parts.length >= 1 && parts.length <= 2 && parts.every((p) => p.length <= 96 && HF_PART.test(p));
}

/**
 * Parses a model URI the way the chart does (`regexSplit "://"`, then "/" segments), refusing the
 * inputs the chart would render into a broken pod. `field` names the prop in error messages.
 * @throws ModelUriError
 */
export function parseModelUri(uri: string, field = 'modelArtifacts.uri'): ModelUri {
  const bad = (why: string, allowed = MODEL_URI_FORMS): never => {
    throw new ModelUriError({ field, value: uri, allowed, why });
  };
  if (typeof uri !== 'string' || uri.trim() === '') bad('a model URI is required');
  const sep = uri.indexOf('://');
  if (sep < 0) bad('no scheme: the chart would render no model argument, volume or environment for it');
  const scheme = uri.slice(0, sep);
  const rest = uri.slice(sep + 3);
  if (rest.includes('://')) bad('"://" may appear only once');
  switch (scheme) {
    case 'hf': {
      if (!isRepoId(rest)) bad('not a Hugging Face repository id', 'hf://<org>/<model>, e.g. hf://furiosa-ai/Llama-3.1-8B-Instruct');
      return { scheme: 'hf', uri, repoId: rest };
    }
    case 'pvc': {
      const slash = rest.indexOf('/');
      const claimName = slash < 0 ? rest : rest.slice(0, slash);
      const path = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
      if (claimName === '') bad('the claim name is missing', 'pvc://<claim>/<path/to/model>');
      if (!isDns1123Subdomain(claimName)) bad(`claim name "${claimName}" is not a DNS-1123 subdomain`, 'pvc://<claim>/<path/to/model>');
      if (path === '' || path.split('/').some((s) => s === '' || s === '..')) {
        bad('the path of the model inside the claim is missing or not a clean relative path', 'pvc://<claim>/<path/to/model>');
      }
      return { scheme: 'pvc', uri, claimName, path };
    }
    case 'pvc+hf': {
      const segs = rest.replace(/\/+$/, '').split('/');
      const claimName = segs[0];
      if (claimName === '') bad('the claim name is missing', 'pvc+hf://<claim>/[<hub cache path>/]<org>/<model>');
      if (!isDns1123Subdomain(claimName)) bad(`claim name "${claimName}" is not a DNS-1123 subdomain`, 'pvc+hf://<claim>/[<hub cache path>/]<org>/<model>');
      if (segs.length < 3) bad('needs the claim and an <org>/<model> repository id', 'pvc+hf://<claim>/[<hub cache path>/]<org>/<model>');
      if (segs.some((s) => s === '' || s === '..')) bad('empty or ".." path segment', 'pvc+hf://<claim>/[<hub cache path>/]<org>/<model>');
      const repoId = segs.slice(-2).join('/');
      if (!isRepoId(repoId)) bad(`"${repoId}" is not a Hugging Face repository id`, 'pvc+hf://<claim>/[<hub cache path>/]<org>/<model>');
      return { scheme: 'pvc+hf', uri, claimName, hubCachePath: segs.slice(1, -2).join('/'), repoId };
    }
    case 'oci':
      if (rest === '') bad('the image reference is missing', 'oci://<registry>/<repository>:<tag>');
      return { scheme: 'oci', uri, reference: rest };
    default:
      return bad(`unknown scheme "${scheme}"`);
  }
}

/** {@link parseModelUri} as a Problem check: `undefined` when the URI parses. */
export function checkModelUri(field: string, uri: string): Problem | undefined {
  try {
    parseModelUri(uri, field);
    return undefined;
  } catch (e) {
    if (e instanceof ModelUriError) return e.problem;
    throw e;
  }
}

/**
 * The `pvc+hf://` URI that mounts an {@link IModelStorage}:
 * `pvc+hf://<claimName>/<hubCachePath>/<repoId>` (no hub cache segment when the cache is the
 * volume root). `repoId` defaults to the storage's own `repoId`.
 */
export function modelStorageUri(storage: IModelStorage, repoId: string | undefined = storage.repoId): string {
  if (!repoId) {
    throw new ModelUriError({
      field: 'repoId',
      value: repoId,
      allowed: 'a Hugging Face repository id <org>/<model>',
      why: `the storage "${storage.claimName}" does not say which repository it holds`,
    });
  }
  const cache = storage.hubCachePath.replace(/^\/+|\/+$/g, '');
  return `pvc+hf://${[storage.claimName, cache, repoId].filter((s) => s !== '').join('/')}`;
}

/** The model URI in a canonical string form (what was parsed). */
export function formatModelUri(m: ModelUri): string {
  switch (m.scheme) {
    case 'hf':
      return `hf://${m.repoId}`;
    case 'pvc':
      return `pvc://${m.claimName}/${m.path}`;
    case 'pvc+hf':
      return `pvc+hf://${[m.claimName, m.hubCachePath, m.repoId].filter((s) => s !== '').join('/')}`;
    case 'oci':
      return `oci://${m.reference}`;
  }
}
