import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { DriftFinding } from '@driftwatch/plugin-drift-common';
import type { useFindingDetails } from '../../hooks/useFindingDetails';
import { ChangesTable } from '../ChangesTable';
import { FindingActions } from '../FindingActions';
import { EventActor, FindingHistory } from '../FindingHistory';
import { FindingIncidents } from '../FindingIncidents';
import { Timestamp } from '../Timestamp';

/** The lifecycle facts of a finding, in a sentence each. */
const Lifecycle = (props: { finding: DriftFinding }) => {
  const { finding } = props;
  return (
    <Box component="ul" pl={2} my={1}>
      <li>
        First detected{' '}
        <Timestamp value={finding.firstDetectedAt} showAbsolute />, last seen{' '}
        <Timestamp value={finding.lastSeenAt} />. Tier {finding.tier}.
      </li>
      {finding.status !== 'resolved' && finding.slaDueAt && (
        <li>
          {finding.slaBreached ? 'SLA breached: was due ' : 'SLA due '}
          <Timestamp value={finding.slaDueAt} showAbsolute />.
        </li>
      )}
      {finding.resolvedAt && (
        <li>
          Resolved <Timestamp value={finding.resolvedAt} showAbsolute />.
        </li>
      )}
      {finding.acknowledgedBy && (
        <li>
          Acknowledged by <EventActor actor={finding.acknowledgedBy} />{' '}
          <Timestamp value={finding.acknowledgedAt} />
          {finding.acknowledgeNote ? `: “${finding.acknowledgeNote}”` : '.'}
        </li>
      )}
      {finding.suppressedBy && (
        <li>
          Suppressed by <EventActor actor={finding.suppressedBy} /> until{' '}
          <Timestamp value={finding.suppressedUntil} showAbsolute />
          {finding.suppressReason ? `: “${finding.suppressReason}”` : '.'}
        </li>
      )}
    </Box>
  );
};

/**
 * Everything about one finding: its lifecycle and the decisions a user may take, the
 * field-level changes, the incidents it is linked to, and its history with every routing
 * delivery. The entity tab and the tracker show it alike.
 */
export const FindingDetails = (props: {
  finding: DriftFinding;
  details: ReturnType<typeof useFindingDetails>;
  /** After a decision or a new incident link. */
  onChanged: () => void;
}) => {
  const { finding, details, onChanged } = props;
  return (
    <Box width="100%">
      <Box display="flex" justifyContent="space-between" flexWrap="wrap">
        <Lifecycle finding={finding} />
        <FindingActions finding={finding} onChanged={onChanged} />
      </Box>
      <Typography variant="h6" component="h4">
        Changes
      </Typography>
      <ChangesTable changes={finding.changes} resource={finding.resourceKey} />
      {details.error && (
        <Box mt={2}>
          <ResponseErrorPanel error={details.error} />
        </Box>
      )}
      {!details.value && details.loading && <Progress />}
      {details.value && (
        <>
          <Box mt={2}>
            <FindingIncidents
              finding={finding}
              incidents={details.value.incidents ?? []}
              onLinked={() => {
                details.retry();
                onChanged();
              }}
            />
          </Box>
          <Box mt={2}>
            <Typography variant="h6" component="h4">
              History
            </Typography>
            <FindingHistory
              events={details.value.events}
              resource={finding.resourceKey}
            />
          </Box>
        </>
      )}
    </Box>
  );
};
