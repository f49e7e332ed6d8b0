import type { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IModelServer, IModelStorage, ISecretReference } from '../core/contracts';
import { FuriosaModelService } from '../model-service/furiosa-model-service';
import type { FuriosaContainer, FuriosaModelServiceProps } from '../model-service/furiosa-options';
import { ModelService } from '../model-service/model-service';
import type { ModelServiceProps, ModelServiceRoleOptions } from '../model-service/model-service-options';
import { DEFAULT_FURIOSA_LLM_IMAGE } from '../model-service/furiosa-rules';
import { DEFAULT_VLLM_IMAGE } from '../model-service/model-service-rules';
import { addProblems, setPropOrigin } from '../core/errors';
import { givenField, tableField } from '../core/user-paths';
import { withKvTransfer } from './kv-transfer';

/** What a stack gives an engine to build one model's servers with. */
export interface ModelServerContext {
  /** Release-like base name of the model service (`ms`, `ms-<key>`). */
  readonly releaseName: string;
  readonly namespace: string;
  /** Hugging Face repository id, served as the model name. */
  readonly model: string;
  /** The claim holding the model, or a model URI; exactly one is set. */
  readonly storage?: IModelStorage;
  readonly uri?: string;
  /** The Hugging Face token Secret. @default - none (a public model, downloaded anonymously) */
  readonly authSecret?: ISecretReference;
  /**
   * Scrape the model servers (a PodMonitor per role) unless the engine's options say otherwise:
   * the stack's operations read their series.
   * @default false
   */
  readonly scrape?: boolean;
  /** Pod labels that tell this model's pods apart from the other models' (several models only). */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Where the user wrote this model's props, so that a problem of the servers names the prop
   * the user wrote (`models[0].tensorParallelism`) instead of the model service's own field.
   * @default - problems are named by the model service's props
   */
  readonly userPaths?: ModelUserPaths;
}

/** Where the user wrote one model's props (see {@link ModelServerContext.userPaths}). */
export interface ModelUserPaths {
  /** The construct the user configured (the stack). */
  readonly scope: IConstruct;
  /** Path of the model's props, e.g. `models[0]`. */
  readonly model: string;
  /** What to name for a problem of the model's storage: `models[0].model` for the stack's download, else `models[0].storage`. */
  readonly storage: string;
  /** Path of the engine's options, e.g. `models[0].engine`. */
  readonly engine: string;
  /** Path of one engine option, e.g. `models[0].engine.replicas`. */
  readonly option: (name: string) => string;
}

/**
 * Findings of the system model about a model service's workload, in the model service's props:
 * more pods on a ReadWriteOnce claim than one node holds is a matter of its replicas (the stack
 * then names the replicas the user wrote).
 */
