// llm-d's prefill/decode disaggregation guide (seed 004) as one cdk8s app: Llama-3.1-8B-Instruct
// on vLLM, 8 prefill and 8 decode pods with one GPU each (data parallelism by replicas, TP 1),
// the routing sidecar on the decode pods (vLLM on 8200, the sidecar on 8000), KV-cache transfer
// over NIXL, and an endpoint picker with the prefill/decode scheduler config.
// `cdk8s synth` (from this folder) writes dist/.
import { App } from 'cdk8s';
import { LlmdServingStack, ModelServerEngine, SchedulerRelease } from 'cdk8s-llm-d';
import type { ModelServiceRoleOptions } from 'cdk8s-llm-d';

/** One GPU per pod: 100Gi, 22 CPUs and 16Gi of shared memory, as the seed sizes them. */
function onePodPerGpu(role: 'prefill' | 'decode'): ModelServiceRoleOptions {
  return {
    replicas: 8,
    containers: [
      {
        name: 'vllm',
        modelCommand: 'vllmServe',
        // The stack adds the NIXL KV connector (--kv-transfer-config) and its side channel on both roles.
        args: ['--disable-uvicorn-access-log'],
        env: [{ name: 'CUDA_VISIBLE_DEVICES', value: '0' }, { name: 'UCX_TLS', value: 'cuda_ipc,cuda_copy,tcp' }],
        resources: { requests: { cpu: '22', memory: '100Gi' }, limits: { memory: '100Gi' } },
        mountModelVolume: true,
        volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
        ...(role === 'prefill' ? { ports: [{ containerPort: 8000, name: 'metrics', protocol: 'TCP' as const }] } : { ports: [{ containerPort: 8200, name: 'metrics', protocol: 'TCP' as const }] }),
      },
    ],
    volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } }],
  };
}

export function buildApp(outdir?: string): { app: App; stack: LlmdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new LlmdServingStack(app, 'pd-disaggregation', {
    namespace: 'llm-d-llama31',
    release: SchedulerRelease.LLM_D_ROUTER_V0_10,
    hfTokenSecret: { name: 'llm-d-hf-token' },
    gateway: { releaseName: 'infra-llama31', service: { type: 'ClusterIP' } },
    models: [
      {
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        storage: { uri: 'hf://meta-llama/Llama-3.1-8B-Instruct' },
        engine: ModelServerEngine.vllm({
          releaseName: 'ms-llama31',
          modelArtifacts: { size: '200Gi' },
          routing: { servicePort: 8000, proxy: { image: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.3.0', connector: 'nixlv2', secure: false, zapEncoder: 'json', zapLogLevel: 'debug' } },
          decode: onePodPerGpu('decode'),
          prefill: onePodPerGpu('prefill'),
        }),
        names: { pool: 'gaie-llama31' },
      },
    ],
    prerequisites: { gatewayApiCrds: true, inferenceExtensionCrds: true, namespace: true },
  });
  return { app, stack };
}

if (require.main === module) {
  buildApp().app.synth();
}
