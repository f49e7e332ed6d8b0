/**
 * The API server's rules on rendered objects, one table row per rule: a valid Deployment (and
 * Service, claim, route) is changed in one place and the problem is asserted on its structured
 * fields (field, value, allowed).
 */
import { loneSurrogateProblem, objectApplyProblems, objectProblems, objectWarnings } from '../../src/core/object-rules/object-rules';
import { isImageReference } from '../../src/core/object-rules/image-reference';
import { quantityValue } from '../../src/core/quantities';

type Json = Record<string, any>;

function deployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ms-decode', namespace: 'llm-d', labels: { app: 'x' }, annotations: { a: 'b' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: {
          volumes: [{ name: 'model', emptyDir: { sizeLimit: '20Gi' } }],
          tolerations: [{ key: 'furiosa.ai/rngd', operator: 'Exists', effect: 'NoSchedule' }],
          terminationGracePeriodSeconds: 30,
          initContainers: [{ name: 'sidecar', image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0', restartPolicy: 'Always', ports: [{ containerPort: 8000, name: 'proxy' }] }],
          containers: [
            {
              name: 'vllm',
              image: 'ghcr.io/llm-d/llm-d-cuda:v0.4.0',
              args: ['--port', '8200'],
              ports: [{ containerPort: 8200, name: 'metrics', protocol: 'TCP' }],
              env: [{ name: 'HF_HOME', value: '/model' }, { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'HF_TOKEN' } } }],
              resources: { requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' }, limits: { memory: '64Gi', 'nvidia.com/gpu': '1' } },
              volumeMounts: [{ name: 'model', mountPath: '/model' }],
              startupProbe: { httpGet: { path: '/health', port: 8200 }, failureThreshold: 60, successThreshold: 1 },
              readinessProbe: { httpGet: { path: '/v1/models', port: 'metrics' }, successThreshold: 2 },
            },
          ],
        },
      },
    },
  };
}

const pod = (d: Json) => d.spec.template.spec;
const vllm = (d: Json) => pod(d).containers[0];
const POD = 'spec.template.spec';
const C0 = `${POD}.containers[0]`;

test('the valid objects have no problems and no warnings', () => {
  expect(objectProblems(deployment())).toEqual([]);
  expect(objectApplyProblems(deployment())).toEqual([]);
  expect(objectWarnings(deployment())).toEqual([]);
});

