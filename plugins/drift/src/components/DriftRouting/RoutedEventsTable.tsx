import { Link, Table, type TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import type {
  DriftAuditEvent,
  RoutedEventDetails,
} from '@driftwatch/plugin-drift-common';
import { trackerRouteRef } from '../../routes';
import { DryRunLabel } from '../DryRunLabel';
import { EntityDriftLink } from '../EntityDriftLink';
import { RoutedEvent, RoutedEventNote, routedDetails } from '../RoutedEvent';
import { Timestamp } from '../Timestamp';
import { actionName } from './actionNames';

type Row = DriftAuditEvent & { routed: RoutedEventDetails };

const STATUS_LABELS: Record<RoutedEventDetails['status'], string> = {
  delivered: 'Delivered',
  skipped: 'Skipped',
  retrying: 'Retrying',
  failed: 'Failed',
};

/** Recent deliveries of every routing action, newest first, each linking to its finding. */
export const RoutedEventsTable = (props: { events: DriftAuditEvent[] }) => {
  const trackerLink = useRouteRef(trackerRouteRef);
  const rows: Row[] = props.events.flatMap(event => {
    const routed = routedDetails(event);
    return routed ? [{ ...event, routed }] : [];
  });
  const columns: TableColumn<Row>[] = [
    {
      title: 'When',
      field: 'at',
      render: e => <Timestamp value={e.at} showAbsolute />,
    },
    {
      title: 'Entity',
      field: 'entityRef',
      render: e => <EntityDriftLink entityRef={e.entityRef} />,
    },
    {
      title: 'Resource',
      field: 'resourceKey',
      render: e =>
        e.findingId ? (
          <Link
            to={`${trackerLink()}?finding=${encodeURIComponent(e.findingId)}`}
          >
            {e.resourceKey ?? e.findingId}
          </Link>
        ) : (
          e.resourceKey ?? ''
        ),
    },
    {
      title: 'Action',
      field: 'routed.action',
      render: e => actionName(e.routed.action),
    },
    {
      title: 'Delivery',
      field: 'routed.summary',
      render: e => <RoutedEvent details={e.routed} />,
    },
    {
      title: 'Status',
      field: 'routed.status',
      render: e => (
        <Box display="flex" alignItems="center" style={{ gap: 6 }}>
          {STATUS_LABELS[e.routed.status]}
          {e.routed.dryRun && <DryRunLabel />}
        </Box>
      ),
    },
    {
      title: 'Note',
      field: 'note',
      render: e => <RoutedEventNote details={e.routed} />,
    },
  ];
  return (
    <Table<Row>
      title="Recent deliveries"
      subtitle="Every attempt of a routing action, newest first"
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        padding: 'dense',
        draggable: false,
        search: true,
      }}
      emptyContent={
        <div style={{ padding: 16 }}>
          Nothing has been routed yet: no finding reached a tier with actions.
        </div>
      }
    />
  );
};
