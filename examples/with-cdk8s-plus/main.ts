// The seed stack next to a team's own cdk8s-plus workload: a chat front end that may reach the
// inference gateway and DNS, and nothing else. The Hugging Face token Secret already exists in the
// cluster and is imported by name; every HF_TOKEN reference of the stack names it.
// `cdk8s synth` from this folder writes dist/.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { RngdServingStack } from 'cdk8s-llm-d';

export function buildApp(outdir?: string): { app: App; stack: RngdServingStack; frontEnd: Chart; chat: kplus.Deployment } {
  const app = new App(outdir ? { outdir } : {});
  const frontEnd = new Chart(app, 'chat', { namespace: 'chat' });

  const stack = new RngdServingStack(app, 'llm-d', {
    namespace: 'llm-d',
    models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct', tensorParallelism: 8, replicas: 2, image: 'furiosaai/furiosa-llm:2026.1.0' }],
    hfTokenSecret: kplus.Secret.fromSecretName(frontEnd, 'hf-token', 'team-hf-token'),
    networkPolicies: {},
  });

  const chat = new kplus.Deployment(frontEnd, 'web', {
    replicas: 2,
    // Deny everything not allowed below, in both directions.
    isolate: true,
    containers: [{
      image: 'ghcr.io/example/chat-ui:1.4.2',
      portNumber: 3000,
      envVariables: { OPENAI_BASE_URL: kplus.EnvValue.fromValue(`http://${stack.gateway.serviceName}.llm-d.svc.cluster.local/v1`) },
    }],
  });
  // Egress from the chat pods to the gateway pods, and an ingress policy on the gateway pods
  // (selected by gateway.networking.k8s.io/gateway-name) that admits the chat pods.
  chat.connections.allowTo(stack.gateway);
  // DNS, without touching kube-system's own policies.
  const dns = kplus.Pods.select(frontEnd, 'kube-dns', { labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(frontEnd, 'kube-system', { names: ['kube-system'] }) });
  chat.connections.allowTo(dns, { ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)], isolation: kplus.PodConnectionsIsolation.POD });

  return { app, stack, frontEnd, chat };
}

if (require.main === module) {
  buildApp().app.synth();
}
