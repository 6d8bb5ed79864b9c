import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Checkbox from '@material-ui/core/Checkbox';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import type {
  DriftFinding,
  FindingSort,
} from '@driftwatch/plugin-drift-common';
import { formatAbsolute, formatHours } from '../../utils/time';
import { EntityDriftLink } from '../EntityDriftLink';
import { FindingActions } from '../FindingActions';
import { SeverityChip } from '../SeverityChip';
import { FindingStatusLabel } from '../StatusLabel';
import { Timestamp } from '../Timestamp';

/** Sortable columns and the backend sort each one asks for. */
const SORTABLE: Partial<Record<string, FindingSort>> = {
  Severity: 'severity',
  Age: 'firstDetected',
  'SLA due': 'slaDue',
  'Last seen': 'lastSeen',
  Score: 'score',
};

const COLUMNS = [
  'Entity',
  'Resource',
  'Location',
  'Owner',
  'Tier',
  'Severity',
  'Status',
  'Categories',
  'Age',
  'SLA due',
  'Last seen',
  'Score',
  'Actions',
];

const useStyles = makeStyles((theme: Theme) => ({
  // Wide enough that short values never break mid-word; the page scrolls sideways instead.
  table: { minWidth: 1400, '& th, & td': { whiteSpace: 'nowrap' } },
  wrap: {
    whiteSpace: 'normal !important' as 'normal',
    minWidth: 180,
    maxWidth: 320,
  },
  resource: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
  // The theme's error red is too light for text (WCAG AA); its darker shade is not.
  breached: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
}));

const Age = (props: { since: string }) => {
  const hours = DateTime.now().diff(
    DateTime.fromISO(props.since),
    'hours',
  ).hours;
  return (
    <time
      dateTime={props.since}
      title={`First detected ${formatAbsolute(props.since)}`}
    >
      {formatHours(Math.max(0, hours))}
    </time>
  );
};

const SlaDue = (props: { finding: DriftFinding }) => {
  const { finding } = props;
  const classes = useStyles();
  if (finding.status === 'resolved' || !finding.slaDueAt) return <>—</>;
  if (finding.slaBreached) {
    return (
      <Typography variant="body2" component="span" className={classes.breached}>
        Breached <Timestamp value={finding.slaDueAt} />
      </Typography>
    );
  }
  return <Timestamp value={finding.slaDueAt} />;
};

/**
 * One page of findings, sorted by the backend; rows can be selected for bulk acknowledgement
 * and open the finding's details.
 */
export const FindingsTable = (props: {
  findings: DriftFinding[];
  sort: FindingSort;
  order: 'asc' | 'desc';
  onSort: (sort: FindingSort, order: 'asc' | 'desc') => void;
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  onChanged: () => void;
  /** Opens the finding's details. */
  onOpen: (finding: DriftFinding) => void;
}) => {
  const {
    findings,
    sort,
    order,
    onSort,
    selected,
    onSelect,
    onChanged,
    onOpen,
  } = props;
  const classes = useStyles();
  const selectable = findings.filter(f => f.status === 'active');
  const allSelected =
    selectable.length > 0 && selectable.every(f => selected.has(f.id));
  const someSelected = selectable.some(f => selected.has(f.id));

  return (
    <Table size="small" aria-label="Findings" className={classes.table}>
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox">
            <Checkbox
              indeterminate={someSelected && !allSelected}
              checked={allSelected}
              disabled={selectable.length === 0}
              onChange={event =>
                onSelect(
                  selectable.map(f => f.id),
                  event.target.checked,
                )
              }
              inputProps={{
                'aria-label': 'Select all active findings on this page',
              }}
            />
          </TableCell>
          {COLUMNS.map(column => {
            const key = SORTABLE[column];
            return (
              <TableCell
                key={column}
                sortDirection={key === sort ? order : false}
              >
                {key ? (
                  <TableSortLabel
                    active={key === sort}
                    direction={key === sort ? order : 'desc'}
                    onClick={() =>
                      onSort(
                        key,
                        key === sort && order === 'desc' ? 'asc' : 'desc',
                      )
                    }
                  >
                    {column}
                  </TableSortLabel>
                ) : (
                  column
                )}
              </TableCell>
            );
          })}
        </TableRow>
      </TableHead>
      <TableBody>
        {findings.length === 0 && (
          <TableRow>
            <TableCell colSpan={COLUMNS.length + 1}>
              <Typography variant="body2">
                No findings match these filters.
              </Typography>
            </TableCell>
          </TableRow>
        )}
        {findings.map(finding => (
          <TableRow key={finding.id} hover selected={selected.has(finding.id)}>
            <TableCell padding="checkbox">
              {finding.status === 'active' && (
                <Checkbox
                  checked={selected.has(finding.id)}
                  onChange={event =>
                    onSelect([finding.id], event.target.checked)
                  }
                  inputProps={{
                    'aria-label': `Select ${finding.resourceKey} of ${finding.entityRef}`,
                  }}
                />
              )}
            </TableCell>
            <TableCell>
              <EntityDriftLink entityRef={finding.entityRef} />
            </TableCell>
            <TableCell className={`${classes.wrap} ${classes.resource}`}>
              <Link
                component="button"
                variant="body2"
                className={classes.resource}
                style={{ textAlign: 'left' }}
                aria-label={`Details of ${finding.resourceKey} of ${finding.entityRef}`}
                onClick={() => onOpen(finding)}
              >
                {finding.resourceKey}
              </Link>
              {finding.resourceStatus !== 'drifted' &&
                ` (${finding.resourceStatus})`}
            </TableCell>
            <TableCell>
              {finding.environment
                ? `${finding.location} (${finding.environment})`
                : finding.location}
            </TableCell>
            <TableCell>
              {finding.owner ? (
                <EntityRefLink entityRef={finding.owner} defaultKind="group" />
              ) : (
                'No owner'
              )}
            </TableCell>
            <TableCell>{finding.tier}</TableCell>
            <TableCell>
              <SeverityChip severity={finding.severity} />
            </TableCell>
            <TableCell>
              <FindingStatusLabel status={finding.status} />
            </TableCell>
            <TableCell className={classes.wrap}>
              {finding.categories.join(', ') || finding.resourceStatus}
            </TableCell>
            <TableCell>
              <Age since={finding.firstDetectedAt} />
            </TableCell>
            <TableCell>
              <SlaDue finding={finding} />
            </TableCell>
            <TableCell>
              <Timestamp value={finding.lastSeenAt} />
            </TableCell>
            <TableCell>{finding.score}</TableCell>
            <TableCell>
              <FindingActions finding={finding} onChanged={onChanged} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
