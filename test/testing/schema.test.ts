import { formatSchemaFindings, SchemaFinding, validateManifests } from '../../src/testing';
import { caseNames, loadCase } from '../support';

type O = Record<string, any>;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** A golden object of a reference case, deep-copied for mutation. */
function golden(caseName: string, kind: string): O {
  const o = loadCase(caseName).expected.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} in ${caseName}`);
  return clone(o) as O;
}

function deployment(): O {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'llm-d', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
    },
  };
}

function httpRoute(): O {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'route', namespace: 'llm-d' },
    spec: {
      parentRefs: [{ name: 'gw' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }] }],
    },
  };
}

function lws(): O {
  return {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'lws', namespace: 'llm-d' },
    spec: {
      replicas: 1,
      leaderWorkerTemplate: { size: 2, workerTemplate: { metadata: { labels: { app: 'lws' } }, spec: { containers: [{ name: 'vllm', image: 'vllm:1' }] } } },
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdateConfiguration: { maxSurge: '25%', maxUnavailable: 1 } },
    },
  };
}

/** The findings as `path: message` lines, for readable assertions. */
const lines = (fs: SchemaFinding[]) => fs.map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`);

describe('validateManifests: golden Helm output validates', () => {
  test.each(caseNames(''))('%s has no findings', (name) => {
    const objects = loadCase(name).expected;
    expect(objects.length).toBeGreaterThan(0);
    expect(formatSchemaFindings(validateManifests(objects))).toBe('');
  });

  test('a valid Deployment, HTTPRoute and LeaderWorkerSet have no findings', () => {
    expect(validateManifests([deployment(), httpRoute(), lws()])).toEqual([]);
  });
});

describe('validateManifests: core kinds (Kubernetes 1.34 schema)', () => {
  test('unknown field', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(validateManifests([d])).toEqual([{ kind: 'Deployment', name: 'web', path: 'spec.template.spec.containers[0].imagePullPolicyy', message: 'unknown field "imagePullPolicyy"' }]);
  });

  test('unknown top-level field', () => {
    const d = deployment();
    d.extra = 1;
    expect(lines(validateManifests([d]))).toEqual(['Deployment/web extra: unknown field "extra"']);
  });

  test('wrong type', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    d.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    expect(lines(validateManifests([d]))).toEqual([
      'Deployment/web spec.replicas: must be integer',
      'Deployment/web spec.template.spec.containers[0].ports[0].containerPort: must be integer',
    ]);
  });

  test('int32 overflow', () => {
    const d = deployment();
    d.spec.replicas = 2 ** 31;
    expect(lines(validateManifests([d]))).toEqual(['Deployment/web spec.replicas: must match format "int32"']);
  });

  test('missing required field', () => {
    const d = deployment();
    delete d.spec.selector;
    delete d.spec.template.spec.containers[0].name;
    expect(lines(validateManifests([d]))).toEqual([
      'Deployment/web spec.selector: required field "selector" is missing',
      'Deployment/web spec.template.spec.containers[0].name: required field "name" is missing',
    ]);
  });

  test('bad int-or-string', () => {
    const d = deployment();
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } };
    const svc = clone(golden('gaie-defaults', 'Service'));
    svc.spec.ports[0].targetPort = 1.5;
    expect(lines(validateManifests([d, svc]))).toEqual([
      'Deployment/web spec.strategy.rollingUpdate.maxSurge: must be string or integer',
      `Service/${String(svc.metadata.name)} spec.ports[0].targetPort: must be string or integer`,
    ]);
  });

  test('bad quantity', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits = { cpu: 'lots' };
    expect(lines(validateManifests([d]))).toEqual(['Deployment/web spec.template.spec.containers[0].resources.limits.cpu: must be a string of format quantity or number']);
  });

  test('bad enum value in ResourceClaimTemplate (resource.k8s.io/v1)', () => {
    const t = golden('furiosa-dra', 'ResourceClaimTemplate');
    t.spec.spec.devices.requests[0].exactly.allocationMode = 'Some';
    t.spec.spec.devices.requests[0].exactly.counts = 1;
    expect(lines(validateManifests([t]))).toEqual([
      'ResourceClaimTemplate/furiosa-resource-claim-template spec.spec.devices.requests[0].exactly.counts: unknown field "counts"',
    ]);
  });

  test('null values count as absent', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources = null;
    d.metadata.annotations = null;
    expect(validateManifests([d])).toEqual([]);
    d.spec.selector = null;
    expect(lines(validateManifests([d]))).toEqual(['Deployment/web spec.selector: required field "selector" is missing']);
  });

  test('apiVersion and kind are required', () => {
    expect(lines(validateManifests([{ metadata: { name: 'x' } }]))).toEqual([
      '<no kind>/x apiVersion: required field "apiVersion" is missing or not a string',
      '<no kind>/x kind: required field "kind" is missing or not a string',
    ]);
  });
});

