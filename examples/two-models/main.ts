// Two models behind one gateway, chosen by the model a plain OpenAI client names in the request
// body: the stack's body-based router copies it into the `X-Gateway-Model-Name` header the rules
// match on. Llama-3.1-8B at TP 8 (one RNGD per pod) runs as a 90/10 canary of two images;
// EXAONE-3.5-7.8B at TP 4 × DP 2 (two 4-PE replicas of the model in one pod, still one card).
// A request for a model the stack does not serve gets a 404 from the gateway.
import { App } from 'cdk8s';
import { RngdServingStack } from 'cdk8s-llm-d';

const LLAMA = 'furiosa-ai/Llama-3.1-8B-Instruct';

export function buildApp(outdir?: string): { app: App; stack: RngdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new RngdServingStack(app, 'two-models', {
    namespace: 'llm-d',
    models: [
      { model: LLAMA, key: 'llama', tensorParallelism: 8, replicas: 2, image: 'furiosaai/furiosa-llm:2026.1.0', routing: { weight: 90 } },
      // The canary serves the same model from its own claim: 10 % of the requests that name it.
      { model: LLAMA, key: 'llama-canary', tensorParallelism: 8, replicas: 1, image: 'furiosaai/furiosa-llm:2026.1.1', routing: { weight: 10 } },
      { model: 'furiosa-ai/EXAONE-3.5-7.8B-Instruct', key: 'exaone', tensorParallelism: 4, dataParallelism: 2, replicas: 1 },
    ],
    networkPolicies: { monitoringNamespaces: ['monitoring'] },
  });
  return { app, stack };
}

if (require.main === module) {
  buildApp().app.synth();
}
