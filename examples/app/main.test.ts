import { Testing } from 'cdk8s';
import { RngdServingStack } from 'cdk8s-llm-d';
import { checkApp } from 'cdk8s-llm-d/testing';

test('the serving stack', () => {
  const app = Testing.app();
  const stack = new RngdServingStack(app, 'llm-d', {
    namespace: 'llm-d',
    models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', image: 'furiosaai/furiosa-llm:2026.1.0', tensorParallelism: 8, replicas: 2 }],
  });
  // The running system: placement, volumes, start-up order, request and metric paths.
  expect(checkApp(app).filter((f) => f.severity === 'error')).toEqual([]);
  expect(Testing.synth(stack)).toMatchSnapshot();
});
