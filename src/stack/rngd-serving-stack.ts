import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { IModelStorage, ISecretReference } from '../core/contracts';
import { addProblems, Problem } from '../core/errors';
import { selectorMatches } from '../core/labels';
import { checkDns1123Label, isDns1123Label } from '../core/names';
import { ISynthFiles } from '../core/synth-files';
import { includeVerbatim } from '../core/verbatim-manifests';
import { IstioGieGateway, IstioGieGatewayProps } from '../gateway/istio-gie-gateway';
import { ISTIOD_VALUES_FILE_NAME, istiodValuesYaml } from '../gateway/istiod-values';
import { FuriosaModelService } from '../model-service/furiosa-model-service';
import type { FuriosaContainer, FuriosaModelServiceProps } from '../model-service/furiosa-options';
import { modelLabelValue } from '../model-service/furiosa-rules';
import { InferenceRoute, InferenceRouteMatch, InferenceRouteTimeouts } from '../routing/inference-route';
import { InferenceSchedulerPool } from '../scheduler/inference-scheduler-pool';
import { InferenceSchedulerPoolProps } from '../scheduler/pool-options';
import { PoolProvider } from '../scheduler/pool-provider';
import { SchedulerRelease } from '../scheduler/scheduler-release';
import { ModelPvcDownloader, ModelPvcDownloaderProps } from '../storage/model-pvc-downloader';
import { describeStack } from './describe';
import { ServingNetworkPolicies } from './network-policies';

/** How a model's weights reach the pods. */
export interface RngdModelStorage {
  /**
   * Download the model into a new PersistentVolumeClaim with a {@link ModelPvcDownloader} (the
   * guide's step 4) and serve it from there (`pvc+hf://`). Options override the defaults.
   * @default - a downloader with the guide's defaults
   */
  readonly download?: Omit<ModelPvcDownloaderProps, 'repoId' | 'namespace'>;
  /** A claim that already holds the model (e.g. a downloader you built yourself). */
  readonly existing?: IModelStorage;
  /**
   * A model URI for the model service instead (`hf://` downloads at pod start into an
   * emptyDir; `pvc://` a plain model directory on a claim).
   */
  readonly uri?: string;
}

/** How requests reach a model through the gateway. */
export interface RngdModelRouting {
  /**
   * Requests matching these go to the model. Models with equal matches share one rule, with
   * weighted backends (a canary).
   * @default - PathPrefix "/" for a single model; for several, the header
   * `X-Gateway-Model-Name: <model name>` (set by clients, or by the Inference Extension's
   * body-based router from the request's `model` field)
   */
  readonly matches?: readonly InferenceRouteMatch[];
  /** Share of the rule's traffic when several models have the same matches. @default 1 */
  readonly weight?: number;
  /** Route timeouts. @default { request: '0s', backendRequest: '0s' } (no timeout: long generations) */
  readonly timeouts?: InferenceRouteTimeouts;
}

/** One model served by the stack. */
export interface RngdModelProps {
  /** Hugging Face repository id of the model, e.g. `furiosa-ai/Llama-3.1-8B-Instruct`. */
  readonly model: string;
  /**
   * Short DNS-1123 key that names this model's objects when the stack serves several models
   * (`ms-<key>`, `gaie-<key>`, `model-pvc-<key>`).
   * @default - the lower-cased last segment of `model`, non-alphanumerics as "-"
   */
  readonly key?: string;
  /** Tensor parallelism in RNGD processing elements (8 per card). @default 8 */
  readonly tensorParallelism?: number;
  /** Data parallelism inside one pod. @default 1 */
  readonly dataParallelism?: number;
  /** Pipeline parallelism. @default 1 */
  readonly pipelineParallelism?: number;
  /** Model-server pods. @default 1 */
  readonly replicas?: number;
  /**
   * furiosa-llm image.
   * @default - the library's pinned furiosa-llm image (`DEFAULT_FURIOSA_LLM_IMAGE`)
   */
  readonly image?: string;
  /** Extra `furiosa-llm serve` arguments. @default ['--enable-prefix-caching', '--disable-uvicorn-access-log'] (the guide's) */
  readonly servingArgs?: readonly string[];
  /** @default - download into a PVC */
  readonly storage?: RngdModelStorage;
  /** @default - see {@link RngdModelRouting} */
  readonly routing?: RngdModelRouting;
  /**
   * Names of this model's objects.
   * @default - the guide's for a single model (`ms`, `gaie`, `model-pvc`); keyed for several
   */
  readonly names?: { readonly modelServiceRelease?: string; readonly pool?: string; readonly claim?: string; readonly downloader?: string };
  /** Anything else of the model service (merged over what the stack derives). @default - none */
  readonly modelService?: Partial<Omit<FuriosaModelServiceProps, 'modelArtifacts' | 'namespace'>>;
  /** Anything else of the pool (merged over what the stack derives). @default - none */
  readonly pool?: Partial<Omit<InferenceSchedulerPoolProps, 'name' | 'namespace' | 'modelServers'>>;
}

