/**
 * Issue 8: our output is valid for the API server. Every object of every example, every
 * reference case rendered through the constructs, and every variant validates against the
 * Kubernetes 1.34 schemas and the vendored CRDs with strict field validation (unknown fields are
 * errors), plus the API server's name and label rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { formatSchemaFindings, validateManifests } from '../../src/testing';
import { newChart, synth } from '../support';
import { caseOutputs, exampleOutputs, Obj, Output, SCHEMA_OPTIONS, variantOutputs } from './corpus';
import { istioGieGatewayFromHelmValues } from '../../src/helm';

const CRD_DIR = path.join(__dirname, '..', '..', 'crds');

/** JSON without null members (the API server treats null as absent; cdk8s drops them). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  return v;
}

function findings(o: Output): string {
  return formatSchemaFindings(validateManifests(o.objects, SCHEMA_OPTIONS));
}

describe('schema validation of everything we synthesize', () => {
  const examples = exampleOutputs();
  const cases = caseOutputs();
  const variants = variantOutputs();

  test.each(examples.map((o) => [o.label, o] as const))('%s: 0 findings', (_l, o) => {
    expect(findings(o)).toBe('');
  });
  test.each(cases.map((o) => [o.label, o] as const))('%s: 0 findings', (_l, o) => {
    expect(findings(o)).toBe('');
  });
  test.each(variants.map((o) => [o.label, o] as const))('%s: 0 findings', (_l, o) => {
    expect(findings(o)).toBe('');
  });

  test('the corpus covers every source and kind we emit', () => {
    expect(cases.map((c) => c.label)).toEqual(expect.arrayContaining(['case furiosa-seed000', 'case furiosa-dra', 'case gaie-seed000', 'case gaie-ha-monitoring', 'case infra-seed000']));
    const kinds = new Set([...examples, ...cases, ...variants].flatMap((o) => o.objects.map((x) => `${x.apiVersion}/${x.kind}`)));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'apps/v1/Deployment',
        'batch/v1/Job',
        'v1/Pod',
        'v1/PersistentVolumeClaim',
        'v1/Secret',
        'v1/ServiceAccount',
        'v1/Service',
        'v1/ConfigMap',
        'v1/Namespace',
        'rbac.authorization.k8s.io/v1/Role',
        'rbac.authorization.k8s.io/v1/RoleBinding',
        'rbac.authorization.k8s.io/v1/ClusterRole',
        'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
        'networking.k8s.io/v1/NetworkPolicy',
        'resource.k8s.io/v1/ResourceClaimTemplate',
        'inference.networking.k8s.io/v1/InferencePool',
        'inference.networking.x-k8s.io/v1alpha2/InferencePool',
        'gateway.networking.k8s.io/v1/Gateway',
        'gateway.networking.k8s.io/v1/HTTPRoute',
        'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
        'networking.istio.io/v1beta1/DestinationRule',
        'telemetry.istio.io/v1/Telemetry',
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.coreos.com/v1/PodMonitor',
        'networking.gke.io/v1/HealthCheckPolicy',
        'networking.gke.io/v1/GCPBackendPolicy',
        'monitoring.googleapis.com/v1/PodMonitoring',
        'apiextensions.k8s.io/v1/CustomResourceDefinition',
      ]),
    );
  });

  test('the included CRDs are the vendored upstream files, unchanged', () => {
    const vendored = fs
      .readdirSync(CRD_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, f), 'utf8')).map((d) => d.toJS() as Obj))
      .filter((o) => o && o.kind === 'CustomResourceDefinition');
    // Two releases of a CRD may be vendored (Gateway API v1.4.1 and v1.5.1): ours must equal one of them.
    const byName = new Map<string, string[]>();
    for (const o of vendored) byName.set(o.metadata.name as string, [...(byName.get(o.metadata.name as string) ?? []), JSON.stringify(withoutNulls(o))]);
    const ours = examples.flatMap((o) => o.objects).filter((o) => o.kind === 'CustomResourceDefinition');
    expect(ours.length).toBeGreaterThan(0);
    for (const crd of ours) expect(byName.get(crd.metadata.name)).toContain(JSON.stringify(withoutNulls(crd)));
  });

  test('totals: objects validated, schema errors', () => {
    const all = [...examples, ...cases, ...variants];
    const objects = all.reduce((n, o) => n + o.objects.length, 0);
    const errors = all.reduce((n, o) => n + validateManifests(o.objects, SCHEMA_OPTIONS).length, 0);
    // Lead's report line: "objects validated: N, schema errors: 0".
    expect({ outputs: all.length, objects, schemaErrors: errors }).toMatchSnapshot();
    expect(errors).toBe(0);
  });

  test('the PodMonitoring schema used for the GKE variant is strict (it is not a pass-through)', () => {
    const pm = variants.flatMap((o) => o.objects).find((o) => o.kind === 'PodMonitoring');
    expect(pm).toBeDefined();
    const bad = JSON.parse(JSON.stringify(pm)) as Obj;
    bad.spec.endpoints[0].bearerTokenSecret = { name: 'x' };
    bad.spec.endpoints[0].port = 70000;
    expect(validateManifests([bad], SCHEMA_OPTIONS).map((f) => f.path)).toEqual(expect.arrayContaining(['spec.endpoints[0].bearerTokenSecret', 'spec.endpoints[0].port']));
  });
});

describe('known deviation forced by chart parity', () => {
  test('fromHelmValues with gateway.tls.referenceGrant renders the chart\'s to[].namespace: the one strict-validation finding', () => {
    const { chart } = newChart('llm-d');
    istioGieGatewayFromHelmValues(chart, 'infra', {
      gateway: {
        listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', hostname: 'api.example.com', certificateRefs: [{ name: 'cert', namespace: 'certs' }] } }],
        tls: { referenceGrant: { enabled: true } },
      },
    }, { release: 'llm-d-infra', namespace: 'llm-d' });
    const found = validateManifests(synth(chart), SCHEMA_OPTIONS);
    expect(found.map((f) => `${f.kind} ${f.path}: ${f.message}`)).toEqual(['ReferenceGrant spec.to[0].namespace: unknown field "namespace"']);
  });
});
