import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { EntityExternalStatus } from '@driftwatch/plugin-drift-common';
import { Timestamp } from '../Timestamp';

const TOOL_NAMES: Record<string, string> = { argocd: 'Argo CD' };

/** A Git commit as people quote it; other revisions (chart versions, tags) as they are. */
const shortRevision = (revision: string) =>
  /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;

/**
 * What the tool that deploys the entity says ("Argo CD: Synced / Healthy at 4f1c2a9"), and a
 * warning when it says Synced while Driftwatch finds drift: its diff does not see everything
 * Driftwatch compares (live-only fields, objects edited outside it).
 */
export const ExternalStatusLine = (props: {
  status: EntityExternalStatus;
  drifted: boolean;
}) => {
  const { status, drifted } = props;
  const tool = TOOL_NAMES[status.source] ?? status.source;
  const state = [status.sync, status.health].filter(Boolean).join(' / ');
  return (
    <Box mt={1}>
      <Typography variant="body2">
        {tool} ({status.app}): {state || 'no status'}
        {status.revision && ` at ${shortRevision(status.revision)}`}
        <Typography variant="caption" color="textSecondary" component="span">
          {' '}
          (read <Timestamp value={status.at} />)
        </Typography>
      </Typography>
      {drifted && status.sync === 'Synced' && (
        <Alert severity="warning" style={{ marginTop: 4 }}>
          {tool} reports {status.app} as Synced, but Driftwatch finds drift
        </Alert>
      )}
    </Box>
  );
};
