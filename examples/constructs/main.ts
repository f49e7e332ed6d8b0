// The building blocks wired by hand: every reference is an object, not a name.
import { App, Chart } from 'cdk8s';
import { FuriosaModelService, InferenceRoute, InferenceSchedulerPool, IstioGieGateway, ModelPvcDownloader, PoolProvider } from 'cdk8s-llm-d';

const app = new App();
const chart = new Chart(app, 'llama', { namespace: 'llm-d' });

const gateway = new IstioGieGateway(chart, 'gateway');
const weights = new ModelPvcDownloader(chart, 'weights', { repoId: 'furiosa-ai/Llama-3.1-8B-Instruct' });
const server = new FuriosaModelService(chart, 'ms', {
  modelArtifacts: { name: 'furiosa-ai/Llama-3.1-8B-Instruct', storage: weights },
  decode: { replicas: 2, parallelism: { tensor: 8 } },
});
const pool = new InferenceSchedulerPool(chart, 'gaie', { provider: PoolProvider.istio() });
pool.addModelServer(server); // selector = pod labels, targetPort = serving port, furiosa metrics
new InferenceRoute(chart, 'route', { gateway }).addBackend(pool);

if (require.main === module) app.synth();
export { app };
