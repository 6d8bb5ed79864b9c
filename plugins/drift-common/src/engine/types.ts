/** A JSON value as read from a manifest or an API server response. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** A Kubernetes object as it appears in a manifest or in `kubectl get -o yaml`. */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject;
}

/** Identity of a Kubernetes object. `namespace` is absent for cluster-scoped objects. */
export interface ResourceIdentity {
  /** API group, `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Where a parsed object came from: a file (if any) and its 1-based document number. */
export interface ManifestSource {
  file?: string;
  /** 1-based index of the YAML document in the file (JSON files have one document). */
  document: number;
  /** 1-based index of the item when the document is a `kind: List`. */
  item?: number;
  /**
   * The object is a renderer's output (`helm template`, `kustomize build`): `file`, if any,
   * is not where it can be edited.
   */
  rendered?: boolean;
}

/** An object read from a manifest, with its identity and origin. */
export interface ParsedManifest {
  id: ResourceIdentity;
  object: KubeObject;
  source: ManifestSource;
}

/** The closed list of drift categories. */
export const DRIFT_CATEGORIES = [
  'Scaling',
  'VersionChange',
  'ResourceChange',
  'ConfigurationChange',
  'LabelChange',
  'AnnotationChange',
  'PortChange',
  'VolumeChange',
  'SecretChange',
  'ConfigMapChange',
  'SecurityChange',
] as const;

/** A drift category. */
export type DriftCategory = (typeof DRIFT_CATEGORIES)[number];

/** Severity of a change or a resource, in increasing order. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** A severity. */
export type Severity = (typeof SEVERITIES)[number];

/** Status of a monitored resource. */
export type ResourceStatus =
  | 'in-sync'
  | 'drifted'
  | 'missing'
  | 'extra'
  | 'unknown';

/** What severities and weights are keyed by: the categories plus whole-object statuses. */
export type SeverityKey = DriftCategory | 'missing' | 'extra';

/**
 * How a field differs: `changed` (both sides have it), `added` (only live has it)
 * or `removed` (Git declares it, live lacks it).
 */
export type ChangeOp = 'changed' | 'added' | 'removed';

/** A value shown in place of a Secret value: never the value itself. */
export interface RedactedValue {
  redacted: true;
  /** First 12 hex digits of a keyed HMAC-SHA-256 fingerprint; absent for Terraform. */
  sha256?: string;
}

/** One field-level difference between Git and live. */
export interface Change {
  /** RFC 6901 JSON Pointer; into the live object when live has the value, else into the desired one. */
  path: string;
  /** The same location with list items named by their merge keys, e.g. `spec.template.spec.containers[name=cart].image`. */
  field: string;
  op: ChangeOp;
  category: DriftCategory;
  severity: Severity;
  /** Value in Git (normalized); null when Git does not set the field. */
  desired: JsonValue | RedactedValue;
  /** Value live; null when live lacks the field. */
  live: JsonValue | RedactedValue;
  /** The API default of the field, when Git leaves it out and a default is known. */
  default?: JsonValue;
  /** The managedFields manager that owns the live value. */
  manager?: string;
  /** When that manager last wrote it (managedFields `time`). */
  time?: string;
  /** The managedFields operation (`Apply` or `Update`) of that manager. */
  operation?: string;
  /** The subresource it wrote through (`kubectl scale` writes replicas through `scale`). */
  subresource?: string;
}

/** The comparison result for one resource. */
export interface ResourceDiff {
  apiVersion: string;
  kind: string;
  group: string;
  namespace?: string;
  name: string;
  /** `Kind:namespace:name`. */
  key: string;
  status: ResourceStatus;
  /** The worst severity among the changes (or of the status itself for missing/extra); null when in sync. */
  severity: Severity | null;
  /** Weighted sum of the changes. */
  score: number;
  changes: Change[];
  /** Changes that matched an ignore rule or a trusted manager, kept for transparency. */
  ignoredChanges: number;
  /** Set when the object opted out with `driftwatch.io/compare: disabled`. */
  comparison?: 'disabled';
  /** Where the objects were read from. */
  desiredSource?: ManifestSource;
  liveSource?: ManifestSource;
}

/** A live object that is neither in Git nor reported as extra, and why. */
export interface UntrackedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  reason: 'owned' | 'generated' | 'not-labelled' | 'compare-disabled';
}

/** Result of comparing a desired set with a live set. */
export interface DriftReport {
  drifted: boolean;
  summary: Record<ResourceStatus, number> & { total: number };
  resources: ResourceDiff[];
  /** Live objects that were not compared (generated children, other apps' objects). */
  untracked: UntrackedObject[];
}

/** An ignore rule: JSON Pointers and/or trusted field managers, with optional selectors. */
export interface IgnoreRule {
  /** RFC 6901 JSON Pointers; a pointer also covers everything below it; `*` matches any one segment. */
  paths?: string[];
  /** Field managers whose live values are accepted. */
  managers?: string[];
  kind?: string;
  namespace?: string;
  name?: string;
  /** API group (`''` for core), optional. */
  group?: string;
}

/** A function returning a hex SHA-256 fingerprint of a Secret value. */
export type SecretFingerprint = (value: Uint8Array) => string;

/** Options of the Kubernetes comparison. */
export interface DiffOptions {
  ignore?: IgnoreRule[];
  /** Override default severities per category, or for `missing` and `extra`. */
  severities?: Partial<Record<SeverityKey, Severity>>;
  /** Override score weights per category, or for `missing` and `extra`. */
  weights?: Partial<Record<SeverityKey, number>>;
  /**
   * Key for the Secret value fingerprints (HMAC-SHA-256 over the Secret, the data key and the
   * value). Needed as soon as a Secret value differs: the engine has no unkeyed fingerprint,
   * as a plain SHA-256 of a short value can be brute-forced. The CLI uses a random key per
   * run; the backend a configured one.
   */
  secretHashKey?: string | Uint8Array;
  /**
   * Labels that mark live objects as the application's, for `extra`. When absent, the
   * identifying labels of the desired objects are used (app.kubernetes.io/instance, name, app, ...).
   */
  appSelector?: Record<string, string>;
  /** Report `extra` objects at all (default true). */
  detectExtra?: boolean;
  /**
   * The structural schema (`openAPIV3Schema`) a cluster serves for a custom resource's
   * apiVersion and kind, from its CustomResourceDefinition, so that the defaults the API server
   * applies to custom resources never read as drift. Built-in kinds use the engine's own table.
   */
  customResourceSchema?: (apiVersion: string, kind: string) => JsonObject | undefined;
}
