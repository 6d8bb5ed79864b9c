import {
  ContentHeader,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../../api';
import { useFindingsChanged } from '../../hooks/useFindingsChanged';
import { RoutedEventsTable } from './RoutedEventsTable';
import { RoutingPolicyTable } from './RoutingPolicyTable';

const RECENT = 200;

const Policy = () => {
  const driftApi = useApi(driftApiRef);
  const policy = useAsync(() => driftApi.getRoutingPolicy(), [driftApi]);
  return (
    <InfoCard
      title="Routing policy"
      subheader="What each tier's drift sets off, as configured under drift.routing"
      noPadding
    >
      {policy.loading && <Progress />}
      {policy.error && <ResponseErrorPanel error={policy.error} />}
      {policy.value && (
        <>
          <RoutingPolicyTable policy={policy.value} />
          <Typography variant="body2" style={{ padding: 16 }}>
            A failed delivery is tried again, up to {policy.value.maxAttempts}{' '}
            attempts in all.
          </Typography>
        </>
      )}
    </InfoCard>
  );
};

const RecentDeliveries = () => {
  const driftApi = useApi(driftApiRef);
  const changed = useFindingsChanged();
  const events = useAsync(
    () => driftApi.listEvents({ type: ['routed'], limit: RECENT }),
    [driftApi, changed],
  );
  if (!events.value && events.loading) return <Progress />;
  if (events.error) return <ResponseErrorPanel error={events.error} />;
  return <RoutedEventsTable events={events.value ?? []} />;
};

/**
 * The Routing tab: the policy in force (each tier's actions, whether they are installed or in
 * dry run, SLA and escalation) and the most recent deliveries, for SREs who want to know who
 * was paged, which pull requests were opened and what failed.
 */
export const DriftRouting = () => (
  <>
    <ContentHeader
      title="Routing"
      description="Pages, hotfix pull requests and owner notifications by SLA tier"
    />
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Policy />
      </Grid>
      <Grid item xs={12}>
        <RecentDeliveries />
      </Grid>
    </Grid>
  </>
);