test.each<[string, (d: Json) => void, string, unknown, string]>([
  ['negative memory', (d) => (vllm(d).resources.limits.memory = '-512Mi'), `${C0}.resources.limits.memory`, '-512Mi', 'a quantity of zero or more'],
  ['malformed cpu', (d) => (vllm(d).resources.requests.cpu = '4 cores'), `${C0}.resources.requests.cpu`, '4 cores', 'a Kubernetes quantity'],
  ['request above limit', (d) => (vllm(d).resources.requests.memory = '128Gi'), `${C0}.resources.requests.memory`, '128Gi', 'at most the limit (64Gi)'],
  ['fractional device', (d) => (vllm(d).resources.limits['nvidia.com/gpu'] = '0.5'), `${C0}.resources.limits.nvidia.com/gpu`, '0.5', 'a whole number'],
  ['device request without limit', (d) => delete vllm(d).resources.limits['nvidia.com/gpu'], `${C0}.resources.limits.nvidia.com/gpu`, undefined, 'a limit equal to the request (1)'],
  ['device request other than limit', (d) => (vllm(d).resources.requests['nvidia.com/gpu'] = '2'), `${C0}.resources.requests.nvidia.com/gpu`, '2', 'the limit (1)'],
  ['negative emptyDir sizeLimit', (d) => (pod(d).volumes[0].emptyDir.sizeLimit = '-5Gi'), `${POD}.volumes[0].emptyDir.sizeLimit`, '-5Gi', 'a quantity of zero or more'],
  ['replicas above int32', (d) => (d.spec.replicas = 3_000_000_000), 'spec.replicas', 3_000_000_000, 'an integer from 0 to 2147483647'],
  ['probe port out of range', (d) => (vllm(d).startupProbe.httpGet.port = 70000), `${C0}.startupProbe.httpGet.port`, 70000, 'a port number from 1 to 65535'],
  ['probe without handler', (d) => delete vllm(d).startupProbe.httpGet, `${C0}.startupProbe`, { failureThreshold: 60, successThreshold: 1 }, 'exactly one of exec, httpGet, tcpSocket or grpc'],
  ['probe with two handlers', (d) => (vllm(d).startupProbe.tcpSocket = { port: 8200 }), `${C0}.startupProbe`, { httpGet: { path: '/health', port: 8200 }, failureThreshold: 60, successThreshold: 1, tcpSocket: { port: 8200 } }, 'exactly one of'],
  ['startup successThreshold 2', (d) => (vllm(d).startupProbe.successThreshold = 2), `${C0}.startupProbe.successThreshold`, 2, '1'],
  ['negative probe period', (d) => (vllm(d).readinessProbe.periodSeconds = -1), `${C0}.readinessProbe.periodSeconds`, -1, 'a non-negative 32-bit integer'],
  ['probe on a plain init container', (d) => { delete pod(d).initContainers[0].restartPolicy; pod(d).initContainers[0].readinessProbe = { tcpSocket: { port: 1 } }; }, `${POD}.initContainers[0].readinessProbe`, { tcpSocket: { port: 1 } }, 'no probe on an init container'],
  ['mount of an undefined volume', (d) => (vllm(d).volumeMounts[0].name = 'nope'), `${C0}.volumeMounts[0].name`, 'nope', 'the name of a volume of the pod: model'],
  ['duplicate mount path', (d) => vllm(d).volumeMounts.push({ name: 'model', mountPath: '/model' }), `${C0}.volumeMounts[1].mountPath`, '/model', 'each mount path once per container'],
  ['subPath escaping the volume', (d) => (vllm(d).volumeMounts[0].subPath = '../etc'), `${C0}.volumeMounts[0].subPath`, '../etc', 'a relative path without ".."'],
  ['duplicate volume name', (d) => pod(d).volumes.push({ name: 'model', emptyDir: {} }), `${POD}.volumes[1].name`, 'model', 'each volume name once per pod'],
  ['volume with two sources', (d) => (pod(d).volumes[0].hostPath = { path: '/x' }), `${POD}.volumes[0]`, ['emptyDir', 'hostPath'], 'one volume source per volume'],
  ['env name with "="', (d) => (vllm(d).env[0].name = 'A=B'), `${C0}.env[0].name`, 'A=B', 'without "="'],
  ['empty env name', (d) => (vllm(d).env[0].name = ''), `${C0}.env[0].name`, '', 'a non-empty name'],
  ['env value and valueFrom', (d) => (vllm(d).env[1].value = 'x'), `${C0}.env[1]`, 'HF_TOKEN', 'either value or valueFrom, not both'],
  ['image with upper case', (d) => (vllm(d).image = 'furiosaai/Furiosa-LLM:1'), `${C0}.image`, 'furiosaai/Furiosa-LLM:1', 'an image reference'],
  ['image with a space', (d) => (vllm(d).image = 'furiosa llm'), `${C0}.image`, 'furiosa llm', 'an image reference'],
  ['image with a trailing space', (d) => (vllm(d).image = 'vllm/vllm-openai:v0.11.0 '), `${C0}.image`, 'vllm/vllm-openai:v0.11.0 ', 'an image reference'],
  ['toleration Exists with a value', (d) => (pod(d).tolerations[0].value = 'v'), `${POD}.tolerations[0].value`, 'v', 'no value with operator Exists'],
  ['toleration without key needs Exists', (d) => (pod(d).tolerations[0] = { operator: 'Equal', value: 'v' }), `${POD}.tolerations[0].operator`, 'Equal', 'Exists'],
  ['toleration effect', (d) => (pod(d).tolerations[0].effect = 'NoRun'), `${POD}.tolerations[0].effect`, 'NoRun', 'NoSchedule, PreferNoSchedule, NoExecute'],
  ['tolerationSeconds without NoExecute', (d) => (pod(d).tolerations[0].tolerationSeconds = 5), `${POD}.tolerations[0].tolerationSeconds`, 5, 'only with effect NoExecute'],
  ['negative terminationGracePeriodSeconds', (d) => (pod(d).terminationGracePeriodSeconds = -1), `${POD}.terminationGracePeriodSeconds`, -1, 'a non-negative number of seconds'],
  ['container port out of range', (d) => (vllm(d).ports[0].containerPort = 0), `${C0}.ports[0].containerPort`, 0, 'a port number from 1 to 65535'],
  ['port name too long', (d) => (vllm(d).ports[0].name = 'a-very-long-port-name'), `${C0}.ports[0].name`, 'a-very-long-port-name', 'an IANA service name'],
  ['duplicate container name', (d) => (pod(d).initContainers[0].name = 'vllm'), `${C0}.name`, 'vllm', 'a container name used once per pod'],
  ['label value with a space', (d) => (d.metadata.labels.app = 'a b'), 'metadata.labels.app', 'a b', 'a label value'],
  ['annotation key with a space', (d) => (d.metadata.annotations['a b'] = 'x'), 'metadata.annotations', 'a b', 'a qualified key'],
  ['annotations above 256 KiB', (d) => (d.metadata.annotations.big = 'x'.repeat(300 * 1024)), 'metadata.annotations', `${300 * 1024 + 5} bytes`, 'at most 256 KiB'],
  ['name derived with upper case', (d) => (d.metadata.name = 'Furiosa-resource-claim-template'), 'metadata.name', 'Furiosa-resource-claim-template', 'a DNS-1123 subdomain'],
  ['selector not matching the template', (d) => (d.spec.selector.matchLabels.role = 'decode'), 'spec.selector.matchLabels', { role: 'decode' }, 'labels the pod template carries'],
  ['node selector value', (d) => (pod(d).nodeSelector = { 'furiosa.ai/npu': 'RNGD x' }), `${POD}.nodeSelector.furiosa.ai/npu`, 'RNGD x', 'a label value'],
  ['unknown field of a passthrough (schema)', (d) => (pod(d).tolerations[0].extra = 1), `${POD}.tolerations[0].extra`, 1, 'a field of this object: effect, key, operator, tolerationSeconds, value'],
  ['wrong type of a passthrough (schema)', (d) => (pod(d).securityContext = { runAsUser: 'root' }), `${POD}.securityContext.runAsUser`, 'root', 'an integer'],
])('%s', (_name, change, field, value, allowed) => {
  const d = deployment();
  change(d);
  const found = objectProblems(d).find((p) => p.field === field);
  expect(found).toBeDefined();
  expect(found!.value).toEqual(value);
  expect(found!.allowed).toContain(allowed);
});

