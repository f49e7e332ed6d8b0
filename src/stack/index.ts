// Public surface of src/stack.
export * from './rngd-serving-stack';
export * from './network-policies';
export { describeStack } from './describe';
