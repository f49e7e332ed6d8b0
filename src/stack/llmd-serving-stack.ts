import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import type { IInferencePoolRef, IIstioGateway, IModelStorage, ISecretReference } from '../core/contracts';
import { addProblems, addWarnings, Problem, problemOf, setPropOrigin } from '../core/errors';
import { givenField, tableField } from '../core/user-paths';
import { selectorMatches } from '../core/labels';
import { checkDns1123Label, isDns1123Label } from '../core/names';
import { plainProps } from '../core/plain-props';
import { ISynthFiles } from '../core/synth-files';
import { IstioGieGateway, IstioGieGatewayProps } from '../gateway/istio-gie-gateway';
import { ISTIOD_VALUES_FILE_NAME, istiodValuesYaml } from '../gateway/istiod-values';
import { modelLabelValue } from '../model-service/furiosa-rules';
import { BodyBasedRouter, BodyBasedRouterProps } from '../routing/body-based-router';
import { InferenceRoute, inferenceRoutesOf, InferenceRouteMatch, InferenceRouteTimeouts } from '../routing/inference-route';
import { EndpointPickerConfig } from '../scheduler/epp-config';
import type { EndpointPickerConfigSpec } from '../scheduler/epp-config-types';
import { InferenceSchedulerPool } from '../scheduler/inference-scheduler-pool';
import { InferenceSchedulerPoolProps } from '../scheduler/pool-options';
import { PoolProvider } from '../scheduler/pool-provider';
import { SchedulerRelease } from '../scheduler/scheduler-release';
import { HubClient } from '../storage/hub-client';
import { ModelPvcDownloader, ModelPvcDownloaderProps } from '../storage/model-pvc-downloader';
import { describeStack } from './describe';
import { engineOptionPaths } from './engine-option-paths';
import { ModelServerEngine, ModelUserPaths } from './model-server-engine';
import { ServingNetworkPolicies } from './network-policies';
import { addServingOperations, fixedReplicaProblems, OperatedModel, ServingOperations, ServingOperationsOptions } from './serving-operations';
import { addOperationsCrds, prerequisitesChart, ServingPrerequisites, wantsPrerequisiteObjects } from './stack-prerequisites';

/** How a model's weights reach the pods. */
export interface ModelStorageOptions {
  /**
   * Download the model into a new PersistentVolumeClaim with a {@link ModelPvcDownloader} and
   * serve it from there (`pvc+hf://`). Options override the defaults.
   * @default - a downloader with the guide's defaults
   */
  readonly download?: Omit<ModelPvcDownloaderProps, 'repoId' | 'namespace'>;
  /** A claim that already holds the model (e.g. a downloader you built yourself). @default - none */
  readonly existing?: IModelStorage;
  /**
   * A model URI for the model service instead (`hf://` downloads at pod start into an
   * emptyDir; `pvc://` a plain model directory on a claim).
   * @default - none
   */
  readonly uri?: string;
}