test.each<[string, Json, string, unknown, string]>([
  ['Service name must be a DNS-1035 label', { kind: 'Service', apiVersion: 'v1', metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } }, 'metadata.name', '1svc', 'a DNS-1035 label'],
  ['Service port out of range', { kind: 'Service', apiVersion: 'v1', metadata: { name: 's' }, spec: { ports: [{ port: 0 }] } }, 'spec.ports[0].port', 0, 'a port number from 1 to 65535'],
  ['the same nodePort twice', { kind: 'Service', apiVersion: 'v1', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }] } }, 'spec.ports[1].nodePort', 30080, 'each nodePort once per Service'],
  ['nodePort on ClusterIP', { kind: 'Service', apiVersion: 'v1', metadata: { name: 's' }, spec: { ports: [{ port: 80, nodePort: 30080 }] } }, 'spec.ports[0].nodePort', 30080, 'no nodePort on a ClusterIP Service'],
  ['unnamed ports', { kind: 'Service', apiVersion: 'v1', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { name: 'b', port: 81 }] } }, 'spec.ports[0].name', undefined, 'a name (required when a Service has more than one port)'],
  ['claim of size 0', { kind: 'PersistentVolumeClaim', apiVersion: 'v1', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0' } } } }, 'spec.resources.requests.storage', '0', 'a size greater than zero'],
  ['claim without size', { kind: 'PersistentVolumeClaim', apiVersion: 'v1', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'] } }, 'spec.resources.requests.storage', undefined, 'a size greater than zero'],
  ['invalid regex in a route match', { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', metadata: { name: 'r' }, spec: { rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/v1/(' } }] }] } }, 'spec.rules[0].matches[0].path.value', '/v1/(', 'a regular expression that compiles'],
  ['header value with CR/LF', { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', metadata: { name: 'r' }, spec: { rules: [{ matches: [{ headers: [{ name: 'X-Gateway-Model-Name', value: 'a\r\nX-Evil: 1' }] }] }] } }, 'spec.rules[0].matches[0].headers[0].value', 'a\r\nX-Evil: 1', 'without CR, LF or NUL'],
  ['header name with a space', { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', metadata: { name: 'r' }, spec: { rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X Model', value: 'a' }] } }] }] } }, 'spec.rules[0].filters[0].requestHeaderModifier.set[0].name', 'X Model', 'an HTTP header name'],
  ['LeaderWorkerSet of size 0', { kind: 'LeaderWorkerSet', apiVersion: 'leaderworkerset.x-k8s.io/v1', metadata: { name: 'l' }, spec: { leaderWorkerTemplate: { size: 0 } } }, 'spec.leaderWorkerTemplate.size', 0, 'an integer from 1'],
  ['Job that restarts Always', { kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'busybox:1' }] } } } }, 'spec.template.spec.restartPolicy', 'Always', 'Never or OnFailure'],
  ['object above etcd\'s limit', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', annotations: {} }, data: Object.fromEntries(Array.from({ length: 2 }, (_, i) => [`k${i}`, 'x'.repeat(800 * 1024)])) }, '', `${1638400 + 104} bytes`, 'an object of at most 1.5 MiB'],
  ['ConfigMap data above 1 MiB', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, data: { a: 'x'.repeat(1100 * 1024) } }, 'data', `${1100 * 1024 + 1} bytes`, 'at most 1 MiB of data'],
  ['ConfigMap key with a slash', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, data: { 'a/b': 'x' } }, 'data', 'a/b', 'keys of letters, digits'],
  ['RBAC names may hold ":" but not "/"', { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'a/b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } }, 'metadata.name', 'a/b', 'a name without "/" or "%"'],
])('%s', (_name, manifest, field, value, allowed) => {
  const found = objectProblems(manifest).find((p) => p.field === field);
  expect(found).toBeDefined();
  expect(found!.value).toEqual(value);
  expect(found!.allowed).toContain(allowed);
});