describe('validateManifests: names and labels', () => {
  test('bad object name', () => {
    const d = deployment();
    d.metadata.name = 'Web_1';
    expect(lines(validateManifests([d]))).toEqual([
      'Deployment/Web_1 metadata.name: name "Web_1" must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit',
    ]);
  });

  test('missing name', () => {
    const d = deployment();
    delete d.metadata.name;
    expect(lines(validateManifests([d]))).toEqual(['Deployment/<no name> metadata.name: required field "metadata.name" is missing']);
  });

  test('Service names are DNS-1035 labels, Namespace names DNS-1123 labels, RBAC names path segments', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1-svc' }, spec: { ports: [{ port: 80 }] } };
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gmp-system:collector:x' }, rules: [] };
    const badRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'a/b' }, rules: [] };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a.b' } };
    expect(lines(validateManifests([svc, ns, role, badRole, cm]))).toEqual([
      'Service/1-svc metadata.name: name "1-svc" must be a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
      'Namespace/a.b metadata.name: name "a.b" must be a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
      'Role/a/b metadata.name: name "a/b" must be a path segment name: not "." or "..", without "/" or "%"',
    ]);
  });

  test('bad namespace, label key, label value, annotation key', () => {
    const d = deployment();
    d.metadata.namespace = 'LLM';
    d.metadata.labels = { 'bad key': 'x', ok: 'not ok!' };
    d.metadata.annotations = { '/x': 'y' };
    expect(lines(validateManifests([d]))).toEqual([
      'Deployment/web metadata.labels: label key "bad key" is not a qualified name (optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", ".")',
      'Deployment/web metadata.labels.ok: label value "not ok!" is not valid: at most 63 alphanumerics, "-", "_", ".", starting and ending with an alphanumeric',
      'Deployment/web metadata.annotations: annotation key "/x" is not a qualified name',
      'Deployment/web metadata.namespace: namespace "LLM" must be a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
    ]);
  });

  test('pod template labels, selector labels, container and port names', () => {
    const d = deployment();
    d.spec.selector.matchLabels = { app: '-web' };
    d.spec.template.metadata.labels = { app: 'web', 'x/y/z': 'a' };
    d.spec.template.spec.containers[0].name = 'Web';
    d.spec.template.spec.containers[0].ports[0].name = 'http-port-too-long';
    d.spec.template.spec.initContainers = [{ name: 'Web', image: 'x' }];
    expect(lines(validateManifests([d]))).toEqual([
      'Deployment/web spec.selector.matchLabels.app: label value "-web" is not valid',
      'Deployment/web spec.template.metadata.labels: label key "x/y/z" is not a qualified name (optional DNS-1123 subdomain prefix and "/", then at most 63 alphanumerics, "-", "_", ".")',
      'Deployment/web spec.template.spec.initContainers[0].name: container name "Web" must be a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
      'Deployment/web spec.template.spec.containers[0].name: container name "Web" must be a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
      'Deployment/web spec.template.spec.containers[0].name: duplicate container name "Web"',
      'Deployment/web spec.template.spec.containers[0].ports[0].name: port name "http-port-too-long" must be an IANA service name: 1-15 lower-case letters, digits and "-", with at least one letter, no "--"',
    ]);
  });
});

describe('validateManifests: custom resources (vendored CRDs)', () => {
  test('unknown field inside HTTPRoute spec.rules[0]', () => {
    const r = httpRoute();
    r.spec.rules[0].foo = 'bar';
    expect(validateManifests([r])).toEqual([{ kind: 'HTTPRoute', name: 'route', path: 'spec.rules[0].foo', message: 'unknown field "foo"' }]);
  });

  test('CRD enum, bounds and required fields', () => {
    const r = httpRoute();
    r.spec.rules[0].matches[0].path.type = 'Glob';
    r.spec.rules[0].backendRefs[0].port = 70000;
    delete r.spec.rules[0].backendRefs[0].name;
    expect(lines(validateManifests([r]))).toEqual([
      'HTTPRoute/route spec.rules[0].backendRefs[0].name: required field "name" is missing',
      'HTTPRoute/route spec.rules[0].backendRefs[0].port: must be <= 65535',
      'HTTPRoute/route spec.rules[0].matches[0].path.type: must be one of: "Exact", "PathPrefix", "RegularExpression"',
    ]);
  });

  test('unknown field in an InferencePool golden and in CRD metadata', () => {
    const p = golden('gaie-defaults', 'InferencePool');
    p.spec.endpointPickerRef.portt = 1;
    p.metadata.label = {};
    expect(lines(validateManifests([p])).sort()).toEqual([
      `InferencePool/${String(p.metadata.name)} metadata.label: unknown field "label"`,
      `InferencePool/${String(p.metadata.name)} spec.endpointPickerRef.portt: unknown field "portt"`,
    ]);
  });

  test('x-kubernetes-int-or-string in a CRD', () => {
    const ok = lws();
    expect(validateManifests([ok])).toEqual([]);
    const bad = lws();
    bad.spec.rolloutStrategy.rollingUpdateConfiguration.maxSurge = true;
    expect(lines(validateManifests([bad]))).toEqual(['LeaderWorkerSet/lws spec.rolloutStrategy.rollingUpdateConfiguration.maxSurge: must be integer or string']);
  });

  test('pod template inside a LeaderWorkerSet is strict', () => {
    const l = lws();
    l.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext = { runAsNonRoot: 'yes', nope: 1 };
    expect(lines(validateManifests([l]))).toEqual([
      'LeaderWorkerSet/lws spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext.nope: unknown field "nope"',
      'LeaderWorkerSet/lws spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext.runAsNonRoot: must be boolean',
    ]);
  });

  test('x-kubernetes-preserve-unknown-fields is honoured', () => {
    // The Istio DestinationRule CRD keeps unknown fields in `status` only.
    const dr = golden('gaie-ha-monitoring', 'DestinationRule');
    dr.status = { anything: { goes: [1, 'two'] } };
    expect(validateManifests([dr])).toEqual([]);
    dr.spec.anything = 1;
    expect(lines(validateManifests([dr]))).toEqual([`DestinationRule/${String(dr.metadata.name)} spec.anything: unknown field "anything"`]);
  });

  test('a version the CRD does not serve is unknown', () => {
    const r = httpRoute();
    r.apiVersion = 'gateway.networking.k8s.io/v9';
    expect(lines(validateManifests([r]))).toEqual([
      'HTTPRoute/route : unknown apiVersion/kind "gateway.networking.k8s.io/v9/HTTPRoute": no Kubernetes 1.34 schema, vendored CRD or allowUnvalidated entry for it',
    ]);
  });
});

