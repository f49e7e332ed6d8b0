/**
 * Props from a JavaScript caller (or JSON) can miss what the types require: each model service
 * refuses them with the field named, never with a TypeError from deep inside.
 */
import { FuriosaModelService, FuriosaModelServiceProps, ModelService, ModelServiceProps } from '../../src/model-service';
import { expectRefusal, newChart } from '../support';

type Build = (chart: ReturnType<typeof newChart>['chart'], props: unknown) => unknown;
const BUILDERS: Array<[string, Build]> = [
  ['FuriosaModelService', (chart, props) => new FuriosaModelService(chart, 'ms', props as FuriosaModelServiceProps)],
  ['ModelService', (chart, props) => new ModelService(chart, 'ms', props as ModelServiceProps)],
];

describe.each(BUILDERS)('%s with hostile props', (_name, build) => {
  test.each([undefined, null, 'hf://org/m', []])('modelArtifacts %p is refused at once', (art) => {
    expectRefusal((chart) => build(chart, { modelArtifacts: art }), [{ path: 'test/ms', field: 'modelArtifacts', value: art, allowed: 'an object with the model name and its uri or storage' }]);
  });

  test('a missing model name is reported as modelArtifacts.name', () => {
    expectRefusal((chart) => build(chart, { modelArtifacts: { uri: 'hf://org/m' } }), [{ path: 'test/ms', field: 'modelArtifacts.name', value: undefined, allowed: expect.stringMatching(/^the model name clients request, e\.g\. /) }]);
  });
});
