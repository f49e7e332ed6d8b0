import { compareManifests, parseManifests } from '../../src/testing/semdiff';
import { caseNames, loadCase } from '../support';

describe('compareManifests (port of semdiff.py)', () => {
  test.each(caseNames(''))('%s is contained in itself', (name) => {
    const c = loadCase(name);
    const r = compareManifests(c.expectedText, c.expectedText);
    expect(r.contained).toBe(true);
    expect(r.leavesMatched).toBe(r.leavesTotal);
    expect(r.objectsFound).toBe(c.expected.length);
  });

  const golden = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: { helm.sh/chart: x, app: y }
data:
  cfg: |
    a: 1
    b: [1, 2]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: c
        args: ["--x", "1"]
        env: [{ name: A, value: "1" }]
`;

  test('extra fields, extra objects, helm labels and reformatted YAML strings are fine', () => {
    const ours = parseManifests(golden.replace('cfg: |\n    a: 1\n    b: [1, 2]', 'cfg: "b: [1, 2]\\na: 1\\n"').replace('labels: { helm.sh/chart: x, app: y }', 'labels: { app: y, extra: z }') + '\n---\nkind: Service\nmetadata: { name: s }\n');
    const r = compareManifests(golden, ours);
    expect(r.differences).toEqual([]);
    expect(r.contained).toBe(true);
    expect(r.summary).toBe('semdiff: objects=2/2 leaves=16/16 missing_objects=0 extra_objects=1');
  });

  test('a changed value, a missing named item and a missing object are reported', () => {
    const ours = parseManifests(golden.replace('replicas: 2', 'replicas: 3').replace('env: [{ name: A, value: "1" }]', 'env: [{ name: B, value: "1" }]').replace('kind: ConfigMap', 'kind: Secret'));
    const r = compareManifests(golden, ours);
    expect(r.contained).toBe(false);
    expect(r.missingObjects).toEqual(['ConfigMap/a']);
    expect(r.differences).toEqual(expect.arrayContaining(['Deployment/d.spec.replicas: expected "2", got "3"', 'Deployment/d.spec.template.spec.containers[c].env[A]: missing']));
  });

  test('numbers and numeric strings compare equal, as in the Python rule', () => {
    expect(compareManifests('kind: A\nmetadata: {name: a}\nx: 8', 'kind: A\nmetadata: {name: a}\nx: "8"').contained).toBe(true);
  });
});

test('leaf counts agree with semdiff.py on the seed cases', () => {
  // semdiff.py on expected.yaml vs itself prints leaves=66/66 and 180/180 for these cases.
  expect(compareManifests(loadCase('furiosa-seed000').expectedText, loadCase('furiosa-seed000').expectedText).leavesTotal).toBe(66);
  expect(compareManifests(loadCase('gaie-seed000').expectedText, loadCase('gaie-seed000').expectedText).leavesTotal).toBe(180);
});
