// The Furiosa-LLM + llm-d guide (steps 1-6) as one cdk8s app: Llama-3.1-8B-Instruct on RNGD,
// TP 8 (one card per pod), two replicas, behind an Istio inference gateway.
// `npm run synth` (from the repository root) or `cdk8s synth` (from this folder) writes dist/.
import { App } from 'cdk8s';
import { RngdServingStack } from 'cdk8s-llm-d';

export function buildApp(outdir?: string): { app: App; stack: RngdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new RngdServingStack(app, 'llm-d', {
    namespace: 'llm-d',
    models: [
      {
        model: 'furiosa-ai/Llama-3.1-8B-Instruct',
        tensorParallelism: 8,
        replicas: 2,
        // The guide runs the floating `latest` tag; pin a release in production.
        image: 'furiosaai/furiosa-llm:latest',
        storage: { download: { storageClassName: 'default' } },
      },
    ],
    prerequisites: { gatewayApiCrds: true, inferenceExtensionCrds: true, namespace: true, istiodValues: true },
  });
  return { app, stack };
}

if (require.main === module) {
  buildApp().app.synth();
}
