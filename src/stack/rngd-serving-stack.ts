import { Construct } from 'constructs';
import { plainProps } from '../core/plain-props';
import type { FuriosaModelService } from '../model-service/furiosa-model-service';
import { LlmdModelProps, LlmdServedModel, LlmdServingStack, LlmdServingStackProps, ModelRoutingOptions, ModelStorageOptions } from './llmd-serving-stack';
import { engineOptionPaths } from './engine-option-paths';
import { FuriosaEngineOptions, ModelServerEngine } from './model-server-engine';
import type { ServingPrerequisites } from './stack-prerequisites';


/** How a model's weights reach the pods (see {@link ModelStorageOptions}). */
export type RngdModelStorage = ModelStorageOptions;
/** How requests reach a model through the gateway (see {@link ModelRoutingOptions}). */
export type RngdModelRouting = ModelRoutingOptions;
/** Objects to apply before the stack (see {@link ServingPrerequisites}). */
export type RngdPrerequisites = ServingPrerequisites;

/**
 * One model served by the stack: the furiosa-llm engine's options (parallelism, replicas, image,
 * serving args, model-service overrides) and the stack's per-model options.
 */
export interface RngdModelProps extends Omit<FuriosaEngineOptions, 'maxRngdPerNode'>, Omit<LlmdModelProps, 'engine'> {}

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
  /** Per model, in the order given: its FuriosaModelService, pool, downloader and names. */
  declare public readonly models: readonly RngdServedModel[];

  constructor(scope: Construct, id: string, props: RngdServingStackProps) {
    const { maxRngdPerNode, models, ...rest } = plainProps(scope, props, id);
    super(scope, id, {
      ...rest,
      models: models.map(({ tensorParallelism, dataParallelism, pipelineParallelism, replicas, image, servingArgs, modelService, modelArtifacts, ...m }, i) => {
        const engine = ModelServerEngine.furiosa({ tensorParallelism, dataParallelism, pipelineParallelism, replicas, image, servingArgs, maxRngdPerNode, modelService, modelArtifacts });
        // The engine's options are written on the model here, and maxRngdPerNode once on the stack.
        engineOptionPaths.set(engine, (option) => (option === 'maxRngdPerNode' ? 'maxRngdPerNode' : `models[${i}].${option}`));
        return { ...m, engine };
      }),
    });
  }

  protected get describeTitle(): string {
    return 'llm-d serving stack on FuriosaAI RNGD';
  }
}
