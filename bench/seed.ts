// Bench entry point: the seed-000 stack (the three charts helm renders side by side, plus the
// route and downloader), synthesized to $CDK8S_OUTDIR like a user's app.
import { App } from 'cdk8s';
import { RngdServingStack, synthApp } from '../src';

const app = new App();
new RngdServingStack(app, 'llm-d', {
  namespace: 'llm-d',
  models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', tensorParallelism: 8, replicas: 2, image: 'furiosaai/furiosa-llm:latest', storage: { download: { storageClassName: 'default' } } }],
});
synthApp(app);
