import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IModelStorage, IPersistentVolumeClaimReference, ISecretReference } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import type { ComputeResources } from '../core/k8s-types';
import { checkLabels } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { checkQuantity, checkResources, withDefaultRequests } from '../core/quantities';
import { hardenedContainerSecurityContext } from '../core/security';
import { hashedName, hashedNameProblem } from '../core/stable-hash';
import { downloadCompletionMarker, downloadContainerEnv, downloaderCommand } from './download-program';
import { checkServiceUrl, DEFAULT_HUGGINGFACE_HUB_VERSION, HubClient, hubClientProblems, urlPort } from './hub-client';

/** python:3.12 slim, pinned to a patch release (the guide uses the floating `python:3.10-slim`). */
export const DEFAULT_DOWNLOADER_IMAGE = 'python:3.12.11-slim-bookworm';
/** Image of the guide's `model-consumer` container (Pod shape only), pinned. */
export const DEFAULT_CONSUMER_IMAGE = 'ubuntu:24.04';
/** The guide's claim name. */
export const DEFAULT_MODEL_CLAIM_NAME = 'model-pvc';
/** The guide's downloader name. */
export const DEFAULT_DOWNLOADER_NAME = 'model-downloader';
/** The guide's claim size. */
export const DEFAULT_MODEL_STORAGE_SIZE = '20Gi';
/** Where the downloader mounts the claim (the guide's `cache_dir`). */
export const DEFAULT_DOWNLOADER_MOUNT_PATH = '/models';
/** The guide's token Secret and key. */
export const DEFAULT_HF_TOKEN_SECRET_NAME = 'hf-token-secret';
/** Key of the Hugging Face token in its Secret (the guide's `kubectl create secret generic ... --from-literal=HF_TOKEN=...`). */
export const DEFAULT_HF_TOKEN_SECRET_KEY = 'HF_TOKEN';
/** UID/GID the downloader runs as (and the claim's fsGroup) by default. */
export const DEFAULT_DOWNLOADER_UID = 1000;
/** Pod-template annotation holding the completion marker (relative to the claim root). */
export { COMPLETION_MARKER_ANNOTATION } from '../core/model-readiness';
import { COMPLETION_MARKER_ANNOTATION } from '../core/model-readiness';
import { isPosixPathWithin, normalizedPosixPath } from '../core/paths';
import { plainProps } from '../core/plain-props';

/** Requests of the download container by default. */
export const DEFAULT_DOWNLOADER_RESOURCES: ModelDownloaderResources = Object.freeze({
  requests: Object.freeze({ cpu: '500m', memory: '1Gi' }),
  limits: Object.freeze({ memory: '4Gi' }),
});

/** What runs the download. */
export type ModelDownloaderWorkload = 'job' | 'pod';

/** A PersistentVolumeClaim access mode. */
export type ModelClaimAccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

/** CPU/memory requests and limits of the download container. */
export type ModelDownloaderResources = ComputeResources;

