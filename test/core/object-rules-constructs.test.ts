/**
 * Typed props that the constructs pass through to Kubernetes: the API server's rules refuse them
 * at synth, at the construct path of the object, with the manifest field, the value and what is
 * allowed; a value the construct itself refused is not reported twice.
 */
import { IInferencePoolRef } from '../../src/core/contracts';
import { FuriosaModelService } from '../../src/model-service';
import { InferenceRoute } from '../../src/routing';
import { expectRefusal, newChart, problemsFrom } from '../support';
import { ReportedProblem } from '../../src';
import { validatedChartManifests } from '../../src/synth/validate';

const problems = problemsFrom;

const MODEL = { name: 'furiosa-ai/Llama-3.1-8B-Instruct', uri: 'hf://furiosa-ai/Llama-3.1-8B-Instruct' };

test('a duplicate env name in FuriosaModelService props is refused at the Deployment (server-side apply rejects it)', () => {
  const found = problems((chart) => new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { containers: [{ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }] } }));
  expect(found).toEqual([
    expect.objectContaining({ path: expect.stringMatching(/^[^/]+\/ms\//), field: 'spec.template.spec.containers[0].env[1].name', value: 'A', allowed: expect.stringContaining('each env name once per container'), why: expect.stringContaining('server-side apply') }),
  ]);
});

test('a duplicate container port in FuriosaModelService props is refused; with the CLI\'s switch it is a warning', () => {
  const build = (chart: Parameters<Parameters<typeof problems>[0]>[0]) => new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { containers: [{ ports: [{ containerPort: 9000, name: 'a' }, { containerPort: 9000, name: 'b' }] }] } });
  expectRefusal(build, [
    { path: 'test/ms/Resource', field: 'spec.template.spec.containers[0].ports[1].containerPort', value: 9000, allowed: 'each containerPort and protocol once per container', why: expect.stringContaining('server-side apply (kubectl apply --server-side, Argo CD, Flux)') },
  ]);
  const { chart } = newChart('llm-d');
  build(chart);
  const warnings: ReportedProblem[] = [];
  validatedChartManifests(chart, (w) => warnings.push(w), { keepChartOutput: true });
  expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ value: 9000, allowed: 'each containerPort and protocol once per container' })]));
  expectRefusal(chart, [
    { path: 'test/ms/Resource', field: 'spec.template.spec.containers[0].ports[1].containerPort', value: 9000, allowed: 'each containerPort and protocol once per container', why: expect.stringContaining('server-side apply (kubectl apply --server-side, Argo CD, Flux)') },
  ]);
});

test('an unknown field in a container passthrough is refused by the schema check', () => {
  const found = problems((chart) => new FuriosaModelService(chart, 'ms', { modelArtifacts: MODEL, decode: { containers: [{ extraConfig: { restartPolicyy: 'Always' } }] } }));
  expect(found).toEqual([expect.objectContaining({ field: 'spec.template.spec.containers[0].restartPolicyy', value: 'Always', why: expect.stringContaining('unknown field') })]);
});

test.each<[string, object, string, string]>([
  ['a header value with CR/LF', { headers: [{ name: 'X-Gateway-Model-Name', value: 'a\r\nX-Evil: 1' }] }, 'matches[0].headers[0].value', 'a value without CR, LF or NUL characters'],
  ['a path regex that does not compile', { path: { type: 'RegularExpression', value: '/v1/(' } }, 'matches[0].path.value', 'a regular expression that compiles (RE2 syntax)'],
  ['a query regex that does not compile', { queryParams: [{ name: 'model', type: 'RegularExpression', value: '[' }] }, 'matches[0].queryParams[0].value', 'a regular expression that compiles (RE2 syntax)'],
])('InferenceRoute refuses %s once, at the prop', (_name, match, field, allowed) => {
  const pool: IInferencePoolRef = { poolName: 'pool', poolNamespace: 'llm-d', poolGroup: 'inference.networking.k8s.io', servedPorts: [8000] };
  const found = problems((chart) => new InferenceRoute(chart, 'route', { gateway: InferenceRoute.gatewayRef({ name: 'gw', namespace: 'llm-d' }), backends: [{ pool }], matches: [match as never] }));
  const mine = found.filter((p) => p.allowed === allowed);
  expect(mine).toHaveLength(1);
  expect(mine[0].field).toBe(field);
});
