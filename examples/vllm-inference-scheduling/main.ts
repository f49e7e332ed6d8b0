// llm-d's inference-scheduling guide (seed 003) as one cdk8s app: Llama-3.1-8B-Instruct on vLLM,
// 4 decode replicas x TP 1 (one GPU each), the model cached once on a 50Gi PVC, the endpoint
// picker's multi-factor scoring (queue + KV-cache + prefix-cache), an Istio inference gateway
// with a ClusterIP Service, and a PodMonitor for vLLM's metrics.
// `cdk8s synth` (from this folder) writes dist/.
import { App } from 'cdk8s';
import { EndpointPickerConfig, LlmdServingStack, ModelServerEngine, SchedulerRelease } from 'cdk8s-llm-d';

/** The seed's custom-scorers.yaml: llm-d-router's default plugins, weighted queue depth 1, KV-cache use 2, prefix-cache hits 3. */
export const MULTI_FACTOR_SCORING = {
  ...EndpointPickerConfig.routerDefaultPlugins(),
  schedulingProfiles: [
    {
      name: 'default',
      plugins: [
        { pluginRef: 'queue-scorer', weight: 1 },
        { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
        { pluginRef: 'prefix-cache-scorer', weight: 3 },
      ],
    },
  ],
};

export function buildApp(outdir?: string): { app: App; stack: LlmdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new LlmdServingStack(app, 'inference-scheduling', {
    namespace: 'llm-d-inference-scheduling',
    release: SchedulerRelease.LLM_D_ROUTER_V0_10,
    hfTokenSecret: { name: 'llm-d-hf-token' },
    gateway: { releaseName: 'infra-inference-scheduling', service: { type: 'ClusterIP' } },
    models: [
      {
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        storage: { download: { storageSize: '50Gi' } },
        engine: ModelServerEngine.vllm({
          releaseName: 'ms-inference-scheduling',
          routing: { proxy: { secure: false, zapEncoder: 'json', zapLogLevel: 'debug' } },
          decode: {
            replicas: 4,
            parallelism: { tensor: 1 },
            containers: [
              {
                name: 'vllm',
                modelCommand: 'vllmServe',
                args: ['--disable-uvicorn-access-log', '--gpu-memory-utilization', '0.90'],
                resources: { requests: { cpu: '8', memory: '64Gi' }, limits: { memory: '64Gi' } },
                mountModelVolume: true,
              },
            ],
            monitoring: { podmonitor: { enabled: true } },
          },
        }),
        names: { pool: 'gaie-inference-scheduling' },
        pool: {
          epp: {
            config: MULTI_FACTOR_SCORING,
            configFile: 'custom-scorers.yaml',
          },
        },
      },
    ],
    prerequisites: { gatewayApiCrds: true, inferenceExtensionCrds: true, namespace: true },
  });
  return { app, stack };
}

if (require.main === module) {
  buildApp().app.synth();
}
