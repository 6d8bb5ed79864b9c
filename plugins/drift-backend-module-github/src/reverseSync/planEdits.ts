import type { Change, JsonValue } from '@driftwatch/plugin-drift-common';
import type { RoutedFinding } from '@driftwatch/plugin-drift-node';

/** A change to make in Git so it matches live. */
export interface FieldEdit {
  field: string;
  /** `set` writes the live value (changed or added fields), `delete` removes what live lacks. */
  op: 'set' | 'delete';
  value?: JsonValue;
}

/** A change left for a human, and why. */
export interface ManualStep {
  field: string;
  reason: 'secret' | 'not-found' | 'unreadable-field';
}

function isRedacted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (
    !Array.isArray(value) &&
    (value as { redacted?: unknown }).redacted === true
  ) {
    return true;
  }
  return Object.values(value).some(isRedacted);
}

/**
 * What Git would need to match live, before the file is read. Secret values never go to Git:
 * a SecretChange or any redacted value (a fingerprint stands in for it) is a manual step, to be
 * done in the secret's store. Missing and extra objects have no field edits at all.
 */
export function planEdits(finding: RoutedFinding): {
  edits: FieldEdit[];
  manual: ManualStep[];
} {
  const edits: FieldEdit[] = [];
  const manual: ManualStep[] = [];
  if (finding.resourceStatus !== 'drifted') return { edits, manual };
  for (const change of finding.changes) {
    if (isSecret(change)) {
      manual.push({ field: change.field, reason: 'secret' });
    } else if (change.op === 'removed') {
      edits.push({ field: change.field, op: 'delete' });
    } else {
      edits.push({
        field: change.field,
        op: 'set',
        value: change.live as JsonValue,
      });
    }
  }
  return { edits, manual };
}

/** Whether a change concerns a Secret value, which only its store may hold. */
export function isSecret(change: Change): boolean {
  return (
    change.category === 'SecretChange' ||
    isRedacted(change.desired) ||
    isRedacted(change.live)
  );
}
