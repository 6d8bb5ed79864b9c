import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Change } from '@driftwatch/plugin-drift-common';
import { SeverityChip } from '../SeverityChip';
import { Timestamp } from '../Timestamp';

const useStyles = makeStyles(theme => ({
  value: {
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    margin: 0,
    fontSize: theme.typography.body2.fontSize,
  },
  field: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
  header: { '& th': { whiteSpace: 'nowrap' } },
}));

function isRedacted(
  value: unknown,
): value is { redacted: true; sha256?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as any).redacted === true
  );
}

/** A value as stored; Secret values are never sent, only that they changed. */
function describe(value: unknown, absent: string): string {
  if (value === null || value === undefined) return absent;
  if (isRedacted(value)) {
    return value.sha256
      ? `secret value (fingerprint ${value.sha256})`
      : 'secret value';
  }
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/**
 * Field-level differences of one resource: what Git declares next to what runs, with the
 * category, severity, and the field manager that wrote the live value and when.
 */
export const ChangesTable = (props: {
  changes: Change[];
  resource: string;
}) => {
  const classes = useStyles();
  const { changes, resource } = props;
  if (changes.length === 0) {
    return (
      <Typography variant="body2">
        The whole object differs; there are no field-level changes to show.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Field changes of ${resource}`}>
      <TableHead className={classes.header}>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>In Git</TableCell>
          <TableCell>Live</TableCell>
          <TableCell>Category</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Changed by</TableCell>
          <TableCell>When</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(change => (
          <TableRow key={`${change.path}:${change.op}`}>
            <TableCell className={classes.field}>
              {change.field || change.path}
            </TableCell>
            <TableCell>
              <pre className={classes.value}>
                {describe(change.desired, 'not set in Git')}
              </pre>
              {change.default !== undefined && (
                <Typography variant="caption" color="textSecondary">
                  API default: {describe(change.default, 'none')}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <pre className={classes.value}>
                {describe(change.live, 'absent live')}
              </pre>
            </TableCell>
            <TableCell>{change.category}</TableCell>
            <TableCell>
              <SeverityChip severity={change.severity} />
            </TableCell>
            <TableCell>
              {change.manager ?? 'not recorded'}
              {change.subresource ? ` (${change.subresource})` : ''}
            </TableCell>
            <TableCell>
              <Timestamp value={change.time} showAbsolute />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
