export * from './types';
export {
  parseManifests,
  indexManifests,
  type ParseOptions,
} from './parse/parseManifests';
export { ManifestError } from './parse/errors';
export {
  identityOf,
  isClusterScoped,
  matchKey,
  resourceKey,
  splitApiVersion,
} from './parse/identity';
export {
  normalizeObject,
  canonicalHash,
  stableStringify,
} from './normalize/normalizeObject';
export { canonicalQuantity, parseQuantity } from './normalize/quantity';
export { diffObject, diffResources, type ObjectContext } from './compare/diff';
export { classifyChange } from './classify/classify';
export {
  DEFAULT_SEVERITIES,
  DEFAULT_WEIGHTS,
  scoreOf,
  worstSeverity,
} from './classify/severity';
export { parseIgnoreRules } from './ignore/rules';
export { parsePointer } from './ignore/pointer';
export { sha256Hex, hmacSha256 } from './redact/sha256';
export {
  diffTerraformPlan,
  TerraformPlanError,
  type TerraformDiffOptions,
  type TerraformDriftReport,
  type TerraformResourceDiff,
} from './terraform/diffTerraformPlan';
export {
  redactTerraformPlan,
  type RedactTerraformPlanOptions,
} from './terraform/redactPlan';
export { classifyTerraformChange } from './terraform/classify';
