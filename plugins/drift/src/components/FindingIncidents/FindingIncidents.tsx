import { Link } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  driftFindingAcknowledgePermission,
  type DriftFinding,
  type IncidentLink,
} from '@driftwatch/plugin-drift-common';
import { useState } from 'react';
import { EventActor } from '../FindingHistory';
import { Timestamp } from '../Timestamp';
import { LinkIncidentDialog } from './LinkIncidentDialog';

/**
 * The incidents a finding is linked to (the PagerDuty incident its page raised, or any URL a
 * person linked), and "Link incident" for those who may acknowledge the finding: the backend
 * allows linking on the same permission.
 */
export const FindingIncidents = (props: {
  finding: DriftFinding;
  incidents: IncidentLink[];
  onLinked: () => void;
}) => {
  const { finding, incidents, onLinked } = props;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: driftFindingAcknowledgePermission,
    resourceRef: finding.id,
  });

  return (
    <section aria-label={`Incidents of ${finding.resourceKey}`}>
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Typography variant="h6" component="h4">
          Incidents
        </Typography>
        {permission.allowed && (
          <Button size="small" variant="outlined" onClick={() => setOpen(true)}>
            Link incident
          </Button>
        )}
      </Box>
      {incidents.length === 0 ? (
        <Typography variant="body2">Not linked to any incident.</Typography>
      ) : (
        <Box component="ul" pl={2} my={1}>
          {incidents.map(incident => (
            <li key={incident.url}>
              <Link to={incident.url}>{incident.title || incident.url}</Link>
              {' · linked by '}
              <EventActor actor={incident.linkedBy} />{' '}
              <Timestamp value={incident.linkedAt} />
            </li>
          ))}
        </Box>
      )}
      {open && (
        <LinkIncidentDialog
          finding={finding}
          onClose={() => setOpen(false)}
          onLinked={onLinked}
        />
      )}
    </section>
  );
};
