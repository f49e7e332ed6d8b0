import { Construct } from 'constructs';
import type { FuriosaModelService } from '../model-service/furiosa-model-service';
import type { FuriosaModelServiceProps } from '../model-service/furiosa-options';
import type { InferenceSchedulerPoolProps } from '../scheduler/pool-options';
import { LlmdServedModel, LlmdServingStack, LlmdServingStackProps, ModelRoutingOptions, ModelStorageOptions, ServedModelNames } from './llmd-serving-stack';
import { ModelServerEngine } from './model-server-engine';
import type { ServingPrerequisites } from './stack-prerequisites';


/** How a model's weights reach the pods (see {@link ModelStorageOptions}). */
export type RngdModelStorage = ModelStorageOptions;
/** How requests reach a model through the gateway (see {@link ModelRoutingOptions}). */
export type RngdModelRouting = ModelRoutingOptions;
/** Objects to apply before the stack (see {@link ServingPrerequisites}). */
export type RngdPrerequisites = ServingPrerequisites;

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
  readonly names?: ServedModelNames;
  /** Anything else of the model service (merged over what the stack derives). @default - none */
  readonly modelService?: Partial<Omit<FuriosaModelServiceProps, 'modelArtifacts' | 'namespace'>>;
  /** Anything else of the pool (merged over what the stack derives). @default - none */
  readonly pool?: Partial<Omit<InferenceSchedulerPoolProps, 'name' | 'namespace' | 'modelServers'>>;
}

export interface RngdServingStackProps extends Omit<LlmdServingStackProps, 'models'> {
  /** The models to serve; one InferencePool and furiosa-llm model service each. */
  readonly models: readonly RngdModelProps[];
  /** RNGD cards a node holds; pods needing more are refused. @default 8 */
  readonly maxRngdPerNode?: number;
}

/** What the stack built for one model. */
export interface RngdServedModel extends LlmdServedModel {
  readonly modelService: FuriosaModelService;
}

/**
 * The llm-d serving stack on RNGD of the Furiosa-LLM + llm-d guide: an {@link LlmdServingStack}
 * whose models all run furiosa-llm ({@link ModelServerEngine.furiosa}).
 */
export class RngdServingStack extends LlmdServingStack {
  declare public readonly models: readonly RngdServedModel[];

  constructor(scope: Construct, id: string, props: RngdServingStackProps) {
    const { maxRngdPerNode, models, ...rest } = props;
    super(scope, id, {
      ...rest,
      models: models.map(({ tensorParallelism, dataParallelism, pipelineParallelism, replicas, image, servingArgs, modelService, ...m }) => ({
        ...m,
        engine: ModelServerEngine.furiosa({ tensorParallelism, dataParallelism, pipelineParallelism, replicas, image, servingArgs, maxRngdPerNode, modelService }),
      })),
    });
  }

  protected get describeTitle(): string {
    return 'llm-d serving stack on FuriosaAI RNGD';
  }
}