/** Objects to apply before the stack, written as their own chart file. Each is off by default. */
export interface RngdPrerequisites {
  /** Gateway API standard-channel CRDs of the stack's release (v1.4.1 guide pins, v1.5.1 llm-d-router). @default false */
  readonly gatewayApiCrds?: boolean;
  /**
   * Gateway API Inference Extension CRDs of the stack's release (v1.3.0 guide pins; v1.6.0 plus
   * the llm-d.ai InferenceObjective/InferenceModelRewrite CRDs with llm-d-router).
   * @default false
   */
  readonly inferenceExtensionCrds?: boolean;
  /** The Namespace object. @default false */
  readonly namespace?: boolean;
  /** `istiod-values.yaml` next to the manifests (Helm values for istiod with the inference extension). @default false */
  readonly istiodValues?: boolean;
}

export interface RngdServingStackProps extends ChartProps {
  /** Namespace of the whole stack. @default 'llm-d' */
  readonly namespace?: string;
  /** The models to serve; one InferencePool and model service each. */
  readonly models: readonly RngdModelProps[];
  /**
   * Secret with the Hugging Face token (key `HF_TOKEN`), used by downloaders and servers alike:
   * every `HF_TOKEN` of the stack reads it. Any object with a `name` works, e.g.
   * `kplus.Secret.fromSecretName(chart, 'hf', 'team-hf-token')`.
   * @default - a Secret named `hf-token-secret`, which you create
   */
  readonly hfTokenSecret?: ISecretReference;
  /** The gateway. @default - `llm-d-infra-inference-gateway`, class istio, HTTP on port 80 */
  readonly gateway?: Omit<IstioGieGatewayProps, 'namespace'>;
  /** Name of the HTTPRoute. @default 'llm-d' */
  readonly routeName?: string;
  /**
   * The release of the scheduling stack: the guide's pins (llm-d-inference-scheduler v0.5.0 on the
   * GAIE v1.3.0 chart objects, metric names as EPP flags) or `SchedulerRelease.LLM_D_ROUTER_V0_10`
   * (llm-d-router-endpoint-picker v0.10.0, metric names in engineConfigs, today's CRDs).
   * @default SchedulerRelease.GUIDE_PINS
   */
  readonly release?: SchedulerRelease;
  /** RNGD cards a node holds; pods needing more are refused. @default 8 */
  readonly maxRngdPerNode?: number;
  /** @default - none */
  readonly prerequisites?: RngdPrerequisites;
  /**
   * Least-privilege NetworkPolicies (gateway → EPP and model pods, EPP → model pods,
   * downloader → DNS and HTTPS). Needs a CNI that enforces them. `monitoringNamespaces` may
   * scrape metrics.
   * @default - off
   */
  readonly networkPolicies?: boolean | { readonly monitoringNamespaces?: readonly string[] };
}

/** What the stack built for one model. */
export interface RngdServedModel {
  readonly key: string;
  readonly model: string;
  readonly modelService: FuriosaModelService;
  readonly pool: InferenceSchedulerPool;
  readonly downloader?: ModelPvcDownloader;
}

const GUIDE_SERVING_ARGS = ['--enable-prefix-caching', '--disable-uvicorn-access-log'];
const MODEL_HEADER = 'X-Gateway-Model-Name';
/** Pod label that tells the models of a multi-model stack apart (their key). */
export const VARIANT_LABEL = 'llm-d.ai/variant';

