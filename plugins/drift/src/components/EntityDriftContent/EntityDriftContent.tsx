import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_SOURCE_ANNOTATION,
  DRIFT_TERRAFORM_PLAN_ANNOTATION,
  type DriftFinding,
  type EntityDriftSummary,
  type MonitoredResource,
} from '@driftwatch/plugin-drift-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { driftApiRef } from '../../api';
import { isDriftAvailable } from '../../conditions';
import { useFindingsChanged } from '../../hooks/useFindingsChanged';
import { DemoDataLabel } from '../DemoDataLabel';
import { ScanNowButton } from '../ScanNowButton';
import { SeverityChip } from '../SeverityChip';
import { ResourceStatusLabel } from '../StatusLabel';
import { Timestamp } from '../Timestamp';
import {
  describeResourceCounts,
  RESOURCE_STATUS_ORDER,
} from '../../utils/resources';
import { FindingPanel } from './FindingPanel';
import { groupByLocation } from './groupByLocation';
import { EnvironmentComparison } from '../EnvironmentComparison';

/** "Deployment shop/shop-cart"; Terraform addresses already name their type. */
const resourceName = (r: MonitoredResource) =>
  r.name.startsWith(`${r.kind}.`)
    ? r.name
    : `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

function headline(summary: EntityDriftSummary): string {
  if (summary.resources.total === 0) return 'Not scanned yet';
  if (summary.openFindings === 0) return 'In sync with Git';
  return `${summary.openFindings} open finding${
    summary.openFindings === 1 ? '' : 's'
  }`;
}

const SummaryCard = (props: {
  entityRef: string;
  summary: EntityDriftSummary;
  onScanFinished: () => void;
}) => {
  const { summary } = props;
  return (
    <InfoCard title="Drift status" action={<DemoDataLabel />}>
      <Box
        display="flex"
        justifyContent="space-between"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <Box>
          <Typography variant="h5" component="p">
            {headline(summary)}
          </Typography>
          {summary.worstSeverity && (
            <Box display="flex" alignItems="center" style={{ gap: 8 }} mt={1}>
              <Typography variant="body2">Worst severity</Typography>
              <SeverityChip severity={summary.worstSeverity} />
            </Box>
          )}
          <Typography variant="body2" style={{ marginTop: 8 }}>
            {summary.resources.total} monitored resource
            {summary.resources.total === 1 ? '' : 's'}
            {summary.resources.total > 0 &&
              `: ${describeResourceCounts(summary.resources.byStatus)}`}
          </Typography>
          <Typography variant="body2">
            Last scanned{' '}
            <Timestamp value={summary.lastScannedAt} showAbsolute />
          </Typography>
        </Box>
        <ScanNowButton
          entityRef={props.entityRef}
          onFinished={props.onScanFinished}
        />
      </Box>
    </InfoCard>
  );
};

const ResourcesCard = (props: { resources: MonitoredResource[] }) => (
  <InfoCard title="Monitored resources" noPadding>
    {props.resources.length === 0 ? (
      <Box p={2}>
        <Typography variant="body2">
          No resources have been compared yet. They appear after the first scan.
        </Typography>
      </Box>
    ) : (
      <Table size="small" aria-label="Monitored resources">
        <TableHead>
          <TableRow>
            <TableCell>Resource</TableCell>
            <TableCell>Provider</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Last scanned</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {groupByLocation(props.resources).map((group, _, groups) => [
            groups.length > 1 && (
              <TableRow key={group.label}>
                <TableCell colSpan={4} component="th" scope="rowgroup">
                  <Typography variant="subtitle2">{group.label}</Typography>
                </TableCell>
              </TableRow>
            ),
            ...[...group.resources]
              .sort(
                (a, b) =>
                  RESOURCE_STATUS_ORDER.indexOf(a.status) -
                    RESOURCE_STATUS_ORDER.indexOf(b.status) ||
                  a.resourceKey.localeCompare(b.resourceKey),
              )
              .map(r => (
                <TableRow key={`${r.provider}:${r.location}:${r.resourceKey}`}>
                  <TableCell>
                    {resourceName(r)}
                    {r.error && (
                      <Typography variant="caption" component="div">
                        Not read: {r.error}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{r.provider}</TableCell>
                  <TableCell>
                    <ResourceStatusLabel status={r.status} />
                  </TableCell>
                  <TableCell>
                    <Timestamp value={r.lastScannedAt} />
                  </TableCell>
                </TableRow>
              )),
          ])}
        </TableBody>
      </Table>
    )}
  </InfoCard>
);

const FindingsSection = (props: {
  title: string;
  findings: DriftFinding[];
  expanded: boolean;
  onChanged: () => void;
}) => (
  <section aria-label={props.title}>
    <Typography variant="h5" component="h2" gutterBottom>
      {props.title}
    </Typography>
    {props.findings.map(finding => (
      <FindingPanel
        key={finding.id}
        finding={finding}
        defaultExpanded={props.expanded}
        onChanged={props.onChanged}
      />
    ))}
  </section>
);

const EntityDrift = (props: { entityRef: string }) => {
  const { entityRef } = props;
  const driftApi = useApi(driftApiRef);
  // The backend signals when findings of this entity change (a scan, routing, a decision).
  const changed = useFindingsChanged(entityRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [summary, resources, findings] = await Promise.all([
      driftApi.getEntitySummary(entityRef),
      driftApi.listResources({ entityRef }),
      driftApi.listFindings({
        entityRef: [entityRef],
        sort: 'lastSeen',
        order: 'desc',
        limit: 500,
      }),
    ]);
    return { summary, resources, findings: findings.items };
  }, [driftApi, entityRef, changed]);

  if (!value && loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const open = value.findings.filter(f => f.status !== 'resolved');
  const resolved = value.findings.filter(f => f.status === 'resolved');

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SummaryCard
          entityRef={entityRef}
          summary={value.summary}
          onScanFinished={retry}
        />
      </Grid>
      <Grid item xs={12}>
        {open.length > 0 ? (
          <FindingsSection
            title="Open drift"
            findings={open}
            expanded
            onChanged={retry}
          />
        ) : (
          value.resources.length > 0 && (
            <InfoCard title="Open drift">
              <Typography variant="body2">
                None: every monitored resource of this entity matches Git.
              </Typography>
            </InfoCard>
          )
        )}
      </Grid>
      <Grid item xs={12}>
        <ResourcesCard resources={value.resources} />
      </Grid>
      {new Set(value.resources.map(r => r.environment).filter(Boolean)).size >
        1 && (
        <Grid item xs={12}>
          <EnvironmentComparison entityRef={entityRef} />
        </Grid>
      )}
      {resolved.length > 0 && (
        <Grid item xs={12}>
          <FindingsSection
            title="Resolved drift"
            findings={resolved}
            expanded={false}
            onChanged={retry}
          />
        </Grid>
      )}
    </Grid>
  );
};

/** The Drift tab of an entity page. */
export const EntityDriftContent = () => {
  const { entity } = useEntity();

  if (!isDriftAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[DRIFT_SOURCE_ANNOTATION, DRIFT_TERRAFORM_PLAN_ANNOTATION]}
      />
    );
  }
  return <EntityDrift entityRef={stringifyEntityRef(entity)} />;
};
