import type { Change, DriftCategory, Severity, SeverityKey } from '../types';
import { SEVERITIES } from '../types';

/** Default severity per category and for missing and extra objects. */
export const DEFAULT_SEVERITIES: Readonly<Record<SeverityKey, Severity>> =
  Object.freeze({
    Scaling: 'medium',
    VersionChange: 'high',
    ResourceChange: 'medium',
    ConfigurationChange: 'medium',
    LabelChange: 'low',
    AnnotationChange: 'low',
    PortChange: 'medium',
    VolumeChange: 'medium',
    SecretChange: 'high',
    ConfigMapChange: 'medium',
    SecurityChange: 'critical',
    missing: 'high',
    extra: 'medium',
  });

/** Score points per severity, from which the default weights follow. */
const POINTS: Record<Severity, number> = {
  low: 1,
  medium: 3,
  high: 5,
  critical: 8,
};

/** Default score weight per category and for missing and extra objects. */
export const DEFAULT_WEIGHTS: Readonly<Record<SeverityKey, number>> =
  Object.freeze(
    Object.fromEntries(
      Object.entries(DEFAULT_SEVERITIES).map(([key, severity]) => [
        key,
        POINTS[severity],
      ]),
    ) as Record<SeverityKey, number>,
  );

/** The worse of two severities. */
export function worstSeverity(
  a: Severity | null,
  b: Severity | null,
): Severity | null {
  if (a === null) return b;
  if (b === null) return a;
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

/** Severity of a category or status with overrides applied. */
export function severityOf(
  key: SeverityKey,
  overrides?: Partial<Record<SeverityKey, Severity>>,
): Severity {
  return overrides?.[key] ?? DEFAULT_SEVERITIES[key];
}

/** Weighted sum of changes. */
export function scoreOf(
  changes: Array<Pick<Change, 'category'>>,
  weights?: Partial<Record<SeverityKey, number>>,
): number {
  let score = 0;
  for (const change of changes) score += weightOf(change.category, weights);
  return score;
}

/** Weight of a category or status with overrides applied. */
export function weightOf(
  key: DriftCategory | 'missing' | 'extra',
  weights?: Partial<Record<SeverityKey, number>>,
): number {
  return weights?.[key] ?? DEFAULT_WEIGHTS[key];
}
