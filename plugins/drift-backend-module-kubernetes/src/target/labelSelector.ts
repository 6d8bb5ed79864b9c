import { InputError } from '@backstage/errors';

/** One requirement of a Kubernetes label selector. */
export type LabelRequirement =
  | { key: string; operator: 'exists' | 'notExists' }
  | { key: string; operator: 'in' | 'notIn'; values: string[] };

/** A parsed label selector: every requirement must hold (the API server ANDs them). */
export interface LabelSelector {
  requirements: LabelRequirement[];
}

// Label keys are an optional DNS-subdomain prefix and a name; values are at most 63 characters.
const KEY =
  /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Whether a string can be a label value (and so a `backstage.io/kubernetes-id`). */
export function isLabelValue(value: string): boolean {
  return VALUE.test(value);
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) {
    throw new InputError(
      `Invalid label selector '${selector}': '${key}' is not a label key`,
    );
  }
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value)) {
    throw new InputError(
      `Invalid label selector '${selector}': '${value}' is not a label value`,
    );
  }
  return value;
}

/** Splits on commas that are not inside a `( ... )` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map(term => term.trim());
}

/**
 * Parses a label selector in the syntax of the API server's `labelSelector` parameter:
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * separated by commas. Throws an InputError for anything else.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  if (!selector.trim()) return { requirements };
  for (const term of splitTerms(selector)) {
    if (!term)
      throw new InputError(
        `Invalid label selector '${selector}': empty requirement`,
      );
    const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    if (set) {
      const values = set[3]
        .split(',')
        .map(value => value.trim())
        .map(value => checkValue(value, selector));
      requirements.push({
        key: checkKey(set[1], selector),
        operator: set[2] === 'in' ? 'in' : 'notIn',
        values,
      });
      continue;
    }
    const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (equality) {
      requirements.push({
        key: checkKey(equality[1], selector),
        operator: equality[2] === '!=' ? 'notIn' : 'in',
        values: [checkValue(equality[3], selector)],
      });
      continue;
    }
    const existence = /^(!?)\s*([^=!\s()]+)$/.exec(term);
    if (existence) {
      requirements.push({
        key: checkKey(existence[2], selector),
        operator: existence[1] ? 'notExists' : 'exists',
      });
      continue;
    }
    throw new InputError(
      `Invalid label selector '${selector}': cannot read '${term}'`,
    );
  }
  return { requirements };
}

/** Whether labels satisfy a selector, with the API server's semantics (`notin` and `!=` match absent keys). */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, unknown> | undefined,
): boolean {
  const actual = labels ?? {};
  return selector.requirements.every(requirement => {
    const value = actual[requirement.key];
    const present = typeof value === 'string';
    switch (requirement.operator) {
      case 'exists':
        return present;
      case 'notExists':
        return !present;
      case 'in':
        return present && requirement.values.includes(value as string);
      case 'notIn':
        return !present || !requirement.values.includes(value as string);
      default:
        return false;
    }
  });
}

/**
 * The labels a selector pins to a single value (`key=value`, `key in (value)`), which name the
 * application for extra-object detection.
 */
export function pinnedLabels(selector: LabelSelector): Record<string, string> {
  const pinned: Record<string, string> = {};
  for (const requirement of selector.requirements) {
    if (requirement.operator === 'in' && requirement.values.length === 1) {
      pinned[requirement.key] = requirement.values[0];
    }
  }
  return pinned;
}
