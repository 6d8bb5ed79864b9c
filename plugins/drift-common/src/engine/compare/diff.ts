import type {
  Change,
  ChangeOp,
  DiffOptions,
  DriftReport,
  JsonObject,
  JsonValue,
  KubeObject,
  ParsedManifest,
  ResourceDiff,
  ResourceStatus,
  Severity,
  UntrackedObject,
} from '../types';
import { identityOf, matchKey, resourceKey } from '../parse/identity';
import { schemaFor } from '../normalize/kinds';
import { schemaFromOpenApi } from '../normalize/openApiSchema';
import { foldSecretData, prepareObject, scopeOf } from '../normalize/prepare';
import { isObject, type Node } from '../normalize/schema';
import { classifyChange } from '../classify/classify';
import {
  scoreOf,
  severityOf,
  weightOf,
  worstSeverity,
} from '../classify/severity';
import { ManagedFields } from '../attribution/managedFields';
import {
  COMPARE_ANNOTATION,
  IGNORE_PATHS_ANNOTATION,
  ignoresFor,
  isIgnoredPath,
  splitIgnorePaths,
} from '../ignore/rules';
import { isSecretContent, redactDeep } from '../redact/redact';
import { compare, type Reporter } from './walker';
import { Path, displayOf, fieldNamesOf, pointerOf } from './path';
import { findExtra } from './extra';

interface RawChange {
  op: ChangeOp;
  desired: JsonValue | undefined;
  live: JsonValue | undefined;
  path: Path;
  node: Node;
  defaultValue?: JsonValue;
}

function annotationsOf(object: JsonObject | undefined): JsonObject {
  const metadata =
    object && isObject(object.metadata) ? object.metadata : undefined;
  return metadata && isObject(metadata.annotations) ? metadata.annotations : {};
}

function toManifest(object: KubeObject | ParsedManifest): ParsedManifest {
  if (
    'object' in object &&
    'id' in object &&
    isObject((object as ParsedManifest).object)
  ) {
    return object as ParsedManifest;
  }
  const kube = object as KubeObject;
  const metadata = kube.metadata ?? {};
  return {
    id: identityOf(
      kube.apiVersion,
      kube.kind,
      String(metadata.name ?? ''),
      typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    ),
    object: kube,
    source: { document: 1 },
  };
}

function baseDiff(
  manifest: ParsedManifest,
  status: ResourceStatus,
): ResourceDiff {
  const { id, object } = manifest;
  const diff: ResourceDiff = {
    apiVersion: object.apiVersion,
    kind: id.kind,
    group: id.group,
    name: id.name,
    key: resourceKey(id),
    status,
    severity: null,
    score: 0,
    changes: [],
    ignoredChanges: 0,
  };
  if (id.namespace) diff.namespace = id.namespace;
  return diff;
}

/** What the rest of the desired set says about one object. */
export interface ObjectContext {
  /** An autoscaler in Git scales this object: with replicas left out of Git, live replicas are its business. */
  autoscaled?: boolean;
}

const SCALABLE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** `Kind/namespace/name` of the objects an autoscaler in the desired set scales. */
function autoscaledTargets(desired: ParsedManifest[]): Set<string> {
  const targets = new Set<string>();
  for (const manifest of desired) {
    const { kind, namespace } = manifest.id;
    if (kind !== 'HorizontalPodAutoscaler' && kind !== 'ScaledObject') continue;
    const spec = isObject(manifest.object.spec) ? manifest.object.spec : {};
    const target = isObject(spec.scaleTargetRef)
      ? spec.scaleTargetRef
      : undefined;
    if (!target || typeof target.name !== 'string') continue;
    const targetKind =
      typeof target.kind === 'string' ? target.kind : 'Deployment';
    targets.add(`${targetKind}/${namespace ?? ''}/${target.name}`);
  }
  return targets;
}

/**
 * Compares one desired object (from Git) with its live counterpart (undefined when the object
 * does not exist live).
 */
