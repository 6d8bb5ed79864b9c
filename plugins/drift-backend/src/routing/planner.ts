import type { FindingOutcome } from '@driftwatch/plugin-drift-node';
import { SEVERITY_RANK, type FindingChange } from '../store/lifecycle';
import type { RoutingConfig } from './config';

/** One intent to write to the outbox: run `action` for a finding's outcome, as `tier`. */
export interface PlannedIntent {
  action: string;
  tier: number;
}

/**
 * Turns what happened to a finding into the intents of the routing policy. Pure: the store
 * calls it inside the finding's transaction, with the actions that already hold state for the
 * finding (so a resolve reaches the pager that an escalation woke, whatever the tier).
 */
export class RoutingPlanner {
  constructor(
    private readonly config: Pick<RoutingConfig, 'tiers'>,
    /** The outcomes each registered action handles; unregistered ids plan nothing. */
    private readonly outcomesOf: (actionId: string) => readonly FindingOutcome[] | undefined,
  ) {}

  /** When an opened finding of `tier` is routed again if nobody acknowledged it. */
  renotifyDueAt(tier: number, now: Date): Date | null {
    const every = this.config.tiers[tier]?.renotifyMs;
    return every === undefined ? null : new Date(now.getTime() + every);
  }

  /** The tier a breached finding of `tier` is routed as. */
  escalationOf(tier: number): number | undefined {
    return this.config.tiers[tier]?.escalateTo;
  }

  plan(change: FindingChange, actionsWithState: string[]): PlannedIntent[] {
    const policy = this.config.tiers[change.tier];
    if (!policy) return [];
    let tier = change.tier;
    let candidates: string[];

    switch (change.outcome) {
      case 'acknowledged':
      case 'resolved':
        // Close what was opened, wherever it was opened from.
        candidates = [...new Set([...policy.actions, ...actionsWithState])];
        break;
      case 'escalated':
        if (policy.escalateTo === undefined) return [];
        tier = policy.escalateTo;
        candidates = this.config.tiers[tier]?.actions ?? [];
        break;
      default:
        if (SEVERITY_RANK[change.severity] < SEVERITY_RANK[policy.minSeverity]) return [];
        candidates = policy.actions;
    }
    return candidates
      .filter(action => this.outcomesOf(action)?.includes(change.outcome))
      .map(action => ({ action, tier }));
  }
}
