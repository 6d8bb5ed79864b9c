import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_SOURCE_ANNOTATION,
  DRIFT_TERRAFORM_PLAN_ANNOTATION,
  type EntityDriftSummary,
} from '@driftwatch/plugin-drift-common';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../../api';
import { isDriftAvailable } from '../../conditions';
import { ExternalStatusLine } from '../ExternalStatusLine';
import { SeverityChip } from '../SeverityChip';
import { Timestamp } from '../Timestamp';
import { describeResourceCounts } from '../../utils/resources';

const Verdict = (props: { summary: EntityDriftSummary }) => {
  const { summary } = props;
  if (summary.resources.total === 0)
    return <StatusPending>Not scanned yet</StatusPending>;
  if (summary.openFindings === 0) return <StatusOK>In sync</StatusOK>;
  return <StatusError>Drifted</StatusError>;
};

const Summary = (props: { entityRef: string }) => {
  const driftApi = useApi(driftApiRef);
  const { value, loading, error } = useAsync(
    () => driftApi.getEntitySummary(props.entityRef),
    [driftApi, props.entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const drifted =
    (value.resources.byStatus.drifted ?? 0) +
    (value.resources.byStatus.missing ?? 0) +
    (value.resources.byStatus.extra ?? 0);
  return (
    <Box>
      <Typography variant="h5" component="p">
        <Verdict summary={value} />
      </Typography>
      {value.resources.total > 0 && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          {drifted} of {value.resources.total} resources differ from Git (
          {describeResourceCounts(value.resources.byStatus)})
        </Typography>
      )}
      {value.openFindings > 0 && (
        <Box display="flex" alignItems="center" style={{ gap: 8 }} mt={1}>
          <Typography variant="body2">
            {value.openFindings} open finding
            {value.openFindings === 1 ? '' : 's'}, worst
          </Typography>
          <SeverityChip severity={value.worstSeverity} />
        </Box>
      )}
      {value.externalStatus?.map(status => (
        <ExternalStatusLine
          key={`${status.source}:${status.app}`}
          status={status}
          drifted={value.openFindings > 0}
        />
      ))}
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ marginTop: 8 }}
      >
        Last scanned <Timestamp value={value.lastScannedAt} />
      </Typography>
    </Box>
  );
};

/** Entity overview card: in sync or drifted, how much, and how bad. */
export const EntityDriftCard = () => {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  if (!isDriftAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[DRIFT_SOURCE_ANNOTATION, DRIFT_TERRAFORM_PLAN_ANNOTATION]}
      />
    );
  }
  return (
    <InfoCard
      title="Drift"
      deepLink={{
        title: 'View drift details',
        link: `${entityLink(entity)}/drift`,
      }}
    >
      <Summary entityRef={stringifyEntityRef(entity)} />
    </InfoCard>
  );
};
