/**
 * Values the charts render but the API server or the kubelet would refuse: the CLI exits 2,
 * names the construct and the values key (with the -f file or --set) that holds the bad value,
 * and writes nothing. Values the charts render that are likely mistakes are rendered with a
 * warning on stderr naming the key.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, registeredCases } from './support';

const FURIOSA = registeredCases().find((c) => c.name === 'furiosa-seed000')!;
const UPSTREAM = registeredCases().find((c) => c.name === 'upstream-pd')!;
const GAIE = registeredCases().find((c) => c.name === 'gaie-defaults')!;
const INFRA = registeredCases().find((c) => c.name === 'infra-seed000')!;
const args = (c: typeof FURIOSA, sets: string[]) => ['render', c.chart, '--release', c.ref.release, '-n', c.ref.namespace, '-f', 'values.yaml', ...sets.flatMap((s) => ['--set', s])];

describe('refused with the key that set the value', () => {
  test.each<[string, string, string]>([
    ['decode.containers[0].resources.limits.memory=-512Mi', 'resources.limits.memory: value "-512Mi" is not allowed', 'from decode.containers[0].resources.limits.memory (--set decode.containers[0].resources.limits.memory=-512Mi)'],
    ['decode.replicas=3000000000', 'spec.replicas: value 3000000000 is not allowed', 'from decode.replicas (--set decode.replicas=3000000000)'],
    ['decode.containers[0].livenessProbe.httpGet.port=70000', 'livenessProbe.httpGet.port: value 70000 is not allowed', 'from decode.containers[0].livenessProbe.httpGet.port'],
    ['decode.containers[0].livenessProbe.httpGet=null', 'livenessProbe: value {"failureThreshold":3,"periodSeconds":10,"timeoutSeconds":5} is not allowed (the probe has no handler', '[ms/ms/Resource]'],
    ['decode.containers[0].startupProbe.successThreshold=2', 'startupProbe.successThreshold: value 2 is not allowed (a startup probe succeeds on its first success', 'allowed: 1'],
    ['decode.containers[0].image=Furiosa LLM', 'containers[0].image: value "Furiosa LLM" is not allowed', 'from decode.containers[0].image'],
    ['decode.tolerations[0].key=k,decode.tolerations[0].operator=Exists,decode.tolerations[0].value=v', 'tolerations[0].value: value "v" is not allowed', 'allowed: no value with operator Exists'],
    ['decode.terminationGracePeriodSeconds=-1', 'terminationGracePeriodSeconds: value -1 is not allowed', 'from decode.terminationGracePeriodSeconds'],
    ['decode.containers[0].env[0].name=A=B', 'env[0].name: value "A=B" is not allowed', 'without "="'],
    ['decode.containers[0].volumeMounts[0].name=nope,decode.containers[0].volumeMounts[0].mountPath=/x', 'volumeMounts[0].name: value "nope" is not allowed', 'the name of a volume of the pod'],
    ['decode.tolerations[0].key=k,decode.tolerations[0].operator=Exists,decode.tolerations[0].bogus=1', 'tolerations[0].bogus: value 1 is not allowed (unknown field;', 'a field of this object'],
    ['decode.podSecurityContext.runAsUser=root', 'securityContext.runAsUser: value "root" is not allowed', 'an integer'],
  ])('--set %s', (set, message, where) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-api-rules-'));
    const r = cli([...args(FURIOSA, [set]), '-o', out], FURIOSA.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(where);
    expect(r.stderr).not.toContain('internal error');
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('the same nodePort twice in the gateway Service customization is refused', () => {
    const ports = 'gateway.service.ports[0].name=a,gateway.service.ports[0].port=80,gateway.service.ports[0].nodePort=30080,gateway.service.ports[1].name=b,gateway.service.ports[1].port=81,gateway.service.ports[1].nodePort=30080';
    const r = cli(args(INFRA, ['gateway.service.type=NodePort', ports]), INFRA.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('service.ports[1].nodePort: value 30080 is not allowed (the API server refuses a nodePort twice in one Service); allowed: a node port not used by service.ports[0]');
  });

  test('an accelerator type with a trailing space is refused with the near type', () => {
    const r = cli(args(UPSTREAM, ['accelerator.type=nvidia ']), UPSTREAM.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('accelerator.type: value "nvidia " is not allowed (did you mean "nvidia"?)');
  });

  test('a limit for the accelerator that the parallelism does not request is refused', () => {
    const r = cli(args(UPSTREAM, ['decode.containers[0].resources.limits.nvidia\\.com/gpu=2']), UPSTREAM.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/decode\.containers\[0\]\.resources\.limits\.nvidia\.com\/gpu: value "?2"? is not allowed \(the pod would request 1 nvidia\.com\/gpu with a limit of 2/);
  });

});

describe('rendered like the chart, with a warning naming the key', () => {
  test('a decode container declaring the routing sidecar\'s port renders (the chart does; only one can bind it) with a warning naming the key', () => {
    const r = cli(args(UPSTREAM, ['decode.containers[0].ports[0].containerPort=8000']), UPSTREAM.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: \[pd\/pd\/Resource, from decode\.containers\[0\]\.ports\[0\]\.containerPort \(--set decode\.containers\[0\]\.ports\[0\]\.containerPort=8000\).*\] spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort: value 8000 is kept as the chart renders it, but only one process of the pod can bind it .*a port no other container of the pod uses \(container routing-proxy has it/m);
  });

  test('tensor parallelism 0 renders the chart default', () => {
    const r = cli(args(FURIOSA, ['decode.parallelism.tensor=0']), FURIOSA.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: [--set decode.parallelism.tensor=0] decode.parallelism.tensor: value 0 renders as the chart\'s default 4 (the chart treats 0 as unset); write 4 or leave it out\n');
    expect(r.stdout).toContain('--tensor-parallel-size');
  });

  test('workers 0 in the vLLM chart', () => {
    const r = cli(args(UPSTREAM, ['decode.parallelism.workers=0']), UPSTREAM.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: [--set decode.parallelism.workers=0] decode.parallelism.workers: value 0 renders as if unset');
  });

  test('an endpoint picker with 0 replicas renders 1', () => {
    const r = cli(args(GAIE, ['inferenceExtension.replicas=0']), GAIE.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: [--set inferenceExtension.replicas=0] inferenceExtension.replicas: value 0 renders 1 replica');
    expect(r.stdout).toMatch(/kind: Deployment[\s\S]*replicas: 1/);
  });
});
