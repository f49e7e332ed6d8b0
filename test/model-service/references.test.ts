import { ISecretReference, IServiceAccountReference } from '../../src/core/contracts';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { expectRefusal, newChart, objectOf, synth } from '../support';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';

/** What a cdk8s-plus `ISecret` / `IServiceAccount` looks like to us: a `name` among other members. */
const plusLikeSecret: ISecretReference & { readonly resourceType: string } = { name: 'hf-token', resourceType: 'secrets' };
const plusLikeServiceAccount: IServiceAccountReference & { readonly resourceType: string } = { name: 'shared-sa', resourceType: 'serviceaccounts' };

describe('references are objects with a name', () => {
  test('FuriosaModelService: authSecret and serviceAccount take any object with a name', () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}`, authSecret: plusLikeSecret }, serviceAccount: plusLikeServiceAccount });
    const objects = synth(chart);
    const pod = objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.template.spec;
    expect(pod.serviceAccountName).toBe('shared-sa');
    expect(pod.containers[0].env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } });
    expect(objects.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    expect(ms.authSecretName).toBe('hf-token');
    expect(ms.serviceAccountName).toBe('shared-sa');
  });

  test('ModelService: authSecret and serviceAccount take any object with a name', () => {
    const { chart } = newChart('llm-d');
    const ms = new ModelService(chart, 'vllm', { modelArtifacts: { name: 'facebook/opt-125m', uri: 'hf://facebook/opt-125m', authSecret: plusLikeSecret }, serviceAccount: plusLikeServiceAccount });
    const objects = synth(chart);
    const pod = objectOf(objects, 'Deployment', 'vllm-llm-d-modelservice-decode').spec.template.spec;
    expect(pod.serviceAccountName).toBe('shared-sa');
    expect(pod.containers[0].env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } } });
    expect(objects.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    expect(ms.serviceAccountName).toBe('shared-sa');
  });

  test.each([
    ['FuriosaModelService', (chart: ReturnType<typeof newChart>['chart']) => new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: MODEL, uri: `hf://${MODEL}` }, serviceAccount: { name: 'Not A Name' } })],
    ['ModelService', (chart: ReturnType<typeof newChart>['chart']) => new ModelService(chart, 'ms', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' }, serviceAccount: { name: 'Not A Name' } })],
  ])('%s: a ServiceAccount reference with a bad name is refused naming serviceAccount.name', (_name, build) => {
    expectRefusal(build, [
      { path: 'test/ms', field: 'serviceAccount.name', value: 'Not A Name', allowed: 'a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit' },
    ]);
  });
});