describe('validateManifests: unknown kinds, allow list, extra schemas', () => {
  const podMonitoring = { apiVersion: 'monitoring.googleapis.com/v1', kind: 'PodMonitoring', metadata: { name: 'pm', namespace: 'llm-d' }, spec: { endpoints: [] } };

  test('an unknown apiVersion/kind is a finding', () => {
    expect(lines(validateManifests([podMonitoring]))).toEqual([
      'PodMonitoring/pm : unknown apiVersion/kind "monitoring.googleapis.com/v1/PodMonitoring": no Kubernetes 1.34 schema, vendored CRD or allowUnvalidated entry for it',
    ]);
  });

  test('allowUnvalidated skips the schema, by kind or by group version, but still checks metadata', () => {
    expect(validateManifests([podMonitoring], { allowUnvalidated: ['monitoring.googleapis.com/v1/PodMonitoring'] })).toEqual([]);
    const bad = { ...podMonitoring, metadata: { name: 'PM' } };
    expect(lines(validateManifests([bad], { allowUnvalidated: ['monitoring.googleapis.com/v1/*'] }))).toEqual([
      'PodMonitoring/PM metadata.name: name "PM" must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit',
    ]);
  });

  test('extraSchemas validate kinds without a CRD', () => {
    const schema = { type: 'object', required: ['spec'], properties: { spec: { type: 'object', additionalProperties: false, properties: { endpoints: { type: 'array' } } } } };
    const bad = { ...podMonitoring, spec: { endpoint: [] } };
    expect(lines(validateManifests([podMonitoring, bad], { extraSchemas: { 'monitoring.googleapis.com/v1/PodMonitoring': schema } }))).toEqual([
      'PodMonitoring/pm spec.endpoint: unknown field "endpoint"',
    ]);
  });

  test('GKE HealthCheckPolicy and GCPBackendPolicy (hand-written schemas)', () => {
    const targetRef = { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie' };
    const hc = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'HealthCheckPolicy',
      metadata: { name: 'gaie', namespace: 'llm-d' },
      spec: { targetRef, default: { timeoutSec: 2, checkIntervalSec: 2, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: 8000 } } } },
    };
    const bp = { apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: 'gaie', namespace: 'llm-d' }, spec: { targetRef, default: { timeoutSec: 300, logging: { enabled: true } } } };
    expect(validateManifests([hc, bp])).toEqual([]);
    const badHc = clone(hc);
    (badHc.spec.default as O).timeoutSecs = 2;
    const badBp = clone(bp);
    (badBp.spec.default as O).logging.enabled = 'yes';
    expect(lines(validateManifests([badHc, badBp]))).toEqual([
      'HealthCheckPolicy/gaie spec.default.timeoutSecs: unknown field "timeoutSecs"',
      'GCPBackendPolicy/gaie spec.default.logging.enabled: must be boolean',
    ]);
  });
});

describe('validateManifests: speed', () => {
  test('validates all golden objects 20 times over quickly once compiled', () => {
    const all = caseNames('').flatMap((n) => loadCase(n).expected);
    validateManifests(all);
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) validateManifests(all);
    // Several hundred objects; generous bound so a slow CI machine does not flake.
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

test('formatSchemaFindings', () => {
  expect(formatSchemaFindings([{ kind: 'A', name: 'b', path: 'spec.x', message: 'm' }, { kind: 'A', name: 'b', path: '', message: 'n' }])).toBe('A/b spec.x: m\nA/b: n');
});
