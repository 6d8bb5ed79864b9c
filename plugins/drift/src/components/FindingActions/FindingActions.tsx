import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  driftFindingAcknowledgePermission,
  driftFindingSuppressPermission,
  type DriftFinding,
} from '@driftwatch/plugin-drift-common';
import { useState } from 'react';
import { type Decision, DecisionDialog } from './DecisionDialog';

/**
 * The decisions a user may take on a finding in its current state. Acknowledging is checked
 * per finding (a policy may let only the owners through); suppressing and reopening are one
 * permission. Buttons the user may not use are not shown.
 */
export const FindingActions = (props: {
  finding: DriftFinding;
  onChanged: (updated: DriftFinding) => void;
}) => {
  const { finding, onChanged } = props;
  const [decision, setDecision] = useState<Decision>();
  const acknowledge = usePermission({
    permission: driftFindingAcknowledgePermission,
    resourceRef: finding.id,
  });
  const suppress = usePermission({
    permission: driftFindingSuppressPermission,
  });

  const { status, resourceKey } = finding;
  const buttons: Array<{ decision: Decision; label: string; show: boolean }> = [
    {
      decision: 'acknowledge',
      label: 'Acknowledge',
      show: acknowledge.allowed && status === 'active',
    },
    {
      decision: 'suppress',
      label: 'Suppress',
      show:
        suppress.allowed && (status === 'active' || status === 'acknowledged'),
    },
    {
      decision: 'reopen',
      label: 'Reopen',
      show:
        suppress.allowed &&
        (status === 'acknowledged' || status === 'suppressed'),
    },
  ];

  return (
    <Box display="flex" style={{ gap: 4 }} flexWrap="nowrap">
      {buttons
        .filter(b => b.show)
        .map(b => (
          <Button
            key={b.decision}
            size="small"
            variant="outlined"
            aria-label={`${b.label} ${resourceKey}`}
            onClick={() => setDecision(b.decision)}
          >
            {b.label}
          </Button>
        ))}
      {decision && (
        <DecisionDialog
          decision={decision}
          findings={[finding]}
          onClose={() => setDecision(undefined)}
          onDone={([updated]) => updated && onChanged(updated)}
        />
      )}
    </Box>
  );
};
