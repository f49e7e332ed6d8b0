/**
 * examples/vllm-inference-scheduling (seed 003) and examples/vllm-pd-disaggregation (seed 004):
 * each stack contains the real `helm template` output of the three charts it replaces, rendered
 * with matching values (test/fixtures/examples/<example>/{ms,gaie,infra}), validates against the
 * schemas and CRDs, and is snapshotted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp as schedulingApp } from '../../examples/vllm-inference-scheduling/main';
import { buildApp as pdApp } from '../../examples/vllm-pd-disaggregation/main';
import { synthApp } from '../../src';
import { validateManifests } from '../../src/testing';
import { expectContains, FIXTURES, objectOf } from '../support';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-vllm-example-'));
const expected = (example: string, part: string): string => fs.readFileSync(path.join(FIXTURES, 'examples', example, part, 'expected.yaml'), 'utf8');

describe.each([
  ['vllm-inference-scheduling', schedulingApp],
  ['vllm-pd-disaggregation', pdApp],
] as const)('examples/%s', (example, build) => {
  const { app, stack } = build(tmp());
  const objects = stack.toJson() as Record<string, any>[];

  test.each(['ms', 'gaie', 'infra'])('contains every object and field of helm template of the %s chart', (part) => {
    expectContains(expected(example, part), objects);
  });

  test('validates against the Kubernetes schemas and the vendored CRDs', () => {
    expect(validateManifests(objects, { allowUnvalidated: [] }).map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
  });

  test('synthesizes one stack: gateway, pool, EPP, model servers, route', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ['Gateway', 'InferencePool', 'Deployment', 'HTTPRoute', 'ConfigMap', 'DestinationRule']) expect(kinds).toContain(k);
    const route = objectOf(objects, 'HTTPRoute');
    expect(route.spec.parentRefs[0].name).toBe(stack.gateway.gatewayName);
    expect(route.spec.rules[0].backendRefs[0]).toEqual(expect.objectContaining({ kind: 'InferencePool', name: stack.models[0].pool.poolName }));
    const out = tmp();
    synthApp(Object.assign(app, { outdir: out }));
    expect(fs.readdirSync(out).sort()).toEqual([`0000-${stack.node.id}-prerequisites.k8s.yaml`, `0001-${stack.node.id}.k8s.yaml`, `${stack.node.id}.README.md`]);
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('seed 004 wiring', () => {
  const { stack } = pdApp(tmp());
  const objects = stack.toJson() as Record<string, any>[];
  const decode = objectOf(objects, 'Deployment', 'ms-llama31-llm-d-modelservice-decode').spec.template.spec;
  const prefill = objectOf(objects, 'Deployment', 'ms-llama31-llm-d-modelservice-prefill').spec;
  const pool = objectOf(objects, 'InferencePool', 'gaie-llama31').spec;

  test('the pool calls the routing sidecar, which calls vLLM on the decode container\'s real port', () => {
    const sidecar = decode.initContainers.find((c: any) => c.name === 'routing-proxy');
    const vllm = decode.containers.find((c: any) => c.name === 'vllm');
    expect(pool.targetPorts).toEqual([{ number: 8000 }]);
    expect(sidecar.args).toEqual(expect.arrayContaining(['--port=8000', '--vllm-port=8200', '--connector=nixlv2']));
    expect(vllm.args).toEqual(expect.arrayContaining(['--port', '8200']));
    expect(vllm.ports).toEqual([{ containerPort: 8200, name: 'metrics', protocol: 'TCP' }]);
  });

  test('the pool selects decode and prefill pods; 8 + 8 pods of one GPU, no vLLM data parallelism', () => {
    expect(pool.selector.matchLabels).toEqual({ 'llm-d.ai/inference-serving': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct' });
    expect(prefill.replicas).toBe(8);
    expect(prefill.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(prefill.template.spec.containers[0].args).not.toContain('--data-parallel-size');
  });

  test('the endpoint picker runs the prefill/decode config', () => {
    const config = objectOf(objects, 'ConfigMap', 'gaie-llama31-epp').data['custom-plugins.yaml'];
    expect(config).toContain('type: disagg-profile-handler');
    expect(config).toContain('name: prefill');
    expect(config).toContain('name: decode');
  });
});
