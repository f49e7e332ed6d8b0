/** `cdk8s-llm-d diff OLD NEW`: objects added and removed, changed fields by path, exit codes for CI. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-diff-'));
const write = (rel: string, text: string): string => {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
  return rel;
};

const deployment = (image: string, replicas: number, env: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ms, namespace: llm-d}
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: sidecar
          image: proxy:1
        - name: vllm
          image: ${image}
          args: [--port, "8200"]
          env: [{name: A, value: "${env}"}]
`;

test('reports added, removed and changed objects, named list items matched by name; exit 1', () => {
  write('old/app.k8s.yaml', `${deployment('vllm:1', 2, 'x')}---\napiVersion: v1\nkind: Service\nmetadata: {name: gone, namespace: llm-d}\n`);
  write('new/a.k8s.yaml', deployment('vllm:2', 4, 'x'));
  write('new/b.k8s.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: llm-d}\ndata: {a: "1\\n2\\n"}\n');
  const r = cli(['diff', 'old', 'new'], tmp);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe([
    '~ apps/v1 Deployment llm-d/ms',
    '    spec.replicas: 2 -> 4',
    '    spec.template.spec.containers[vllm].image: "vllm:1" -> "vllm:2"',
    '+ v1 ConfigMap llm-d/cfg',
    '- v1 Service llm-d/gone',
    '1 added, 1 removed, 1 changed, 0 unchanged',
    '',
  ].join('\n'));
});

test('identical outputs: exit 0 and a summary', () => {
  write('same1.yaml', deployment('vllm:1', 2, 'x'));
  write('same2.yaml', deployment('vllm:1', 2, 'x'));
  expect(cli(['diff', 'same1.yaml', 'same2.yaml'], tmp)).toEqual({ code: 0, stdout: '0 added, 0 removed, 0 changed, 1 unchanged\n', stderr: '' });
});

test('changed text is shown by its changed lines, numbered; scalar lists are compared whole', () => {
  write('t1.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {f: "a\\nb\\nc"}\nlist: [1, 2]\n');
  write('t2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {f: "a\\nB\\nc"}\nlist: [1, 3]\n');
  expect(cli(['diff', 't1.yaml', 't2.yaml'], tmp).stdout).toContain('    data.f: text changed (1 of 3 lines)\n      -2: b\n      +2: B\n    list: [1,2] -> [1,3]\n');
});

test('a multi-line change shows the changed lines with their numbers, lines added and removed aligned', () => {
  const config = (lines: string[]) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: epp, namespace: llm-d}\ndata:\n  config.yaml: |\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
  const before = ['plugins:', '- type: queue-scorer', '- type: kv-cache-scorer', '  parameters: {blockSize: 16}', 'schedulingProfiles:', '- name: default'];
  const after = ['plugins:', '- type: queue-scorer', '- type: prefix-cache-scorer', '- type: kv-cache-scorer', '  parameters: {blockSize: 64}', 'schedulingProfiles:', '- name: default'];
  write('m1.yaml', config(before));
  write('m2.yaml', config(after));
  const r = cli(['diff', 'm1.yaml', 'm2.yaml'], tmp);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe([
    '~ v1 ConfigMap llm-d/epp',
    '    data.config.yaml: text changed (2 of 8 lines)',
    '      +3: - type: prefix-cache-scorer',
    '      -4:   parameters: {blockSize: 16}',
    '      +5:   parameters: {blockSize: 64}',
    '0 added, 0 removed, 1 changed, 0 unchanged',
    '',
  ].join('\n'));
});

test('a repo_id changed inside a long command shows both ids, with the text around them', () => {
  const command = (repo: string) => `python3 -m vllm.entrypoints.openai.api_server --model /models --served-model-name llama --port 8200 --tensor-parallel-size 4 --max-model-len 32768 && huggingface-cli download --repo_id=${repo} --local-dir /models --revision main --exclude '*.pth' --cache-dir /tmp/hf-cache --max-workers 8 --quiet`;
  const job = (repo: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: dl, namespace: llm-d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: dl\n          image: dl:1\n          command: [/bin/sh, -c, ${JSON.stringify(command(repo))}]\n`;
  expect(command('meta-llama/Llama-3.1-8B-Instruct').length).toBeGreaterThan(300);
  write('j1.yaml', job('meta-llama/Llama-3.1-8B-Instruct'));
  write('j2.yaml', job('meta-llama/Llama-3.1-70B-Instruct'));
  const lines = cli(['diff', 'j1.yaml', 'j2.yaml'], tmp).stdout.split('\n');
  const change = lines.find((l) => l.includes('containers[dl].command'));
  expect(change).toContain('--repo_id=meta-llama/Llama-3.1-8B-Instruct --local-dir');
  expect(change).toContain('--repo_id=meta-llama/Llama-3.1-70B-Instruct --local-dir');
  expect(change).toBe('    spec.template.spec.containers[dl].command: …download --repo_id=meta-llama/Llama-3.1-8B-Instruct --local-dir /models --revisio… -> …download --repo_id=meta-llama/Llama-3.1-70B-Instruct --local-dir /models --revisio…');
  // The pod template of a Job is immutable: the change is marked, and counted.
  expect(lines).toContain('    ! spec.template cannot change in place: the API server answers "spec.template: field is immutable"; the old value differs at spec.template.spec.containers[dl].command[2]; way through: give the Job a name that changes with its template, or delete the finished Job before applying (kubectl delete job dl -n llm-d)');
  expect(lines).toContain('0 added, 0 removed, 1 changed, 0 unchanged, 1 change the API server refuses in place');
});

test('a long value changed at its start or its end, or into a short one, is shown around the change', () => {
  const long = 'x'.repeat(200);
  write('l1.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: l}\ndata: {a: "A${long}", b: "${long}B", c: "${long}"}\n`);
  write('l2.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: l}\ndata: {a: "Z${long}", b: "${long}Y", c: "short"}\n`);
  const out = cli(['diff', 'l1.yaml', 'l2.yaml'], tmp).stdout;
  expect(out).toContain(`    data.a: "A${'x'.repeat(40)}… -> "Z${'x'.repeat(40)}…\n`);
  expect(out).toContain(`    data.b: …${'x'.repeat(40)}B" -> …${'x'.repeat(40)}Y"\n`);
  expect(out).toContain(`    data.c: "${long}" -> "short"\n`);
});

const workload = (selector: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ms-decode, namespace: llm-d}
spec:
  selector: {matchLabels: {${selector}}}
  template:
    metadata: {labels: {app: ms, role: decode}}
    spec: {containers: [{name: vllm, image: "${image}"}]}
`;
const claim = (size: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: model-cache, namespace: llm-d}
spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: ${size}}}}
`;

test('a selector change is marked as refused in place, with the way through, and counted', () => {
  write('s1/a.yaml', `${workload('app: ms, role: decode', 'vllm:1')}---\n${claim('10Gi')}`);
  write('s2/a.yaml', `${workload('app: ms', 'vllm:1')}---\n${claim('20Gi')}`);
  const r = cli(['diff', 's1', 's2'], tmp);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe([
    '~ apps/v1 Deployment llm-d/ms-decode',
    '    spec.selector.matchLabels.role: "decode" -> (none)',
    '    ! spec.selector cannot change in place: the API server answers "spec.selector: field is immutable"; it was {"matchLabels":{"app":"ms","role":"decode"}}; way through: delete the Deployment and apply again (kubectl delete deployment ms-decode -n llm-d; pods are recreated), or keep the old selector',
    '~ v1 PersistentVolumeClaim llm-d/model-cache',
    '    spec.resources.requests.storage: "10Gi" -> "20Gi"',
    '0 added, 0 removed, 2 changed, 0 unchanged, 1 change the API server refuses in place',
    '',
  ].join('\n'));
});

test('a PVC grow and a selector with its keys reordered are not marked', () => {
  write('g1/a.yaml', `${workload('app: ms, role: decode', 'vllm:1')}---\n${claim('10Gi')}`);
  write('g2/a.yaml', `${workload('role: decode, app: ms', 'vllm:2')}---\n${claim('1Ti')}`);
  const r = cli(['diff', 'g1', 'g2'], tmp);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toContain('!');
  expect(r.stdout).toContain('    spec.resources.requests.storage: "10Gi" -> "1Ti"\n');
  expect(r.stdout).toContain('0 added, 0 removed, 2 changed, 0 unchanged\n');
});

test('a PVC shrink is marked, and two refusals are counted as two', () => {
  write('p1.yaml', claim('10Gi'));
  write('p2.yaml', claim('5Gi').replace('ReadWriteMany', 'ReadWriteOnce'));
  const out = cli(['diff', 'p1.yaml', 'p2.yaml'], tmp).stdout;
  expect(out).toContain('    ! spec.accessModes cannot change in place: the API server answers "spec.accessModes: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"; it was ["ReadWriteMany"]; way through: create a claim');
  expect(out).toContain('    ! spec.resources.requests.storage cannot change in place: the API server answers "spec.resources.requests.storage: Forbidden: field can not be less than previous value"; it was "10Gi"; way through: keep the old size: shrinking is not supported');
  expect(out).toContain('0 added, 0 removed, 1 changed, 0 unchanged, 2 changes the API server refuses in place\n');
});

test.each([
  [['diff', 'missing', 'same1.yaml'], 'missing: no such file or folder'],
  [['diff', 'same1.yaml'], 'diff needs two paths'],
  [['diff', '--bogus', 'a', 'b'], 'unknown flag "--bogus"'],
])('%j is a usage error (exit 2)', (argv, message) => {
  const r = cli(argv, tmp);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(message);
});

test('not YAML is exit 2 naming the file', () => {
  write('bad.yaml', 'a: [\n');
  const r = cli(['diff', 'bad.yaml', 'same1.yaml'], tmp);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('bad.yaml: not YAML');
});
