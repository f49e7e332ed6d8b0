/** The "upgrade" rule: changes the API server (or a CRD's webhook) refuses to apply in place. */
import { inPlaceRefusals, upgradeFindings } from '../../src/system/upgrades';

type Obj = Record<string, unknown>;

/** `base` with `changes` merged in: maps merge, anything else replaces, `undefined` removes. */
function patch(base: unknown, changes: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof changes !== 'object' || changes === null || Array.isArray(changes)) return changes;
  const out: Obj = { ...(base as Obj) };
  for (const [k, v] of Object.entries(changes as Obj)) {
    if (v === undefined) delete out[k];
    else out[k] = patch(out[k], v);
  }
  return out;
}

const object = (apiVersion: string, kind: string, body: Obj, namespace: string | null = 'llm-d', name = 'ms-decode'): Obj => ({
  apiVersion,
  kind,
  metadata: namespace === null ? { name } : { name, namespace },
  ...body,
});

const podTemplate = (image = 'vllm:1', args = ['--port', '8200']) => ({
  metadata: { labels: { app: 'ms', role: 'decode' } },
  spec: { containers: [{ name: 'vllm', image, args }] },
});

const workload = (kind: string) =>
  object('apps/v1', kind, { spec: { replicas: 2, selector: { matchLabels: { app: 'ms', role: 'decode' } }, template: podTemplate() } });

const statefulSet = object('apps/v1', 'StatefulSet', {
  spec: {
    replicas: 1,
    serviceName: 'ms',
    podManagementPolicy: 'Parallel',
    selector: { matchLabels: { app: 'ms' } },
    template: podTemplate(),
    volumeClaimTemplates: [{ metadata: { name: 'cache' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
  },
});

const job = object('batch/v1', 'Job', { spec: { backoffLimit: 3, completions: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'dl', image: 'dl:1', args: ['--repo', 'a/b'] }] } } } }, 'llm-d', 'download');

const indexedJob = patch(job, { spec: { completionMode: 'Indexed', completions: 2, parallelism: 2 } }) as Obj;

const pod = object('v1', 'Pod', {
  spec: { containers: [{ name: 'c', image: 'busybox:1', args: ['sleep', '1'] }], activeDeadlineSeconds: 600, tolerations: [{ key: 'gpu', operator: 'Exists' }] },
}, 'llm-d', 'probe');

const claim = object('v1', 'PersistentVolumeClaim', {
  spec: { accessModes: ['ReadWriteMany'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } }, volumeAttributesClassName: 'gold' },
}, 'llm-d', 'model-cache');

const service = object('v1', 'Service', { spec: { clusterIP: 'None', selector: { app: 'ms' }, ports: [{ name: 'http', port: 8000 }] } }, 'llm-d', 'ms');
const dualService = object('v1', 'Service', { spec: { ipFamilies: ['IPv4'], selector: { app: 'ms' }, ports: [{ port: 80 }] } }, 'llm-d', 'ms');
const externalName = object('v1', 'Service', { spec: { type: 'ExternalName', externalName: 'ms.example.com' } }, 'llm-d', 'ms');
const loadBalancer = object('v1', 'Service', { spec: { type: 'LoadBalancer', loadBalancerClass: 'a/lb', ports: [{ port: 80 }] } }, 'llm-d', 'gw');

const configMap = object('v1', 'ConfigMap', { immutable: true, data: { 'config.yaml': 'a: 1\n' } }, 'llm-d', 'epp-config');
const secret = object('v1', 'Secret', { immutable: true, type: 'Opaque', stringData: { token: 'abc' } }, 'llm-d', 'hf-token');

const roleBinding = object('rbac.authorization.k8s.io/v1', 'RoleBinding', {
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'epp' },
  subjects: [{ kind: 'ServiceAccount', name: 'epp', namespace: 'llm-d' }],
}, 'llm-d', 'epp');
const clusterRoleBinding = object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'epp-metrics' },
  subjects: [{ kind: 'ServiceAccount', name: 'epp', namespace: 'llm-d' }],
}, null, 'epp-metrics');