/** Props of {@link ModelPvcDownloader}. */
export interface ModelPvcDownloaderProps {
  /** Hugging Face repository id, e.g. `furiosa-ai/Llama-3.1-8B-Instruct`. */
  readonly repoId: string;
  /** Branch, tag or commit to download. @default - the repository's default branch (main) */
  readonly revision?: string;
  /** Only files matching these globs, e.g. `['*.json', '*.safetensors']`. @default - all files */
  readonly allowPatterns?: readonly string[];
  /** Skip files matching these globs, e.g. `['original/*']`. @default - none */
  readonly ignorePatterns?: readonly string[];
  /** Name of the claim to create. @default 'model-pvc' (the guide's) */
  readonly claimName?: string;
  /**
   * Download into this existing claim instead of creating one (no PersistentVolumeClaim object is
   * emitted; `storageSize`, `storageClassName` and `accessModes` are then refused). A cdk8s-plus
   * `PersistentVolumeClaim` (or `PersistentVolumeClaim.fromClaimName(...)`) works, as does `{ name }`.
   * @default - a claim is created
   */
  readonly existingClaim?: IPersistentVolumeClaimReference;
  /** Namespace of the claim and the downloader. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Claim size. @default '20Gi' (the guide's) */
  readonly storageSize?: string;
  /**
   * Storage class of the claim. The guide writes `default` as an example.
   * @default - the cluster's default storage class (field omitted)
   */
  readonly storageClassName?: string;
  /**
   * Access modes. With ReadWriteOnce, model-server pods on other nodes than the one holding the
   * volume cannot mount it: use ReadOnlyMany/ReadWriteMany storage for replicas on several nodes.
   * @default ['ReadWriteOnce'] (the guide's)
   */
  readonly accessModes?: readonly ModelClaimAccessMode[];
  /**
   * Path of the Hugging Face hub cache inside the volume, without leading or trailing "/"; ""
   * for the volume root (the guide's). The download's `cache_dir` is `<mountPath>/<hubCachePath>`
   * and a model service using this storage sets `HF_HUB_CACHE=<its mount>/<hubCachePath>`, so
   * both see `<hubCachePath>/models--<org>--<model>/` in the volume.
   * @default ''
   */
  readonly hubCachePath?: string;
  /** Where the download container mounts the claim. @default '/models' (the guide's) */
  readonly mountPath?: string;
  /**
   * Name of the Pod, or of the Job before its hash: a Job is named `<name>-<hash>`, the hash (10
   * hex digits) of its spec, because a Job's pod template is immutable: a changed download gets
   * a new Job instead of an apply that the API server refuses. Prune the old Job with
   * `kubectl apply --prune`, Argo CD or Flux pruning, or `ttlSecondsAfterFinished`. At most 52
   * characters with workload `job`.
   * @default 'model-downloader' (the guide's)
   */
  readonly name?: string;
  /**
   * `job`: a Job that completes and retries with backoff (`kubectl wait --for=condition=complete
   * job/<downloaderName>`). `pod`: the guide's Pod: an init container downloads, then a
   * `model-consumer` container sleeps (it keeps a ReadWriteOnce volume attached to its node).
   * @default 'job'
   */
  readonly workload?: ModelDownloaderWorkload;
  /**
   * Secret holding the Hugging Face token (never the token itself), referenced by name: a
   * cdk8s-plus `Secret` (or `Secret.fromSecretName(...)`) works, as does `{ name }`. Required
   * unless `anonymous`.
   * @default - the Secret `hf-token-secret` (the guide's)
   */
  readonly tokenSecret?: ISecretReference;
  /** Key of the token in the Secret. @default 'HF_TOKEN' */
  readonly tokenSecretKey?: string;
  /** Download without a token (public, non-gated repositories only). @default false */
  readonly anonymous?: boolean;
  /**
   * Image of the download container: with Python and pip for `HubClient.pip()`, with
   * huggingface_hub for `HubClient.preinstalled()` (required then: the model server's image is
   * a good choice, it is on the nodes already).
   * @default DEFAULT_DOWNLOADER_IMAGE (with `HubClient.pip()`)
   */
  readonly image?: string;
  /**
   * Where huggingface_hub comes from: `HubClient.pip({ version?, indexUrl?, trustedHost? })`
   * installs it at run time (from PyPI or a mirror index), `HubClient.preinstalled()` uses the
   * image's (no package index at run time). Air-gapped: `HubClient.preinstalled()` with a
   * model-server `image` and `hubEndpoint`.
   * @default HubClient.pip() (with DEFAULT_DOWNLOADER_IMAGE)
   */
  readonly hubClient?: HubClient;
  /**
   * URL of a Hugging Face Hub mirror to download from instead of huggingface.co, e.g. an internal
   * proxy (`HF_ENDPOINT`): http(s), no credentials. Its port replaces 443 in `egressPorts`, and
   * the downloader NetworkPolicy lets it reach private addresses on that port.
   * @default - the Hugging Face Hub
   */
  readonly hubEndpoint?: string;
  /**
   * huggingface_hub version pip installs (pinned).
   * @deprecated use `hubClient: HubClient.pip({ version })`; refused with `HubClient.preinstalled()`
   * or together with a pip `version`.
   * @default DEFAULT_HUGGINGFACE_HUB_VERSION
   */
  readonly huggingfaceHubVersion?: string;
  /** Image of the Pod shape's consumer container. @default DEFAULT_CONSUMER_IMAGE */
  readonly consumerImage?: string;
  /**
   * Resources of the download container. A cpu/memory request is added where neither a request
   * nor a limit is given.
   * @default DEFAULT_DOWNLOADER_RESOURCES (requests 500m / 1Gi, memory limit 4Gi)
   */
  readonly resources?: ModelDownloaderResources;
  /** Retries of the Job. @default 4 */
  readonly backoffLimit?: number;
  /** Time limit of the Job, in seconds. @default - none */
  readonly activeDeadlineSeconds?: number;
  /**
   * Delete the finished Job after this many seconds. Unset keeps it so it can be waited on and
   * its logs read.
   * @default - kept
   */
  readonly ttlSecondsAfterFinished?: number;
  /** UID (and GID) the containers run as. @default 1000 */
  readonly runAsUser?: number;
  /** Group that owns the volume's files (pod `fsGroup`), so the non-root download can write. @default - runAsUser */
  readonly fsGroup?: number;
  /** Require a non-root user. @default true */
  readonly runAsNonRoot?: boolean;
  /** Read-only root filesystem (HOME, pip target and temp files go to an emptyDir at /tmp). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Extra environment of the download container, e.g. HTTPS_PROXY. Entries replace the generated
   * USER, HF_HOME, PIP_CACHE_DIR, HF_HUB_DISABLE_TELEMETRY and HF_XET_CHUNK_CACHE_SIZE_BYTES;
   * HF_TOKEN, HOME, PYTHONPATH, HF_ENDPOINT (use `hubEndpoint`), PIP_INDEX_URL and
   * PIP_TRUSTED_HOST (use `hubClient`) and `LLM_D_*` names are refused.
   * @default []
   */
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Extra labels of the pods and objects. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Node selector of the download pod. @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Image pull Secrets (names). @default [] */
  readonly imagePullSecrets?: readonly string[];
}

