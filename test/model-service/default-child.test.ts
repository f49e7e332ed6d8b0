import { ApiObject, JsonPatch } from 'cdk8s';
import { FuriosaModelService, ModelService } from '../../src/model-service';
import { newChart, objectOf, synth } from '../support';

describe('the main workload is the default child', () => {
  test('FuriosaModelService: ApiObject.of(ms) is the decode Deployment and takes JSON patches', () => {
    const { chart } = newChart('llm-d');
    const ms = new FuriosaModelService(chart, 'ms', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' } });
    const workload = ApiObject.of(ms);
    expect(workload).toBe(ms.deployment);
    expect(workload.kind).toBe('Deployment');
    workload.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    expect(objectOf(synth(chart), 'Deployment', 'ms-llm-d-modelservice-decode').spec.minReadySeconds).toBe(30);
  });

  test('ModelService: ApiObject.of(ms) is the decode Deployment', () => {
    const { chart } = newChart('llm-d');
    const ms = new ModelService(chart, 'ms', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' }, prefill: {} });
    expect(ApiObject.of(ms)).toBe(ms.decodeDeployment);
    ApiObject.of(ms).addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    const objects = synth(chart);
    expect(objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-decode').spec.minReadySeconds).toBe(30);
    expect(objectOf(objects, 'Deployment', 'ms-llm-d-modelservice-prefill').spec.minReadySeconds).toBeUndefined();
  });

  test('ModelService without decode: ApiObject.of(ms) is the prefill Deployment', () => {
    const { chart } = newChart('llm-d');
    const ms = new ModelService(chart, 'ms', { modelArtifacts: { name: 'o/m', uri: 'hf://o/m' }, decode: { create: false }, prefill: {} });
    expect(ms.decodeDeployment).toBeUndefined();
    expect(ApiObject.of(ms)).toBe(ms.prefillDeployment);
  });

  test('ModelService multinode: ApiObject.of(ms) is the decode LeaderWorkerSet', () => {
    const { chart } = newChart('llm-d');
    const ms = new ModelService(chart, 'ms', { multinode: true, modelArtifacts: { name: 'o/m', uri: 'hf://o/m' }, decode: { parallelism: { workers: 2 } } });
    expect(ApiObject.of(ms).kind).toBe('LeaderWorkerSet');
    expect(ApiObject.of(ms)).toBe(ms.decodeDeployment);
  });
});
