import { Link, Table, type TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { StatisticsGroup } from '../../api';
import { trackerRouteRef } from '../../routes';

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
export function ownerRows(groups: StatisticsGroup[], breachesByOwner: Map<string, number>) {
  return groups
    .filter(g => g.active || g.detected || g.resolved)
    .map<OwnerRow>(g => ({
      owner: g.key,
      unresolved: g.active,
      breached: breachesByOwner.get(g.key) ?? 0,
      detected: g.detected,
      resolved: g.resolved,
    }))
    .sort((a, b) => b.unresolved - a.unresolved || b.breached - a.breached || a.owner.localeCompare(b.owner));
}

/** Active drift and SLA breaches per owner, each linked to the owner's catalog page. */
export const OwnersCard = (props: { rows: OwnerRow[]; rangeLabel: string }) => {
  const trackerLink = useRouteRef(trackerRouteRef);
  const columns: TableColumn<OwnerRow>[] = [
    {
      title: 'Owner',
      field: 'owner',
      render: row =>
        row.owner === UNOWNED ? 'No owner' : <EntityRefLink entityRef={row.owner} defaultKind="group" />,
    },
    { title: 'Unresolved', field: 'unresolved', type: 'numeric' },
    { title: 'SLA breaches', field: 'breached', type: 'numeric' },
    { title: 'Detected', field: 'detected', type: 'numeric' },
    { title: 'Resolved', field: 'resolved', type: 'numeric' },
    {
      title: 'Findings',
      sorting: false,
      render: row =>
        row.owner === UNOWNED ? null : (
          <Link
            to={`${trackerLink()}?${new URLSearchParams({ owner: row.owner })}`}
            aria-label={`Open the findings of ${row.owner} in the tracker`}
          >
            Open in tracker
          </Link>
        ),
    },
  ];
  return (
    <Table<OwnerRow>
      title="Owners"
      subtitle={`Unresolved drift now; detected and resolved in ${props.rangeLabel.toLocaleLowerCase('en-US')}`}
      columns={columns}
      data={props.rows}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={<div style={{ padding: 16 }}>No owner has drift in this window.</div>}
    />
  );
};
