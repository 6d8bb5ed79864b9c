import type { JsonObject } from '@driftwatch/plugin-drift-common';

/** The `targetKind` of Terraform desired state and of the target that compares it. */
export const TERRAFORM_TARGET_KIND = 'terraform';

/** A plan document that cannot be used, with a message safe to show and log. */
export class PlanFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFormatError';
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * What JSON.parse found wrong, without the excerpt of the input that V8 quotes in some messages:
 * a plan holds the cleartext of every sensitive attribute, so none of it may reach an error.
 */
function describeSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const reason = message
    .replace(/\s*(,\s*)?".*$/s, '')
    .replace(/\s*at position \d+.*$/s, '')
    .replace(/^Unexpected token '.'/, 'Unexpected token')
    .trim();
  const where = position
    ? ` at ${lineAndColumn(text, Number(position[1]))}`
    : '';
  return `invalid JSON${where}${reason ? ` (${reason})` : ''}`;
}

/**
 * Parses the output of `terraform show -json <planfile>` and checks that it is a plan whose
 * `resource_drift` can be read. Messages say what is wrong and never quote the document.
 */
export function parsePlan(text: string): JsonObject {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new PlanFormatError(describeSyntaxError(error, text));
  }
  if (!isObject(plan)) {
    throw new PlanFormatError(
      'not a Terraform plan: expected the JSON object of `terraform show -json <planfile>`',
    );
  }
  if (typeof plan.format_version !== 'string') {
    throw new PlanFormatError(
      'not a Terraform plan: no format_version (is this `terraform show -json` of a saved plan?)',
    );
  }
  if (
    plan.resource_drift !== undefined &&
    !Array.isArray(plan.resource_drift)
  ) {
    throw new PlanFormatError('resource_drift must be a list');
  }
  if (plan.planned_values === undefined && plan.resource_drift === undefined) {
    // `terraform show -json` without a plan file prints the state, which has no drift to read.
    throw new PlanFormatError(
      'not a Terraform plan: it has neither planned_values nor resource_drift (a state file?)',
    );
  }
  return plan;
}
