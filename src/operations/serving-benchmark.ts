import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { IPersistentVolumeClaimReference, ISecretReference } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { checkDns1123Label } from '../core/names';
import { INT32_MAX, integerProblem } from '../core/object-rules/json';
import { hashedName, hashedNameProblem } from '../core/stable-hash';
import type { IstioGieGateway } from '../gateway/istio-gie-gateway';
import { plainProps } from '../core/plain-props';

/** The pinned benchmark client: vLLM's `vllm bench serve`. */
export const DEFAULT_BENCHMARK_IMAGE = 'vllm/vllm-openai:v0.11.0';

export interface ServingBenchmarkProps {
  /** The stack's gateway the load goes through (its Istio Service). Must be part of this app. */
  readonly gateway: IstioGieGateway;
  /** Model name the requests ask for (and the tokenizer to load). */
  readonly model: string;
  /**
   * Name of the Job before its hash: the Job is `<name>-<hash>`, the hash (10 hex digits) of its
   * spec, because a Job's pod template is immutable: a changed benchmark is a new Job rather than
   * an apply the API server refuses. Prune old Jobs with `kubectl apply --prune` or the pruning of
   * Argo CD or Flux. A DNS-1123 label of at most 52 characters.
   * @default 'llm-d-benchmark'
   */
  readonly name?: string;
  /** Namespace of the Job. @default - the chart's namespace */
  readonly namespace?: string;
  /** Image with `vllm bench serve`. @default DEFAULT_BENCHMARK_IMAGE */
  readonly image?: string;
  /** One run per concurrency, in order. @default [32, 64, 128] (seed 004's) */
  readonly concurrencies?: readonly number[];
  /** Prompts per run. @default 200 */
  readonly numPrompts?: number;
  /** Random input tokens per prompt. @default 1024 */
  readonly inputTokens?: number;
  /** Random output tokens per prompt. @default 1024 */
  readonly outputTokens?: number;
  /** Secret with `HF_TOKEN`, for gated tokenizers (Llama). @default - none */
  readonly hfTokenSecret?: ISecretReference;
  /** Also write the JSON results to this claim (under /results). @default - results in the log only */
  readonly resultsClaim?: IPersistentVolumeClaimReference;
  /**
   * UID (and GID, and `fsGroup` of a results claim) the benchmark runs as. The image's default
   * user is root; `vllm bench serve` needs only its HOME (an emptyDir) and the results claim.
   * 0 runs it as root, as the image does.
   * @default 1000
   */
  readonly runAsUser?: number;
}

/**
 * A Job that loads the stack through its gateway with `vllm bench serve` (seed 004's load:
 * random 1k in / 1k out, concurrency 32, 64, 128, 200 prompts each) and prints the results;
 * optionally saves them on a claim. Run it after the model servers are ready:
 * `kubectl wait --for=condition=complete job/<jobName>`. The Job is named `<name>-<hash of its
 * spec>` (Job pod templates are immutable, so a changed benchmark is a new Job).
 */
export class ServingBenchmark extends Construct {
  /** The benchmark Job. */
  public readonly job: ApiObject;
  /** Its name, `<name>-<hash of the Job spec>` (`kubectl logs job/<jobName>`). */
  public readonly jobName: string;

