import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IModelStorage, IPersistentVolumeClaimReference, ISecretReference } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import type { ComputeResources } from '../core/k8s-types';
import { checkLabels } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { checkQuantity, checkResources, withDefaultRequests } from '../core/quantities';
import { hardenedContainerSecurityContext } from '../core/security';

/** python:3.12 slim, pinned to a patch release (the guide uses the floating `python:3.10-slim`). */
export const DEFAULT_DOWNLOADER_IMAGE = 'python:3.12.11-slim-bookworm';
/** huggingface_hub release the downloader installs (the guide installs whatever is latest). */
export const DEFAULT_HUGGINGFACE_HUB_VERSION = '0.36.0';
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
  /** Name of the Job (or Pod). @default 'model-downloader' (the guide's) */
  readonly name?: string;
  /**
   * `job`: a Job that completes and retries with backoff (`kubectl wait --for=condition=complete
   * job/<name>`). `pod`: the guide's Pod: an init container downloads, then a `model-consumer`
   * container sleeps (it keeps a ReadWriteOnce volume attached to its node).
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
  /** Image with Python and pip. @default DEFAULT_DOWNLOADER_IMAGE */
  readonly image?: string;
  /** huggingface_hub version pip installs (pinned). @default DEFAULT_HUGGINGFACE_HUB_VERSION */
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
   * Extra environment of the download container, e.g. HF_ENDPOINT or HTTPS_PROXY. Entries replace
   * the generated PIP_CACHE_DIR, HF_HUB_DISABLE_TELEMETRY and HF_XET_CHUNK_CACHE_SIZE_BYTES;
   * HF_TOKEN, HOME and PYTHONPATH are refused.
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
const PIP_VERSION = /^[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

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

/** A Python string literal of a value validated to hold no quote, backslash, `$` or backtick. */
function py(s: string): string {
  return `'${s}'`;
}

/**
 * The Python statement of the download: the guide's `snapshot_download(repo_id=..., cache_dir=...)`
 * plus revision and patterns when given. Values are validated before they get here.
 */
export function snapshotDownloadCall(o: { repoId: string; cacheDir: string; revision?: string; allowPatterns?: readonly string[]; ignorePatterns?: readonly string[] }): string {
  const args = [`repo_id=${py(o.repoId)}`];
  if (o.revision) args.push(`revision=${py(o.revision)}`);
  args.push(`cache_dir=${py(o.cacheDir)}`);
  if (o.allowPatterns && o.allowPatterns.length > 0) args.push(`allow_patterns=[${o.allowPatterns.map(py).join(', ')}]`);
  if (o.ignorePatterns && o.ignorePatterns.length > 0) args.push(`ignore_patterns=[${o.ignorePatterns.map(py).join(', ')}]`);
  return `from huggingface_hub import snapshot_download; snapshot_download(${args.join(', ')})`;
}

/** The shell script of the download container: pip install (pinned, into /tmp), then download. */
export function downloadScript(o: { huggingfaceHubVersion: string; call: string }): string {
  return [
    'set -eu',
    `pip install --no-cache-dir --disable-pip-version-check --target /tmp/pydeps huggingface_hub==${o.huggingfaceHubVersion}`,
    `python -c "${o.call}"`,
  ].join('\n');
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
  /** Path of the hub cache inside the volume ("" = volume root). */
  public readonly hubCachePath: string;
  /** The Hugging Face repository id. */
  public readonly repoId: string;
  /** The token Secret, unless anonymous. */
  public readonly tokenSecret?: ISecretReference;
  /** Name of the Job or Pod. */
  public readonly downloaderName: string;
  /** `job` or `pod`. */
  public readonly workload: ModelDownloaderWorkload;
  /** Absolute `cache_dir` of the download inside the download container. */
  public readonly cacheDir: string;
  /** Labels of the download pods (for NetworkPolicies). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** The claim, unless `existingClaim`. */
  public readonly claim?: ApiObject;
  /** The Job (workload `job`) or Pod (workload `pod`). */
  public readonly downloader: ApiObject;

  constructor(scope: Construct, id: string, props: ModelPvcDownloaderProps) {
    super(scope, id);
    const problems: Problem[] = [];
    this.repoId = props.repoId;
    this.claimName = props.existingClaim?.name ?? props.claimName ?? DEFAULT_MODEL_CLAIM_NAME;
    this.claimNamespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.hubCachePath = props.hubCachePath ?? '';
    this.downloaderName = props.name ?? DEFAULT_DOWNLOADER_NAME;
    this.workload = props.workload ?? 'job';
    const anonymous = props.anonymous ?? false;
    this.tokenSecret = anonymous ? undefined : (props.tokenSecret ?? { name: DEFAULT_HF_TOKEN_SECRET_NAME });
    const tokenSecretName = this.tokenSecret?.name;
    const tokenKey = props.tokenSecretKey ?? DEFAULT_HF_TOKEN_SECRET_KEY;
    const mountPath = props.mountPath ?? DEFAULT_DOWNLOADER_MOUNT_PATH;
    this.cacheDir = downloaderCacheDir(mountPath, this.hubCachePath);
    const image = props.image ?? DEFAULT_DOWNLOADER_IMAGE;
    const hubVersion = props.huggingfaceHubVersion ?? DEFAULT_HUGGINGFACE_HUB_VERSION;
    const uid = props.runAsUser ?? DEFAULT_DOWNLOADER_UID;
    const namespace = this.claimNamespace;

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
    const np = checkDns1123Label('name', this.downloaderName);
    if (np) problems.push(np);
    const sp = checkQuantity('storageSize', props.storageSize);
    if (sp) problems.push(sp);
    if (props.storageClassName !== undefined) {
      const scp = checkDns1123Subdomain('storageClassName', props.storageClassName);
      if (scp) problems.push(scp);
    }
    const modes = props.accessModes ?? ['ReadWriteOnce'];
    const allModes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
    if (modes.length === 0) problems.push({ field: 'accessModes', value: [], allowed: `at least one of ${allModes.join(', ')}` });
    modes.forEach((m, i) => {
      if (!allModes.includes(m)) problems.push({ field: `accessModes[${i}]`, value: m, allowed: allModes.join(', ') });
    });
    if (modes.length === 1 && modes[0] === 'ReadOnlyMany') {
      problems.push({ field: 'accessModes', value: modes, allowed: 'a writable mode as well (ReadWriteOnce, ReadWriteMany or ReadWriteOncePod)', why: 'the downloader writes the model into the claim' });
    }
    if (this.hubCachePath !== '' && !this.hubCachePath.split('/').every((s) => PATH_SEGMENT.test(s) && s !== '.' && s !== '..')) {
      problems.push({ field: 'hubCachePath', value: this.hubCachePath, allowed: '"" (volume root) or a relative path like "hub" or "cache/hub": segments of letters, digits, ".", "_", "-", no leading or trailing "/", no ".."' });
    }
    if (!mountPath.startsWith('/') || !mountPath.split('/').slice(1).every((s) => s === '' || (PATH_SEGMENT.test(s) && s !== '..')) || mountPath === '/' || mountPath === '/tmp' || mountPath.startsWith('/tmp/')) {
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
    if (!PIP_VERSION.test(hubVersion)) problems.push({ field: 'huggingfaceHubVersion', value: hubVersion, allowed: 'an exact release such as "0.36.0"', why: 'the version is pinned so downloads are reproducible' });
    if (image.trim() === '' || /\s/.test(image)) problems.push({ field: 'image', value: image, allowed: 'an image reference with Python 3 and pip, e.g. "python:3.12.11-slim-bookworm"' });
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
      if (['HF_TOKEN', 'HOME', 'PYTHONPATH'].includes(e.name)) problems.push({ field: `env[${i}].name`, value: e.name, allowed: 'a name other than HF_TOKEN, HOME and PYTHONPATH', why: 'the downloader sets it (the token only from tokenSecret)' });
    });
    problems.push(...checkLabels('labels', props.labels));
    problems.push(...checkLabels('nodeSelector', props.nodeSelector));
    (props.imagePullSecrets ?? []).forEach((s, i) => {
      const p = checkDns1123Subdomain(`imagePullSecrets[${i}]`, s);
      if (p) problems.push(p);
    });
    addProblems(this, () => problems);

    // --- objects ------------------------------------------------------------------------------
    this.podLabels = {
      'app.kubernetes.io/name': 'model-downloader',
      'app.kubernetes.io/instance': this.downloaderName,
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
    const userEnv = new Set((props.env ?? []).map((e) => e.name));
    const env: Json[] = [
      { name: 'HOME', value: '/tmp' },
      { name: 'PYTHONPATH', value: '/tmp/pydeps' },
      { name: 'PIP_CACHE_DIR', value: '/tmp/.cache/pip' },
      { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
      // hf_xet (installed with huggingface_hub) would otherwise keep a chunk cache of up to 10 GB
      // in HOME, i.e. on the node's ephemeral storage.
      { name: 'HF_XET_CHUNK_CACHE_SIZE_BYTES', value: '0' },
    ].filter((e) => !userEnv.has(e.name as string));
    env.push(...(props.env ?? []).map((e) => ({ name: e.name, value: e.value })));
    if (tokenSecretName) env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: tokenSecretName, key: tokenKey } } });
    const call = snapshotDownloadCall({ repoId: this.repoId, cacheDir: this.cacheDir, revision: props.revision, allowPatterns: props.allowPatterns, ignorePatterns: props.ignorePatterns });
    const download: Json = {
      name: 'download-model',
      image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', downloadScript({ huggingfaceHubVersion: hubVersion, call })],
      env,
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
      this.downloader = new ApiObject(this, 'Resource', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: this.downloaderName, namespace, labels: { ...this.podLabels } },
        spec: podSpec,
      });
    } else {
      podSpec.containers = [download];
      const jobSpec: Json = {
        backoffLimit: props.backoffLimit ?? 4,
        template: { metadata: { labels: { ...this.podLabels } }, spec: podSpec },
      };
      if (props.activeDeadlineSeconds !== undefined) jobSpec.activeDeadlineSeconds = props.activeDeadlineSeconds;
      if (props.ttlSecondsAfterFinished !== undefined) jobSpec.ttlSecondsAfterFinished = props.ttlSecondsAfterFinished;
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
}
