import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import type {
  RoutingSummary,
  TimeWindow,
} from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';
import { routingRouteRef } from '../../routes';

const useStyles = makeStyles((theme: Theme) => ({
  // The theme's error red is too light for text (WCAG AA); its darker shade is not.
  failed: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
}));

function rows(summary: RoutingSummary) {
  return [
    { label: 'Paged (PagerDuty)', value: summary.paged },
    { label: 'Hotfix PRs opened', value: summary.pullRequestsOpened },
    { label: 'Hotfix PRs merged', value: summary.pullRequestsMerged },
    { label: 'Owners notified', value: summary.notified },
    {
      label: 'Acknowledged within SLA',
      value: `${summary.acknowledgedWithinSla} of ${summary.acknowledged}`,
    },
    { label: 'Escalated past SLA', value: summary.escalated },
    {
      label: 'Failed deliveries',
      value: summary.failedDeliveries,
      alarming: summary.failedDeliveries > 0,
    },
    { label: 'Pending deliveries', value: summary.pending },
  ];
}

const isQuiet = (s: RoutingSummary) =>
  s.paged +
    s.pullRequestsOpened +
    s.pullRequestsMerged +
    s.notified +
    s.acknowledged +
    s.escalated +
    s.failedDeliveries +
    s.pending ===
  0;

/**
 * What routing did in the dashboard's window: pages, hotfix pull requests, notifications,
 * acknowledgements within SLA, escalations and deliveries that failed or wait.
 */
export const RoutingCard = (props: {
  window: TimeWindow;
  rangeLabel: string;
  /** Routing counts cover every owner, tier and system. */
  filtered: boolean;
  /** Changes when the data should be fetched again. */
  version?: number;
}) => {
  const { window, rangeLabel, filtered, version } = props;
  const driftApi = useApi(driftApiRef);
  const classes = useStyles();
  const routingLink = useRouteRef(routingRouteRef);
  const summary = useAsync(
    () => driftApi.getRoutingSummary(window),
    [driftApi, window.from, window.to, version],
  );
  const range = rangeLabel.toLocaleLowerCase('en-US');

  return (
    <InfoCard
      title="Routing"
      subheader={`Pages, pull requests and notifications, ${range}${
        filtered ? ' (not filtered by owner, tier or system)' : ''
      }`}
      deepLink={{ title: 'Routing policy and deliveries', link: routingLink() }}
    >
      {summary.error && <ResponseErrorPanel error={summary.error} />}
      {!summary.value && summary.loading && <Progress />}
      {summary.value && isQuiet(summary.value) && (
        <Typography variant="body2">
          Nothing was routed in {range}: no pages, pull requests or
          notifications.
        </Typography>
      )}
      {summary.value && !isQuiet(summary.value) && (
        <Table size="small" aria-label="Routing outcomes">
          <TableBody>
            {rows(summary.value).map(row => (
              <TableRow key={row.label}>
                <TableCell component="th" scope="row">
                  {row.label}
                </TableCell>
                <TableCell
                  align="right"
                  className={row.alarming ? classes.failed : undefined}
                >
                  {row.value}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