export function diffObject(
  desiredInput: KubeObject | ParsedManifest,
  liveInput: KubeObject | ParsedManifest | undefined,
  options: DiffOptions = {},
  context: ObjectContext = {},
): ResourceDiff {
  const desired = toManifest(desiredInput);
  const live = liveInput ? toManifest(liveInput) : undefined;
  const desiredAnnotations = annotationsOf(desired.object);
  const liveAnnotations = annotationsOf(live?.object);

  if (
    desiredAnnotations[COMPARE_ANNOTATION] === 'disabled' ||
    liveAnnotations[COMPARE_ANNOTATION] === 'disabled'
  ) {
    const diff = baseDiff(desired, 'in-sync');
    diff.comparison = 'disabled';
    return withSources(diff, desired, live);
  }
  if (!live) {
    const diff = baseDiff(desired, 'missing');
    diff.severity = severityOf('missing', options.severities);
    diff.score = weightOf('missing', options.weights);
    return withSources(diff, desired, live);
  }

  const crd = options.customResourceSchema?.(
    desired.object.apiVersion,
    desired.id.kind,
  );
  const schema = crd
    ? schemaFromOpenApi(crd)
    : schemaFor(desired.id.group, desired.id.kind);
  const prepared = prepareObject(desired.object, schema);
  const liveObject = foldSecretData(live.object);
  const scope = scopeOf(liveObject);
  const diff = withSources(baseDiff(desired, 'in-sync'), desired, live);
  if (compare(prepared, liveObject, schema, undefined, scope, null, null))
    return diff;

  const raw: RawChange[] = [];
  const reporter: Reporter = {
    change(op, d, l, path, node, defaultValue) {
      raw.push({ op, desired: d, live: l, path, node, defaultValue });
    },
  };
  compare(
    prepared,
    liveObject,
    schema,
    undefined,
    scope,
    Path.root(),
    reporter,
  );

  const implicit: string[] = [];
  const desiredSpec = desired.object.spec;
  if (
    context.autoscaled &&
    SCALABLE_KINDS.has(desired.id.kind) &&
    isObject(desiredSpec) &&
    desiredSpec.replicas === undefined
  ) {
    implicit.push('/spec/replicas');
  }
  const ignores = ignoresFor(options.ignore, desired.id, [
    ...splitIgnorePaths(desiredAnnotations[IGNORE_PATHS_ANNOTATION]),
    ...splitIgnorePaths(liveAnnotations[IGNORE_PATHS_ANNOTATION]),
    ...implicit,
  ]);
  const managed = new ManagedFields(liveObject);
  let severity: Severity | null = null;
  for (const change of raw) {
    const livePointer =
      change.live === undefined ? undefined : pointerOf(change.path, 'live');
    const desiredPointer = pointerOf(change.path, 'desired');
    const owner =
      change.live === undefined || managed.empty
        ? undefined
        : managed.ownerOf(change.path);
    if (
      // Either side's pointer may be the one a rule names (list items can move).
      isIgnoredPath(ignores, [
        desiredPointer,
        pointerOf(change.path, 'live'),
      ]) ||
      (owner && ignores.managers.has(owner.manager))
    ) {
      diff.ignoredChanges++;
      continue;
    }
    const fields = fieldNamesOf(change.path);
    const category = classifyChange(
      desired.id.kind,
      fields,
      change.desired,
      change.live,
    );
    const changeSeverity = severityOf(category, options.severities);
    const secret = isSecretContent(desired.id.kind, fields);
    const out: Change = {
      path: livePointer ?? desiredPointer ?? '',
      field: displayOf(change.path),
      op: change.op,
      category,
      severity: changeSeverity,
      desired: secret
        ? redactDeep(change.desired, options.secretHashKey, matchKey(desired.id), fields)
        : change.desired ?? null,
      live: secret
        ? redactDeep(change.live, options.secretHashKey, matchKey(desired.id), fields)
        : change.live ?? null,
    };
    if (change.defaultValue !== undefined && !secret)
      out.default = change.defaultValue;
    if (owner) {
      out.manager = owner.manager;
      if (owner.time) out.time = owner.time;
      if (owner.operation) out.operation = owner.operation;
      if (owner.subresource) out.subresource = owner.subresource;
    }
    diff.changes.push(out);
    severity = worstSeverity(severity, changeSeverity);
  }
  if (diff.changes.length > 0) {
    diff.status = 'drifted';
    diff.severity = severity;
    diff.score = scoreOf(diff.changes, options.weights);
  }
  return diff;
}

