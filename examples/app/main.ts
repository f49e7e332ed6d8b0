import { App } from 'cdk8s';
import { RngdServingStack } from 'cdk8s-llm-d';

const app = new App();
new RngdServingStack(app, 'llm-d', {
  namespace: 'llm-d',
  models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', image: 'furiosaai/furiosa-llm:2026.1.0', tensorParallelism: 8, replicas: 2 }],
});
app.synth();
