import {
  ContentHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Switch from '@material-ui/core/Switch';
import TablePagination from '@material-ui/core/TablePagination';
import Toolbar from '@material-ui/core/Toolbar';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_CATEGORIES,
  SEVERITIES,
  type DriftFinding,
  type FindingSort,
  type FindingStatus,
} from '@driftwatch/plugin-drift-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { driftApiRef } from '../../api';
import { useDriftEntities } from '../../hooks/useDriftEntities';
import { useFindingsChanged } from '../../hooks/useFindingsChanged';
import { useUrlParams } from '../../hooks/useUrlParams';
import { useDriftLocations } from '../../hooks/useDriftLocations';
import { humanizeRef } from '../../utils/refs';
import { DecisionDialog } from '../FindingActions';
import { type FilterOption, FilterSelect } from '../FilterSelect';
import { FindingDrawer } from './FindingDrawer';
import { FindingsTable } from './FindingsTable';

const OPEN: FindingStatus[] = ['active', 'acknowledged', 'suppressed'];
/** In the URL, `status=any` asks for every status; no status parameter means open findings. */
const ANY = 'any';
const SORTS: FindingSort[] = [
  'severity',
  'firstDetected',
  'lastSeen',
  'slaDue',
  'score',
];
const PAGE_SIZES = [25, 50, 100];

const STATUS_OPTIONS: FilterOption[] = [
  { label: 'Open (active, acknowledged, suppressed)', value: OPEN },
  { label: 'Active', value: ['active'] },
  { label: 'Acknowledged', value: ['acknowledged'] },
  { label: 'Suppressed', value: ['suppressed'] },
  { label: 'Resolved', value: ['resolved'] },
];
const SEVERITY_OPTIONS: FilterOption[] = [
  { label: 'High or critical', value: ['high', 'critical'] },
  ...[...SEVERITIES].reverse().map(s => ({ label: s, value: [s] })),
];
const TIER_OPTIONS: FilterOption[] = ['1', '2', '3'].map(t => ({
  label: `Tier ${t}`,
  value: [t],
}));
const CATEGORY_OPTIONS: FilterOption[] = [
  ...DRIFT_CATEGORIES,
  'missing',
  'extra',
].map(c => ({
  label: c,
  value: [c],
}));
const SLA_OPTIONS: FilterOption[] = [
  { label: 'Breached', value: ['true'] },
  { label: 'Within SLA', value: ['false'] },
];

const asOptions = (values: string[]) =>
  values.map(value => ({ label: value, value: [value] }));

/**
 * The Drift Tracker: every finding, filtered, sorted and paged by the backend, where owners
 * acknowledge or suppress drift.
 */
