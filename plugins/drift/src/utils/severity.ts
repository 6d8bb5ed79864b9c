import { SEVERITIES, type Severity } from '@driftwatch/plugin-drift-common';

/** Most severe first, as lists and legends show them. */
export const SEVERITIES_DESC: Severity[] = [...SEVERITIES].reverse();

/**
 * Severity colours, dark enough for white text (WCAG AA) and distinct in charts.
 */
export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#bf360c',
  medium: '#7c5e00',
  low: '#455a64',
};

/** Security-relevant categories, as the security page counts them. */
export const SECURITY_CATEGORIES = ['SecurityChange', 'SecretChange'];