/** How requests reach a model through the gateway. */
export interface ModelRoutingOptions {
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

/** Names of one model's objects. */
export interface ServedModelNames {
  /** @default 'ms' (one model), 'ms-<key>' (several) */
  readonly modelServiceRelease?: string;
  /** @default 'gaie' (one model), 'gaie-<key>' (several) */
  readonly pool?: string;
  /** @default 'model-pvc' (one model), 'model-pvc-<key>' (several) */
  readonly claim?: string;
  /** @default 'model-downloader' (one model), 'model-downloader-<key>' (several) */
  readonly downloader?: string;
}

/** One model served by an {@link LlmdServingStack}. */
export interface LlmdModelProps {
  /** Hugging Face repository id of the model, e.g. `meta-llama/Llama-3.1-8B-Instruct`. */
  readonly model: string;
  /** The model server. @default ModelServerEngine.vllm() (decode only, one GPU) */
  readonly engine?: ModelServerEngine;
  /**
   * Short DNS-1123 key that names this model's objects when the stack serves several models.
   * @default - the lower-cased last segment of `model`, non-alphanumerics as "-"
   */
  readonly key?: string;
  /** How the weights reach the pods: a download into a PVC, an existing claim, or a URI. @default - download into a PVC */
  readonly storage?: ModelStorageOptions;
  /** How requests reach the model through the gateway (matches, weight). @default - see {@link ModelRoutingOptions} */
  readonly routing?: ModelRoutingOptions;
  /** Names of the model's objects (model service release, pool). @default - the guide's for a single model; keyed for several */
  readonly names?: ServedModelNames;
  /**
   * Anything else of the pool (merged over what the stack derives). With prefill pods and no
   * `epp.config`, the pool runs the release's prefill/decode scheduler config.
   * @default - none
   */
  readonly pool?: Partial<Omit<InferenceSchedulerPoolProps, 'name' | 'namespace' | 'modelServers'>>;
}

export interface LlmdServingStackProps extends ChartProps {
  /** Namespace of the whole stack. @default 'llm-d' */
  readonly namespace?: string;
  /** The models to serve; one InferencePool and model service each. */
  readonly models: readonly LlmdModelProps[];
  /**
   * Secret with the Hugging Face token (key `HF_TOKEN`), used by downloaders and servers alike.
   * Any object with a `name` works, e.g. `kplus.Secret.fromSecretName(chart, 'hf', 'llm-d-hf-token')`.
   * @default - a Secret named `hf-token-secret`, which you create
   */
  readonly hfTokenSecret?: ISecretReference;
  /**
   * The gateway: props of a new one, or an existing one to share, in this or another namespace
   * (`IstioGieGateway.fromGatewayName(scope, 'gw', 'platform-gateway', { namespace: 'gateways' })`,
   * or another stack's `stack.gateway`). A shared gateway's listeners must admit routes from this
   * stack's namespace (`allowedRoutes.namespaces`): checked for a gateway of this app, your
   * responsibility for one imported by name.
   * @default - a new gateway `llm-d-infra-inference-gateway`, class istio, HTTP on port 80
   */
  readonly gateway?: Omit<IstioGieGatewayProps, 'namespace'> | IIstioGateway;
  /** Name of the HTTPRoute. @default 'llm-d' */
  readonly routeName?: string;
  /**
   * The release of the scheduling stack: the guide pins (llm-d-inference-scheduler v0.5.0 on the
   * GAIE v1.3.0 chart objects) or `SchedulerRelease.LLM_D_ROUTER_V0_10`.
   * @default SchedulerRelease.GUIDE_PINS
   */
  readonly release?: SchedulerRelease;
  /** Objects to apply before the stack (CRDs, the Namespace), written as their own chart, and istiod values. @default - none */
  readonly prerequisites?: ServingPrerequisites;
  /**
   * Least-privilege NetworkPolicies (gateway → EPP and model pods, EPP → model pods, decode →
   * prefill pods, downloader → DNS and HTTPS). Needs a CNI that enforces them.
   * @default - off
   */
  readonly networkPolicies?: boolean | { readonly monitoringNamespaces?: readonly string[] };
  /** Day-2 objects: autoscalers, disruption budgets, alerts, dashboards, a benchmark Job. @default - none */
  readonly operations?: ServingOperationsOptions;
  /**
   * Route plain OpenAI clients by the model named in the request body: the Inference Extension's
   * body-based router (a {@link BodyBasedRouter} wired into the stack's gateway) copies the body's
   * `model` into the `X-Gateway-Model-Name` header the model rules match on, so a request reaches
   * the pool of the model it names (canary weights kept) and a request for a model the stack does
   * not serve gets a 404 from the gateway instead of another model. Options are the router's.
   * @default - on when the stack serves several models on a gateway of its own; off for one model
   * and for a shared gateway (its owner runs one router per gateway)
   */
  readonly bodyBasedRouting?: boolean | Omit<BodyBasedRouterProps, 'gateway' | 'namespace'>;
  /**
   * Key (or Hugging Face id) of the model that serves requests no other rule matches: with
   * several models, rules match the `X-Gateway-Model-Name` header, which a plain OpenAI client
   * does not send (it names the model in the body); this model gets a catch-all rule
   * (PathPrefix "/", after the header rules). Without it, such requests get a 404 from the
   * gateway, and synth prints a warning.
   * @default - no catch-all rule
   */
  readonly defaultModel?: string;
}

/** What the stack built for one model. */
export interface LlmdServedModel extends OperatedModel {
  /** The model's key (names its objects in a multi-model stack). */
  readonly key: string;
  /** The Secret the model servers read `HF_TOKEN` from. */
  readonly authSecretName?: string;
  /** Replicas the model's options fixed. */
  readonly fixedReplicas?: number;
}

const MODEL_HEADER = 'X-Gateway-Model-Name';
/** Pod label that tells the models of a multi-model stack apart (their key). */
export const VARIANT_LABEL = 'llm-d.ai/variant';
/** Plugin types that split a request into prefill and decode (llm-d scheduler and llm-d-router). */
const PD_HANDLERS = ['pd-profile-handler', 'prefill-header-handler', 'disagg-profile-handler'];

/** `furiosa-ai/Llama-3.1-8B-Instruct` → `llama-3-1-8b-instruct`. */
export function modelKey(model: string): string {
  const last = model.slice(model.lastIndexOf('/') + 1);
  return last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

/**
 * The downloader runs the model server's own image, which already carries the Hugging Face client
 * and is pulled on those nodes anyway: no package index at run time. A download that names its
 * own image or client keeps it.
 */
function downloaderClient(engine: ModelServerEngine, download: ModelStorageOptions['download']): Pick<ModelPvcDownloaderProps, 'image' | 'hubClient'> {
  if (download?.image !== undefined || download?.hubClient !== undefined || download?.huggingfaceHubVersion !== undefined) return {};
  return { image: engine.image, hubClient: HubClient.preinstalled() };
}

/** Whether the `gateway` prop is an existing gateway (rather than props of a new one). */
function isExistingGateway(g: LlmdServingStackProps['gateway']): g is IIstioGateway {
  return g !== undefined && typeof (g as IIstioGateway).gatewayName === 'string' && typeof (g as IIstioGateway).gatewayNamespace === 'string';
}

/** Whether an EndpointPickerConfig splits requests into prefill and decode. */
function isPrefillDecodeConfig(spec: EndpointPickerConfigSpec): boolean {
  return (spec.plugins ?? []).some((p) => PD_HANDLERS.includes(p.type));
}

/**
 * The llm-d serving stack as one chart, for any model server: an Istio inference gateway, per
 * model a model service (furiosa-llm on RNGD, or vLLM decode-only or prefill/decode), an
 * InferencePool with its endpoint picker, optionally a PVC downloader, and one HTTPRoute. Every
 * cross-reference is derived: pool selector = the model pods' labels (decode and prefill),
 * targetPort = the port the pool must call (the routing sidecar's on prefill/decode pods),
 * the scheduler config = the release's prefill/decode preset when prefill pods exist, route
 * parent = the gateway, backends = the pools, PVC claim = the downloader's, one token Secret.
 */
export class LlmdServingStack extends Chart implements ISynthFiles {
  /** The stack's inference gateway (its own, or the shared one it was given); wire more routes to it. */
  public readonly gateway: IIstioGateway;
  /** The gateway the stack created, unless it was given an existing one. */
  public readonly ownGateway?: IstioGieGateway;
  /** The HTTPRoute over every model's pool; `route.addRule(...)` adds rules of your own. */
  public readonly route: InferenceRoute;
  /** Per model, in the order given: its model service, pool, downloader and names. */
  public readonly models: readonly LlmdServedModel[];
  /** The chart holding the prerequisites (CRDs, Namespace), when any was asked for. */
  public readonly prerequisitesChart?: Chart;
  /** The Hugging Face token Secret every downloader and server reads (referenced, never created). */
  public readonly hfTokenSecret: ISecretReference;
  /** The body-based router, when `bodyBasedRouting` is on. */
  public readonly bodyBasedRouter?: BodyBasedRouter;
  /** The NetworkPolicies, when `networkPolicies` was set. */
  public readonly networkPolicies?: ServingNetworkPolicies;
  /** The day-2 objects, when `operations` was given. */
  public readonly operations?: ServingOperations;
  private readonly writeIstiodValues: boolean;
  /** Per model, the names of its objects (given or derived), for the uniqueness check. */
  private readonly modelNames: Array<Required<ServedModelNames>> = [];

  constructor(scope: Construct, id: string, props: LlmdServingStackProps) {
    // Before super(): the chart's props are the copy's too.
    props = plainProps(scope, props, id);
    const namespace = props.namespace ?? 'llm-d';
    super(scope, id, { ...props, namespace });
    this.hfTokenSecret = props.hfTokenSecret ?? { name: 'hf-token-secret' };
    const prereq = props.prerequisites ?? {};
    this.writeIstiodValues = prereq.istiodValues ?? false;
    const release = props.release ?? SchedulerRelease.GUIDE_PINS;

    if (wantsPrerequisiteObjects(prereq)) {
      this.prerequisitesChart = prerequisitesChart(scope, `${id}-prerequisites`, namespace, prereq, release);
      this.addDependency(this.prerequisitesChart);
    }

    if (isExistingGateway(props.gateway)) this.gateway = props.gateway;
    else {
      this.gateway = this.ownGateway = new IstioGieGateway(this, 'gateway', { releaseName: 'llm-d-infra', gatewayClassName: 'istio', ...props.gateway, namespace });
      setPropOrigin(this.ownGateway, { scope: this, userField: (f) => givenField(f, props.gateway, 'gateway') ?? tableField(f, { namespace: 'namespace' }) });
    }
    this.route = new InferenceRoute(this, 'route', { gateway: this.gateway, name: props.routeName ?? 'llm-d', namespace });
    // A route without backends is a stack without models, which the stack reports itself.
    setPropOrigin(this.route, { scope: this, userField: (f) => tableField(f, { name: 'routeName', namespace: 'namespace', backends: 'models' }) });

    const several = props.models.length > 1;
    const rules = new Map<string, { matches: readonly InferenceRouteMatch[]; timeouts?: InferenceRouteTimeouts; backends: Array<{ pool: InferenceSchedulerPool; weight: number }> }>();
    this.models = props.models.map((m, i) => {
      const served = this.addModel(m, i, several, namespace, release, props.operations);
      const matches = m.routing?.matches ?? (several ? [{ headers: [{ name: MODEL_HEADER, value: m.model }] }] : [{ path: { type: 'PathPrefix' as const, value: '/' } }]);
      const ruleKey = JSON.stringify(matches);
      const rule = rules.get(ruleKey) ?? { matches, timeouts: m.routing?.timeouts, backends: [] };
      rule.backends.push({ pool: served.pool, weight: m.routing?.weight ?? 1 });
      rules.set(ruleKey, rule);
      return served;
    });
    for (const r of rules.values()) this.route.addRule({ matches: r.matches, timeouts: r.timeouts, backends: r.backends });
    const bbr = props.bodyBasedRouting ?? (several && this.ownGateway !== undefined);
    if (bbr) {
      this.bodyBasedRouter = new BodyBasedRouter(this, 'body-based-router', { ...(bbr === true ? {} : bbr), gateway: this.gateway, namespace: this.gateway.gatewayNamespace });
      setPropOrigin(this.bodyBasedRouter, { scope: this, userField: (f) => givenField(f, bbr === true ? undefined : bbr, 'bodyBasedRouting') ?? tableField(f, { gateway: 'gateway' }) });
    }
    const fallback = props.defaultModel === undefined ? undefined : this.models.find((s) => s.key === props.defaultModel || s.model === props.defaultModel);
    if (fallback && several && !this.bodyBasedRouter) this.route.addRule({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backends: [{ pool: fallback.pool }] });
    addWarnings(this, () => (several && !this.bodyBasedRouter && props.defaultModel === undefined && props.models.every((m) => m.routing?.matches === undefined)
      ? [{ field: 'defaultModel', value: undefined, allowed: `set defaultModel to one of ${this.models.map((s) => s.key).join(', ')}, or deploy the Inference Extension's body-based router so the header is set from the body`, why: 'requests without the X-Gateway-Model-Name header (plain OpenAI clients name the model in the body) match no rule and get a 404' }]
      : []));

    if (props.networkPolicies) {
      const opts = props.networkPolicies === true ? {} : props.networkPolicies;
      this.networkPolicies = new ServingNetworkPolicies(this, 'network-policies', {
        namePrefix: this.route.routeName,
        namespace,
        gateway: this.gateway,
        endpointPickers: this.models.map((s) => s.pool.endpointPicker),
        // The decode pods' routing sidecar calls the prefill pods, and NIXL moves the KV cache between them.
        modelServers: this.models.flatMap((s) => (s.prefill ? [s.modelService, { ...s.prefill, callers: [s.modelService] }] : [s.modelService])),
        downloaders: this.models.flatMap((s) => (s.downloader ? [s.downloader] : [])),
        monitoringNamespaces: opts.monitoringNamespaces,
      });
    }

    if (props.operations) this.operations = addServingOperations(this, this.route.routeName, namespace, this.ownGateway, this.models, props.operations);
    if (this.prerequisitesChart) {
      const kinds = new Set(this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.kind));
      addOperationsCrds(this.prerequisitesChart, prereq, { monitoring: ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].some((k) => kinds.has(k)), keda: kinds.has('ScaledObject') });
    }

    addProblems(this, () => [...this.stackProblems(props), ...fixedReplicaProblems(this.models.map((m) => m.fixedReplicas), props.operations?.autoscaling !== undefined)]);
  }

