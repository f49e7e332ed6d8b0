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

test('changed text is summarized by lines; scalar lists are compared whole', () => {
  write('t1.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {f: "a\\nb\\nc"}\nlist: [1, 2]\n');
  write('t2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {f: "a\\nB\\nc"}\nlist: [1, 3]\n');
  expect(cli(['diff', 't1.yaml', 't2.yaml'], tmp).stdout).toContain('    data.f: text changed (1 of 3 lines)\n    list: [1,2] -> [1,3]\n');
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
