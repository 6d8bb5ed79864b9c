import { SEVERITIES, type Severity } from '@driftwatch/plugin-drift-common';

/** Most severe first, as lists and legends show them. */
export const SEVERITIES_DESC: Severity[] = [...SEVERITIES].reverse();

/** Severity colours: a red-orange-yellow-grey scale that stays distinct in stacked charts. */
export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#ef6c00',
  medium: '#fbc02d',
  low: '#546e7a',
};

/** Text on each severity colour with at least 4.5:1 contrast (WCAG AA). */
export const SEVERITY_TEXT_COLORS: Record<Severity, string> = {
  critical: '#fff',
  high: '#000',
  medium: '#000',
  low: '#fff',
};

/** Security-relevant categories, as the security page counts them. */
export const SECURITY_CATEGORIES = ['SecurityChange', 'SecretChange'];