export const DriftTracker = () => {
  const driftApi = useApi(driftApiRef);
  const identityApi = useApi(identityApiRef);
  const url = useUrlParams();
  const entities = useDriftEntities();
  const locations = useDriftLocations();
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );

  const mine = url.get('mine') === 'true';
  const ownerParam = url.getAll('owner');
  const statusParam = url.getAll('status');
  let status: string[] = statusParam.includes(ANY) ? [] : statusParam;
  if (statusParam.length === 0) status = OPEN;
  const severity = url.getAll('severity');
  const tier = url.getAll('tier');
  const category = url.getAll('category');
  const environment = url.getAll('environment');
  const location = url.getAll('location');
  const breached = url.get('breached');
  const sortParam = url.get('sort') as FindingSort | undefined;
  const sort: FindingSort =
    sortParam && SORTS.includes(sortParam) ? sortParam : 'severity';
  const order = url.get('order') === 'asc' ? 'asc' : 'desc';
  const [limit, setLimit] = useState(50);

  const myRefs = identity.value?.ownershipEntityRefs;
  const owner = mine ? myRefs ?? [] : ownerParam;
  const waitingForIdentity = mine && !identity.value && !identity.error;

  const filterKey = JSON.stringify([
    owner,
    status,
    severity,
    tier,
    category,
    breached,
    sort,
    order,
    limit,
    environment,
    location,
  ]);
  const query = useMemo(
    () => ({
      owner,
      status: status as FindingStatus[],
      severity: severity as DriftFinding['severity'][],
      tier: tier.map(Number),
      category,
      environment,
      location,
      breached: breached === undefined ? undefined : breached === 'true',
      sort,
      order: order as 'asc' | 'desc',
      limit,
    }),
    // Compared by value: the lists are new arrays on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filterKey],
  );
  const queryKey = JSON.stringify(query);

  // Cursor pagination: the cursor that fetched each page seen so far, reset with the query.
  const [paging, setPaging] = useState({
    key: queryKey,
    page: 0,
    cursors: [undefined] as Array<string | undefined>,
  });
  const current =
    paging.key === queryKey
      ? paging
      : { key: queryKey, page: 0, cursors: [undefined] };
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);

  const cursor = current.cursors[current.page];

  // Refetched when the backend signals that findings changed.
  const changed = useFindingsChanged();
  const findings = useAsyncRetry(async () => {
    if (waitingForIdentity) return undefined;
    // Someone who owns nothing owns no findings; an empty owner filter would mean everyone's.
    if (mine && owner.length === 0) return { items: [], totalCount: 0 };
    return driftApi.listFindings({ ...query, cursor });
  }, [driftApi, query, cursor, waitingForIdentity, changed]);
  // `?finding=<id>` opens one finding: the links routing sends point here.
  const openFinding = url.get('finding');

  const page = findings.value;
  const selectedFindings = (page?.items ?? []).filter(f => selected.has(f.id));

  const setFilter = (
    updates: Record<string, string[] | string | undefined>,
  ) => {
    setSelected(new Set());
    url.set(updates);
  };
  const goTo = (next: number) => {
    setSelected(new Set());
    const cursors = [...current.cursors];
    if (next > current.page) cursors[next] = page?.nextCursor;
    setPaging({ key: queryKey, page: next, cursors });
  };

  const ownerOptions = (entities.value?.owners ?? []).map(o => ({
    label: humanizeRef(o, 'group'),
    value: [o],
  }));

  return (
    <>
      <ContentHeader
        title="Drift Tracker"
        description="Acknowledge drift with a note, or suppress it with a reason until a date"
      />
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
        mb={2}
      >
        <FilterSelect
          label="Owner"
          anyLabel="All owners"
          options={ownerOptions}
          value={mine ? [] : ownerParam}
          onChange={value => setFilter({ owner: value })}
          disabled={mine}
        />
        <FormControlLabel
          control={
            <Switch
              checked={mine}
              onChange={event =>
                setFilter({ mine: event.target.checked ? 'true' : undefined })
              }
              color="primary"
            />
          }
          label="Owned by me"
        />
        <FilterSelect
          label="Status"
          anyLabel="Any status"
          options={STATUS_OPTIONS}
          value={status}
          onChange={value => setFilter({ status: value.length ? value : ANY })}
          minWidth={200}
        />
        <FilterSelect
          label="Severity"
          anyLabel="Any severity"
          options={SEVERITY_OPTIONS}
          value={severity}
          onChange={value => setFilter({ severity: value })}
          minWidth={140}
        />
        <FilterSelect
          label="Tier"
          anyLabel="All tiers"
          options={TIER_OPTIONS}
          value={tier}
          onChange={value => setFilter({ tier: value })}
          minWidth={110}
        />
        {(locations.value?.environments.length ?? 0) > 0 && (
          <FilterSelect
            label="Environment"
            anyLabel="All environments"
            options={asOptions(locations.value!.environments)}
            value={environment}
            onChange={value => setFilter({ environment: value })}
            minWidth={160}
          />
        )}
        {(locations.value?.clusters.length ?? 0) > 1 && (
          <FilterSelect
            label="Cluster"
            anyLabel="All clusters"
            options={asOptions(locations.value!.clusters)}
            value={location}
            onChange={value => setFilter({ location: value })}
            minWidth={160}
          />
        )}
        <FilterSelect
          label="Category"
          anyLabel="Any category"
          options={CATEGORY_OPTIONS}
          value={category}
          onChange={value => setFilter({ category: value })}
        />
        <FilterSelect
          label="SLA"
          anyLabel="Any SLA state"
          options={SLA_OPTIONS}
          value={breached ? [breached] : []}
          onChange={value => setFilter({ breached: value[0] })}
          minWidth={130}
        />
      </Box>
      {findings.error && <ResponseErrorPanel error={findings.error} />}
      {!page && !findings.error && <Progress />}
      {page && (
        <Paper>
          <Toolbar>
            <Box flexGrow={1}>
              <Typography variant="h6" component="h2" aria-live="polite">
                {page.totalCount} finding{page.totalCount === 1 ? '' : 's'}
                {mine && ' owned by you'}
              </Typography>
            </Box>
            {selectedFindings.length > 0 && (
              <Button
                variant="contained"
                color="primary"
                onClick={() => setBulkOpen(true)}
              >
                Acknowledge {selectedFindings.length} selected
              </Button>
            )}
          </Toolbar>
          {findings.loading && <LinearProgress aria-label="Loading findings" />}
          <Box overflow="auto">
            <FindingsTable
              findings={page.items}
              sort={sort}
              order={order}
              onSort={(s, o) => setFilter({ sort: s, order: o })}
              selected={selected}
              onSelect={(ids, checked) =>
                setSelected(prev => {
                  const next = new Set(prev);
                  ids.forEach(id => (checked ? next.add(id) : next.delete(id)));
                  return next;
                })
              }
              onChanged={findings.retry}
              onOpen={finding => url.set({ finding: finding.id })}
            />
          </Box>
          <TablePagination
            component="div"
            count={page.totalCount}
            page={current.page}
            rowsPerPage={limit}
            rowsPerPageOptions={PAGE_SIZES}
            onPageChange={(_, next) => goTo(next)}
            onRowsPerPageChange={event => setLimit(Number(event.target.value))}
            nextIconButtonProps={{
              disabled: !page.nextCursor || findings.loading,
            }}
            backIconButtonProps={{
              disabled: current.page === 0 || findings.loading,
            }}
          />
        </Paper>
      )}
      {openFinding && (
        <FindingDrawer
          findingId={openFinding}
          onClose={() => url.set({ finding: undefined })}
          onChanged={findings.retry}
        />
      )}
      {bulkOpen && (
        <DecisionDialog
          decision="acknowledge"
          findings={selectedFindings}
          onClose={() => setBulkOpen(false)}
          onDone={() => {
            setSelected(new Set());
            findings.retry();
          }}
        />
      )}
    </>
  );
};
