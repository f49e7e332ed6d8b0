// Public surface of cdk8s-llm-d.
export * from './core/contracts';
export { Problem, LlmdValidationError, describeProblem } from './core/errors';
export { validateTree, synthApp } from './core/validate';
export * from './testing';
export * from './core/security';
export * from './gateway';
export * from './routing';
export * from './storage';
export * from './model-service';
export * from './scheduler';
export * from './stack';