test('RBAC names with ":" (system:...) are valid', () => {
  expect(objectProblems({ kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'gmp-system:collector:x' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } })).toEqual([]);
});

// The API server stores these (client-side apply warns), but server-side apply rejects list-map
// duplicates, and two containers cannot bind one port: refused for the constructs
// (objectApplyProblems); the CLI keeps a chart's output with them and warns.
test.each<[string, (d: Json) => void, string, unknown, string]>([
  ['duplicate env name', (d) => vllm(d).env.push({ name: 'HF_HOME', value: '/x' }), `${C0}.env[2].name`, 'HF_HOME', 'each env name once per container'],
  ['two containers on one port', (d) => (vllm(d).ports[0].containerPort = 8000), `${C0}.ports[0].containerPort`, 8000, 'a port no other container of the pod uses (container sidecar has it;'],
  ['one container on one port twice', (d) => vllm(d).ports.push({ containerPort: 8200, name: 'http' }), `${C0}.ports[1].containerPort`, 8200, 'each containerPort and protocol once per container'],
  ['one port twice in an init container', (d) => pod(d).initContainers[0].ports.push({ containerPort: 8000, protocol: 'TCP' }), `${POD}.initContainers[0].ports[1].containerPort`, 8000, 'each containerPort and protocol once per container'],
  ['duplicate image pull secret', (d) => (pod(d).imagePullSecrets = [{ name: 'r' }, { name: 'r' }]), `${POD}.imagePullSecrets[1].name`, 'r', 'each image pull secret once per pod'],
  ['duplicate host alias IP', (d) => (pod(d).hostAliases = [{ ip: '10.0.0.1', hostnames: ['a'] }, { ip: '10.0.0.1', hostnames: ['b'] }]), `${POD}.hostAliases[1].ip`, '10.0.0.1', 'each host alias IP once per pod'],
  ['duplicate topology spread constraint', (d) => (pod(d).topologySpreadConstraints = [0, 1].map(() => ({ topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 }))), `${POD}.topologySpreadConstraints[1]`, { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }, 'each topologyKey and whenUnsatisfiable once per pod'],
  ['duplicate pod resource claim', (d) => (pod(d).resourceClaims = [{ name: 'rngd', resourceClaimTemplateName: 't' }, { name: 'rngd', resourceClaimTemplateName: 'u' }]), `${POD}.resourceClaims[1].name`, 'rngd', 'each resource claim name once per pod'],
  ['duplicate scheduling gate', (d) => (pod(d).schedulingGates = [{ name: 'g' }, { name: 'g' }]), `${POD}.schedulingGates[1].name`, 'g', 'each scheduling gate once per pod'],
  ['duplicate container resource claim', (d) => (vllm(d).resources.claims = [{ name: 'rngd' }, { name: 'rngd' }]), `${C0}.resources.claims[1].name`, 'rngd', 'each resource claim name once per container'],
  ['duplicate volume device', (d) => (vllm(d).volumeDevices = [{ name: 'model', devicePath: '/dev/x' }, { name: 'model', devicePath: '/dev/x' }]), `${C0}.volumeDevices[1].devicePath`, '/dev/x', 'each devicePath once per container'],
  ['a number beyond int64 in exponent form', (d) => vllm(d).args.push('--max-num-seqs', '1e+21'), `${C0}.args[3]`, '1e+21', 'a number in plain digits instead of 1e+21'],
  ['a number beyond int64 in exponent form, as --flag=value', (d) => vllm(d).args.push('--max-num-seqs=1.5e+300'), `${C0}.args[2]`, '--max-num-seqs=1.5e+300', 'a number in plain digits instead of 1.5e+300'],
])('%s is refused as server-side apply or the program would (an apply problem)', (_name, mutate, field, value, allowed) => {
  const d = deployment();
  mutate(d);
  expect(objectProblems(d)).toEqual([]);
  const found = objectApplyProblems(d).find((p) => p.field === field);
  expect(found).toBeDefined();
  expect(found!.value).toEqual(value);
  expect(found!.allowed).toContain(allowed);
  expect(objectApplyProblems(d)).toHaveLength(1);
});

