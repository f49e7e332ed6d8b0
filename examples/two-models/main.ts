// Two models behind one gateway, chosen by the `X-Gateway-Model-Name` header (requests without it
// go to Llama): Llama-3.1-8B at
// TP 8 (one RNGD per pod) and EXAONE-3.5-7.8B at TP 4 × DP 2 (two 4-PE replicas of the model in
// one pod, still one card).
import { App } from 'cdk8s';
import { RngdServingStack, synthApp } from '../../src';

export function buildApp(outdir?: string): { app: App; stack: RngdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new RngdServingStack(app, 'two-models', {
    namespace: 'llm-d',
    models: [
      { model: 'furiosa-ai/Llama-3.1-8B-Instruct', key: 'llama', tensorParallelism: 8, replicas: 2 },
      { model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', key: 'exaone', tensorParallelism: 4, dataParallelism: 2, replicas: 1 },
    ],
    networkPolicies: { monitoringNamespaces: ['monitoring'] },
    // Plain OpenAI clients send no X-Gateway-Model-Name header: they reach Llama.
    defaultModel: 'llama',
  });
  return { app, stack };
}

if (require.main === module) {
  console.log(synthApp(buildApp().app).summary);
}
