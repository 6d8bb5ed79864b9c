/**
 * Annotations Driftwatch reads from catalog entities and from Git manifests.
 *
 * Live Kubernetes objects are linked through the Kubernetes plugin's own annotations so a
 * Backstage that already shows pods gets drift detection without new metadata.
 *
 * @packageDocumentation
 */

/** One or more desired-state locations (`url:` or `file:`), comma or newline separated. @public */
export const DRIFT_SOURCE_ANNOTATION = 'driftwatch.io/source';
/** Location of a `terraform show -json` output of a refresh-only plan. @public */
export const DRIFT_TERRAFORM_PLAN_ANNOTATION = 'driftwatch.io/terraform-plan';
/** HCP Terraform / Terraform Enterprise workspaces, `<organization>/<workspace>`, comma or newline separated. @public */
export const DRIFT_TERRAFORM_WORKSPACE_ANNOTATION = 'driftwatch.io/terraform-workspace';
/** SLA tier, "1", "2" or "3". @public */
export const DRIFT_TIER_ANNOTATION = 'driftwatch.io/tier';
/** Environment name, for cross-environment comparison. @public */
export const DRIFT_ENVIRONMENT_ANNOTATION = 'driftwatch.io/environment';
/** Per-object opt-out in Git manifests: comma-separated JSON Pointers. @public */
export const DRIFT_IGNORE_PATHS_ANNOTATION = 'driftwatch.io/ignore-paths';
/** Per-object opt-out in Git manifests: `disabled` skips the object. @public */
export const DRIFT_COMPARE_ANNOTATION = 'driftwatch.io/compare';

/** Release name a Helm chart location is rendered as; the entity's name by default. @public */
export const DRIFT_HELM_RELEASE_ANNOTATION = 'driftwatch.io/helm-release';
/** Namespace a Helm chart is rendered into; `backstage.io/kubernetes-namespace` by default. @public */
export const DRIFT_HELM_NAMESPACE_ANNOTATION = 'driftwatch.io/helm-namespace';
/** Comma-separated values files of a Helm chart, relative to the chart folder, in order. @public */
export const DRIFT_HELM_VALUES_ANNOTATION = 'driftwatch.io/helm-values';

/** Kubernetes plugin annotations reused for live-state selection. @public */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** @public */
export const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';
/** @public */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/** Other plugins' annotations used by routing. @public */
export const PAGERDUTY_INTEGRATION_KEY_ANNOTATION = 'pagerduty.com/integration-key';
/** @public */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';
/** @public */
export const ARGOCD_APP_NAME_ANNOTATION = 'argocd/app-name';

/** Annotations that make an entity eligible for drift scans. @public */
export const DRIFT_LINK_ANNOTATIONS = [
  DRIFT_SOURCE_ANNOTATION,
  DRIFT_TERRAFORM_PLAN_ANNOTATION,
  DRIFT_TERRAFORM_WORKSPACE_ANNOTATION,
  ARGOCD_APP_NAME_ANNOTATION,
] as const;
