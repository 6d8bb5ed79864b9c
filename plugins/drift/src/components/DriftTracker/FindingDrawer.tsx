import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { useId } from 'react';
import { useFindingDetails } from '../../hooks/useFindingDetails';
import { EntityDriftLink } from '../EntityDriftLink';
import { FindingDetails } from '../FindingDetails';
import { SeverityChip } from '../SeverityChip';
import { FindingStatusLabel } from '../StatusLabel';

/**
 * One finding of the tracker, opened from its row or from a link that routing sent
 * (`/drift/tracker?finding=<id>`); the finding need not be on the page the filters show.
 */
export const FindingDrawer = (props: {
  findingId: string;
  onClose: () => void;
  onChanged: () => void;
}) => {
  const { findingId, onClose, onChanged } = props;
  const details = useFindingDetails(findingId);
  const finding = details.value?.finding;
  const headingId = useId();

  return (
    <Drawer
      anchor="right"
      open
      onClose={onClose}
      PaperProps={{
        role: 'dialog',
        'aria-labelledby': headingId,
        style: { width: 'min(1000px, 100vw)' },
      }}
    >
      <Box p={3}>
        <Box display="flex" alignItems="flex-start" style={{ gap: 12 }}>
          <Box flexGrow={1}>
            <Typography
              id={headingId}
              variant="h5"
              component="h2"
              style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
            >
              {finding?.resourceKey ?? `Finding ${findingId}`}
            </Typography>
            {finding && (
              <Box
                display="flex"
                alignItems="center"
                flexWrap="wrap"
                style={{ gap: 12 }}
                mt={1}
              >
                <EntityDriftLink entityRef={finding.entityRef} />
                <SeverityChip severity={finding.severity} />
                <FindingStatusLabel status={finding.status} />
                <Typography variant="body2" color="textSecondary">
                  {finding.categories.join(', ') || finding.resourceStatus}
                  {` · ${finding.provider}`}
                </Typography>
              </Box>
            )}
          </Box>
          <IconButton aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        <Box mt={2}>
          {!finding && details.error && (
            <ResponseErrorPanel error={details.error} />
          )}
          {!finding && details.loading && <Progress />}
          {finding && (
            <FindingDetails
              finding={finding}
              details={details}
              onChanged={() => {
                details.retry();
                onChanged();
              }}
            />
          )}
        </Box>
      </Box>
    </Drawer>
  );
};
