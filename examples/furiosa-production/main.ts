// The seed stack (Furiosa-LLM + llm-d guide) run for production: Llama-3.1-8B-Instruct on RNGD,
// scaled by KEDA on the furiosa-llm request queue within a budget of 16 RNGD cards, disruption
// budgets that keep the pool serving through a node drain, alerts, Grafana dashboards, network
// policies that admit the Prometheus scrapes, and a benchmark Job against the gateway.
// `cdk8s synth` (from this folder) writes dist/. See docs/operations.md.
import { App } from 'cdk8s';
import { AutoscalerEngine, AutoscalingSignal, RngdServingStack } from 'cdk8s-llm-d';

export function buildApp(outdir?: string): { app: App; stack: RngdServingStack } {
  const app = new App(outdir ? { outdir } : {});
  const stack = new RngdServingStack(app, 'llm-d', {
    namespace: 'llm-d',
    models: [
      {
        model: 'furiosa-ai/Llama-3.1-8B-Instruct',
        tensorParallelism: 8,
        image: 'furiosaai/furiosa-llm:2026.1.0',
        // The autoscaler may run 16 pods, more than one node's 8 cards: the model volume must be
        // readable from every node (ReadWriteMany storage such as NFS, CephFS or EFS; see
        // docs/system-model.md for the other choices).
        storage: { download: { storageClassName: 'shared-rwx', accessModes: ['ReadWriteMany'] } },
      },
    ],
    networkPolicies: { monitoringNamespaces: ['monitoring'] },
    operations: {
      autoscaling: {
        engine: AutoscalerEngine.keda({ prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090' }),
        signal: AutoscalingSignal.queuePerPod(4),
        minReplicas: 2,
        acceleratorBudget: 16,
      },
      disruptionBudgets: true,
      alerts: { labels: { release: 'kube-prometheus-stack' } },
      dashboards: { folder: 'llm-d' },
      benchmark: { hfTokenSecret: { name: 'hf-token-secret' } },
    },
    prerequisites: { gatewayApiCrds: true, inferenceExtensionCrds: true, namespace: true, istiodValues: true },
  });
  return { app, stack };
}

if (require.main === module) {
  buildApp().app.synth();
}