function workloadOrigin(workload: ApiObject | undefined, ms: IConstruct, replicas: number | undefined): void {
  if (workload === undefined || replicas === undefined) return;
  setPropOrigin(workload, {
    scope: ms,
    userField: () => undefined,
    userProblem: (p) => (/^spec\.template\.spec\.volumes\[/.test(p.field) ? { ...p, field: 'decode.replicas', value: replicas } : undefined),
  });
}

/** The stack-level and model-level props every engine's model service is built from. */
function modelArtifactsTable(u: ModelUserPaths): Record<string, string> {
  return {
    'modelArtifacts.name': `${u.model}.model`,
    'modelArtifacts.uri': `${u.model}.storage.uri`,
    'modelArtifacts.storage': u.storage,
    'modelArtifacts.authSecret': 'hfTokenSecret',
    'releaseName': `${u.model}.names.modelServiceRelease`,
    'namespace': 'namespace',
  };
}

/** The servers one engine built for a model. */
export interface BuiltModelServers {
  /** The model service (a {@link FuriosaModelService} or a {@link ModelService}): decode, or the only role. */
  readonly modelService: Construct & IModelServer;
  /** The prefill pods of a prefill/decode service, which the pool schedules onto too. */
  readonly prefill?: IModelServer;
  /** Their workload (Deployment or LeaderWorkerSet). */
  readonly prefillWorkload?: ApiObject;
  /** The Secret the servers read `HF_TOKEN` from. */
  readonly authSecretName?: string;
  /** The pool selector of a single-model stack. @default - the labels the servers' pods share */
  readonly poolSelector?: Readonly<Record<string, string>>;
  /** Replicas the options fixed (an autoscaler must not be combined with them). */
  readonly fixedReplicas?: number;
}

/** Options of the furiosa-llm engine on RNGD. */
export interface FuriosaEngineOptions {
  /** Tensor parallelism in RNGD processing elements (8 per card). @default 8 */
  readonly tensorParallelism?: number;
  /** Data parallelism inside one pod. @default 1 */
  readonly dataParallelism?: number;
  /** Pipeline parallelism. @default 1 */
  readonly pipelineParallelism?: number;
  /** Model-server pods. @default 1 */
  readonly replicas?: number;
  /** furiosa-llm image. @default - the library's pinned furiosa-llm image (`DEFAULT_FURIOSA_LLM_IMAGE`) */
  readonly image?: string;
  /** Extra `furiosa-llm serve` arguments. @default ['--enable-prefix-caching', '--disable-uvicorn-access-log'] (the guide's) */
  readonly servingArgs?: readonly string[];
  /** RNGD cards a node holds; pods needing more are refused. @default 8 */
  readonly maxRngdPerNode?: number;
  /** Anything else of the model service (merged over what the stack derives). @default - none */
  readonly modelService?: Partial<Omit<FuriosaModelServiceProps, 'modelArtifacts' | 'namespace'>>;
  /**
   * More of the model service's `modelArtifacts`: the size of an `hf://` model's emptyDir, the
   * mount path, more pod labels. Name, URI or claim and token come from the stack.
   * @default - none
   */
  readonly modelArtifacts?: Partial<Pick<FuriosaModelServiceProps['modelArtifacts'], 'size' | 'mountPath' | 'labels'>>;
}

/** Options of the vLLM engine (llm-d's `llm-d-modelservice` chart). */
export interface VllmEngineOptions extends Partial<Omit<ModelServiceProps, 'modelArtifacts' | 'namespace'>> {
  /** More of `modelArtifacts` (size, mount path, labels); name, URI or claim and token come from the stack. @default - none */
  readonly modelArtifacts?: Partial<Pick<ModelServiceProps['modelArtifacts'], 'size' | 'mountPath' | 'readOnly' | 'labels'>>;
}

const GUIDE_SERVING_ARGS = ['--enable-prefix-caching', '--disable-uvicorn-access-log'];

/**
 * The model server a stack runs for one model: `ModelServerEngine.furiosa()` (furiosa-llm on
 * RNGD, the Furiosa-LLM guide) or `ModelServerEngine.vllm()` (vLLM on GPUs, llm-d's guides;
 * decode only, or prefill/decode with the routing sidecar).
 */
export abstract class ModelServerEngine {
  /** furiosa-llm on RNGD. */
  public static furiosa(options: FuriosaEngineOptions = {}): ModelServerEngine {
    return new FuriosaEngine(options);
  }

  /** vLLM through llm-d's model service: decode pods, plus prefill pods when `prefill` is set. */
  public static vllm(options: VllmEngineOptions = {}): ModelServerEngine {
    return new VllmEngine(options);
  }

  /** The image of the model-server pods (the stack's downloader runs it too: it carries the Hugging Face client). */
  public abstract get image(): string;

  /** Builds the model service under `scope` as `id`. */
  public abstract build(scope: Construct, id: string, ctx: ModelServerContext): BuiltModelServers;
}

class FuriosaEngine extends ModelServerEngine {
  constructor(private readonly o: FuriosaEngineOptions) {
    super();
  }

  public get image(): string {
    return this.o.image ?? this.o.modelService?.decode?.containers?.[0]?.image ?? DEFAULT_FURIOSA_LLM_IMAGE;
  }

  public build(scope: Construct, id: string, ctx: ModelServerContext): BuiltModelServers {
    const o = this.o;
    const override = o.modelService ?? {};
    const container: FuriosaContainer = { name: 'furiosa-llm', ...(o.image ? { image: o.image } : {}), args: [...(o.servingArgs ?? GUIDE_SERVING_ARGS)] };
    const ms = new FuriosaModelService(scope, id, {
      releaseName: ctx.releaseName,
      ...override,
      namespace: ctx.namespace,
      modelArtifacts: { ...o.modelArtifacts, name: ctx.model, ...artifactsSource(ctx), authSecret: ctx.authSecret, ...(ctx.labels ? { labels: { ...o.modelArtifacts?.labels, ...ctx.labels } } : {}) },
      decode: {
        replicas: o.replicas ?? 1,
        parallelism: { tensor: o.tensorParallelism ?? 8, data: o.dataParallelism ?? 1, pipeline: o.pipelineParallelism ?? 1 },
        containers: [container],
        ...override.decode,
        ...(ctx.scrape && override.decode?.monitoring?.podmonitor?.enabled === undefined ? { monitoring: { ...override.decode?.monitoring, podmonitor: { ...override.decode?.monitoring?.podmonitor, enabled: true } } } : {}),
      },
      accelerator: { maxRngdPerNode: o.maxRngdPerNode ?? 8, ...override.accelerator },
    });
    const u = ctx.userPaths;
    if (u) {
      const table = {
        ...modelArtifactsTable(u),
        'decode.parallelism.tensor': u.option('tensorParallelism'),
        'decode.parallelism.data': u.option('dataParallelism'),
        'decode.parallelism.pipeline': u.option('pipelineParallelism'),
        'decode.replicas': u.option('replicas'),
        'decode.containers[0].image': u.option('image'),
        'decode.containers[0].args': u.option('servingArgs'),
        'accelerator.maxRngdPerNode': u.option('maxRngdPerNode'),
      };
      workloadOrigin(ms.deployment, ms, o.replicas ?? override.decode?.replicas);
      // What the user set in `modelService` or `modelArtifacts` is named there; the rest by the option it came from.
      setPropOrigin(ms, {
        scope: u.scope,
        userField: (f) => givenField(f, override, u.option('modelService')) ?? (f.startsWith('modelArtifacts.') ? givenField(f.slice('modelArtifacts.'.length), o.modelArtifacts, u.option('modelArtifacts')) : undefined) ?? tableField(f, table),
        // Cards per pod follow from the parallelism: named by the tensor parallelism the user wrote.
        userProblem: (p) => (p.field === 'decode.parallelism' && givenField(p.field, override, '') === undefined && typeof p.value === 'object' && p.value !== null
          ? { ...p, field: u.option('tensorParallelism'), value: (p.value as { tensor?: number }).tensor }
          : undefined),
      });
    }
    // The guide's single pool selects every serving pod.
    return { modelService: ms, authSecretName: ms.authSecretName, poolSelector: { 'llm-d.ai/inferenceServing': 'true' }, fixedReplicas: o.replicas ?? override.decode?.replicas };
  }
}

class VllmEngine extends ModelServerEngine {
  constructor(private readonly o: VllmEngineOptions) {
    super();
  }

  public get image(): string {
    return this.o.decode?.containers?.[0]?.image ?? DEFAULT_VLLM_IMAGE;
  }

  public build(scope: Construct, id: string, ctx: ModelServerContext): BuiltModelServers {
    const { modelArtifacts, ...options } = this.o;
    const kv = withKvTransfer(options.routing?.proxy?.connector || 'nixlv2', { decode: options.decode, prefill: options.prefill }, 'engine');
    const roles = options.prefill ? { decode: kv.decode, prefill: kv.prefill } : { decode: options.decode };
    const rest = { ...options, ...(ctx.scrape ? scraped(roles) : roles) };
    const u = ctx.userPaths;
    // The connector is the user's engine option: named there, at the stack.
    if (kv.problems.length > 0) addProblems(u ? u.scope : scope, () => kv.problems.map((p) => (u ? { ...p, field: p.field.replace(/^engine/, u.engine) } : p)));
    const ms = new ModelService(scope, id, {
      releaseName: ctx.releaseName,
      ...rest,
      namespace: ctx.namespace,
      modelArtifacts: { ...modelArtifacts, name: ctx.model, ...artifactsSource(ctx), authSecret: ctx.authSecret, ...(ctx.labels ? { labels: { ...modelArtifacts?.labels, ...ctx.labels } } : {}) },
    });
    if (u) {
      workloadOrigin(ms.decodeDeployment, ms, rest.decode?.replicas);
      const table = modelArtifactsTable(u);
      setPropOrigin(ms, {
        scope: u.scope,
        userField: (f) => givenField(f, options, u.engine) ?? (f.startsWith('modelArtifacts.') ? givenField(f.slice('modelArtifacts.'.length), modelArtifacts, u.option('modelArtifacts')) : undefined) ?? tableField(f, table),
      });
    }
    return { modelService: ms, prefill: ms.prefillServer, prefillWorkload: ms.prefillDeployment, authSecretName: ctx.authSecret?.name, fixedReplicas: rest.decode?.replicas };
  }
}

/** The roles with their PodMonitor on, unless the options set it either way. */
function scraped(roles: { decode?: ModelServiceRoleOptions; prefill?: ModelServiceRoleOptions }): { decode?: ModelServiceRoleOptions; prefill?: ModelServiceRoleOptions } {
  const on = (o: ModelServiceRoleOptions | undefined): ModelServiceRoleOptions | undefined => {
    if (o?.monitoring?.podmonitor?.enabled !== undefined) return o;
    return { ...o, monitoring: { ...o?.monitoring, podmonitor: { ...o?.monitoring?.podmonitor, enabled: true } } };
  };
  return { decode: on(roles.decode ?? {}), ...(roles.prefill ? { prefill: on(roles.prefill) } : {}) };
}

function artifactsSource(ctx: ModelServerContext): { uri: string } | { storage: IModelStorage } | Record<string, never> {
  if (ctx.uri !== undefined) return { uri: ctx.uri };
  return ctx.storage ? { storage: ctx.storage } : {};
}
