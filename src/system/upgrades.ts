/**
 * The "upgrade" rule of the system model: which changes between two synth outputs the API server
 * (or a CRD's webhook) refuses to apply in place, so that `kubectl apply` of the new output fails
 * on a cluster running the old one, and what to do instead.
 *
 * Each rule names the upstream function it comes from (kubernetes/kubernetes `pkg/apis/<group>/
 * validation`, the registry strategies of `pkg/registry`, kubernetes-sigs/lws `pkg/webhooks`). The
 * rules read manifests as written, so they cannot see what the cluster filled in (an allocated
 * clusterIP, a bound volumeName): a field is compared only when the manifests say something on it,
 * and a field the API server defaults compares equal to its default. Pure: no cdk8s, no fs.
 */
import { quantityValue } from '../core/quantities';
import { groupOf, identityOf, objectKey, ObjectIdentity, SystemFinding, SystemManifest } from './finding';

type Obj = Readonly<Record<string, unknown>>;

/** One change that cannot be applied in place. */
export interface InPlaceRefusal {
  /** Manifest field path, e.g. `spec.selector`. */
  readonly field: string;
  /** What the API server answers, and the old value (or where it differs when the value is large). */
  readonly why: string;
  /** The way through, concretely: what to run or change instead. */
  readonly wayThrough: string;
  /** The new value (undefined when the field is removed). */
  readonly value: unknown;
  /** The old value. */
  readonly previous: unknown;
  /** `error`: refused; `warning`: refused only by some versions of the controller that validates it. */
  readonly severity: 'error' | 'warning';
}

// ---------------------------------------------------------------------------------------------
// Reading manifests
// ---------------------------------------------------------------------------------------------

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The value at a dotted path (`spec.selector`). */
function get(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) v = isMap(v) ? v[k] : undefined;
  return v;
}

const specOf = (o: Obj): Record<string, unknown> => (isMap(o.spec) ? o.spec : {});

/** Maps whose values are resource quantities (container and claim resources). */
const QUANTITY_MAPS = new Set(['requests', 'limits']);

/**
 * The value as the API server's semantic equality sees it: map keys in any order, null, an empty
 * map and an empty list the same as absent, and quantities by their value, `10Gi` = `10240Mi`
 * (apimachinery `equality.Semantic.DeepEqual`). List order counts, as it does there.
 */
function canonical(v: unknown, quantities = false): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map((x) => canonical(x) ?? null);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = quantities ? (quantityValue(v[k]) ?? v[k]) : canonical(v[k], QUANTITY_MAPS.has(k));
      if (c !== undefined && c !== null) out[k] = c;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v ?? undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Leaf paths where two values differ (lists of named items by name), for a short "why". */
function changedPaths(a: unknown, b: unknown, at: string): string[] {
  if (same(a, b)) return [];
  if (isMap(a) && isMap(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => changedPaths(a[k], b[k], `${at}.${k}`));
  }
  const key = (x: unknown, i: number): string => (isMap(x) && typeof x.name === 'string' ? x.name : String(i));
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((x, i) => (key(x, i) === key(b[i], i) ? changedPaths(x, b[i], `${at}[${key(x, i)}]`) : [`${at}[${i}]`]));
  }
  return [at];
}

// ---------------------------------------------------------------------------------------------
// Building refusals
// ---------------------------------------------------------------------------------------------

interface Context {
  readonly id: ObjectIdentity;
  readonly prev: Obj;
  readonly next: Obj;
}

type Check = (c: Context) => InPlaceRefusal[];

/** Old values up to this long are quoted whole in `why`; longer ones are summarized by where they differ. */
const QUOTE_LIMIT = 160;

