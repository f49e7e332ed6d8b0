// The Furiosa-LLM + llm-d guide on today's llm-d: the same stack as examples/furiosa-llama-3.1-8b
// with the scheduling stack of llm-d-router v0.10 (llm-d-router-endpoint-picker v0.10.0, Furiosa's
// metric names in the core-metrics-extractor's engineConfigs, Gateway API v1.5.1 and Inference
// Extension v1.6.0 CRDs as prerequisites). One option differs from the guide-pins example.
import { App } from 'cdk8s';
import { RngdServingStack, SchedulerRelease } from 'cdk8s-llm-d';

export function buildApp(outdir?: string): { app: App; stack: RngdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new RngdServingStack(app, 'llm-d', {
    namespace: 'llm-d',
    release: SchedulerRelease.LLM_D_ROUTER_V0_10,
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
