import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useId, useState } from 'react';
import type { DriftFinding } from '@driftwatch/plugin-drift-common';
import { useFindingDetails } from '../../hooks/useFindingDetails';
import { FindingDetails } from '../FindingDetails';
import { SeverityChip } from '../SeverityChip';
import { FindingStatusLabel } from '../StatusLabel';

/** Fetched once the panel opens, and again when the finding moves on. */
const PanelDetails = (props: {
  finding: DriftFinding;
  onChanged: () => void;
}) => {
  const { finding } = props;
  const details = useFindingDetails(finding.id, {
    entityRef: finding.entityRef,
    version: [
      finding.status,
      finding.lastSeenAt,
      finding.acknowledgedAt,
    ].join(),
  });
  return (
    <FindingDetails
      finding={finding}
      details={details}
      onChanged={props.onChanged}
    />
  );
};

/**
 * One drifted, missing or extra resource of the entity, its details unfolded.
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
        <PanelDetails finding={finding} onChanged={onChanged} />
      </AccordionDetails>
    </Accordion>
  );
};
