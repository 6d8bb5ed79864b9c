import {
  redactTerraformPlan,
  type JsonObject,
} from '@driftwatch/plugin-drift-common';
import { planTimestamp } from './freshness';
import { parsePlan } from './parsePlan';

/** A plan as sources keep it: redacted, with the time Terraform made it when it says. */
export interface RedactedPlan {
  plan: JsonObject;
  timestamp?: Date;
}

/**
 * Parses and redacts the text of `terraform show -json <planfile>`: the cleartext plan never
 * leaves this function. Throws a `PlanFormatError` or a `TerraformPlanError` whose message
 * never quotes the document.
 */
export function readRedactedPlan(
  text: string,
  secretHashKey: string | Uint8Array | undefined,
): RedactedPlan {
  const parsed = parsePlan(text);
  return {
    plan: redactTerraformPlan(parsed, { secretHashKey }),
    timestamp: planTimestamp(parsed),
  };
}