  constructor(scope: Construct, id: string, props: ServingBenchmarkProps) {
    super(scope, id);
    props = plainProps(this, props);
    const ns = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const gw = props.gateway;
    const url = `http://${gw.serviceName}.${gw.gatewayNamespace}.svc.cluster.local:${gw.httpPort}`;
    // A number refused below (benchmarkProblems) is written as a stand-in: the synth fails on the
    // refusal, and the command line of the Job never written holds no follow-on of it (1e+21).
    const count = (v: number | undefined, standIn: number): number => (v === undefined || countProblem('', v) !== undefined ? standIn : v);
    const runs = (props.concurrencies ?? [32, 64, 128]).map((c) => count(c, 1)).map((c) => [
      'vllm bench serve --backend openai-chat --endpoint /v1/chat/completions',
      `--base-url "$TARGET" --model "$MODEL" --dataset-name random`,
      `--random-input-len ${count(props.inputTokens, 1024)} --random-output-len ${count(props.outputTokens, 1024)}`,
      `--num-prompts ${count(props.numPrompts, 200)} --max-concurrency ${c}`,
      ...(props.resultsClaim ? [`--save-result --result-dir /results --result-filename concurrency-${c}.json`] : []),
    ].join(' '));
    const uid = props.runAsUser ?? 1000;
    const volumes = [{ name: 'home', emptyDir: {} }, ...(props.resultsClaim ? [{ name: 'results', persistentVolumeClaim: { claimName: props.resultsClaim.name } }] : [])];
    const spec = {
      backoffLimit: 0,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'llm-d-benchmark' } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: uid === 0 ? { seccompProfile: { type: 'RuntimeDefault' } } : { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'benchmark',
              image: props.image ?? DEFAULT_BENCHMARK_IMAGE,
              command: ['/bin/sh', '-c', ['set -e', ...runs].join('\n')],
              env: [
                { name: 'TARGET', value: url },
                { name: 'MODEL', value: props.model },
                { name: 'HOME', value: '/home/bench' },
                // vLLM looks its user up at start-up: a UID not in the image's /etc/passwd needs USER.
                { name: 'USER', value: 'bench' },
                ...(props.hfTokenSecret ? [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: props.hfTokenSecret.name, key: 'HF_TOKEN' } } }] : []),
              ],
              resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [{ name: 'home', mountPath: '/home/bench' }, ...(props.resultsClaim ? [{ name: 'results', mountPath: '/results' }] : [])],
            },
          ],
          volumes,
        },
      },
    };
    // A Job's pod template is immutable: name the Job after its spec, so a changed spec is a new Job.
    this.jobName = hashedName(props.name ?? 'llm-d-benchmark', spec);
    this.job = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.jobName, namespace: ns, labels: { 'app.kubernetes.io/name': 'llm-d-benchmark' } },
      spec,
    });
    addProblems(this, () => benchmarkProblems(this, props));
  }
}

/** A count written into the command line: bounded, so it prints as plain digits `vllm bench serve` parses (never 1e+21). */
function countProblem(field: string, value: unknown): Problem | undefined {
  return integerProblem(field, value, 1, INT32_MAX, `an integer from 1 to ${INT32_MAX}`);
}

function benchmarkProblems(self: Construct, props: ServingBenchmarkProps): Problem[] {
  const out: Problem[] = [];
  if (props.gateway.node.root !== self.node.root) {
    out.push({ field: 'gateway', value: props.gateway.node.path, allowed: 'an IstioGieGateway of this app', why: 'the benchmark must load the stack it is synthesized with' });
  }
  (props.concurrencies ?? []).forEach((c, i) => {
    const p = countProblem(`concurrencies[${i}]`, c);
    if (p) out.push(p);
  });
  if (props.runAsUser !== undefined && !(Number.isInteger(props.runAsUser) && props.runAsUser >= 0 && props.runAsUser <= INT32_MAX)) {
    out.push({ field: 'runAsUser', value: props.runAsUser, allowed: 'an integer UID from 0 to 2147483647 (0: root, as the image runs)' });
  }
  if (props.concurrencies && props.concurrencies.length === 0) out.push({ field: 'concurrencies', value: [], allowed: 'at least one concurrency' });
  for (const k of ['numPrompts', 'inputTokens', 'outputTokens'] as const) {
    const v = props[k];
    const p = v === undefined ? undefined : countProblem(k, v);
    if (p) out.push(p);
  }
  if (props.name !== undefined) {
    const np = checkDns1123Label('name', props.name);
    if (np) out.push(np);
    else {
      const hp = hashedNameProblem('name', props.name, 'Job');
      if (hp) out.push(hp);
    }
  }
  if (/[\r\n"$`\\]/.test(props.model)) out.push({ field: 'model', value: props.model, allowed: 'a model name without quotes, $, `, \\ or line breaks' });
  return out;
}