function oldValueText(previous: unknown, value: unknown, field: string): string {
  const json = previous === undefined ? 'unset' : JSON.stringify(previous);
  if (json.length <= QUOTE_LIMIT) return `it was ${json}`;
  const paths = changedPaths(previous, value, field);
  const shown = paths.slice(0, 3).join(', ');
  return `the old value differs at ${shown}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;
}

interface RefusalOptions {
  readonly severity?: 'error' | 'warning';
  /** Who refuses. @default 'the API server' */
  readonly who?: string;
}

function refusal(c: Context, field: string, answer: string, wayThrough: string, options: RefusalOptions = {}): InPlaceRefusal {
  const previous = get(c.prev, field);
  const value = get(c.next, field);
  const why = `${options.who ?? 'the API server'} answers "${field}: ${answer}"; ${oldValueText(previous, value, field)}`;
  return { field, value, previous, severity: options.severity ?? 'error', wayThrough, why };
}

/** `kubectl delete <kind> <name> [-n <namespace>]`. */
const deleteCommand = (id: ObjectIdentity, flags = ''): string =>
  `kubectl delete ${id.kind.toLowerCase()} ${id.name}${id.namespace ? ` -n ${id.namespace}` : ''}${flags}`;

/** "delete the Kind and apply again (kubectl delete ...; what happens)". */
const recreate = (id: ObjectIdentity, consequence: string): string => `delete the ${id.kind} and apply again (${deleteCommand(id)}; ${consequence})`;

/** Fields of `spec` whose values differ between the two sides, with the API server's defaults applied. */
function changedSpecKeys(c: Context, defaults: Readonly<Record<string, unknown>> = {}): string[] {
  const a = specOf(c.prev);
  const b = specOf(c.next);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => !same(a[k] ?? defaults[k], b[k] ?? defaults[k]));
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

/**
 * Deployment, ReplicaSet, DaemonSet: the selector is immutable in apps/v1 (the `ValidateUpdate` of
 * each registry strategy, `pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go`, adds
 * `ValidateImmutableField(spec.selector)` for every version but the removed v1beta1 ones).
 */
const selectorUnchanged: Check = (c) =>
  same(get(c.prev, 'spec.selector'), get(c.next, 'spec.selector'))
    ? []
    : [refusal(c, 'spec.selector', 'field is immutable', `${recreate(c.id, 'pods are recreated')}, or keep the old selector`)];

/**
 * StatefulSet (`ValidateStatefulSetUpdate`): only replicas, ordinals, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds may change. Everything else is refused:
 * selector, serviceName, volumeClaimTemplates, podManagementPolicy, revisionHistoryLimit.
 */
const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);
const STATEFULSET_DEFAULTS = { podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10 };
const STATEFULSET_ANSWER =
  "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

function statefulSetWayThrough(id: ObjectIdentity, key: string): string {
  // A new selector does not match the running pods, so they cannot be adopted: recreate them.
  if (key === 'selector') return `${recreate(id, 'pods are recreated; the claims of its volumeClaimTemplates are kept unless persistentVolumeClaimRetentionPolicy.whenDeleted is Delete')}, or keep the old selector`;
  const orphan = `delete the StatefulSet but not its pods and apply again (${deleteCommand(id, ' --cascade=orphan')}; the new StatefulSet adopts the running pods and their claims), or keep the old value`;
  return key === 'volumeClaimTemplates' ? `${orphan}; claims already made keep their old spec: grow each one through its own spec.resources.requests.storage` : orphan;
}

const statefulSetSpec: Check = (c) =>
  changedSpecKeys(c, STATEFULSET_DEFAULTS)
    .filter((k) => !STATEFULSET_MUTABLE.has(k))
    .map((k) => refusal(c, `spec.${k}`, STATEFULSET_ANSWER, statefulSetWayThrough(c.id, k)));

/**
 * Job (`ValidateJobSpecUpdate` in pkg/apis/batch/validation): the pod template, selector,
 * completionMode, podFailurePolicy, backoffLimitPerIndex, managedBy and successPolicy are
 * immutable; completions too, except on an Indexed Job when it changes together with parallelism
 * to the same value (`validateCompletions`, elastic Indexed Jobs). Not modelled: a suspended Job
 * that never started may change the template's node affinity, nodeSelector, tolerations, labels,
 * annotations and schedulingGates (`validatePodTemplateUpdate`, AllowMutableSchedulingDirectives);
 * synthesized Jobs are not suspended, so those changes are reported too.
 */
const JOB_IMMUTABLE = ['template', 'selector', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'];

const jobWayThrough = (id: ObjectIdentity): string =>
  `give the Job a name that changes with its template, or delete the finished Job before applying (${deleteCommand(id)})`;

/** completions as defaulted: both unset means 1 (batch/v1 `SetDefaults_Job`). */
const completionsOf = (o: Obj): unknown => get(o, 'spec.completions') ?? (get(o, 'spec.parallelism') === undefined ? 1 : undefined);

function jobCompletions(c: Context): InPlaceRefusal[] {
  const next = completionsOf(c.next);
  if (same(completionsOf(c.prev), next)) return [];
  const indexed = get(c.next, 'spec.completionMode') === 'Indexed';
  if (indexed && next !== undefined && next === get(c.next, 'spec.parallelism')) return [];
  const answer = indexed ? 'Invalid value: can only be modified in tandem with spec.parallelism' : 'field is immutable';
  return [refusal(c, 'spec.completions', answer, jobWayThrough(c.id))];
}

const jobSpec: Check = (c) => [
  ...JOB_IMMUTABLE.filter((k) => !same(get(c.prev, `spec.${k}`), get(c.next, `spec.${k}`))).map((k) => refusal(c, `spec.${k}`, 'field is immutable', jobWayThrough(c.id))),
  ...jobCompletions(c),
  ...(same(get(c.prev, 'spec.completionMode') ?? 'NonIndexed', get(c.next, 'spec.completionMode') ?? 'NonIndexed') ? [] : [refusal(c, 'spec.completionMode', 'field is immutable', jobWayThrough(c.id))]),
];

/**
 * Pod (`ValidatePodUpdate` in pkg/apis/core/validation): the spec may change only in the images of
 * containers and initContainers, activeDeadlineSeconds (set, or lowered), tolerations (added;
 * `validateOnlyAddedTolerations`, an existing one may change only its tolerationSeconds) and
 * schedulingGates (removed). Not modelled: terminationGracePeriodSeconds from negative to 1, and
 * nodeSelector/affinity additions while the pod is still gated; resources change only through the
 * `resize` subresource, never through apply.
 */
const POD_ANSWER =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';
const POD_SPECIAL = new Set(['containers', 'initContainers', 'activeDeadlineSeconds', 'tolerations', 'schedulingGates', 'ephemeralContainers']);

const podWayThrough = (id: ObjectIdentity): string => `${recreate(id, 'the pod restarts')}, or let a Deployment or Job own the pod so that changes replace it`;

const withoutImages = (containers: unknown): unknown => list(containers).map((x) => (isMap(x) ? { ...x, image: undefined } : x));

function sameToleration(a: unknown, b: unknown): boolean {
  return isMap(a) && isMap(b) && same({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
}

function podSpecial(c: Context): InPlaceRefusal[] {
  const out: InPlaceRefusal[] = [];
  for (const k of ['containers', 'initContainers']) {
    if (!same(withoutImages(get(c.prev, `spec.${k}`)), withoutImages(get(c.next, `spec.${k}`)))) out.push(refusal(c, `spec.${k}`, POD_ANSWER, podWayThrough(c.id)));
  }
  const deadline = get(c.prev, 'spec.activeDeadlineSeconds');
  const newDeadline = get(c.next, 'spec.activeDeadlineSeconds');
  if (typeof deadline === 'number' && newDeadline === undefined) out.push(refusal(c, 'spec.activeDeadlineSeconds', 'Invalid value: must not update from a positive integer to nil value', podWayThrough(c.id)));
  if (typeof deadline === 'number' && typeof newDeadline === 'number' && newDeadline > deadline) out.push(refusal(c, 'spec.activeDeadlineSeconds', 'Invalid value: must be less than or equal to previous value', podWayThrough(c.id)));
  const tolerations = list(get(c.next, 'spec.tolerations'));
  if (!list(get(c.prev, 'spec.tolerations')).every((t) => tolerations.some((n) => sameToleration(t, n)))) {
    out.push(refusal(c, 'spec.tolerations', 'Forbidden: existing toleration can not be modified except its tolerationSeconds', podWayThrough(c.id)));
  }
  const gates = list(get(c.prev, 'spec.schedulingGates'));
  if (!list(get(c.next, 'spec.schedulingGates')).every((g) => gates.some((o) => same(o, g)))) {
    out.push(refusal(c, 'spec.schedulingGates', 'Forbidden: only deletion is allowed', podWayThrough(c.id)));
  }
  return out;
}

/** What the API server fills in when a pod spec leaves it out (core/v1 `SetDefaults_PodSpec`). */
const POD_DEFAULTS = { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 };

const podSpec: Check = (c) => [
  ...changedSpecKeys(c, POD_DEFAULTS).filter((k) => !POD_SPECIAL.has(k)).map((k) => refusal(c, `spec.${k}`, POD_ANSWER, podWayThrough(c.id))),
  ...podSpecial(c),
];

/**
 * PersistentVolumeClaim (`ValidatePersistentVolumeClaimUpdate`): the spec is immutable except
 * resources.requests.storage, which may grow but not shrink, and volumeAttributesClassName, which
 * may change but not go back to unset. volumeName may be set once and storageClassName may be set
 * when it was unset (`validateStorageClassUpgradeFromNil`). Growing also needs a StorageClass with
 * allowVolumeExpansion, and is refused on a claim not yet bound: out of reach of manifests.
 */
const CLAIM_ANSWER = 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
const CLAIM_SPECIAL = new Set(['resources', 'volumeAttributesClassName', 'volumeName', 'storageClassName']);

const claimWayThrough = (id: ObjectIdentity): string =>
  `create a claim with a new name and copy the data over, or keep the old value (${deleteCommand(id)} and applying again loses the data when the volume's reclaim policy is Delete)`;

const withoutStorageRequest = (resources: unknown): unknown =>
  isMap(resources) ? { ...resources, requests: isMap(resources.requests) ? { ...resources.requests, storage: undefined } : resources.requests } : resources;

function claimStorage(c: Context): InPlaceRefusal[] {
  const field = 'spec.resources.requests.storage';
  const before = quantityValue(get(c.prev, field));
  const after = quantityValue(get(c.next, field));
  if (before === undefined || after === undefined || after >= before) return [];
  return [refusal(c, field, 'Forbidden: field can not be less than previous value', 'keep the old size: shrinking is not supported; for a smaller volume, create a claim with a new name and copy the data over')];
}

function claimSpecial(c: Context): InPlaceRefusal[] {
  const out = claimStorage(c);
  if (!same(withoutStorageRequest(get(c.prev, 'spec.resources')), withoutStorageRequest(get(c.next, 'spec.resources')))) out.push(refusal(c, 'spec.resources', CLAIM_ANSWER, claimWayThrough(c.id)));
  if (str(get(c.prev, 'spec.volumeAttributesClassName')) && !str(get(c.next, 'spec.volumeAttributesClassName'))) {
    out.push(refusal(c, 'spec.volumeAttributesClassName', 'Forbidden: update from non-nil value to nil is forbidden', 'keep a volumeAttributesClassName (any class may replace the old one)'));
  }
  for (const k of ['volumeName', 'storageClassName']) {
    const before = get(c.prev, `spec.${k}`);
    if (before !== undefined && !same(before, get(c.next, `spec.${k}`))) out.push(refusal(c, `spec.${k}`, CLAIM_ANSWER, claimWayThrough(c.id)));
  }
  return out;
}

const claimSpec: Check = (c) => [
  ...changedSpecKeys(c, { volumeMode: 'Filesystem' }).filter((k) => !CLAIM_SPECIAL.has(k)).map((k) => refusal(c, `spec.${k}`, CLAIM_ANSWER, claimWayThrough(c.id))),
  ...claimSpecial(c),
];

/**
 * Service (`ValidateServiceUpdate`): the cluster IPs and IP families may not change once set
 * (`validateUpgradeDowngradeClusterIPs`, `validateUpgradeDowngradeIPFamilies`: a secondary may be
 * added, or released with ipFamilyPolicy SingleStack), unless either side is of type ExternalName
 * or both are headless; loadBalancerClass may not change while the type stays LoadBalancer
 * (`validateLoadBalancerClassField`). Only values both manifests set are compared: an IP the
 * cluster allocated is not in them.
 */
const serviceWayThrough = (id: ObjectIdentity): string => `${recreate(id, 'the Service is unreachable in between and gets a new cluster IP')}, or keep the old value`;

const serviceType = (o: Obj): string => str(get(o, 'spec.type')) ?? 'ClusterIP';

/** The cluster IPs a manifest asks for: clusterIPs, else clusterIP. */
function clusterIps(o: Obj): string[] {
  const ips = list(get(o, 'spec.clusterIPs')).filter((x): x is string => typeof x === 'string');
  const ip = str(get(o, 'spec.clusterIP'));
  return ips.length > 0 ? ips : ip ? [ip] : [];
}

const headless = (ips: readonly string[]): boolean => ips.length === 1 && ips[0] === 'None';

/** Whether a list the API server keeps once set changes: the primary, or any entry when the length stays. */
function listChangesOnceSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  return a.length === b.length ? a.some((x, i) => x !== b[i]) : a[0] !== b[0];
}

function releasesWithoutSingleStack(c: Context, a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length > b.length && b.length === 1 && get(c.next, 'spec.ipFamilyPolicy') !== 'SingleStack';
}

function serviceAddresses(c: Context): InPlaceRefusal[] {
  if (serviceType(c.prev) === 'ExternalName' || serviceType(c.next) === 'ExternalName') return [];
  const out: InPlaceRefusal[] = [];
  const [a, b] = [clusterIps(c.prev), clusterIps(c.next)];
  const ipField = get(c.prev, 'spec.clusterIPs') !== undefined && get(c.next, 'spec.clusterIPs') !== undefined ? 'spec.clusterIPs' : 'spec.clusterIP';
  if (!(headless(a) && headless(b)) && listChangesOnceSet(a, b)) out.push(refusal(c, ipField, 'Invalid value: may not change once set', serviceWayThrough(c.id)));
  const [fa, fb] = [list(get(c.prev, 'spec.ipFamilies')), list(get(c.next, 'spec.ipFamilies'))];
  if (headless(a) === headless(b) && !headless(b)) {
    if (listChangesOnceSet(fa, fb)) out.push(refusal(c, 'spec.ipFamilies', 'Invalid value: may not change once set', serviceWayThrough(c.id)));
  }
  if (releasesWithoutSingleStack(c, a, b) || releasesWithoutSingleStack(c, fa, fb)) {
    out.push(refusal(c, 'spec.ipFamilyPolicy', "Invalid value: must be set to 'SingleStack' when releasing the secondary clusterIP", "set spec.ipFamilyPolicy: SingleStack in the same change"));
  }
  return out;
}

function serviceLoadBalancer(c: Context): InPlaceRefusal[] {
  if (serviceType(c.prev) !== 'LoadBalancer' || serviceType(c.next) !== 'LoadBalancer') return [];
  const out: InPlaceRefusal[] = [];
  if (!same(get(c.prev, 'spec.loadBalancerClass'), get(c.next, 'spec.loadBalancerClass'))) out.push(refusal(c, 'spec.loadBalancerClass', 'Invalid value: may not change once set', serviceWayThrough(c.id)));
  // `validateServiceExternalTrafficFieldsUpdate`: the health check port of a Local LoadBalancer.
  const port = (o: Obj): unknown => (get(o, 'spec.externalTrafficPolicy') === 'Local' ? get(o, 'spec.healthCheckNodePort') : undefined);
  const [pa, pb] = [port(c.prev), port(c.next)];
  if (pa !== undefined && pb !== undefined && pa !== pb) out.push(refusal(c, 'spec.healthCheckNodePort', 'Forbidden: field is immutable', serviceWayThrough(c.id)));
  return out;
}

/**
 * ConfigMap and Secret with `immutable: true` (`ValidateConfigMapUpdate`, `ValidateSecretUpdate`):
 * neither the data nor the flag may change. A Secret's stringData is written into its data before
 * validation, so the two are compared merged.
 */
const IMMUTABLE_ANSWER = 'Forbidden: field is immutable when `immutable` is set';

const renameWayThrough = (id: ObjectIdentity): string =>
  `give the ${id.kind} a new name (one that changes with its content) and point its users at it, or ${recreate(id, 'pods that use it see the new content only once they restart')}`;

function secretData(o: Obj): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(isMap(o.data) ? o.data : {}) };
  for (const [k, v] of Object.entries(isMap(o.stringData) ? o.stringData : {})) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return data;
}

