import {
  ContentHeader,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import type { DriftStatistics } from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';
import { loadDriftEntities } from '../../hooks/useDriftEntities';
import { useDriftLocations } from '../../hooks/useDriftLocations';
import { useFindingsChanged } from '../../hooks/useFindingsChanged';
import { useTimeRange } from '../../hooks/useTimeRange';
import { useUrlParams } from '../../hooks/useUrlParams';
import { humanizeRef } from '../../utils/refs';
import { SEVERITIES_DESC } from '../../utils/severity';
import { formatHours, formatPercent } from '../../utils/time';
import { FilterSelect } from '../FilterSelect';
import { KpiCard } from '../KpiCard';
import { SeverityChip } from '../SeverityChip';
import { TimeRangePicker } from '../TimeRangePicker';
import { OwnersCard, ownerRows } from './OwnersCard';
import { RoutingCard } from './RoutingCard';

// The charts (recharts) are the bulk of the page's code: they download while the data loads
// instead of before it.
const loadFrequencyChart = () => import('./DriftFrequencyChart');
const loadSurfaceAreaCard = () => import('./SurfaceAreaCard');
const DriftFrequencyChart = lazy(() =>
  loadFrequencyChart().then(m => ({ default: m.DriftFrequencyChart })),
);
const SurfaceAreaCard = lazy(() =>
  loadSurfaceAreaCard().then(m => ({ default: m.SurfaceAreaCard })),
);

const asOptions = (values: string[]) =>
  values.map(value => ({ label: value, value: [value] }));
const TIERS = ['1', '2', '3'];

const Kpis = (props: {
  statistics: DriftStatistics;
  /** Absent while the surface area is being counted. */
  coverage?: { inSync: number; monitored: number };
  rangeLabel: string;
}) => {
  const { totals } = props.statistics;
  const coverage = props.coverage;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6} lg={4}>
        <KpiCard title="Unresolved drift" value={totals.unresolved}>
          <div>
            {totals.active} active · {totals.acknowledged} acknowledged ·{' '}
            {totals.suppressed} suppressed
          </div>
          <div>
            By tier:{' '}
            {TIERS.map(
              tier => `tier ${tier}: ${totals.byTier[tier] ?? 0}`,
            ).join(' · ')}
          </div>
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 6 }}
            mt={0.5}
          >
            By severity:
            {SEVERITIES_DESC.map(severity => (
              <span key={severity}>
                <SeverityChip severity={severity} />{' '}
                {totals.bySeverity[severity] ?? 0}
              </span>
            ))}
          </Box>
        </KpiCard>
      </Grid>
      <Grid item xs={12} sm={6} lg={2}>
        <KpiCard title="SLA breaches" value={totals.breached}>
          unresolved past their SLA
        </KpiCard>
      </Grid>
      <Grid item xs={12} sm={6} lg={2}>
        <KpiCard
          title="Mean time to resolve"
          value={
            totals.mttrHours === null ? '—' : formatHours(totals.mttrHours)
          }
        >
          {totals.resolvedInRange} resolved in{' '}
          {props.rangeLabel.toLocaleLowerCase('en-US')}
        </KpiCard>
      </Grid>
      <Grid item xs={12} sm={6} lg={2}>
        <KpiCard
          title="Coverage"
          value={
            coverage?.monitored
              ? formatPercent(coverage.inSync / coverage.monitored)
              : '—'
          }
        >
          {coverage
            ? `${coverage.inSync} of ${coverage.monitored} monitored resources in sync`
            : 'counting monitored resources…'}
        </KpiCard>
      </Grid>
      <Grid item xs={12} sm={6} lg={2}>
        <KpiCard title="New drift" value={totals.detectedInRange}>
          detected in {props.rangeLabel.toLocaleLowerCase('en-US')}
        </KpiCard>
      </Grid>
    </Grid>
  );
};

/**
 * The Drift Dashboard: how much drift there is, how bad, how fast it is fixed, where it lives
 * and who owns it, for a time window and owner/tier/system filters kept in the URL.
 */