/** `furiosa-ai/Llama-3.1-8B-Instruct` → `llama-3-1-8b-instruct`. */
export function modelKey(model: string): string {
  const last = model.slice(model.lastIndexOf('/') + 1);
  return last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

/**
 * The llm-d serving stack on RNGD of the Furiosa-LLM + llm-d guide as one chart: an Istio
 * inference gateway, per model a furiosa-llm model service, an InferencePool with its endpoint
 * picker, optionally a PVC downloader, and one HTTPRoute. Every cross-reference is derived:
 * pool selector = model pod labels, targetPort = serving port, route parent = the gateway,
 * route backends = the pools, DestinationRule host = the EPP service FQDN, PVC claim = the
 * downloader's, one HF token Secret name everywhere.
 */
export class RngdServingStack extends Chart implements ISynthFiles {
  public readonly gateway: IstioGieGateway;
  public readonly route: InferenceRoute;
  public readonly models: readonly RngdServedModel[];
  /** The chart holding the prerequisites (CRDs, Namespace), when any was asked for. */
  public readonly prerequisitesChart?: Chart;
  public readonly hfTokenSecret: ISecretReference;
  public readonly networkPolicies?: ServingNetworkPolicies;
  private readonly writeIstiodValues: boolean;

  constructor(scope: Construct, id: string, props: RngdServingStackProps) {
    const namespace = props.namespace ?? 'llm-d';
    super(scope, id, { ...props, namespace });
    this.hfTokenSecret = props.hfTokenSecret ?? { name: 'hf-token-secret' };
    const prereq = props.prerequisites ?? {};
    this.writeIstiodValues = prereq.istiodValues ?? false;

    if (prereq.gatewayApiCrds || prereq.inferenceExtensionCrds || prereq.namespace) {
      this.prerequisitesChart = prerequisitesChart(scope, `${id}-prerequisites`, namespace, prereq, props.release ?? SchedulerRelease.GUIDE_PINS);
      this.addDependency(this.prerequisitesChart);
    }

    this.gateway = new IstioGieGateway(this, 'gateway', { releaseName: 'llm-d-infra', gatewayClassName: 'istio', ...props.gateway, namespace });
    this.route = new InferenceRoute(this, 'route', { gateway: this.gateway, name: props.routeName ?? 'llm-d', namespace });

    const several = props.models.length > 1;
    const rules = new Map<string, { matches: readonly InferenceRouteMatch[]; timeouts?: InferenceRouteTimeouts; backends: Array<{ pool: InferenceSchedulerPool; weight: number }> }>();
    this.models = props.models.map((m, i) => {
      const served = this.addModel(m, i, several, namespace, props);
      const matches = m.routing?.matches ?? (several ? [{ headers: [{ name: MODEL_HEADER, value: m.model }] }] : [{ path: { type: 'PathPrefix' as const, value: '/' } }]);
      const ruleKey = JSON.stringify(matches);
      const rule = rules.get(ruleKey) ?? { matches, timeouts: m.routing?.timeouts, backends: [] };
      rule.backends.push({ pool: served.pool, weight: m.routing?.weight ?? 1 });
      rules.set(ruleKey, rule);
      return served;
    });
    for (const r of rules.values()) this.route.addRule({ matches: r.matches, timeouts: r.timeouts, backends: r.backends });

    if (props.networkPolicies) {
      const opts = props.networkPolicies === true ? {} : props.networkPolicies;
      this.networkPolicies = new ServingNetworkPolicies(this, 'network-policies', {
        namePrefix: this.route.routeName,
        namespace,
        gateway: this.gateway,
        endpointPickers: this.models.map((s) => s.pool.endpointPicker),
        modelServers: this.models.map((s) => s.modelService),
        downloaders: this.models.flatMap((s) => (s.downloader ? [s.downloader] : [])),
        monitoringNamespaces: opts.monitoringNamespaces,
      });
    }

    addProblems(this, () => this.stackProblems(props));
  }

  private addModel(m: RngdModelProps, i: number, several: boolean, namespace: string, props: RngdServingStackProps): RngdServedModel {
    const key = m.key ?? modelKey(m.model);
    // A bad or repeated key is reported by stackProblems; names use a valid stand-in meanwhile so
    // construction goes on and every problem is listed at once.
    const nameKey = isDns1123Label(key) ? key : modelKey(key) || `model-${i}`;
    const names = {
      modelServiceRelease: m.names?.modelServiceRelease ?? (several ? `ms-${nameKey}` : 'ms'),
      pool: m.names?.pool ?? (several ? `gaie-${nameKey}` : 'gaie'),
      claim: m.names?.claim ?? (several ? `model-pvc-${nameKey}` : 'model-pvc'),
      downloader: m.names?.downloader ?? (several ? `model-downloader-${nameKey}` : 'model-downloader'),
    };
    const scopeId = !several ? 'model' : this.node.tryFindChild(nameKey) ? `${nameKey}-${i}` : nameKey;
    const scope = new Construct(this, scopeId);
    const storage = m.storage ?? {};
    let downloader: ModelPvcDownloader | undefined;
    if (!storage.existing && !storage.uri) {
      downloader = new ModelPvcDownloader(scope, 'storage', {
        claimName: names.claim,
        name: names.downloader,
        tokenSecret: this.hfTokenSecret,
        ...storage.download,
        repoId: m.model,
        namespace,
      });
    }
    // With several models each pool must select its own pods, even for two variants of one model
    // (a canary), hence the variant label.
    const servingLabels = several ? { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': modelLabelValue(m.model), [VARIANT_LABEL]: nameKey } : undefined;
    const override = m.modelService ?? {};
    const container: FuriosaContainer = {
      name: 'furiosa-llm',
      ...(m.image ? { image: m.image } : {}),
      args: [...(m.servingArgs ?? GUIDE_SERVING_ARGS)],
    };
    const modelService = new FuriosaModelService(scope, 'server', {
      releaseName: names.modelServiceRelease,
      ...override,
      namespace,
      modelArtifacts: {
        name: m.model,
        ...(storage.uri ? { uri: storage.uri } : { storage: storage.existing ?? downloader }),
        authSecret: this.hfTokenSecret,
        ...(servingLabels ? { labels: servingLabels } : {}),
      },
      decode: {
        replicas: m.replicas ?? 1,
        parallelism: { tensor: m.tensorParallelism ?? 8, data: m.dataParallelism ?? 1, pipeline: m.pipelineParallelism ?? 1 },
        containers: [container],
        ...override.decode,
      },
      accelerator: { maxRngdPerNode: props.maxRngdPerNode ?? 8, ...override.accelerator },
    });
    const poolOverride = m.pool ?? {};
    const release = props.release ?? SchedulerRelease.GUIDE_PINS;
    const pool = new InferenceSchedulerPool(scope, 'pool', {
      provider: PoolProvider.istio(),
      release,
      ...poolOverride,
      name: names.pool,
      namespace,
      // One pool per model: select the model's pods only (the guide's single-model pool selects
      // every serving pod).
      selector: poolOverride.selector ?? (several ? servingLabels : { 'llm-d.ai/inferenceServing': 'true' }),
      epp: {
        // The guide runs llm-d's scheduler image; llm-d-router's release image is its successor.
        ...(release.isLlmdRouter ? {} : { image: { hub: 'ghcr.io/llm-d', name: 'llm-d-inference-scheduler', tag: 'v0.5.0', pullPolicy: 'Always' as const } }),
        replicas: 1,
        ...poolOverride.epp,
      },
      monitoring: {
        enabled: true,
        interval: '10s',
        auth: true,
        ...(several ? { metricsSecretName: `${names.pool}-metrics-reader-secret` } : {}),
        ...poolOverride.monitoring,
      },
    });
    pool.addModelServer(modelService);
    return { key, model: m.model, modelService, pool, downloader };
  }

  private stackProblems(props: RngdServingStackProps): Problem[] {
    const out: Problem[] = [];
    if (props.models.length === 0) out.push({ field: 'models', value: [], allowed: 'at least one model' });
    const ns = checkDns1123Label('namespace', this.namespace);
    if (ns) out.push(ns);
    const keys = new Map<string, number>();
    this.models.forEach((s, i) => {
      const kp = checkDns1123Label(`models[${i}].key`, s.key);
      if (kp) out.push(kp);
      if (keys.has(s.key)) out.push({ field: `models[${i}].key`, value: s.key, allowed: 'a key unique among the models', why: `models[${keys.get(s.key)}] has it too; set key to tell them apart` });
      keys.set(s.key, i);
      // The token the downloader used must be the one the servers read.
      const dl = s.downloader?.tokenSecret?.name;
      const ms = s.modelService.authSecretName;
      if (dl !== undefined && ms !== undefined && dl !== ms) {
        out.push({ field: `models[${i}].modelService.modelArtifacts.authSecret`, value: ms, allowed: `the downloader's token Secret "${dl}"`, why: 'the downloader and the model servers must use the same Hugging Face token Secret' });
      }
    });
    // Two pools selecting the same pods would each schedule onto servers the other also fills.
    for (const [a, b] of overlappingSelectors(this.models)) {
      const sel = b.pool.selector as Readonly<Record<string, string>>;
      out.push({ field: `models[${this.models.indexOf(b)}].pool.selector`, value: sel, allowed: `labels that select only the pods of ${b.model}`, why: `pool ${b.pool.poolName} also selects the pods of ${a.model} (pool ${a.pool.poolName})` });
    }
    // Routes to this stack's pools must hang off this stack's gateway.
    const servedByPool = new Map<unknown, RngdServedModel>();
    for (const s of this.models) if (!servedByPool.has(s.pool)) servedByPool.set(s.pool, s);
    for (const c of this.node.findAll()) {
      if (!(c instanceof InferenceRoute) || c.gateway === this.gateway) continue;
      for (const pool of c.backendPools) {
        const served = servedByPool.get(pool);
        if (served) {
          out.push({ field: `${c.node.path}.gateway`, value: c.gateway.gatewayName, allowed: `the stack's gateway "${this.gateway.gatewayName}"`, why: `pool ${served.pool.poolName}'s endpoint picker is configured for that gateway (its DestinationRule and ext-proc)` });
        }
      }
    }
    return out;
  }

  /** A plain-language Markdown description of what was generated and why. */
  public describe(): string {
    return describeStack(this);
  }

  /** Files written next to the manifests by `synthApp`: the description and, if asked, istiod values. */
  public synthFiles(): Readonly<Record<string, string>> {
    const files: Record<string, string> = { [`${this.node.id}.README.md`]: this.describe() };
    if (this.writeIstiodValues) files[ISTIOD_VALUES_FILE_NAME] = istiodValuesYaml();
    return files;
  }
}

/**
 * Pairs `[a, b]` (a ≠ b) where b's pool selector matches a's model-server pod labels, ordered by
 * a then b. Candidates come from an index of pod labels, so unrelated models are not compared.
 */
function overlappingSelectors(models: readonly RngdServedModel[]): Array<[RngdServedModel, RngdServedModel]> {
  const byLabel = new Map<string, number[]>();
  models.forEach((a, i) => {
    for (const [k, v] of Object.entries(a.modelService.podLabels)) {
      const key = `${k}\0${v}`;
      const list = byLabel.get(key);
      if (list) list.push(i);
      else byLabel.set(key, [i]);
    }
  });
  const all = models.map((_, i) => i);
  const pairs: Array<[number, number]> = [];
  models.forEach((b, j) => {
    const sel = b.pool.selector;
    if (!sel) return;
    // Every pod the selector matches carries each of its labels: the shortest list is enough.
    let candidates = all;
    for (const [k, v] of Object.entries(sel)) {
      const list = byLabel.get(`${k}\0${v}`) ?? [];
      if (list.length < candidates.length) candidates = list;
    }
    for (const i of candidates) {
      if (i !== j && selectorMatches(sel, models[i].modelService.podLabels)) pairs.push([i, j]);
    }
  });
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return pairs.map(([i, j]) => [models[i], models[j]]);
}

function prerequisitesChart(scope: Construct, id: string, namespace: string, p: RngdPrerequisites, release: SchedulerRelease): Chart {
  const chart = new Chart(scope, id);
  const crdDir = vendoredCrdDir();
  if (p.namespace) {
    new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } } });
  }
  // Kept as text: written as vendored, parsed only if something reads them as JSON.
  if (p.gatewayApiCrds) includeVerbatim(new Construct(chart, 'gateway-api-crds'), path.join(crdDir, `gateway-api-${release.gatewayApiVersion}-standard.yaml`));
  if (p.inferenceExtensionCrds) {
    includeVerbatim(new Construct(chart, 'inference-extension-crds'), path.join(crdDir, `gateway-api-inference-extension-${release.inferenceExtensionVersion}.yaml`));
    // llm-d-router's EPP watches InferenceObjectives in its own group (and needs the CRD to exist).
    if (release.isLlmdRouter) includeVerbatim(new Construct(chart, 'llm-d-router-crds'), path.join(crdDir, 'llm-d-router-v0.10.0.yaml'));
  }
  return chart;
}

/** The package's crds/ folder, from src/stack (tests) or lib/src/stack (compiled). */
function vendoredCrdDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'crds'), path.join(__dirname, '..', '..', '..', 'crds')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'gateway-api-v1.4.1-standard.yaml'))) ?? candidates[0];
}
