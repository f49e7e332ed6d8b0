import { IModelServer } from '../../src/core/contracts';

/** A model server like FuriosaModelService of the guide (seed 000). */
export const fakeFuriosaServer: IModelServer = {
  podLabels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'Llama-3.1-8B-Instruct', 'llm-d.ai/role': 'decode' },
  servingPort: 8000,
  modelName: 'furiosa-ai/Llama-3.1-8B-Instruct',
  podNamespace: 'llm-d',
  metricsFlavor: 'furiosa',
};

/** A vLLM server. */
export function vllmServer(over: Partial<IModelServer> = {}): IModelServer {
  return {
    podLabels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'qwen', 'llm-d.ai/role': 'decode' },
    servingPort: 8000,
    modelName: 'Qwen/Qwen3-0.6B',
    podNamespace: 'llm-d',
    metricsFlavor: 'vllm',
    ...over,
  };
}
