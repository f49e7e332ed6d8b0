/**
 * Props from a JavaScript caller (or JSON) can miss what the types require: each model service
 * refuses them with the field named, never with a TypeError from deep inside.
 */
import { LlmdValidationError } from '../../src/core/errors';
import { FuriosaModelService, FuriosaModelServiceProps, ModelService, ModelServiceProps } from '../../src/model-service';
import { newChart, problemsOf } from '../support';

type Build = (chart: ReturnType<typeof newChart>['chart'], props: unknown) => unknown;
const BUILDERS: Array<[string, Build]> = [
  ['FuriosaModelService', (chart, props) => new FuriosaModelService(chart, 'ms', props as FuriosaModelServiceProps)],
  ['ModelService', (chart, props) => new ModelService(chart, 'ms', props as ModelServiceProps)],
];

describe.each(BUILDERS)('%s with hostile props', (_name, build) => {
  test.each([undefined, null, 'hf://org/m', []])('modelArtifacts %p is refused at once', (art) => {
    let error: unknown;
    try {
      build(newChart('llm-d').chart, { modelArtifacts: art });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmdValidationError);
    expect((error as LlmdValidationError).problems[0]).toMatchObject({ path: 'test/ms', field: 'modelArtifacts', allowed: 'an object with the model name and its uri or storage' });
  });

  test('a missing model name is reported as modelArtifacts.name', () => {
    const { chart } = newChart('llm-d');
    build(chart, { modelArtifacts: { uri: 'hf://org/m' } });
    expect(problemsOf(chart).join('\n')).toMatch(/modelArtifacts\.name: value undefined is not allowed; allowed: the model name clients request/);
  });
});