function immutableData(c: Context): InPlaceRefusal[] {
  if (c.prev.immutable !== true) return [];
  const out: InPlaceRefusal[] = [];
  if (c.next.immutable !== true) out.push(refusal(c, 'immutable', IMMUTABLE_ANSWER, renameWayThrough(c.id)));
  const secret = c.id.kind === 'Secret';
  const dataChanged = secret ? !same(secretData(c.prev), secretData(c.next)) : !same(c.prev.data, c.next.data);
  const fields = secret ? ['data', 'stringData'] : ['data', 'binaryData'];
  for (const f of fields) {
    const changed = f === 'binaryData' ? !same(c.prev.binaryData, c.next.binaryData) : dataChanged && !same(c.prev[f], c.next[f]);
    if (changed) out.push(refusal(c, f, IMMUTABLE_ANSWER, renameWayThrough(c.id)));
  }
  return out;
}

/** Secret `type` is immutable whatever `immutable` says (`ValidateSecretUpdate`); unset is Opaque. */
const secretType: Check = (c) =>
  (str(c.prev.type) ?? 'Opaque') === (str(c.next.type) ?? 'Opaque') ? [] : [refusal(c, 'type', 'Invalid value: field is immutable', renameWayThrough(c.id))];

/** RoleBinding, ClusterRoleBinding (`ValidateRoleBindingUpdate`, `ValidateClusterRoleBindingUpdate` in pkg/apis/rbac/validation). */
const roleRef: Check = (c) =>
  same(c.prev.roleRef, c.next.roleRef)
    ? []
    : [refusal(c, 'roleRef', 'Invalid value: cannot change roleRef', `${recreate(c.id, "its subjects lack the role's permissions in between")}, or bind the new role under a new name`)];