function withSources(
  diff: ResourceDiff,
  desired: ParsedManifest,
  live: ParsedManifest | undefined,
): ResourceDiff {
  if (
    desired.source.file !== undefined ||
    desired.source.document !== 1 ||
    desired.source.item !== undefined
  ) {
    diff.desiredSource = desired.source;
  }
  if (
    live &&
    (live.source.file !== undefined || live.source.item !== undefined)
  )
    diff.liveSource = live.source;
  return diff;
}

/**
 * The one unmatched live object of the same kind and name when namespaces disagree only by
 * absence: Git may leave the namespace to the deploy tool, or give one to a cluster-scoped
 * custom resource, which the API server then drops.
 */
function uniqueByName(
  manifest: ParsedManifest,
  live: ParsedManifest[],
  matched: Set<ParsedManifest>,
): ParsedManifest | undefined {
  const { group, kind, name, namespace } = manifest.id;
  const candidates = live.filter(
    other =>
      !matched.has(other) &&
      other.id.group === group &&
      other.id.kind === kind &&
      other.id.name === name &&
      (namespace === undefined || other.id.namespace === undefined),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Compares a desired set (Git) with a live set: every desired object is in-sync, drifted or
 * missing; live objects carrying the application's labels that Git lacks are extra.
 */
export function diffResources(
  desiredInput: Array<KubeObject | ParsedManifest>,
  liveInput: Array<KubeObject | ParsedManifest>,
  options: DiffOptions = {},
): DriftReport {
  const desired = desiredInput.map(toManifest);
  const live = liveInput.map(toManifest);
  const liveByKey = new Map<string, ParsedManifest>();
  for (const manifest of live) {
    const key = matchKey(manifest.id);
    if (!liveByKey.has(key)) liveByKey.set(key, manifest);
  }
  const matched = new Set<ParsedManifest>();
  const resources: ResourceDiff[] = [];
  const autoscaled = autoscaledTargets(desired);
  for (const manifest of desired) {
    let counterpart = liveByKey.get(matchKey(manifest.id));
    if (!counterpart) counterpart = uniqueByName(manifest, live, matched);
    if (counterpart) matched.add(counterpart);
    const target = `${manifest.id.kind}/${manifest.id.namespace ?? ''}/${
      manifest.id.name
    }`;
    resources.push(
      diffObject(manifest, counterpart, options, {
        autoscaled: autoscaled.has(target),
      }),
    );
  }

  const untracked: UntrackedObject[] = [];
  const extra = findExtra(
    desired,
    live.filter(manifest => !matched.has(manifest)),
    options,
    untracked,
  );
  for (const manifest of extra) {
    const diff = baseDiff(manifest, 'extra');
    diff.severity = severityOf('extra', options.severities);
    diff.score = weightOf('extra', options.weights);
    if (
      manifest.source.file !== undefined ||
      manifest.source.item !== undefined
    )
      diff.liveSource = manifest.source;
    resources.push(diff);
  }

  const summary: DriftReport['summary'] = {
    total: resources.length,
    'in-sync': 0,
    drifted: 0,
    missing: 0,
    extra: 0,
    unknown: 0,
  };
  for (const resource of resources) summary[resource.status]++;
  return {
    drifted: resources.some(resource => resource.status !== 'in-sync'),
    summary,
    resources,
    untracked,
  };
}
