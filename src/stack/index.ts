// Public surface of src/stack.
export * from './llmd-serving-stack';
export * from './model-server-engine';
export type { ServingPrerequisites } from './stack-prerequisites';
export type { OperatedModel, ServingOperations, ServingOperationsOptions, StackAutoscalingOptions } from './serving-operations';
export { RngdServingStack } from './rngd-serving-stack';
export type { RngdModelProps, RngdModelRouting, RngdModelStorage, RngdPrerequisites, RngdServedModel, RngdServingStackProps } from './rngd-serving-stack';
export * from './network-policies';
export { describeStack } from './describe';