export const DriftDashboard = () => {
  const driftApi = useApi(driftApiRef);
  const catalogApi = useApi(catalogApiRef);
  const { range, setPreset, setCustom } = useTimeRange('30d');
  useEffect(() => {
    loadFrequencyChart();
    loadSurfaceAreaCard();
  }, []);
  const url = useUrlParams();
  const owners = url.getAll('owner');
  const tiers = url.getAll('tier');
  const systems = url.getAll('system');
  const environments = url.getAll('environment');
  const clusters = url.getAll('location');
  const filterKey = JSON.stringify([
    owners,
    tiers,
    systems,
    environments,
    clusters,
  ]);

  // The catalog feeds the owner and system filters, and the entities a system stands for;
  // one request, shared, started with the page. The dashboard works without it.
  const entitiesPromise = useMemo(
    () => loadDriftEntities(catalogApi).catch(() => undefined),
    [catalogApi],
  );
  const entities = useAsync(() => entitiesPromise, [entitiesPromise]);
  // Refetched when the backend signals that findings changed.
  const changed = useFindingsChanged();

  const data = useAsync(async () => {
    // Findings carry no system filter: a system stands for its entities.
    const systemRefs = systems.length
      ? ((await entitiesPromise)?.entities ?? [])
          .filter(e => e.system && systems.includes(e.system))
          .map(e => e.entityRef)
      : undefined;
    if (systemRefs && systemRefs.length === 0)
      return { noEntities: true as const };
    const filter = {
      owner: owners,
      tier: tiers.map(Number),
      entityRef: systemRefs,
      environment: environments,
      location: clusters,
    };
    const window = { from: range.from, to: range.to };
    // Aggregates only: what the page downloads does not grow with the findings or resources.
    const [daily, byOwner] = await Promise.all([
      driftApi.getStatistics({ ...window, ...filter, groupBy: 'day' }),
      driftApi.getStatistics({ ...window, ...filter, groupBy: 'owner' }),
    ]);
    return {
      noEntities: false as const,
      daily,
      owners: ownerRows(byOwner.groups),
    };
    // The filters are compared by value: the lists are new arrays on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [driftApi, range, filterKey, entitiesPromise, changed]);
  // The surface area has no time window and comes on its own: the figures do not wait for it.
  // On first load it is asked for once the figures are in: it counts every monitored resource,
  // and on a database of one connection (SQLite) it would otherwise queue ahead of them.
  const [figuresLoaded, setFiguresLoaded] = useState(false);
  useEffect(() => {
    if (!data.loading) setFiguresLoaded(true);
  }, [data.loading]);
  const surface = useAsync(
    async () =>
      figuresLoaded
        ? driftApi.getSurface({
            owner: owners,
            tier: tiers.map(Number),
            system: systems,
            environment: environments,
            location: clusters,
          })
        : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [driftApi, filterKey, changed, figuresLoaded],
  );
  const locations = useDriftLocations({ enabled: figuresLoaded });

  const catalog = entities.value;
  const ownerOptions = useMemo(
    () =>
      (catalog?.owners ?? []).map(o => ({
        label: humanizeRef(o, 'group'),
        value: [o],
      })),
    [catalog],
  );
  const systemOptions = useMemo(
    () =>
      (catalog?.systems ?? []).map(s => ({
        label: humanizeRef(s, 'system'),
        value: [s],
      })),
    [catalog],
  );

  return (
    <>
      <ContentHeader title="Dashboard" description="Drift across the catalog">
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          <TimeRangePicker
            range={range}
            onPreset={setPreset}
            onCustom={setCustom}
          />
          <FilterSelect
            label="Owner"
            anyLabel="All owners"
            options={ownerOptions}
            value={owners}
            onChange={value => url.set({ owner: value })}
          />
          <FilterSelect
            label="Tier"
            anyLabel="All tiers"
            options={TIERS.map(t => ({ label: `Tier ${t}`, value: [t] }))}
            value={tiers}
            onChange={value => url.set({ tier: value })}
            minWidth={110}
          />
          <FilterSelect
            label="System"
            anyLabel="All systems"
            options={systemOptions}
            value={systems}
            onChange={value => url.set({ system: value })}
          />
          {(locations.value?.environments.length ?? 0) > 0 && (
            <FilterSelect
              label="Environment"
              anyLabel="All environments"
              options={asOptions(locations.value!.environments)}
              value={environments}
              onChange={value => url.set({ environment: value })}
            />
          )}
          {(locations.value?.clusters.length ?? 0) > 1 && (
            <FilterSelect
              label="Cluster"
              anyLabel="All clusters"
              options={asOptions(locations.value!.clusters)}
              value={clusters}
              onChange={value => url.set({ location: value })}
            />
          )}
        </Box>
      </ContentHeader>
      {data.loading && !data.value && <Progress />}
      {/* A refetch (new filters, a findings signal) keeps the figures until the new ones come. */}
      {data.loading && data.value && (
        <LinearProgress aria-label="Loading the dashboard" />
      )}
      {data.error && <ResponseErrorPanel error={data.error} />}
      {data.value?.noEntities && (
        <InfoCard title="No entities">
          <Typography variant="body2">
            No scanned entity belongs to the chosen system.
          </Typography>
        </InfoCard>
      )}
      {data.value && !data.value.noEntities && (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Kpis
              statistics={data.value.daily}
              rangeLabel={range.label}
              coverage={
                surface.value && {
                  inSync: surface.value.byStatus['in-sync'] ?? 0,
                  monitored: surface.value.monitored,
                }
              }
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard
              title="Drift frequency"
              subheader={`New drift per day by severity, ${range.label.toLocaleLowerCase(
                'en-US',
              )}`}
            >
              <Suspense fallback={<Progress />}>
                <DriftFrequencyChart days={data.value.daily.groups} />
              </Suspense>
            </InfoCard>
          </Grid>
          <Grid item xs={12} xl={6}>
            {surface.error && <ResponseErrorPanel error={surface.error} />}
            {!surface.value && !surface.error && <Progress />}
            {surface.value && (
              <Suspense fallback={<Progress />}>
                <SurfaceAreaCard
                  surface={surface.value}
                  byCategory={data.value.daily.totals.byCategory}
                />
              </Suspense>
            )}
          </Grid>
          <Grid item xs={12} xl={6}>
            <OwnersCard rows={data.value.owners} rangeLabel={range.label} />
          </Grid>
          <Grid item xs={12} md={6} xl={4}>
            <RoutingCard
              window={{ from: range.from, to: range.to }}
              rangeLabel={range.label}
              filtered={owners.length + tiers.length + systems.length > 0}
              version={changed}
            />
          </Grid>
        </Grid>
      )}
    </>
  );
};