const lws = object('leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet', {
  spec: { replicas: 1, leaderWorkerTemplate: { size: 2, subGroupPolicy: { subGroupSize: 2 }, workerTemplate: podTemplate() } },
});

interface Refused {
  readonly field: string;
  readonly value: unknown;
  readonly why: RegExp;
  readonly allowed: string | RegExp;
  readonly severity?: 'error' | 'warning';
}

/** [rule, old object, change the API server refuses, what is reported, change it accepts]. */
const CASES: Array<[string, Obj, unknown, Refused, unknown]> = [
  ...['Deployment', 'ReplicaSet', 'DaemonSet'].map((kind): [string, Obj, unknown, Refused, unknown] => [
    `${kind} spec.selector`,
    workload(kind),
    { spec: { selector: { matchLabels: { role: 'prefill' } }, template: { metadata: { labels: { role: 'prefill' } } } } },
    {
      field: 'spec.selector',
      value: { matchLabels: { app: 'ms', role: 'prefill' } },
      why: /^the API server answers "spec\.selector: field is immutable"; it was \{"matchLabels":\{"app":"ms","role":"decode"\}\}$/,
      allowed: `delete the ${kind} and apply again (kubectl delete ${kind.toLowerCase()} ms-decode -n llm-d; pods are recreated), or keep the old selector`,
    },
    { spec: { replicas: 4, template: podTemplate('vllm:2', ['--port', '8300']) } },
  ]),
  ['StatefulSet spec.serviceName', statefulSet, { spec: { serviceName: 'ms-headless' } },
    { field: 'spec.serviceName', value: 'ms-headless', why: /answers "spec\.serviceName: Forbidden: updates to statefulset spec for fields other than 'replicas'.*are forbidden"; it was "ms"$/, allowed: /^delete the StatefulSet but not its pods and apply again \(kubectl delete statefulset ms-decode -n llm-d --cascade=orphan; .*\), or keep the old value$/ },
    { spec: { replicas: 3, template: podTemplate('vllm:2'), updateStrategy: { type: 'OnDelete' }, minReadySeconds: 10, ordinals: { start: 1 }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } } }],
  ['StatefulSet spec.volumeClaimTemplates', statefulSet,
    { spec: { volumeClaimTemplates: [{ metadata: { name: 'cache' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } }] } },
    { field: 'spec.volumeClaimTemplates', value: [{ metadata: { name: 'cache' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } }], why: /it was \[\{"metadata"/, allowed: /--cascade=orphan.*grow each one through its own spec\.resources\.requests\.storage$/ },
    // Keys in another order, and 10240Mi for 10Gi: the API server compares quantities by value.
    { spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '10240Mi' } }, accessModes: ['ReadWriteOnce'] }, metadata: { name: 'cache' } }] } }],
  ['StatefulSet spec.podManagementPolicy', statefulSet, { spec: { podManagementPolicy: undefined } },
    { field: 'spec.podManagementPolicy', value: undefined, why: /it was "Parallel"$/, allowed: /--cascade=orphan/ },
    { spec: { podManagementPolicy: 'Parallel', revisionHistoryLimit: 10 } }],
  ['StatefulSet spec.selector', statefulSet, { spec: { selector: { matchLabels: { app: 'ms2' } } } },
    { field: 'spec.selector', value: { matchLabels: { app: 'ms2' } }, why: /it was \{"matchLabels":\{"app":"ms"\}\}$/, allowed: /^delete the StatefulSet and apply again \(kubectl delete statefulset ms-decode -n llm-d; pods are recreated; .*\), or keep the old selector$/ },
    { spec: { selector: { matchLabels: { app: 'ms' } } } }],
  ['Job spec.template', job, { spec: { template: { spec: { containers: [{ name: 'dl', image: 'dl:1', args: ['--repo', 'c/d'] }] } } } },
    { field: 'spec.template', value: { spec: { restartPolicy: 'Never', containers: [{ name: 'dl', image: 'dl:1', args: ['--repo', 'c/d'] }] } }, why: /answers "spec\.template: field is immutable"; it was \{"spec"/, allowed: 'give the Job a name that changes with its template, or delete the finished Job before applying (kubectl delete job download -n llm-d)' },
    { spec: { backoffLimit: 6, ttlSecondsAfterFinished: 60, activeDeadlineSeconds: 3600 } }],
  ['Job spec.selector', job, { spec: { manualSelector: true, selector: { matchLabels: { job: 'dl' } } } },
    { field: 'spec.selector', value: { matchLabels: { job: 'dl' } }, why: /field is immutable"; it was unset$/, allowed: /^give the Job a name that changes with its template/ },
    { spec: { parallelism: 1 } }],
  ['Job spec.completions', job, { spec: { completions: 3 } },
    { field: 'spec.completions', value: 3, why: /"spec\.completions: field is immutable"; it was 1$/, allowed: /delete the finished Job before applying/ },
    { spec: { completions: undefined } }],
  ['Indexed Job spec.completions without parallelism', indexedJob, { spec: { completions: 4 } },
    { field: 'spec.completions', value: 4, why: /can only be modified in tandem with spec\.parallelism"; it was 2$/, allowed: /delete the finished Job/ },
    { spec: { completions: 4, parallelism: 4 } }],
  ['Job spec.completionMode', job, { spec: { completionMode: 'Indexed' } },
    { field: 'spec.completionMode', value: 'Indexed', why: /field is immutable"; it was unset$/, allowed: /delete the finished Job/ },
    { spec: { completionMode: 'NonIndexed' } }],
  ['Pod spec.containers', pod, { spec: { containers: [{ name: 'c', image: 'busybox:1', args: ['sleep', '2'] }] } },
    { field: 'spec.containers', value: [{ name: 'c', image: 'busybox:1', args: ['sleep', '2'] }], why: /pod updates may not change fields other than `spec\.containers\[\*\]\.image`.*"; it was \[\{"name":"c"/, allowed: 'delete the Pod and apply again (kubectl delete pod probe -n llm-d; the pod restarts), or let a Deployment or Job own the pod so that changes replace it' },
    { spec: { containers: [{ name: 'c', image: 'busybox:2', args: ['sleep', '1'] }], activeDeadlineSeconds: 300, tolerations: [{ key: 'gpu', operator: 'Exists' }, { key: 'x', operator: 'Exists' }] } }],
  ['Pod spec.nodeName', pod, { spec: { nodeName: 'node-b' } },
    { field: 'spec.nodeName', value: 'node-b', why: /pod updates may not change fields other than.*"; it was unset$/, allowed: /^delete the Pod and apply again/ },
    { spec: { restartPolicy: 'Always' } }],
  ['Pod spec.activeDeadlineSeconds raised', pod, { spec: { activeDeadlineSeconds: 900 } },
    { field: 'spec.activeDeadlineSeconds', value: 900, why: /must be less than or equal to previous value"; it was 600$/, allowed: /^delete the Pod/ },
    { spec: { activeDeadlineSeconds: 60 } }],
  ['Pod spec.tolerations removed', pod, { spec: { tolerations: [] } },
    { field: 'spec.tolerations', value: [], why: /existing toleration can not be modified except its tolerationSeconds/, allowed: /^delete the Pod/ },
    { spec: { tolerations: [{ key: 'x', operator: 'Exists' }, { operator: 'Exists', key: 'gpu' }] } }],
  ['PersistentVolumeClaim spec.accessModes', claim, { spec: { accessModes: ['ReadWriteOnce'] } },
    { field: 'spec.accessModes', value: ['ReadWriteOnce'], why: /spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims"; it was \["ReadWriteMany"\]$/, allowed: /^create a claim with a new name and copy the data over, or keep the old value \(kubectl delete persistentvolumeclaim model-cache -n llm-d/ },
    { spec: { resources: { requests: { storage: '20Gi' } }, volumeAttributesClassName: 'silver' } }],
  ['PersistentVolumeClaim shrink', claim, { spec: { resources: { requests: { storage: '5Gi' } } } },
    { field: 'spec.resources.requests.storage', value: '5Gi', why: /field can not be less than previous value"; it was "10Gi"$/, allowed: /shrinking is not supported/ },
    { spec: { resources: { requests: { storage: '10240Mi' } } } }],
  ['PersistentVolumeClaim spec.storageClassName', claim, { spec: { storageClassName: 'slow' } },
    { field: 'spec.storageClassName', value: 'slow', why: /it was "fast"$/, allowed: /^create a claim with a new name/ },
    { metadata: { labels: { a: 'b' } } }],
  ['PersistentVolumeClaim spec.volumeAttributesClassName unset', claim, { spec: { volumeAttributesClassName: undefined } },
    { field: 'spec.volumeAttributesClassName', value: undefined, why: /update from non-nil value to nil is forbidden"; it was "gold"$/, allowed: /^keep a volumeAttributesClassName/ },
    { spec: { volumeAttributesClassName: 'platinum' } }],
  ['Service spec.clusterIP', service, { spec: { clusterIP: '10.96.0.10' } },
    { field: 'spec.clusterIP', value: '10.96.0.10', why: /"spec\.clusterIP: Invalid value: may not change once set"; it was "None"$/, allowed: 'delete the Service and apply again (kubectl delete service ms -n llm-d; the Service is unreachable in between and gets a new cluster IP), or keep the old value' },
    { spec: { ports: [{ name: 'http', port: 8080 }], selector: { app: 'ms2' } } }],
  ['Service spec.ipFamilies', dualService, { spec: { ipFamilies: ['IPv6'] } },
    { field: 'spec.ipFamilies', value: ['IPv6'], why: /may not change once set"; it was \["IPv4"\]$/, allowed: /^delete the Service/ },
    { spec: { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' } }],
  ['Service spec.loadBalancerClass', loadBalancer, { spec: { loadBalancerClass: 'b/lb' } },
    { field: 'spec.loadBalancerClass', value: 'b/lb', why: /may not change once set"; it was "a\/lb"$/, allowed: /^delete the Service and apply again \(kubectl delete service gw -n llm-d;/ },
    { spec: { ports: [{ port: 443 }] } }],
  ['ConfigMap immutable data', configMap, { data: { 'config.yaml': 'a: 2\n' } },
    { field: 'data', value: { 'config.yaml': 'a: 2\n' }, why: /"data: Forbidden: field is immutable when `immutable` is set"; it was \{"config\.yaml":"a: 1\\n"\}$/, allowed: 'give the ConfigMap a new name (one that changes with its content) and point its users at it, or delete the ConfigMap and apply again (kubectl delete configmap epp-config -n llm-d; pods that use it see the new content only once they restart)' },
    { metadata: { labels: { a: 'b' } } }],
  ['ConfigMap immutable flag', configMap, { immutable: false },
    { field: 'immutable', value: false, why: /"immutable: Forbidden: field is immutable when `immutable` is set"; it was true$/, allowed: /^give the ConfigMap a new name/ },
    { metadata: { annotations: { a: 'b' } } }],
  ['Secret immutable stringData', secret, { stringData: { token: 'xyz' } },
    { field: 'stringData', value: { token: 'xyz' }, why: /field is immutable when `immutable` is set/, allowed: /^give the Secret a new name/ },
    // The same content, moved from stringData to data.
    { stringData: undefined, data: { token: Buffer.from('abc').toString('base64') } }],
  ['Secret type', patch(secret, { immutable: undefined }) as Obj, { type: 'kubernetes.io/basic-auth' },
    { field: 'type', value: 'kubernetes.io/basic-auth', why: /"type: Invalid value: field is immutable"; it was "Opaque"$/, allowed: /delete the Secret and apply again \(kubectl delete secret hf-token -n llm-d;/ },
    { type: undefined, stringData: { token: 'changed' } }],
  ['RoleBinding roleRef', roleBinding, { roleRef: { name: 'epp-v2' } },
    { field: 'roleRef', value: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'epp-v2' }, why: /"roleRef: Invalid value: cannot change roleRef"; it was \{"apiGroup"/, allowed: "delete the RoleBinding and apply again (kubectl delete rolebinding epp -n llm-d; its subjects lack the role's permissions in between), or bind the new role under a new name" },
    { subjects: [{ kind: 'ServiceAccount', name: 'epp2', namespace: 'llm-d' }] }],
  ['ClusterRoleBinding roleRef', clusterRoleBinding, { roleRef: { kind: 'Role' } },
    { field: 'roleRef', value: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'epp-metrics' }, why: /cannot change roleRef/, allowed: /^delete the ClusterRoleBinding and apply again \(kubectl delete clusterrolebinding epp-metrics;/ },
    { subjects: [] }],
  ['LeaderWorkerSet subGroupSize', lws, { spec: { leaderWorkerTemplate: { subGroupPolicy: { subGroupSize: 1 } } } },
    { field: 'spec.leaderWorkerTemplate.subGroupPolicy.subGroupSize', value: 1, why: /^the LeaderWorkerSet webhook answers ".*: Invalid value: field is immutable"; it was 2$/, allowed: 'delete the LeaderWorkerSet and apply again (kubectl delete leaderworkerset ms-decode -n llm-d; every group is recreated), or keep the old value' },
    { spec: { replicas: 3, leaderWorkerTemplate: { workerTemplate: podTemplate('vllm:2') } } }],
  ['LeaderWorkerSet subGroupPolicy removed', lws, { spec: { leaderWorkerTemplate: { subGroupPolicy: undefined } } },
    { field: 'spec.leaderWorkerTemplate.subGroupPolicy', value: undefined, why: /cannot remove subGroupSize after enabled"; it was \{"subGroupSize":2\}$/, allowed: /^delete the LeaderWorkerSet/ },
    { spec: { leaderWorkerTemplate: { subGroupPolicy: { subGroupSize: 2, subGroupPolicyType: 'LeaderWorker' } } } }],
  ['LeaderWorkerSet size (lws before v0.7.0)', lws, { spec: { leaderWorkerTemplate: { size: 4 } } },
    { field: 'spec.leaderWorkerTemplate.size', value: 4, severity: 'warning', why: /^the LeaderWorkerSet webhook before lws v0\.7\.0 answers ".*size: Invalid value: field is immutable"; it was 2$/, allowed: /^nothing on lws v0\.7\.0 or later .*; before v0\.7\.0, delete the LeaderWorkerSet/ },
    { spec: { leaderWorkerTemplate: { size: 2, restartPolicy: 'RecreateGroupOnPodRestart' } } }],
];

describe.each(CASES)('%s', (_rule, before, refused, expected, accepted) => {
  test('a refused change is reported with the field, the new value, the answer and the way through', () => {
    const after = patch(before, refused) as Obj;
    const findings = upgradeFindings([{ manifest: before }], [{ manifest: after, source: 'dist/new.k8s.yaml' }]);
    const meta = before.metadata as { name: string; namespace?: string };
    expect(findings).toEqual([{
      rule: 'upgrade',
      severity: expected.severity ?? 'error',
      object: { apiVersion: before.apiVersion, kind: before.kind, namespace: meta.namespace ?? '', name: meta.name },
      source: 'dist/new.k8s.yaml',
      field: expected.field,
      value: expected.value,
      why: expect.stringMatching(expected.why),
      allowed: typeof expected.allowed === 'string' ? expected.allowed : expect.stringMatching(expected.allowed),
    }]);
  });

  test('an accepted change is not reported', () => {
    expect(upgradeFindings([{ manifest: before }], [{ manifest: patch(before, accepted) as Obj }])).toEqual([]);
  });
});

describe('semantic comparison', () => {
  test('a selector with the same entries in another key order is unchanged', () => {
    const before = workload('Deployment');
    const after = patch(before, { spec: { selector: { matchLabels: undefined } } }) as Obj;
    (after.spec as Obj).selector = { matchLabels: { role: 'decode', app: 'ms' } };
    expect(Object.keys(((after.spec as Obj).selector as { matchLabels: Obj }).matchLabels)).toEqual(['role', 'app']);
    expect(inPlaceRefusals(before, after)).toEqual([]);
  });

  test('matchExpressions in another order are a change, as for the API server', () => {
    const sel = (a: string, b: string) => ({ matchExpressions: [{ key: a, operator: 'Exists' }, { key: b, operator: 'Exists' }] });
    const before = patch(workload('Deployment'), { spec: { selector: sel('a', 'b') } }) as Obj;
    expect(inPlaceRefusals(before, patch(before, { spec: { selector: sel('b', 'a') } }) as Obj).map((r) => r.field)).toEqual(['spec.selector']);
  });

  test.each([
    ['10Gi', '20Gi', []],
    ['10Gi', '10240Mi', []],
    ['10Gi', '10737418240', []],
    ['1Ti', '1024Gi', []],
    ['20G', '20Gi', []],
    ['10Gi', '9Gi', ['spec.resources.requests.storage']],
    ['1Ti', '1000Gi', ['spec.resources.requests.storage']],
    ['20Gi', '20G', ['spec.resources.requests.storage']],
  ])('PVC storage %s -> %s: %j', (from, to, fields) => {
    const before = patch(claim, { spec: { resources: { requests: { storage: from } } } }) as Obj;
    const after = patch(claim, { spec: { resources: { requests: { storage: to } } } }) as Obj;
    expect(inPlaceRefusals(before, after).map((r) => r.field)).toEqual(fields);
  });

  test('other resources of a claim are immutable', () => {
    const after = patch(claim, { spec: { resources: { limits: { storage: '20Gi' } } } }) as Obj;
    expect(inPlaceRefusals(claim, after).map((r) => r.field)).toEqual(['spec.resources']);
  });

  test('a storageClassName or volumeName may be set when it was unset', () => {
    const before = patch(claim, { spec: { storageClassName: undefined } }) as Obj;
    expect(inPlaceRefusals(before, patch(before, { spec: { storageClassName: 'fast', volumeName: 'pv-1' } }) as Obj)).toEqual([]);
  });

  test('a change of apiVersion alone is not a finding; a refused change across versions is', () => {
    const before = { ...workload('Deployment'), apiVersion: 'apps/v1beta1' };
    expect(upgradeFindings([{ manifest: before }], [{ manifest: workload('Deployment') }])).toEqual([]);
    const after = patch(workload('Deployment'), { spec: { selector: { matchLabels: { x: 'y' } } } }) as Obj;
    expect(upgradeFindings([{ manifest: before }], [{ manifest: after }]).map((f) => f.field)).toEqual(['spec.selector']);
  });

  test('a large old value is summarized by where it differs', () => {
    const big = patch(job, { spec: { template: { spec: { containers: [{ name: 'dl', image: 'dl:1', args: ['--repo', 'a/b', '--revision', 'x'.repeat(200)] }] } } } }) as Obj;
    const after = patch(big, { spec: { template: { spec: { containers: [{ name: 'dl', image: 'dl:1', args: ['--repo', 'c/d', '--revision', 'x'.repeat(200)] }] } } } }) as Obj;
    const [r] = inPlaceRefusals(big, after);
    expect(r.why).toBe('the API server answers "spec.template: field is immutable"; the old value differs at spec.template.spec.containers[dl].args[1]');
  });

  test('container resources compare by quantity value', () => {
    const withCpu = (cpu: string | number, memory: string) => patch(job, { spec: { template: { spec: { containers: [{ name: 'dl', image: 'dl:1', args: ['--repo', 'a/b'], resources: { limits: { cpu, memory } } }] } } } }) as Obj;
    expect(inPlaceRefusals(withCpu('1', '1Gi'), withCpu(1, '1024Mi'))).toEqual([]);
    expect(inPlaceRefusals(withCpu('1', '1Gi'), withCpu('500m', '1Gi')).map((r) => r.field)).toEqual(['spec.template']);
  });

  test('Pod defaults written out are no change', () => {
    const after = patch(pod, { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 } }) as Obj;
    expect(inPlaceRefusals(pod, after)).toEqual([]);
  });

  test('a toleration may change its tolerationSeconds; scheduling gates may only be removed', () => {
    const before = patch(pod, { spec: { tolerations: [{ key: 'n', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }], schedulingGates: [{ name: 'a' }, { name: 'b' }] } }) as Obj;
    expect(inPlaceRefusals(before, patch(before, { spec: { tolerations: [{ key: 'n', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], schedulingGates: [{ name: 'b' }] } }) as Obj)).toEqual([]);
    expect(inPlaceRefusals(before, patch(before, { spec: { schedulingGates: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } }) as Obj).map((r) => r.field)).toEqual(['spec.schedulingGates']);
  });

  test('a mutable ConfigMap or Secret may change its data', () => {
    const cm = patch(configMap, { immutable: undefined }) as Obj;
    expect(inPlaceRefusals(cm, patch(cm, { data: { x: 'y' }, immutable: true }) as Obj)).toEqual([]);
  });

  test('both headless, or either side ExternalName: cluster IPs are not compared', () => {
    expect(inPlaceRefusals(service, patch(service, { spec: { clusterIPs: ['None'] } }) as Obj)).toEqual([]);
    expect(inPlaceRefusals(externalName, patch(externalName, { spec: { type: 'ClusterIP', clusterIP: 'None', externalName: undefined } }) as Obj)).toEqual([]);
    const toExternal = patch(service, { spec: { type: 'ExternalName', externalName: 'x.example.com', clusterIP: '10.0.0.1' } }) as Obj;
    expect(inPlaceRefusals(service, toExternal)).toEqual([]);
  });

  test('releasing the secondary IP family needs ipFamilyPolicy SingleStack', () => {
    const dual = patch(dualService, { spec: { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' } }) as Obj;
    expect(inPlaceRefusals(dual, patch(dual, { spec: { ipFamilies: ['IPv4'] } }) as Obj).map((r) => r.field)).toEqual(['spec.ipFamilyPolicy']);
    expect(inPlaceRefusals(dual, patch(dual, { spec: { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' } }) as Obj)).toEqual([]);
  });
});

describe('matching objects', () => {
  test('objects in only one output, kinds without rules and other names are no finding', () => {
    const cm = patch(configMap, { metadata: { name: 'other' }, data: { x: '1' } }) as Obj;
    const route = object('gateway.networking.k8s.io/v1', 'HTTPRoute', { spec: { parentRefs: [{ name: 'a' }] } });
    const changedRoute = patch(route, { spec: { parentRefs: [{ name: 'b' }] } }) as Obj;
    expect(upgradeFindings([{ manifest: configMap }, { manifest: route }], [{ manifest: cm }, { manifest: changedRoute }, { manifest: workload('Deployment') }])).toEqual([]);
  });

  test('a finding without a source has none', () => {
    const [f] = upgradeFindings([{ manifest: roleBinding }], [{ manifest: patch(roleBinding, { roleRef: { name: 'x' } }) as Obj }]);
    expect(f).not.toHaveProperty('source');
  });

  test('linear in the number of objects', () => {
    const many = (image: string) => Array.from({ length: 20000 }, (_, i) => ({ manifest: patch(workload('Deployment'), { metadata: { name: `d${i}` }, spec: { template: podTemplate(image) } }) as Obj }));
    const [before, after] = [many('a'), many('b')];
    const start = Date.now();
    expect(upgradeFindings(before, after)).toEqual([]);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});