test('a Service port and protocol twice is refused (the API server refuses it)', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }, { name: 'c', port: 80, protocol: 'UDP' }] } };
  expect(objectProblems(svc)).toEqual([expect.objectContaining({ field: 'spec.ports[1].port', value: 80, allowed: 'each port and protocol once per Service' })]);
});

test('a number in Go\'s exponent form below 10^19 (helm writes 1000000 as 1e+06) is a warning: a float flag reads it', () => {
  const d = deployment();
  vllm(d).args.push('--kv-cache-size=1e+06', '5e-07');
  expect(objectProblems(d)).toEqual([]);
  expect(objectApplyProblems(d)).toEqual([]);
  expect(objectWarnings(d)).toEqual([expect.objectContaining({ field: `${C0}.args[2]`, allowed: 'a number in plain digits instead of 1e+06' })]);
});

test.each<[string, string]>([
  ['NUL', '\u0000'],
  ['escape', '\u001b'],
  ['DEL', '\u007f'],
  ['vertical tab', '\u000b'],
])('%s in args, command, workingDir or an env value is refused with the field named', (_name, c) => {
  for (const [mutate, field] of [
    [(d: Json) => (vllm(d).args[1] = `82${c}00`), `${C0}.args[1]`],
    [(d: Json) => (vllm(d).command = ['vllm', `serve${c}`]), `${C0}.command[1]`],
    [(d: Json) => (vllm(d).workingDir = `/w${c}`), `${C0}.workingDir`],
    [(d: Json) => (vllm(d).env[0].value = `/model${c}`), `${C0}.env[0].value`],
    [(d: Json) => (pod(d).initContainers[0].args = [`a${c}`]), `${POD}.initContainers[0].args[0]`],
  ] as Array<[(d: Json) => void, string]>) {
    const d = deployment();
    mutate(d);
    expect(objectProblems(d)).toEqual([expect.objectContaining({ field, allowed: expect.stringContaining('without NUL or other control characters') })]);
  }
});

test('tab, LF and CR in arguments are text (a shell script has lines)', () => {
  const d = deployment();
  vllm(d).command = ['/bin/sh', '-c', 'set -e\n\techo a\r\n'];
  expect(objectProblems(d)).toEqual([]);
});

test('a lone surrogate anywhere (value or key) is refused with the field named; a pair is text', () => {
  const d = deployment();
  d.metadata.annotations.a = 'ok 😀';
  expect(objectProblems(d)).toEqual([]);
  vllm(d).args[1] = '8200\ud800';
  expect(objectProblems(d)).toEqual([expect.objectContaining({ field: `${C0}.args[1]`, allowed: 'well-formed Unicode text' })]);
  expect(loneSurrogateProblem({ data: { ['k\udc00']: 'v' } })).toEqual(expect.objectContaining({ field: 'data.k\udc00', value: 'k\udc00' }));
});

test('a container that declares ports but not the one its server starts on is a warning', () => {
  const d = deployment();
  vllm(d).args = ['--port=8000'];
  expect(objectProblems(d).filter((p) => p.field.endsWith('.ports'))).toEqual([]);
  expect(objectWarnings(d)).toEqual([{ field: `${C0}.ports`, value: [8200], allowed: 'a port list that includes 8000, the port the server is started with (--port 8000)' }]);
});

test.each([
  ['furiosaai/furiosa-llm:2026.1.0', true],
  ['registry.example.com:5000/team/image@sha256:' + 'a'.repeat(64), true],
  ['localhost/x', true],
  ['Registry.Example.com/x:1', true],
  ['x:' + 'a'.repeat(129), false],
  ['a//b', false],
  ['', false],
])('image reference %s: %s', (image, ok) => expect(isImageReference(image)).toBe(ok));

test.each<[unknown, number | undefined]>([
  ['1Gi', 2 ** 30], ['500m', 0.5], ['1e3', 1000], ['-512Mi', -512 * 2 ** 20], [8, 8], ['1 Gi', undefined], [true, undefined],
])('quantity %p is %p', (q, n) => expect(quantityValue(q)).toBe(n));
