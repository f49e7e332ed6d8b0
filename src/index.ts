// Public surface of cdk8s-llm-d.
import type * as testing from './testing';

export * from './core/contracts';
export { Problem, LlmdValidationError, describeProblem } from './core/errors';
export { validateTree, synthApp } from './core/validate';
export * from './core/security';
export * from './gateway';
export * from './routing';
export * from './storage';
export * from './model-service';
export * from './scheduler';
export * from './stack';

// Testing tools (./testing) load on first use: synthesizing does not need the schema validator,
// the Pod Security checks or the manifest comparison, and every app would pay for loading them.
export type { ManifestComparison, SchemaFinding, ValidateManifestsOptions, PodFinding, PssFinding, PssLevel } from './testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = (): typeof testing => require('./testing') as typeof testing;
export const compareManifests: typeof testing.compareManifests = (golden, ours) => tools().compareManifests(golden, ours);
export const parseManifests: typeof testing.parseManifests = (text) => tools().parseManifests(text);
export const validateManifests: typeof testing.validateManifests = (objects, options) => tools().validateManifests(objects, options);
export const formatSchemaFindings: typeof testing.formatSchemaFindings = (findings) => tools().formatSchemaFindings(findings);
export const checkPodSecurity: typeof testing.checkPodSecurity = (objects, level) => tools().checkPodSecurity(objects, level);
export const checkPodSecurityBaseline: typeof testing.checkPodSecurityBaseline = (objects) => tools().checkPodSecurityBaseline(objects);
export const checkPodSecurityRestricted: typeof testing.checkPodSecurityRestricted = (objects) => tools().checkPodSecurityRestricted(objects);
export const checkPod: typeof testing.checkPod = (metadata, spec, level) => tools().checkPod(metadata, spec, level);
export const formatPssFindings: typeof testing.formatPssFindings = (findings) => tools().formatPssFindings(findings);
export const podTemplates: typeof testing.podTemplates = (obj) => tools().podTemplates(obj);
