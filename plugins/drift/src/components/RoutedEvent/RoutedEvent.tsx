import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Collapse from '@material-ui/core/Collapse';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useId, useState } from 'react';
import type { RoutedEventDetails } from '@driftwatch/plugin-drift-common';
import { DryRunLabel } from '../DryRunLabel';
import {
  type PullRequestState,
  pullRequestNumber,
  routedTitle,
} from './describeRoutedEvent';

/** The JSON an action sent, or would have sent; actions never put credentials in it. */
const RequestBlock = (props: { request: unknown; dryRun: boolean }) => {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <Box mt={0.5}>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(value => !value)}
      >
        {open ? 'Hide' : 'Show'} request{props.dryRun ? ' (not sent)' : ''}
      </Button>
      <Collapse in={open}>
        <Box
          id={id}
          component="pre"
          m={0}
          p={1}
          maxHeight={320}
          overflow="auto"
          fontSize="0.75rem"
          bgcolor="action.hover"
        >
          {JSON.stringify(props.request, null, 2)}
        </Box>
      </Collapse>
    </Box>
  );
};

/**
 * One delivery attempt of a routing action: what it did with a link to it (the alert, the pull
 * request and where that stands now), whether it was a dry run, and the request.
 */
export const RoutedEvent = (props: {
  details: RoutedEventDetails;
  /** The current state of the pull request this event is about, when known. */
  pullRequestStates?: Map<number, PullRequestState>;
}) => {
  const { details } = props;
  const title = routedTitle(details);
  const number =
    details.action === 'github-pull-request'
      ? pullRequestNumber(details)
      : undefined;
  const state =
    number === undefined ? undefined : props.pullRequestStates?.get(number);
  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 6 }}
      >
        {details.externalUrl ? (
          <Link to={details.externalUrl}>{title}</Link>
        ) : (
          <span>{title}</span>
        )}
        {state && (
          <Chip size="small" label={`PR ${state}`} variant="outlined" />
        )}
        {details.dryRun && <DryRunLabel />}
      </Box>
      {details.request !== undefined && (
        <RequestBlock request={details.request} dryRun={details.dryRun} />
      )}
    </Box>
  );
};

/**
 * What the worker said about the delivery; failures and retries stand out with their error.
 */
export const RoutedEventNote = (props: { details: RoutedEventDetails }) => {
  const { summary, error, status } = props.details;
  if (status !== 'failed' && status !== 'retrying') {
    return <Typography variant="body2">{summary}</Typography>;
  }
  return (
    <Alert severity={status === 'failed' ? 'error' : 'warning'}>
      {summary}
      {error && !summary.includes(error) && ` (${error})`}
    </Alert>
  );
};
