import {
  ContentHeader,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import type {
  DriftFinding,
  ReviewExportFormat,
  ReviewReport,
} from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';
import { useTimeRange } from '../../hooks/useTimeRange';
import { saveTextFile } from '../../utils/download';
import { EntityDriftLink } from '../EntityDriftLink';
import { KpiCard } from '../KpiCard';
import { SeverityChip } from '../SeverityChip';
import { FindingStatusLabel } from '../StatusLabel';
import { Timestamp } from '../Timestamp';
import { TimeRangePicker } from '../TimeRangePicker';

const OwnerLink = (props: { owner: string | null }) =>
  props.owner && props.owner !== 'unowned' ? (
    <EntityRefLink entityRef={props.owner} defaultKind="group" />
  ) : (
    <>No owner</>
  );

const findingColumns = (
  extra: TableColumn<DriftFinding>[] = [],
): TableColumn<DriftFinding>[] => [
  {
    title: 'Entity',
    field: 'entityRef',
    render: f => <EntityDriftLink entityRef={f.entityRef} />,
  },
  { title: 'Resource', field: 'resourceKey' },
  {
    title: 'Severity',
    field: 'severity',
    render: f => <SeverityChip severity={f.severity} />,
  },
  { title: 'Tier', field: 'tier', type: 'numeric' },
  {
    title: 'Owner',
    field: 'owner',
    render: f => <OwnerLink owner={f.owner} />,
  },
  {
    title: 'Categories',
    field: 'categories',
    render: f => f.categories.join(', ') || f.resourceStatus,
  },
  {
    title: 'Status',
    field: 'status',
    render: f => <FindingStatusLabel status={f.status} />,
  },
  {
    title: 'Opened',
    field: 'openedAt',
    render: f => <Timestamp value={f.openedAt} />,
  },
  ...extra,
];

const FindingList = (props: {
  title: string;
  findings: DriftFinding[];
  empty: string;
  columns?: TableColumn<DriftFinding>[];
}) => (
  <Table<DriftFinding>
    title={`${props.title} (${props.findings.length})`}
    columns={props.columns ?? findingColumns()}
    data={props.findings}
    options={{
      paging: props.findings.length > 10,
      pageSize: 10,
      search: false,
      padding: 'dense',
      draggable: false,
    }}
    emptyContent={<div style={{ padding: 16 }}>{props.empty}</div>}
  />
);

const TopOwners = (props: { owners: ReviewReport['topOwners'] }) => (
  <Table<ReviewReport['topOwners'][number]>
    title="Top owners"
    subtitle="Open drift and SLA breaches per owner"
    columns={[
      {
        title: 'Owner',
        field: 'owner',
        render: o => <OwnerLink owner={o.owner} />,
      },
      { title: 'Open', field: 'open', type: 'numeric' },
      { title: 'SLA breaches', field: 'breached', type: 'numeric' },
    ]}
    data={props.owners}
    options={{
      paging: false,
      search: false,
      padding: 'dense',
      draggable: false,
    }}
    emptyContent={<div style={{ padding: 16 }}>No owner has open drift.</div>}
  />
);

const TopCategories = (props: {
  categories: ReviewReport['topCategories'];
}) => (
  <Table<ReviewReport['topCategories'][number]>
    title="Top categories"
    subtitle="Open drift per category"
    columns={[
      { title: 'Category', field: 'category' },
      { title: 'Open', field: 'open', type: 'numeric' },
    ]}
    data={props.categories}
    options={{
      paging: false,
      search: false,
      padding: 'dense',
      draggable: false,
    }}
    emptyContent={<div style={{ padding: 16 }}>No open drift.</div>}
  />
);

const IncidentLinks = (props: { incidents: ReviewReport['incidents'] }) => (
  <Table<ReviewReport['incidents'][number]>
    title="Drift linked to incidents"
    subtitle="Findings linked to an incident in the window, for the RCA"
    columns={[
      {
        title: 'Entity',
        field: 'entityRef',
        render: i => <EntityDriftLink entityRef={i.entityRef} />,
      },
      { title: 'Resource', field: 'resourceKey' },
      {
        title: 'Severity',
        field: 'severity',
        render: i => <SeverityChip severity={i.severity} />,
      },
      {
        title: 'Status',
        field: 'status',
        render: i => <FindingStatusLabel status={i.status} />,
      },
      {
        title: 'Incident',
        field: 'url',
        render: i => <Link to={i.url}>{i.title ?? i.url}</Link>,
      },
      {
        title: 'Linked',
        field: 'linkedAt',
        render: i => <Timestamp value={i.linkedAt} />,
      },
    ]}
    data={props.incidents}
    options={{
      paging: false,
      search: false,
      padding: 'dense',
      draggable: false,
    }}
    emptyContent={
      <div style={{ padding: 16 }}>
        No drift was linked to an incident in this window.
      </div>
    }
  />
);

const ExportButtons = (props: {
  from: string;
  to: string;
  disabled: boolean;
}) => {
  const driftApi = useApi(driftApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState<ReviewExportFormat>();
  const download = async (format: ReviewExportFormat) => {
    setBusy(format);
    try {
      const file = await driftApi.exportReviewReport({
        from: props.from,
        to: props.to,
        format,
      });
      saveTextFile(file.filename, file.content, file.contentType);
    } catch (e) {
      alertApi.post({
        message: `Export failed: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Box display="flex" style={{ gap: 8 }}>
      {(['csv', 'markdown'] as const).map(format => (
        <Button
          key={format}
          variant="outlined"
          startIcon={<GetAppIcon />}
          disabled={props.disabled || busy !== undefined}
          onClick={() => download(format)}
        >
          {format === 'csv' ? 'Export CSV' : 'Export Markdown'}
        </Button>
      ))}
    </Box>
  );
};

/**
 * The bi-weekly drift review: what came, what went, what is still open and late, who owns it
 * and what kind it is, for the last 14 days or a chosen window; exportable for the meeting.
 */
export const DriftReview = () => {
  const driftApi = useApi(driftApiRef);
  const { range, setPreset, setCustom } = useTimeRange('14d');
  const report = useAsync(
    () => driftApi.getReviewReport({ from: range.from, to: range.to }),
    [driftApi, range],
  );
  const value = report.value;

  return (
    <>
      <ContentHeader
        title="Bi-weekly review"
        description={`Drift review: ${range.label}`}
      >
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
        >
          <TimeRangePicker
            range={range}
            onPreset={setPreset}
            onCustom={setCustom}
          />
          <ExportButtons from={range.from} to={range.to} disabled={!value} />
        </Box>
      </ContentHeader>
      {report.loading && <Progress />}
      {report.error && <ResponseErrorPanel error={report.error} />}
      {value && !report.loading && (
        <Grid container spacing={3}>
          <Grid item xs={6} md={3}>
            <KpiCard title="New" value={value.counts.newFindings}>
              opened in the window
            </KpiCard>
          </Grid>
          <Grid item xs={6} md={3}>
            <KpiCard title="Resolved" value={value.counts.resolved}>
              resolved in the window
            </KpiCard>
          </Grid>
          <Grid item xs={6} md={3}>
            <KpiCard title="Still open" value={value.counts.stillOpen}>
              active, acknowledged or suppressed
            </KpiCard>
          </Grid>
          <Grid item xs={6} md={3}>
            <KpiCard title="SLA breaches" value={value.counts.breaches}>
              open and past their SLA
            </KpiCard>
          </Grid>
          <Grid item xs={12}>
            <FindingList
              title="SLA breaches"
              findings={value.breaches}
              empty="No open drift is past its SLA."
              columns={findingColumns([
                {
                  title: 'SLA due',
                  field: 'slaDueAt',
                  render: f => <Timestamp value={f.slaDueAt} showAbsolute />,
                },
              ])}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TopOwners owners={value.topOwners} />
          </Grid>
          <Grid item xs={12} md={6}>
            <TopCategories categories={value.topCategories} />
          </Grid>
          <Grid item xs={12}>
            <IncidentLinks incidents={value.incidents ?? []} />
          </Grid>
          <Grid item xs={12}>
            <FindingList
              title="New"
              findings={value.newFindings}
              empty="No drift was detected in this window."
            />
          </Grid>
          <Grid item xs={12}>
            <FindingList
              title="Resolved"
              findings={value.resolved}
              empty="No drift was resolved in this window."
              columns={findingColumns([
                {
                  title: 'Resolved',
                  field: 'resolvedAt',
                  render: f => <Timestamp value={f.resolvedAt} />,
                },
              ])}
            />
          </Grid>
          <Grid item xs={12}>
            <FindingList
              title="Still open"
              findings={value.stillOpen}
              empty="Nothing is open."
            />
          </Grid>
        </Grid>
      )}
      {!value && !report.loading && !report.error && (
        <InfoCard title="No report">Nothing to review.</InfoCard>
      )}
    </>
  );
};
