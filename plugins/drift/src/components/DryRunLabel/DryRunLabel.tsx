import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';

/**
 * Says "dry run" on what a routing action only recorded: nothing was sent. Styled like the
 * "Demo data" label, for the same reason: what is shown did not reach the outside world.
 */
export const DryRunLabel = (props: { title?: string }) => (
  <Tooltip
    title={
      props.title ??
      'Dry run: recorded what would have been sent, nothing was sent'
    }
  >
    <Chip
      size="small"
      label="dry run"
      variant="outlined"
      style={{ backgroundColor: '#fff', color: '#333' }}
    />
  </Tooltip>
);
