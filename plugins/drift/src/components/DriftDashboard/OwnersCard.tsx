import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { StatisticsGroup } from '@driftwatch/plugin-drift-common';
import { trackerRouteRef } from '../../routes';
import { humanizeRef } from '../../utils/refs';

/** An owner's drift: the statistics' owner group with its SLA breaches. */
export interface OwnerRow {
  owner: string;
  unresolved: number;
  breached: number;
  detected: number;
  resolved: number;
}

export const UNOWNED = 'unowned';

/** Owners with any drift in the window, most unresolved first. */
export function ownerRows(groups: StatisticsGroup[]) {
  return groups
    .filter(g => g.active || g.detected || g.resolved)
    .map<OwnerRow>(g => ({
      owner: g.key,
      unresolved: g.active,
      breached: g.breached ?? 0,
      detected: g.detected,
      resolved: g.resolved,
    }))
    .sort(
      (a, b) =>
        b.unresolved - a.unresolved ||
        b.breached - a.breached ||
        a.owner.localeCompare(b.owner),
    );
}

/** Active drift and SLA breaches per owner, each linked to the owner's catalog page. */
export const OwnersCard = (props: { rows: OwnerRow[]; rangeLabel: string }) => {
  const trackerLink = useRouteRef(trackerRouteRef);
  return (
    <InfoCard
      title="Owners"
      subheader={`Unresolved drift now; detected and resolved in ${props.rangeLabel.toLocaleLowerCase(
        'en-US',
      )}`}
      noPadding
    >
      {props.rows.length === 0 ? (
        <Typography variant="body2" style={{ padding: 16 }}>
          No owner has drift in this window.
        </Typography>
      ) : (
        <Table size="small" aria-label="Drift per owner">
          <TableHead>
            <TableRow>
              <TableCell>Owner</TableCell>
              <TableCell align="right">Unresolved</TableCell>
              <TableCell align="right">SLA breaches</TableCell>
              <TableCell align="right">Detected</TableCell>
              <TableCell align="right">Resolved</TableCell>
              <TableCell>Findings</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.rows.map(row => (
              <TableRow key={row.owner}>
                <TableCell>
                  {row.owner === UNOWNED ? (
                    'No owner'
                  ) : (
                    <EntityRefLink entityRef={row.owner} defaultKind="group" />
                  )}
                </TableCell>
                <TableCell align="right">{row.unresolved}</TableCell>
                <TableCell align="right">{row.breached}</TableCell>
                <TableCell align="right">{row.detected}</TableCell>
                <TableCell align="right">{row.resolved}</TableCell>
                <TableCell>
                  {row.owner !== UNOWNED && (
                    <Link
                      to={`${trackerLink()}?${new URLSearchParams({
                        owner: row.owner,
                      })}`}
                      aria-label={`Open in tracker: findings of ${humanizeRef(
                        row.owner,
                        'group',
                      )}`}
                    >
                      Open in tracker
                    </Link>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