/**
 * LeaderWorkerSet (kubernetes-sigs/lws `pkg/webhooks/leaderworkerset_webhook.go`, `ValidateUpdate`):
 * subGroupPolicy.subGroupSize is immutable, and a subGroupPolicy may be neither added nor removed.
 * leaderWorkerTemplate.size was immutable too until lws v0.6.x; v0.7.0 accepts it (kubernetes-sigs/
 * lws#601, commit 4aceb20), rolling every group to the new size, so it is only a warning here.
 * (The webhook's "cannot set subdomainPolicy as null" never fires on apply: its defaulter sets it.)
 */
const lwsWayThrough = (id: ObjectIdentity): string => `${recreate(id, 'every group is recreated')}, or keep the old value`;
const LWS_WEBHOOK = { who: 'the LeaderWorkerSet webhook' };

function leaderWorkerSet(c: Context): InPlaceRefusal[] {
  const out: InPlaceRefusal[] = [];
  const policy = 'spec.leaderWorkerTemplate.subGroupPolicy';
  const [a, b] = [get(c.prev, policy), get(c.next, policy)];
  if (isMap(a) && isMap(b) && !same(a.subGroupSize, b.subGroupSize)) out.push(refusal(c, `${policy}.subGroupSize`, 'Invalid value: field is immutable', lwsWayThrough(c.id), LWS_WEBHOOK));
  if (!isMap(a) && isMap(b)) out.push(refusal(c, policy, 'Invalid value: cannot enable subGroupSize after the lws is already created', lwsWayThrough(c.id), LWS_WEBHOOK));
  if (isMap(a) && !isMap(b)) out.push(refusal(c, policy, 'Invalid value: cannot remove subGroupSize after enabled', lwsWayThrough(c.id), LWS_WEBHOOK));
  const size = 'spec.leaderWorkerTemplate.size';
  if (!same(get(c.prev, size) ?? 1, get(c.next, size) ?? 1)) {
    const way = `nothing on lws v0.7.0 or later (it rolls every group to the new size); before v0.7.0, ${lwsWayThrough(c.id)}`;
    out.push(refusal(c, size, 'Invalid value: field is immutable', way, { severity: 'warning', who: 'the LeaderWorkerSet webhook before lws v0.7.0' }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

interface Rule {
  /** `group/Kind` (`/Kind` for the core group). */
  readonly kinds: readonly string[];
  /** The upstream function the rule follows. */
  readonly upstream: string;
  readonly checks: readonly Check[];
}

const RULES: readonly Rule[] = [
  { kinds: ['apps/Deployment', 'apps/ReplicaSet', 'apps/DaemonSet'], upstream: 'pkg/registry/apps/*/strategy.go ValidateUpdate', checks: [selectorUnchanged] },
  { kinds: ['apps/StatefulSet'], upstream: 'ValidateStatefulSetUpdate', checks: [statefulSetSpec] },
  { kinds: ['batch/Job'], upstream: 'ValidateJobSpecUpdate', checks: [jobSpec] },
  { kinds: ['/Pod'], upstream: 'ValidatePodUpdate', checks: [podSpec] },
  { kinds: ['/PersistentVolumeClaim'], upstream: 'ValidatePersistentVolumeClaimUpdate', checks: [claimSpec] },
  { kinds: ['/Service'], upstream: 'ValidateServiceUpdate', checks: [serviceAddresses, serviceLoadBalancer] },
  { kinds: ['/ConfigMap'], upstream: 'ValidateConfigMapUpdate', checks: [immutableData] },
  { kinds: ['/Secret'], upstream: 'ValidateSecretUpdate', checks: [secretType, immutableData] },
  { kinds: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'], upstream: 'ValidateRoleBindingUpdate', checks: [roleRef] },
  { kinds: ['leaderworkerset.x-k8s.io/LeaderWorkerSet'], upstream: 'lws LeaderWorkerSetWebhook.ValidateUpdate', checks: [leaderWorkerSet] },
];

const CHECKS_BY_KIND: ReadonlyMap<string, readonly Check[]> = new Map(RULES.flatMap((r) => r.kinds.map((k) => [k, r.checks] as const)));

/** The changes from `previous` to `next` (one object, two versions) that cannot be applied in place. */
export function inPlaceRefusals(previous: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>): InPlaceRefusal[] {
  const id = identityOf(next);
  if (objectKey(identityOf(previous)) !== objectKey(id)) return [];
  const checks = CHECKS_BY_KIND.get(`${groupOf(id.apiVersion)}/${id.kind}`) ?? [];
  return checks.flatMap((check) => check({ id, prev: previous, next }));
}

/**
 * For every object in both outputs (matched by API group, kind, namespace and name), the changes
 * the API server refuses to apply in place.
 */
export function upgradeFindings(previous: readonly SystemManifest[], next: readonly SystemManifest[]): SystemFinding[] {
  const before = new Map(previous.map((p) => [objectKey(identityOf(p.manifest)), p.manifest] as const));
  return next.flatMap((n) => {
    const old = before.get(objectKey(identityOf(n.manifest)));
    if (old === undefined) return [];
    const object = identityOf(n.manifest);
    return inPlaceRefusals(old, n.manifest).map(
      (r): SystemFinding => ({
        rule: 'upgrade',
        severity: r.severity,
        object,
        ...(n.source === undefined ? {} : { source: n.source }),
        field: r.field,
        value: r.value,
        why: r.why,
        allowed: r.wayThrough,
      }),
    );
  });
}
