import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type {
  DriftEvent,
  DriftEventType,
} from '@driftwatch/plugin-drift-common';
import { formatAbsolute } from '../../utils/time';
import {
  pullRequestStates,
  RoutedEvent,
  RoutedEventNote,
  routedDetails,
  routedTitle,
} from '../RoutedEvent';
import { Timestamp } from '../Timestamp';

const EVENT_LABELS: Record<DriftEventType, string> = {
  detected: 'Drift detected',
  changed: 'Drift changed',
  resolved: 'Resolved',
  acknowledged: 'Acknowledged',
  suppressed: 'Suppressed',
  routed: 'Routed',
  escalated: 'Escalated',
  reopened: 'Reopened',
  'incident-linked': 'Linked to an incident',
};

/** The scanner records its own events under this actor. */
export const SYSTEM_ACTOR = 'driftwatch';

/** Who did it: a person links to their catalog page, the scanner is named as such. */
export const EventActor = (props: { actor: string }) => {
  const { actor } = props;
  if (actor === SYSTEM_ACTOR) return <>Driftwatch (scanner)</>;
  if (actor.includes(':'))
    return <EntityRefLink entityRef={actor} defaultKind="user" />;
  return <>{actor}</>;
};

/** What happened, with the details the event carries (e.g. until when it is suppressed). */
export function describeEvent(
  event: Pick<DriftEvent, 'type' | 'details'>,
): string {
  const label = EVENT_LABELS[event.type] ?? event.type;
  const details = event.details ?? {};
  const routed = routedDetails(event);
  if (routed) return routedTitle(routed);
  if (event.type === 'escalated') {
    return typeof details.escalateTo === 'number'
      ? `Escalated to tier ${details.escalateTo}`
      : 'SLA breached';
  }
  if (event.type === 'suppressed' && typeof details.until === 'string') {
    return `${label} until ${formatAbsolute(details.until)}`;
  }
  if (
    event.type === 'changed' &&
    details.previousSeverity &&
    details.severity
  ) {
    return `${label} (severity ${details.previousSeverity} → ${details.severity})`;
  }
  if (event.type === 'detected' && details.severity) {
    return `${label} (${details.severity})`;
  }
  return label;
}

/** What happened: a routing delivery in full, other events in a phrase. */
const EventCell = (props: {
  event: DriftEvent;
  pullRequests: ReturnType<typeof pullRequestStates>;
}) => {
  const routed = routedDetails(props.event);
  if (routed)
    return (
      <RoutedEvent details={routed} pullRequestStates={props.pullRequests} />
    );
  return <>{describeEvent(props.event)}</>;
};

const NoteCell = (props: { event: DriftEvent }) => {
  const { event } = props;
  const routed = routedDetails(event);
  if (routed) return <RoutedEventNote details={routed} />;
  const url = event.details?.url;
  if (event.type === 'incident-linked' && typeof url === 'string') {
    return <Link to={url}>{event.note || url}</Link>;
  }
  return <>{event.note ?? ''}</>;
};

/**
 * A finding's history, oldest first: detection, changes, routing (pages, pull requests,
 * notifications, escalations), human decisions, resolution.
 */
export const FindingHistory = (props: {
  events: DriftEvent[];
  resource: string;
}) => {
  const pullRequests = pullRequestStates(props.events);
  return (
    <Table size="small" aria-label={`History of ${props.resource}`}>
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Event</TableCell>
          <TableCell>By</TableCell>
          <TableCell>Note</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.events.map(event => (
          <TableRow key={event.id}>
            <TableCell>
              <Timestamp value={event.at} showAbsolute />
            </TableCell>
            <TableCell>
              <EventCell event={event} pullRequests={pullRequests} />
            </TableCell>
            <TableCell>
              <EventActor actor={event.actor} />
            </TableCell>
            <TableCell>
              <NoteCell event={event} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
