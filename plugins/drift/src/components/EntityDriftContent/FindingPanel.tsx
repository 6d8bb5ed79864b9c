import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useId, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { type DriftFinding, driftApiRef } from '../../api';
import { ChangesTable } from '../ChangesTable';
import { EventActor, FindingHistory } from '../FindingHistory';
import { FindingActions } from '../FindingActions';
import { SeverityChip } from '../SeverityChip';
import { FindingStatusLabel } from '../StatusLabel';
import { Timestamp } from '../Timestamp';

const History = (props: { finding: DriftFinding }) => {
  const driftApi = useApi(driftApiRef);
  const { finding } = props;
  // Reloads when the finding moves on (a decision, a new scan).
  const { value, loading, error } = useAsync(
    () => driftApi.getFinding(finding.id),
    [
      driftApi,
      finding.id,
      finding.status,
      finding.lastSeenAt,
      finding.acknowledgedAt,
    ],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <FindingHistory
      events={value?.events ?? []}
      resource={finding.resourceKey}
    />
  );
};

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
 * One drifted, missing or extra resource of the entity: its field-level changes, the decisions
 * a user may take, and its history.
 */
export const FindingPanel = (props: {
  finding: DriftFinding;
  defaultExpanded: boolean;
  onChanged: () => void;
}) => {
  const { finding, onChanged } = props;
  const [expanded, setExpanded] = useState(props.defaultExpanded);
  const id = useId();
  const headingId = `${id}-heading`;

  return (
    <Accordion
      expanded={expanded}
      onChange={(_, value) => setExpanded(value)}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${id}-details`}
        id={headingId}
      >
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 12 }}
        >
          <Typography
            component="h3"
            variant="subtitle1"
            style={{ fontFamily: 'monospace' }}
          >
            {finding.resourceKey}
          </Typography>
          <SeverityChip severity={finding.severity} />
          <FindingStatusLabel status={finding.status} />
          <Typography variant="body2" color="textSecondary">
            {finding.resourceStatus === 'drifted'
              ? finding.categories.join(', ')
              : `${finding.resourceStatus}: ${
                  finding.resourceStatus === 'missing'
                    ? 'declared in Git, absent live'
                    : 'live only, not in Git'
                }`}
            {` · ${finding.provider}`}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${id}-details`}>
        <Box width="100%">
          <Box display="flex" justifyContent="space-between" flexWrap="wrap">
            <Lifecycle finding={finding} />
            <FindingActions finding={finding} onChanged={onChanged} />
          </Box>
          <Typography variant="h6" component="h4">
            Changes
          </Typography>
          <ChangesTable
            changes={finding.changes}
            resource={finding.resourceKey}
          />
          <Box mt={2}>
            <Typography variant="h6" component="h4">
              History
            </Typography>
            <History finding={finding} />
          </Box>
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};
