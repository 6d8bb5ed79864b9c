/** The routing actions Driftwatch ships, by the names people know them by. */
const ACTION_NAMES: Record<string, string> = {
  pagerduty: 'PagerDuty',
  'github-pull-request': 'GitHub hotfix PR',
  'notify-owner': 'Notify owner',
};

export const actionName = (id: string) => ACTION_NAMES[id] ?? id;
