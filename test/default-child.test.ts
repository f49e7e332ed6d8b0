/**
 * The cdk8s escape hatch works on every construct: `ApiObject.of(construct)` is its main object
 * (id `Resource`), and a JSON patch on it reaches the synthesized manifest.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IstioGieGateway } from '../src/gateway';
import { FuriosaModelService, ModelService } from '../src/model-service';
import { InferenceRoute } from '../src/routing';
import { InferenceSchedulerPool } from '../src/scheduler';
import { ModelPvcDownloader } from '../src/storage';
import { newChart, objectOf, synth } from './support';

interface Case {
  readonly name: string;
  readonly build: (chart: Chart) => IConstruct;
  readonly kind: string;
  readonly apiVersion: string;
}

const CASES: Case[] = [
  { name: 'IstioGieGateway', build: (c) => new IstioGieGateway(c, 'gw'), kind: 'Gateway', apiVersion: 'gateway.networking.k8s.io/v1' },
  {
    name: 'InferenceRoute',
    build: (c) => {
      const gateway = new IstioGieGateway(c, 'gw');
      const pool = new InferenceSchedulerPool(c, 'pool', { selector: { app: 'x' } });
      return new InferenceRoute(c, 'route', { gateway, backends: [{ pool }] });
    },
    kind: 'HTTPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
  },
  { name: 'ModelPvcDownloader (job)', build: (c) => new ModelPvcDownloader(c, 'dl', { repoId: 'furiosa-ai/Llama-3.1-8B-Instruct' }), kind: 'Job', apiVersion: 'batch/v1' },
  { name: 'ModelPvcDownloader (pod)', build: (c) => new ModelPvcDownloader(c, 'dl', { repoId: 'furiosa-ai/Llama-3.1-8B-Instruct', workload: 'pod' }), kind: 'Pod', apiVersion: 'v1' },
  { name: 'FuriosaModelService', build: (c) => new FuriosaModelService(c, 'ms', { modelArtifacts: { uri: 'hf://furiosa-ai/Llama-3.1-8B-Instruct', name: 'furiosa-ai/Llama-3.1-8B-Instruct' } }), kind: 'Deployment', apiVersion: 'apps/v1' },
  { name: 'ModelService', build: (c) => new ModelService(c, 'ms', { modelArtifacts: { uri: 'hf://Qwen/Qwen3-0.6B', name: 'Qwen/Qwen3-0.6B' } }), kind: 'Deployment', apiVersion: 'apps/v1' },
];

describe('node.defaultChild is the main object', () => {
  test.each(CASES)('$name: ApiObject.of() is its $kind, and addJsonPatch reaches the output', ({ build, kind, apiVersion }) => {
    const { chart } = newChart('llm-d');
    const construct = build(chart);
    const resource = ApiObject.of(construct);
    expect(resource.node.id).toBe('Resource');
    expect(resource.kind).toBe(kind);
    expect(resource.apiVersion).toBe(apiVersion);
    resource.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/owner': 'serving' }));
    const out = objectOf(synth(chart), kind, resource.name);
    expect(out.metadata.annotations).toEqual({ 'example.com/owner': 'serving' });
  });
});
