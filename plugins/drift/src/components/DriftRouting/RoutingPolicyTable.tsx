import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import type {
  RoutingPolicy,
  TierRoutingPolicy,
} from '@driftwatch/plugin-drift-common';
import { formatHours } from '../../utils/time';
import { DryRunLabel } from '../DryRunLabel';
import { SeverityChip } from '../SeverityChip';
import { actionName } from './actionNames';

const Actions = (props: { tier: TierRoutingPolicy }) => {
  const { actions } = props.tier;
  if (actions.length === 0) return <>Tracked only</>;
  return (
    <Box component="ul" m={0} pl={0} style={{ listStyle: 'none' }}>
      {actions.map(action => (
        <Box
          component="li"
          key={action.id}
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 6 }}
          mb={0.5}
        >
          {actionName(action.id)}
          {!action.registered && (
            <Tooltip title="No backend module provides this action: its deliveries fail">
              <Chip size="small" color="secondary" label="not installed" />
            </Tooltip>
          )}
          {action.registered && action.dryRun && (
            <DryRunLabel title="Dry run: the action records what it would send; it has no credentials configured" />
          )}
        </Box>
      ))}
    </Box>
  );
};

/** The routing policy in force, one row per tier, as the backend reads it from its config. */
export const RoutingPolicyTable = (props: { policy: RoutingPolicy }) => {
  const tiers = [...props.policy.tiers].sort((a, b) => a.tier - b.tier);
  return (
    <Table size="small" aria-label="Routing policy">
      <TableHead>
        <TableRow>
          <TableCell>Tier</TableCell>
          <TableCell>Actions</TableCell>
          <TableCell>SLA</TableCell>
          <TableCell>Minimum severity</TableCell>
          <TableCell>Re-notify</TableCell>
          <TableCell>Past SLA, escalates to</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {tiers.map(tier => (
          <TableRow key={tier.tier}>
            <TableCell component="th" scope="row">
              Tier {tier.tier}
            </TableCell>
            <TableCell>
              <Actions tier={tier} />
            </TableCell>
            <TableCell>{formatHours(tier.slaHours)}</TableCell>
            <TableCell>
              <SeverityChip severity={tier.minSeverity} />
            </TableCell>
            <TableCell>
              {tier.renotifyHours === null
                ? 'Never'
                : `Every ${formatHours(tier.renotifyHours)}`}
            </TableCell>
            <TableCell>
              {tier.escalateTo === null
                ? 'No escalation'
                : `Tier ${tier.escalateTo}`}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
