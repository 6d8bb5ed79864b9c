import { Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { toCsv, type DriftAuditEvent } from '@driftwatch/plugin-drift-common';
import { saveTextFile } from '../../utils/download';
import { EntityDriftLink } from '../EntityDriftLink';
import { describeEvent, EventActor } from '../FindingHistory';
import { SeverityChip } from '../SeverityChip';
import { Timestamp } from '../Timestamp';

const untilOf = (event: DriftAuditEvent) =>
  typeof event.details?.until === 'string' ? event.details.until : '';

/** The audit log as CSV: one row per decision, with who, when, what and why. */
export function auditCsv(events: DriftAuditEvent[]): string {
  return toCsv(
    [
      'at',
      'actor',
      'decision',
      'entity',
      'resource',
      'owner',
      'severity',
      'note',
      'suppressedUntil',
      'findingId',
    ],
    events.map(e => [
      e.at,
      e.actor,
      e.type,
      e.entityRef,
      e.resourceKey,
      e.owner,
      e.severity,
      e.note,
      untilOf(e),
      e.findingId,
    ]),
  );
}

/** Every human decision on drift in the window: who, when, on what, and why. */
export const AuditLog = (props: {
  events: DriftAuditEvent[];
  window: { from: string; to: string };
}) => {
  const { events, window } = props;
  const columns: TableColumn<DriftAuditEvent>[] = [
    {
      title: 'When',
      field: 'at',
      render: e => <Timestamp value={e.at} showAbsolute />,
    },
    {
      title: 'Who',
      field: 'actor',
      render: e => <EventActor actor={e.actor} />,
    },
    { title: 'Decision', field: 'type', render: e => describeEvent(e) },
    {
      title: 'Entity',
      field: 'entityRef',
      render: e => <EntityDriftLink entityRef={e.entityRef} />,
    },
    { title: 'Resource', field: 'resourceKey' },
    {
      title: 'Severity',
      field: 'severity',
      render: e => <SeverityChip severity={e.severity} />,
    },
    { title: 'Why', field: 'note', render: e => e.note ?? '' },
  ];
  const exportCsv = () =>
    saveTextFile(
      `drift-audit-${window.from.slice(0, 10)}-${window.to.slice(0, 10)}.csv`,
      auditCsv(events),
      'text/csv',
    );
  return (
    <>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={exportCsv}
          disabled={events.length === 0}
        >
          Export audit log as CSV
        </Button>
      </Box>
      <Table<DriftAuditEvent>
        title="Audit log"
        subtitle="Acknowledgements, suppressions and reopenings by people"
        columns={columns}
        data={events}
        options={{
          paging: events.length > 20,
          pageSize: 20,
          padding: 'dense',
          draggable: false,
          search: true,
        }}
        emptyContent={
          <div style={{ padding: 16 }}>
            Nobody acknowledged, suppressed or reopened drift in this window.
          </div>
        }
      />
    </>
  );
};
