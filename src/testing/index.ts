// Testing tools: check what cdk8s-llm-d (or any cdk8s app) synthesizes.
export { compareManifests, parseManifests, type ManifestComparison } from './semdiff';
export { validateManifests, formatSchemaFindings, type SchemaFinding, type ValidateManifestsOptions } from './schema';
export {
  checkPodSecurity,
  checkPodSecurityBaseline,
  checkPodSecurityRestricted,
  checkPod,
  formatPssFindings,
  podTemplates,
  type PodFinding,
  type PssFinding,
  type PssLevel,
} from './pss';
export { checkApp, checkManifests, type SystemCheckInput } from './system';
export type { SystemFinding, SystemRule, ObjectIdentity } from '../system/finding';
