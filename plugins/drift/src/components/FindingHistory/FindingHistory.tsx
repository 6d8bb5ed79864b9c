import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { DriftEvent, DriftEventType } from '../../api';
import { formatAbsolute } from '../../utils/time';
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

/** A finding's history, oldest first: detection, changes, human decisions, resolution. */
export const FindingHistory = (props: {
  events: DriftEvent[];
  resource: string;
}) => (
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
          <TableCell>{describeEvent(event)}</TableCell>
          <TableCell>
            <EventActor actor={event.actor} />
          </TableCell>
          <TableCell>{event.note ?? ''}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
