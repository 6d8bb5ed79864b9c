import {
  ContentHeader,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type { DriftFinding } from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';
import { useTimeRange } from '../../hooks/useTimeRange';
import { SECURITY_CATEGORIES } from '../../utils/severity';
import { EntityDriftLink } from '../EntityDriftLink';
import { KpiCard } from '../KpiCard';
import { SeverityChip } from '../SeverityChip';
import { FindingStatusLabel } from '../StatusLabel';
import { Timestamp } from '../Timestamp';
import { TimeRangePicker } from '../TimeRangePicker';
import { AuditLog } from './AuditLog';
import { SecurityCategoryChart, SevereDriftChart } from './SecurityCharts';

const OPEN: DriftFinding['status'][] = ['active', 'acknowledged', 'suppressed'];
const OPEN_LIST_LIMIT = 100;

const OpenSecurityDrift = (props: {
  findings: DriftFinding[];
  total: number;
}) => (
  <InfoCard
    title="Open security drift"
    subheader={
      props.total > props.findings.length
        ? `The ${props.findings.length} most severe of ${props.total}`
        : 'RBAC, securityContext, network exposure and Secret changes not yet resolved'
    }
    noPadding
  >
    {props.findings.length === 0 ? (
      <Typography variant="body2" style={{ padding: 16 }}>
        No security-relevant drift is open.
      </Typography>
    ) : (
      <Table size="small" aria-label="Open security drift">
        <TableHead>
          <TableRow>
            <TableCell>Entity</TableCell>
            <TableCell>Resource</TableCell>
            <TableCell>Categories</TableCell>
            <TableCell>Severity</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Detected</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.findings.map(f => (
            <TableRow key={f.id}>
              <TableCell>
                <EntityDriftLink entityRef={f.entityRef} />
              </TableCell>
              <TableCell style={{ fontFamily: 'monospace' }}>
                {f.resourceKey}
              </TableCell>
              <TableCell>{f.categories.join(', ')}</TableCell>
              <TableCell>
                <SeverityChip severity={f.severity} />
              </TableCell>
              <TableCell>
                <FindingStatusLabel status={f.status} />
              </TableCell>
              <TableCell>
                <Timestamp value={f.openedAt} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </InfoCard>
);

/**
 * Security trends: security-relevant drift (security and Secret changes, high and critical
 * severity) over time, what is open now, and the audit log of people's decisions.
 */
export const SecurityTrends = () => {
  const driftApi = useApi(driftApiRef);
  const { range, setPreset, setCustom } = useTimeRange('90d');

  const data = useAsync(async () => {
    const window = { from: range.from, to: range.to };
    const [trends, severe, open, audit] = await Promise.all([
      driftApi.getTrends({ ...window, category: SECURITY_CATEGORIES }),
      driftApi.getStatistics({
        ...window,
        groupBy: 'day',
        severity: ['high', 'critical'],
      }),
      driftApi.listFindings({
        category: SECURITY_CATEGORIES,
        status: OPEN,
        sort: 'severity',
        order: 'desc',
        limit: OPEN_LIST_LIMIT,
      }),
      driftApi.listEvents({
        ...window,
        type: ['acknowledged', 'suppressed', 'reopened'],
        actor: 'human',
      }),
    ]);
    return { trends, severe, open, audit };
  }, [driftApi, range]);

  const value = data.value;
  const days = value?.severe.groups.map(g => g.key) ?? [];
  const securityDetected =
    value?.trends.items.reduce((sum, r) => sum + r.detected, 0) ?? 0;

  return (
    <>
      <ContentHeader
        title="Security trends"
        description="Security-relevant drift and every human decision on drift"
      >
        <TimeRangePicker
          range={range}
          onPreset={setPreset}
          onCustom={setCustom}
        />
      </ContentHeader>
      {data.loading && <Progress />}
      {data.error && <ResponseErrorPanel error={data.error} />}
      {value && !data.loading && (
        <Grid container spacing={3}>
          <Grid item xs={12} sm={6} md={3}>
            <KpiCard title="Open security drift" value={value.open.totalCount}>
              SecurityChange or SecretChange, not resolved
            </KpiCard>
          </Grid>
          <Grid item xs={12} sm={6} md={3}>
            <KpiCard title="Security detections" value={securityDetected}>
              by category, {range.label.toLocaleLowerCase('en-US')}
            </KpiCard>
          </Grid>
          <Grid item xs={12} sm={6} md={3}>
            <KpiCard
              title="High and critical drift"
              value={value.severe.totals.detectedInRange}
            >
              detected, {range.label.toLocaleLowerCase('en-US')}
            </KpiCard>
          </Grid>
          <Grid item xs={12} sm={6} md={3}>
            <KpiCard title="Human decisions" value={value.audit.length}>
              acknowledged, suppressed or reopened
            </KpiCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard
              title="Security-relevant drift"
              subheader="SecurityChange and SecretChange detected per day"
            >
              <SecurityCategoryChart days={days} rows={value.trends.items} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard
              title="High and critical drift"
              subheader="Findings of any category detected per day"
            >
              <SevereDriftChart groups={value.severe.groups} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <OpenSecurityDrift
              findings={value.open.items}
              total={value.open.totalCount}
            />
          </Grid>
          <Grid item xs={12}>
            <AuditLog events={value.audit} window={range} />
          </Grid>
        </Grid>
      )}
    </>
  );
};