type Json = Record<string, unknown>;

const HF_PART = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
const REVISION = /^[A-Za-z0-9._/-]+$/;
const PATTERN = /^[A-Za-z0-9._\-/*?[\]]+$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Names refused in `env`: the downloader sets them, or a prop does (with validation). */
function reservedEnvProblem(field: string, name: string): Problem | undefined {
  if (['HF_TOKEN', 'HOME', 'PYTHONPATH'].includes(name)) return { field, value: name, allowed: 'a name other than HF_TOKEN, HOME and PYTHONPATH', why: 'the downloader sets it (the token only from tokenSecret)' };
  if (name === 'HF_ENDPOINT') return { field, value: name, allowed: 'hubEndpoint instead', why: 'hubEndpoint is validated and its port opened in the NetworkPolicy' };
  if (name === 'PIP_INDEX_URL' || name === 'PIP_TRUSTED_HOST') return { field, value: name, allowed: 'hubClient: HubClient.pip({ indexUrl, trustedHost }) instead', why: 'the index is validated and its port opened in the NetworkPolicy' };
  if (name.startsWith('LLM_D_')) return { field, value: name, allowed: 'a name not starting with LLM_D_', why: 'the download program reads its inputs from LLM_D_* variables' };
  return undefined;
}

/** True for a Hugging Face repository id (`org/model` or `model`). */
export function isHuggingFaceRepoId(id: string): boolean {
  const parts = id.split('/');
  return parts.length >= 1 && parts.length <= 2 && parts.every((p) => p.length <= 96 && HF_PART.test(p));
}

/** The directory `snapshot_download` creates for a model in a hub cache: `models--<org>--<model>`. */
export function hubCacheModelDir(repoId: string): string {
  return `models--${repoId.split('/').join('--')}`;
}

/** The download's `cache_dir`: `<mountPath>/<hubCachePath>` (the mount itself when the path is ""). */
export function downloaderCacheDir(mountPath: string, hubCachePath: string): string {
  const base = mountPath.replace(/\/+$/, '') || '/';
  if (!hubCachePath) return base;
  return base === '/' ? `/${hubCachePath}` : `${base}/${hubCachePath}`;
}

/** `limits: {}` says nothing; it stays out of the manifest. */
function withoutEmptyLimits(r: ModelDownloaderResources): ModelDownloaderResources {
  return r.limits && Object.keys(r.limits).length > 0 ? { ...r } : { requests: r.requests };
}

/**
 * A PersistentVolumeClaim and a workload that downloads a Hugging Face model into it as a hub
 * cache (step 4 of the Furiosa-LLM + llm-d guide). Pass it as `modelArtifacts.storage` to a
 * `FuriosaModelService`: the service mounts the claim and finds the model at
 * `pvc+hf://<claimName>/<hubCachePath>/<repoId>`.
 *
 * The download runs a constant program: the repository, revision, patterns and paths reach it as
 * environment variables (`LLM_D_*`), never spliced into a command line. It writes
 * `completionMarker` last, once the download succeeded, so model servers can wait for it. A
 * Job-shaped downloader is named `<name>-<hash of its spec>`: Job pod templates are immutable, so
 * a changed download is a new Job (prune the old one with `kubectl apply --prune` or the pruning
 * of Argo CD or Flux).
 *
 * Air-gapped clusters: `hubClient: HubClient.preinstalled()` with an image that has
 * huggingface_hub (a model-server image) installs nothing at run time, and `hubEndpoint` points
 * the download at a hub mirror; `egressPorts` then holds only the mirror's port.
 *
 * Secure by default: non-root UID 1000 with fsGroup 1000 (the volume is writable), no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem (HOME,
 * pip's target and temp files on an emptyDir at /tmp), no service account token, cpu/memory
 * requests, pinned images and huggingface_hub, and the token only as a Secret reference.
 */
export class ModelPvcDownloader extends Construct implements IModelStorage {
  /** Name of the claim the model is downloaded into. */
  public readonly claimName: string;
  /** Namespace of the claim (and of the downloader). */
  public readonly claimNamespace: string;
  /** Access modes of the claim this construct creates; undefined for an `existingClaim` (unknown here). */
  public readonly accessModes?: readonly string[];
  /** Path of the hub cache inside the volume ("" = volume root). */
  public readonly hubCachePath: string;
  /** The Hugging Face repository id. */
  public readonly repoId: string;
  /** The token Secret, unless anonymous. */
  public readonly tokenSecret?: ISecretReference;
  /** Name of the Pod, or of the Job: `<name>-<hash of the Job spec>` (what `kubectl wait` and alerts name). */
  public readonly downloaderName: string;
  /** `job` or `pod`. */
  public readonly workload: ModelDownloaderWorkload;
  /** Absolute `cache_dir` of the download inside the download container. */
  public readonly cacheDir: string;
  /**
   * File the download writes last, once the model is complete, relative to the claim root (no
   * leading "/"): `<hubCachePath>/.llm-d/download-<hash>.complete`, the hash (10 hex digits) of
   * the repository, revision, patterns and hub cache path, so another model is another marker.
   * Also the pod template annotation `llm-d.ai/completion-marker`.
   */
  public readonly completionMarker: string;
  /** Where huggingface_hub comes from, resolved (a `pip` client has its version). */
  public readonly hubClient: HubClient;
  /** The hub mirror the download uses, when not the Hugging Face Hub. */
  public readonly hubEndpoint?: string;
  /** TCP ports the download connects to, sorted: 443 (hub, PyPI) unless `hubEndpoint` or a pip `indexUrl` name other ports. */
  public readonly egressPorts: readonly number[];
  /** Ports of `egressPorts` that serve a URL given by the user (`hubEndpoint`, pip `indexUrl`), which may be on private addresses. */
  public readonly mirrorEgressPorts: readonly number[];
  /** Labels of the download pods (for NetworkPolicies). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The claim, unless `existingClaim`. */
  public readonly claim?: ApiObject;
  /** The Job (workload `job`) or Pod (workload `pod`). */
  public readonly downloader: ApiObject;

  constructor(scope: Construct, id: string, props: ModelPvcDownloaderProps) {
    super(scope, id);
    props = plainProps(this, props);
    const problems: Problem[] = [];
    this.repoId = props.repoId;
    this.claimName = props.existingClaim?.name ?? props.claimName ?? DEFAULT_MODEL_CLAIM_NAME;
    this.claimNamespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.hubCachePath = props.hubCachePath ?? '';
    const baseName = props.name ?? DEFAULT_DOWNLOADER_NAME;
    this.workload = props.workload ?? 'job';
    const anonymous = props.anonymous ?? false;
    this.tokenSecret = anonymous ? undefined : (props.tokenSecret ?? { name: DEFAULT_HF_TOKEN_SECRET_NAME });
    const tokenSecretName = this.tokenSecret?.name;
    const tokenKey = props.tokenSecretKey ?? DEFAULT_HF_TOKEN_SECRET_KEY;
    const mountPath = props.mountPath ?? DEFAULT_DOWNLOADER_MOUNT_PATH;
    this.cacheDir = downloaderCacheDir(mountPath, this.hubCachePath);
    const given = props.hubClient ?? HubClient.pip();
    const pip = given.kind !== 'preinstalled';
    this.hubClient = pip ? HubClient.pip({ version: given.version ?? props.huggingfaceHubVersion ?? DEFAULT_HUGGINGFACE_HUB_VERSION, indexUrl: given.indexUrl, trustedHost: given.trustedHost, python: given.python }) : given;
    this.hubEndpoint = props.hubEndpoint;
    const image = props.image ?? DEFAULT_DOWNLOADER_IMAGE;
    const uid = props.runAsUser ?? DEFAULT_DOWNLOADER_UID;
    const namespace = this.claimNamespace;
    this.completionMarker = downloadCompletionMarker({ repoId: this.repoId, revision: props.revision, allowPatterns: props.allowPatterns, ignorePatterns: props.ignorePatterns, hubCachePath: this.hubCachePath });

    // --- validation ---------------------------------------------------------------------------
    if (typeof props.repoId !== 'string' || !isHuggingFaceRepoId(props.repoId)) {
      problems.push({ field: 'repoId', value: props.repoId, allowed: 'a Hugging Face repository id such as "furiosa-ai/Llama-3.1-8B-Instruct": <org>/<name> of letters, digits, ".", "_", "-"' });
    }
    if (props.revision !== undefined && (!REVISION.test(props.revision) || props.revision.includes('..'))) {
      problems.push({ field: 'revision', value: props.revision, allowed: 'a branch, tag or commit: letters, digits, ".", "_", "-" and "/"' });
    }
    for (const key of ['allowPatterns', 'ignorePatterns'] as const) {
      (props[key] ?? []).forEach((p, i) => {
        if (!PATTERN.test(p)) problems.push({ field: `${key}[${i}]`, value: p, allowed: 'a glob of letters, digits, ".", "_", "-", "/", "*", "?", "[", "]"' });
      });
    }
    if (props.existingClaim !== undefined && props.claimName !== undefined) {
      problems.push({ field: 'claimName', value: props.claimName, allowed: 'unset', why: 'existingClaim is the claim to use' });
    }
    for (const key of ['storageSize', 'storageClassName', 'accessModes'] as const) {
      if (props.existingClaim !== undefined && props[key] !== undefined) {
        problems.push({ field: key, value: props[key], allowed: 'unset', why: 'no claim is created with existingClaim; size, class and access modes are the existing claim\'s' });
      }
    }
    const claimField = props.existingClaim !== undefined ? 'existingClaim.name' : 'claimName';
    const cp = checkDns1123Subdomain(claimField, this.claimName);
    if (cp) problems.push(cp);
    const nsp = checkDns1123Label('namespace', namespace);
    if (nsp) problems.push(nsp);
    const np = checkDns1123Label('name', baseName);
    if (np) problems.push(np);
    else if (this.workload === 'job') {
      const hp = hashedNameProblem('name', baseName, 'Job');
      if (hp) problems.push(hp);
    }
    const sp = checkQuantity('storageSize', props.storageSize);
    if (sp) problems.push(sp);
    if (props.storageClassName !== undefined) {
      const scp = checkDns1123Subdomain('storageClassName', props.storageClassName);
      if (scp) problems.push(scp);
    }
    const modes = props.accessModes ?? ['ReadWriteOnce'];
    if (props.existingClaim === undefined) this.accessModes = [...modes];
    const allModes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
    if (modes.length === 0) problems.push({ field: 'accessModes', value: [], allowed: `at least one of ${allModes.join(', ')}` });
    modes.forEach((m, i) => {
      if (!allModes.includes(m)) problems.push({ field: `accessModes[${i}]`, value: m, allowed: allModes.join(', ') });
    });
    if (modes.length > 0 && modes.every((m) => m === 'ReadOnlyMany')) {
      problems.push({ field: 'accessModes', value: modes, allowed: 'a writable mode as well (ReadWriteOnce, ReadWriteMany or ReadWriteOncePod)', why: 'the downloader writes the model into the claim' });
    }
    if (this.hubCachePath !== '' && !this.hubCachePath.split('/').every((s) => PATH_SEGMENT.test(s) && s !== '.' && s !== '..')) {
      problems.push({ field: 'hubCachePath', value: this.hubCachePath, allowed: '"" (volume root) or a relative path like "hub" or "cache/hub": segments of letters, digits, ".", "_", "-", no leading or trailing "/", no ".."' });
    }
    // Compared normalized: "//tmp", "/tmp/" and "/./tmp" are /tmp, "/./" is the root.
    if (!mountPath.startsWith('/') || !mountPath.split('/').slice(1).every((s) => s === '' || (PATH_SEGMENT.test(s) && s !== '..')) || normalizedPosixPath(mountPath) === '/' || isPosixPathWithin(mountPath, '/tmp')) {
      problems.push({ field: 'mountPath', value: mountPath, allowed: 'an absolute path such as "/models" (not "/" and not under /tmp, which holds the scratch emptyDir)' });
    }
    if (!anonymous) {
      if (!tokenSecretName) {
        problems.push({ field: 'tokenSecret.name', value: tokenSecretName, allowed: 'the name of a Secret holding the Hugging Face token', why: 'a token is required unless anonymous: true (gated models such as Llama need one)' });
      } else {
        const tp = checkDns1123Subdomain('tokenSecret.name', tokenSecretName);
        if (tp) problems.push(tp);
      }
      if (!SECRET_KEY.test(tokenKey)) problems.push({ field: 'tokenSecretKey', value: tokenKey, allowed: 'a Secret key: letters, digits, "-", "_" and "."' });
    } else {
      for (const key of ['tokenSecret', 'tokenSecretKey'] as const) {
        if (props[key] !== undefined) problems.push({ field: key, value: props[key], allowed: 'unset', why: 'anonymous: true downloads without a token' });
      }
    }
    problems.push(...this.hubProblems(props, given));
    if (image.trim() === '' || /\s/.test(image)) problems.push({ field: 'image', value: image, allowed: pip ? 'an image reference with Python 3 and pip, e.g. "python:3.12.11-slim-bookworm"' : 'an image reference with Python 3 and huggingface_hub, e.g. the model server\'s' });
    problems.push(...checkResources('resources', props.resources));
    if (this.workload !== 'job' && this.workload !== 'pod') problems.push({ field: 'workload', value: this.workload, allowed: 'job or pod' });
    if (this.workload === 'pod') {
      for (const key of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
        if (props[key] !== undefined) problems.push({ field: key, value: props[key], allowed: 'unset', why: 'it is a Job setting; workload "pod" runs a bare Pod' });
      }
    } else if (props.consumerImage !== undefined) {
      problems.push({ field: 'consumerImage', value: props.consumerImage, allowed: 'unset', why: 'the consumer container exists only with workload "pod"' });
    }
    for (const key of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
      const v = props[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= (key === 'activeDeadlineSeconds' ? 1 : 0))) {
        problems.push({ field: key, value: v, allowed: key === 'activeDeadlineSeconds' ? 'a positive integer' : 'an integer of 0 or more' });
      }
    }
    for (const key of ['runAsUser', 'fsGroup'] as const) {
      const v = props[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 2147483647)) problems.push({ field: key, value: v, allowed: 'an integer ID from 0 to 2147483647' });
    }
    if ((props.runAsNonRoot ?? true) && uid === 0) problems.push({ field: 'runAsUser', value: 0, allowed: 'a non-zero UID', why: 'runAsNonRoot is on; set runAsNonRoot: false to run as root' });
    (props.env ?? []).forEach((e, i) => {
      if ((props.env ?? []).findIndex((x) => x.name === e.name) < i) problems.push({ field: `env[${i}].name`, value: e.name, allowed: 'a name not used by an earlier entry' });
      if (!ENV_NAME.test(e.name)) problems.push({ field: `env[${i}].name`, value: e.name, allowed: 'an environment variable name' });
      const reserved = reservedEnvProblem(`env[${i}].name`, e.name);
      if (reserved) problems.push(reserved);
    });
    problems.push(...checkLabels('labels', props.labels));
    problems.push(...checkLabels('nodeSelector', props.nodeSelector));
    (props.imagePullSecrets ?? []).forEach((s, i) => {
      const p = checkDns1123Subdomain(`imagePullSecrets[${i}]`, s);
      if (p) problems.push(p);
    });
    addProblems(this, () => problems);

    // --- egress -------------------------------------------------------------------------------
    const validUrl = (field: string, url: string | undefined): url is string => url !== undefined && checkServiceUrl(field, url, '') === undefined;
    const hubPort = validUrl('hubEndpoint', this.hubEndpoint) ? urlPort(this.hubEndpoint) : undefined;
    const indexPort = pip && validUrl('hubClient.indexUrl', this.hubClient.indexUrl) ? urlPort(this.hubClient.indexUrl) : undefined;
    const sortedUnique = (ports: number[]) => [...new Set(ports)].sort((a, b) => a - b);
    this.mirrorEgressPorts = sortedUnique([hubPort, indexPort].filter((p): p is number => p !== undefined));
    this.egressPorts = sortedUnique([hubPort ?? 443, ...(pip ? [indexPort ?? 443] : [])]);

    // --- objects ------------------------------------------------------------------------------
    this.podLabels = {
      'app.kubernetes.io/name': 'model-downloader',
      'app.kubernetes.io/instance': baseName,
      'app.kubernetes.io/component': 'model-download',
      'app.kubernetes.io/managed-by': 'cdk8s-llm-d',
      ...(props.labels ?? {}),
    };

    if (props.existingClaim === undefined) {
      const spec: Json = {
        accessModes: [...modes],
        resources: { requests: { storage: props.storageSize ?? DEFAULT_MODEL_STORAGE_SIZE } },
      };
      if (props.storageClassName !== undefined) spec.storageClassName = props.storageClassName;
      this.claim = new ApiObject(this, 'claim', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: this.claimName, namespace, labels: { ...this.podLabels } },
        spec,
      });
    }

    const hardening = { runAsNonRoot: props.runAsNonRoot ?? true, runAsUser: uid, readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true };
    const download: Json = {
      name: 'download-model',
      image,
      imagePullPolicy: 'IfNotPresent',
      command: downloaderCommand(this.hubClient),
      env: downloadContainerEnv({
        hubClient: this.hubClient, hubEndpoint: this.hubEndpoint, userEnv: props.env, repoId: this.repoId, revision: props.revision, cacheDir: this.cacheDir,
        allowPatterns: props.allowPatterns, ignorePatterns: props.ignorePatterns, volumeRoot: mountPath, completionMarker: this.completionMarker,
        token: tokenSecretName ? { name: tokenSecretName, key: tokenKey } : undefined,
      }),
      resources: withDefaultRequests(withoutEmptyLimits(props.resources ?? DEFAULT_DOWNLOADER_RESOURCES), { cpu: '500m', memory: '1Gi' }),
      securityContext: hardenedContainerSecurityContext(hardening),
      volumeMounts: [
        { name: 'model-storage', mountPath },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    };
    const podSecurityContext: Json = {
      seccompProfile: { type: 'RuntimeDefault' },
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: props.fsGroup ?? uid,
      fsGroupChangePolicy: 'OnRootMismatch',
      ...(hardening.runAsNonRoot ? { runAsNonRoot: true } : {}),
    };
    const podSpec: Json = {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: podSecurityContext,
      volumes: [
        { name: 'model-storage', persistentVolumeClaim: { claimName: this.claimName } },
        { name: 'tmp', emptyDir: {} },
      ],
    };
    if (props.nodeSelector && Object.keys(props.nodeSelector).length > 0) podSpec.nodeSelector = { ...props.nodeSelector };
    if (props.imagePullSecrets && props.imagePullSecrets.length > 0) podSpec.imagePullSecrets = props.imagePullSecrets.map((name) => ({ name }));
    const annotations = { [COMPLETION_MARKER_ANNOTATION]: this.completionMarker };

    if (this.workload === 'pod') {
      podSpec.initContainers = [download];
      podSpec.containers = [
        {
          name: 'model-consumer',
          image: props.consumerImage ?? DEFAULT_CONSUMER_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', 'infinity'],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          securityContext: hardenedContainerSecurityContext(hardening),
          volumeMounts: [{ name: 'model-storage', mountPath, readOnly: true }],
        },
      ];
      this.downloaderName = baseName;
      this.downloader = new ApiObject(this, 'Resource', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: this.downloaderName, namespace, labels: { ...this.podLabels }, annotations },
        spec: podSpec,
      });
    } else {
      podSpec.containers = [download];
      const jobSpec: Json = {
        backoffLimit: props.backoffLimit ?? 4,
        template: { metadata: { labels: { ...this.podLabels }, annotations }, spec: podSpec },
      };
      if (props.activeDeadlineSeconds !== undefined) jobSpec.activeDeadlineSeconds = props.activeDeadlineSeconds;
      if (props.ttlSecondsAfterFinished !== undefined) jobSpec.ttlSecondsAfterFinished = props.ttlSecondsAfterFinished;
      // A Job's pod template is immutable: name the Job after its spec, so a changed spec is a new Job.
      this.downloaderName = hashedName(baseName, jobSpec);
      this.downloader = new ApiObject(this, 'Resource', {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: this.downloaderName, namespace, labels: { ...this.podLabels } },
        spec: jobSpec,
      });
    }
  }

  /** Directory of the model inside the volume: `<hubCachePath>/models--<org>--<model>`. */
  public get modelDirInVolume(): string {
    return [this.hubCachePath, hubCacheModelDir(this.repoId)].filter((s) => s !== '').join('/');
  }

  /** A command that waits until the model is downloaded. */
  public waitCommand(timeout = '2h'): string {
    return this.workload === 'pod'
      ? `kubectl wait --for=condition=Ready pod/${this.downloaderName} -n ${this.claimNamespace} --timeout=${timeout}`
      : `kubectl wait --for=condition=complete job/${this.downloaderName} -n ${this.claimNamespace} --timeout=${timeout}`;
  }

  /** Problems of `hubClient`, `hubEndpoint` and the deprecated `huggingfaceHubVersion`. */
  private hubProblems(props: ModelPvcDownloaderProps, given: HubClient): Problem[] {
    const out: Problem[] = [];
    if (given.kind !== 'pip' && given.kind !== 'preinstalled') {
      return [{ field: 'hubClient', value: given, allowed: 'HubClient.pip(...) or HubClient.preinstalled(...)' }];
    }
    out.push(...hubClientProblems(given));
    const legacy = props.huggingfaceHubVersion;
    if (legacy !== undefined) {
      if (given.kind === 'preinstalled') {
        out.push({ field: 'huggingfaceHubVersion', value: legacy, allowed: 'unset', why: 'HubClient.preinstalled() uses the image\'s huggingface_hub and installs nothing' });
      } else if (given.version !== undefined) {
        out.push({ field: 'huggingfaceHubVersion', value: legacy, allowed: 'unset', why: 'hubClient gives the version (HubClient.pip({ version })); huggingfaceHubVersion is its deprecated alias' });
      } else if (!/^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?$/.test(legacy)) {
        out.push({ field: 'huggingfaceHubVersion', value: legacy, allowed: 'an exact release such as "0.36.0"', why: 'the version is pinned so downloads are reproducible' });
      }
    }
    if (given.kind === 'preinstalled' && props.image === undefined) {
      out.push({ field: 'image', value: undefined, allowed: 'an image with Python 3 and huggingface_hub, e.g. the model server\'s', why: `HubClient.preinstalled() installs nothing and ${DEFAULT_DOWNLOADER_IMAGE} has no huggingface_hub` });
    }
    if (props.hubEndpoint !== undefined) {
      const p = checkServiceUrl('hubEndpoint', props.hubEndpoint, 'a Hugging Face Hub mirror URL such as "https://hf-mirror.internal.example"');
      if (p) out.push(p);
    }
    return out;
  }
}