  private addModel(m: LlmdModelProps, i: number, several: boolean, namespace: string, release: SchedulerRelease, operations?: ServingOperationsOptions): LlmdServedModel {
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
    const engine = m.engine ?? ModelServerEngine.vllm();
    const at = `models[${i}]`;
    const optionPath = engineOptionPaths.get(engine);
    const userPaths: ModelUserPaths = {
      scope: this,
      model: at,
      // The stack's own download stores the model under its id: a storage URI it refuses names the id.
      storage: storage.existing ? `${at}.storage.existing` : storage.uri ? `${at}.storage.uri` : `${at}.model`,
      engine: optionPath ? at : `${at}.engine`,
      option: optionPath ?? ((o) => `${at}.engine.${o}`),
    };
    // A public model downloads without a token, and then no pod references the token Secret.
    const anonymous = storage.download?.anonymous === true;
    let downloader: ModelPvcDownloader | undefined;
    if (!storage.existing && !storage.uri) {
      downloader = new ModelPvcDownloader(scope, 'storage', {
        claimName: names.claim,
        name: names.downloader,
        ...(anonymous ? {} : { tokenSecret: this.hfTokenSecret }),
        ...downloaderClient(engine, storage.download),
        ...storage.download,
        repoId: m.model,
        namespace,
      });
      const derived = { repoId: `${at}.model`, claimName: `${at}.names.claim`, name: `${at}.names.downloader`, tokenSecret: 'hfTokenSecret', image: userPaths.option('image'), namespace: 'namespace' };
      setPropOrigin(downloader, { scope: this, userField: (f) => givenField(f, storage.download, `${at}.storage.download`) ?? tableField(f, derived) });
    }
    // With several models each pool must select its own pods, even for two variants of one model
    // (a canary), hence the variant label.
    const servingLabels = several ? { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': modelLabelValue(m.model), [VARIANT_LABEL]: nameKey } : undefined;
    const built = engine.build(scope, 'server', {
      releaseName: names.modelServiceRelease,
      namespace,
      model: m.model,
      ...(storage.uri ? { uri: storage.uri } : { storage: storage.existing ?? downloader }),
      ...(anonymous ? {} : { authSecret: this.hfTokenSecret }),
      // Alerts, autoscalers and dashboards read the servers' series: scrape them.
      scrape: operations !== undefined,
      labels: servingLabels,
      userPaths,
    });
    const poolOverride = m.pool ?? {};
    const eppOverride = poolOverride.epp ?? {};
    // Prefill pods need a scheduler that sends requests through them: the release's P/D preset.
    const pdConfig = built.prefill && eppOverride.config === undefined && eppOverride.configFile === undefined
      ? { config: release.isLlmdRouter ? EndpointPickerConfig.routerPrefillDecode() : EndpointPickerConfig.prefillDecode() }
      : {};
    const pool = new InferenceSchedulerPool(scope, 'pool', {
      provider: PoolProvider.istio(),
      release,
      ...poolOverride,
      name: names.pool,
      namespace,
      // One pool per model: select the model's pods only (decode and prefill; the Furiosa guide's
      // single-model pool selects every serving pod).
      selector: poolOverride.selector ?? (several ? servingLabels : built.poolSelector),
      epp: {
        // The guide runs llm-d's scheduler image; llm-d-router's release image is its successor.
        ...(release.isLlmdRouter ? {} : { image: { hub: 'ghcr.io/llm-d', name: 'llm-d-inference-scheduler', tag: 'v0.5.0', pullPolicy: 'Always' as const } }),
        replicas: 1,
        ...pdConfig,
        ...eppOverride,
      },
      monitoring: {
        enabled: true,
        interval: '10s',
        auth: true,
        ...(several ? { metricsSecretName: `${names.pool}-metrics-reader-secret` } : {}),
        ...poolOverride.monitoring,
      },
    });
    setPropOrigin(pool, {
      scope: this,
      userField: (f) => givenField(f, poolOverride, `${at}.pool`) ?? tableField(f, { name: `${at}.names.pool`, namespace: 'namespace', release: 'release', selector: `${at}.key` }),
      // The servers are the stack's: a mismatch with them is the selector or ports the user gave the pool.
      userProblem: (p) => {
        if (/^modelServers\[\d+\]\.podLabels$/.test(p.field) && poolOverride.selector !== undefined) {
          return { field: `${at}.pool.selector`, value: poolOverride.selector, allowed: `labels the model's pods carry: ${JSON.stringify(p.value)}`, why: p.why };
        }
        if (/^modelServers\[\d+\]\.servingPort$/.test(p.field) && poolOverride.targetPorts !== undefined) {
          return { field: `${at}.pool.targetPorts`, value: poolOverride.targetPorts, allowed: `the model servers' port ${String(p.value)}`, why: p.why };
        }
        return undefined;
      },
    });
    pool.addModelServer(built.modelService);
    if (built.prefill) pool.addModelServer(built.prefill);
    this.modelNames.push(names);
    return { key, model: m.model, modelService: built.modelService, prefill: built.prefill, prefillWorkload: built.prefillWorkload, pool, downloader, authSecretName: built.authSecretName, fixedReplicas: built.fixedReplicas };
  }

  private stackProblems(props: LlmdServingStackProps): Problem[] {
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
      const ms = s.authSecretName;
      if (dl !== undefined && ms !== undefined && dl !== ms) {
        const given = props.models[i]?.storage?.download?.tokenSecret;
        out.push(given !== undefined
          ? { field: `models[${i}].storage.download.tokenSecret`, value: given, allowed: `the servers' token Secret "${ms}" (hfTokenSecret), or leave it unset`, why: 'the downloader and the model servers must use the same Hugging Face token Secret' }
          : { field: `models[${i}].modelService.modelArtifacts.authSecret`, value: ms, allowed: `the downloader's token Secret "${dl}"`, why: 'the downloader and the model servers must use the same Hugging Face token Secret' });
      }
      const config = props.models[i]?.pool?.epp?.config;
      if (s.prefill && config !== undefined && !isPrefillDecodeConfig(config)) {
        out.push({
          field: `models[${i}].pool.epp.config`,
          value: (config.plugins ?? []).map((p) => p.type),
          allowed: `a config with one of ${PD_HANDLERS.join(', ')} (EndpointPickerConfig.prefillDecode() or routerPrefillDecode())`,
          why: 'the model has prefill pods, and a scheduler without a prefill/decode handler sends every request to any pod, prefill pods included',
        });
      }
    });
    out.push(...this.nameProblems());
    // Two pools selecting the same pods would each schedule onto servers the other also fills
    // (models with one key are reported by their key: their labels are the same by construction).
    const repeatedKeys = new Set(this.models.filter((s, i) => this.models.findIndex((t) => t.key === s.key) !== i).map((s) => s.key));
    for (const [a, b] of overlappingSelectors(this.models)) {
      if (repeatedKeys.has(a.key) && a.key === b.key) continue;
      const sel = b.pool.selector as Readonly<Record<string, string>>;
      out.push({ field: `models[${this.models.indexOf(b)}].pool.selector`, value: sel, allowed: `labels that select only the pods of ${b.model}`, why: `pool ${b.pool.poolName} also selects the pods of ${a.model} (pool ${a.pool.poolName})` });
    }
    out.push(...this.routeProblems());
    if (props.defaultModel !== undefined && this.bodyBasedRouter) {
      out.push({ field: 'defaultModel', value: props.defaultModel, allowed: 'unset with bodyBasedRouting (or bodyBasedRouting: false to keep a catch-all rule)', why: 'the body-based router names each request\'s model; a catch-all rule would send requests for models the stack does not serve to the default model' });
    } else if (props.defaultModel !== undefined && !this.models.some((s) => s.key === props.defaultModel || s.model === props.defaultModel)) {
      out.push({ field: 'defaultModel', value: props.defaultModel, allowed: `the key or model of one of the models: ${this.models.map((s) => s.key).join(', ')}` });
    }
    return out;
  }

  /** A name given (or derived) for two models' objects: the second is reported at the prop that names it. */
  private nameProblems(): Problem[] {
    const out: Problem[] = [];
    for (const kind of ['modelServiceRelease', 'pool', 'claim', 'downloader'] as const) {
      const first = new Map<string, number>();
      this.modelNames.forEach((n, i) => {
        const j = first.get(n[kind]);
        // Two models with one key get the same derived names: the key is what is reported.
        if (j !== undefined && this.models[i].key !== this.models[j].key) {
          out.push({ field: `models[${i}].names.${kind}`, value: n[kind], allowed: 'a name no other model of the stack uses', why: `models[${j}] has it too: their objects would overwrite each other` });
        }
        if (j === undefined) first.set(n[kind], i);
      });
    }
    return out;
  }

  /**
   * Routes to this stack's pools must name them in their own API group. Any gateway of the mesh
   * may route to them (Istio calls the pool's endpoint picker from every gateway proxy).
   */
  private routeProblems(): Problem[] {
    const out: Problem[] = [];
    const byName = new Map(this.models.map((s) => [`${s.pool.poolNamespace}/${s.pool.poolName}`, s.pool]));
    for (const c of inferenceRoutesOf(this)) {
      for (const [j, pool] of c.backendPools.entries()) {
        const same = byName.get(`${pool.poolNamespace}/${pool.poolName}`);
        if (same && same !== pool && (pool as IInferencePoolRef).poolGroup !== same.poolGroup) {
          // A route of the user's: reported at it, by its backend.
          out.push(problemOf(c, {
            field: `backends[${j}].pool`,
            value: `${pool.poolGroup}/InferencePool ${pool.poolName}`,
            allowed: `the pool's own API group, ${same.poolGroup} (pass the InferenceSchedulerPool itself)`,
            why: 'the gateway looks the backend up in that group and finds no pool: every request fails',
          }));
        }
      }
    }
    return out;
  }

  /** Title of the description. */
  protected get describeTitle(): string {
    return 'llm-d serving stack';
  }

  /** A plain-language Markdown description of what was generated and why. */
  public describe(): string {
    return describeStack(this, this.describeTitle);
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
function overlappingSelectors(models: readonly LlmdServedModel[]): Array<[LlmdServedModel, LlmdServedModel]> {
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
