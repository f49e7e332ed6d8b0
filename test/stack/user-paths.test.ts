/**
 * A stack builds model services, pools, downloaders, a gateway and a route from the props the user
 * wrote: a refused value is reported at the stack, named by that prop (`models[0].tensorParallelism`),
 * not by the built construct's own field (`decode.parallelism.tensor` at `llm-d/model/server`), and
 * every problem of the app comes in one error.
 */
import { App } from 'cdk8s';
import { LlmdValidationError, ReportedProblem } from '../../src/core/errors';
import { LlmdServingStack, ModelServerEngine, RngdServingStack } from '../../src/stack';
import { validateTree } from '../../src/synth/validate';

const MODEL = 'furiosa-ai/Llama-3.1-8B-Instruct';

function refusal(build: (app: App) => void): ReportedProblem[] {
  const app = new App({ outdir: '/nonexistent' });
  build(app);
  try {
    validateTree(app);
  } catch (e) {
    if (e instanceof LlmdValidationError) return e.problems.map(({ path, field, value, allowed }) => ({ path, field, value, allowed }) as ReportedProblem);
    throw e;
  }
  throw new Error('not refused');
}

describe('RngdServingStack: problems named by the model props the user wrote', () => {
  test('engine options on the model, maxRngdPerNode once on the stack, every problem at once', () => {
    const problems = refusal((app) => new RngdServingStack(app, 'llm-d', {
      maxRngdPerNode: 0,
      models: [
        { model: MODEL, tensorParallelism: 0, replicas: -1 },
        { model: 'bad id!!', servingArgs: ['--enable-prefix-caching', 'a\u0001'] },
      ],
    }));
    expect(problems).toEqual([
      { path: 'llm-d', field: 'models[0].tensorParallelism', value: 0, allowed: 'a positive integer' },
      { path: 'llm-d', field: 'models[0].replicas', value: -1, allowed: 'a non-negative integer' },
      // Both models' services are built from it: reported once.
      { path: 'llm-d', field: 'maxRngdPerNode', value: 0, allowed: 'a positive integer' },
      { path: 'llm-d', field: 'models[1].model', value: 'bad id!!', allowed: expect.stringContaining('a Hugging Face repository id') },
      // (No "at most 0 RNGD per pod" for models[1]: it follows from maxRngdPerNode.)
      { path: 'llm-d', field: 'models[1].servingArgs[1]', value: 'a\u0001', allowed: expect.stringContaining('text without NUL or other control characters') },
    ]);
  });

  test('cards per pod beyond a node: named by the tensor parallelism the user wrote', () => {
    expect(refusal((app) => new RngdServingStack(app, 'llm-d', { maxRngdPerNode: 1, models: [{ model: MODEL, tensorParallelism: 16 }] }))).toEqual([
      { path: 'llm-d', field: 'models[0].tensorParallelism', value: 16, allowed: 'at most 1 RNGD per pod' },
    ]);
  });

  test('a model-service override is named under modelService; an image under image, once for the downloader and the servers that run it', () => {
    const problems = refusal((app) => new RngdServingStack(app, 'llm-d', {
      models: [{ model: MODEL, image: ' ', modelService: { decode: { parallelism: { tensor: 0 } } } }],
    }));
    expect(problems).toEqual([
      { path: 'llm-d', field: 'models[0].image', value: ' ', allowed: expect.stringContaining('an image reference') },
      { path: 'llm-d', field: 'models[0].modelService.decode.parallelism.tensor', value: 0, allowed: 'a positive integer' },
    ]);
  });
});

describe('LlmdServingStack: engine, pool, download, gateway and route props', () => {
  test('each refused value names its prop, all in one error', () => {
    const problems = refusal((app) => new LlmdServingStack(app, 'gpu', {
      routeName: 'Not_A_Name',
      gateway: { listeners: [{ name: 'default', port: 0, protocol: 'HTTP' }] } as never,
      models: [{
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        engine: ModelServerEngine.vllm({ decode: { replicas: -2 } }),
        pool: { epp: { replicas: -1 } },
        storage: { download: { storageSize: 'lots' } },
      }],
    }));
    const fields = problems.map((p) => `${p.path} ${p.field}`);
    expect(fields).toEqual(expect.arrayContaining([
      'gpu gateway.listeners[0].port',
      'gpu routeName',
      'gpu models[0].engine.decode.replicas',
      'gpu models[0].pool.epp.replicas',
      'gpu models[0].storage.download.storageSize',
    ]));
    // Nothing is named by a built construct's own path.
    expect(problems.filter((p) => p.path !== 'gpu')).toEqual([]);
  });
});
