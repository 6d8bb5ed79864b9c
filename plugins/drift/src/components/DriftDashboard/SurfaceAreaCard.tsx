import { InfoCard } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import type {
  ResourceStatus,
  SurfaceArea,
  SurfaceGroup,
} from '@driftwatch/plugin-drift-common';
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { humanizeRef } from '../../utils/refs';
import { useLegendFormatter } from '../../utils/chartLegend';
import { ChartFigure } from '../ChartFigure';

type Dimension = 'provider' | 'kind' | 'system' | 'category';

const DIMENSIONS: Array<{ value: Dimension; label: string }> = [
  { value: 'provider', label: 'Provider' },
  { value: 'kind', label: 'Kind' },
  { value: 'system', label: 'System' },
  { value: 'category', label: 'Category' },
];

const STATUS_COLORS: Record<ResourceStatus, string> = {
  drifted: '#b71c1c',
  missing: '#6a1b9a',
  extra: '#ef6c00',
  unknown: '#757575',
  'in-sync': '#2e7d32',
};

const STACK: ResourceStatus[] = [
  'in-sync',
  'unknown',
  'extra',
  'missing',
  'drifted',
];

interface ResourceRow {
  key: string;
  total: number;
  counts: Partial<Record<ResourceStatus, number>>;
}

const rowsOf = (
  groups: SurfaceGroup[],
  label: (key: string | null) => string,
): ResourceRow[] =>
  groups.map(g => ({ key: label(g.key), total: g.total, counts: g.byStatus }));

const notInSync = (row: ResourceRow) =>
  row.total - (row.counts['in-sync'] ?? 0);

const ResourceChart = (props: { rows: ResourceRow[]; dimension: string }) => {
  const legendFormatter = useLegendFormatter();
  const { rows, dimension } = props;
  const summary = `Monitored resources by ${dimension}: ${rows
    .map(r => `${r.key} ${r.total} (${notInSync(r)} not in sync)`)
    .join(', ')}.`;
  return (
    <ChartFigure
      summary={summary}
      height={Math.max(160, 40 * rows.length + 60)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          layout="vertical"
          data={rows.map(r => ({ key: r.key, ...r.counts }))}
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="key" width={140} />
          <Tooltip />
          <Legend formatter={legendFormatter} />
          {STACK.map(status => (
            <Bar
              key={status}
              dataKey={status}
              name={status === 'in-sync' ? 'in sync' : status}
              stackId="status"
              fill={STATUS_COLORS[status]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
};

const CategoryChart = (props: { byCategory: Record<string, number> }) => {
  const rows = Object.entries(props.byCategory)
    .map(([category, open]) => ({ category, open }))
    .sort((a, b) => b.open - a.open || a.category.localeCompare(b.category));
  if (rows.length === 0) {
    return (
      <Typography variant="body2">
        No unresolved drift in any category.
      </Typography>
    );
  }
  const summary = `Unresolved drift by category: ${rows
    .map(r => `${r.category} ${r.open}`)
    .join(', ')}.`;
  return (
    <ChartFigure
      summary={summary}
      height={Math.max(160, 36 * rows.length + 40)}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          layout="vertical"
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="category" width={160} />
          <Tooltip />
          <Bar
            dataKey="open"
            name="unresolved findings"
            fill="#b71c1c"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
};

/**
 * Where drift lives: the monitored resources by provider, kind and system with how many are
 * not in sync (counted by the backend), and unresolved drift by category.
 */
export const SurfaceAreaCard = (props: {
  surface: SurfaceArea;
  byCategory: Record<string, number>;
}) => {
  const { surface, byCategory } = props;
  const [dimension, setDimension] = useState<Dimension>('provider');
  const labelOf: Record<
    Exclude<Dimension, 'category'>,
    (key: string | null) => string
  > = {
    provider: key => key ?? '',
    kind: key => key ?? '',
    system: key => (key ? humanizeRef(key, 'system') : 'no system'),
  };
  const label = DIMENSIONS.find(d => d.value === dimension)!.label;

  return (
    <InfoCard
      title="Surface area"
      subheader={
        dimension === 'category'
          ? 'Unresolved drift by category'
          : `Monitored resources by ${label.toLocaleLowerCase(
              'en-US',
            )} and status`
      }
    >
      <Tabs
        value={dimension}
        onChange={(_, value) => setDimension(value)}
        indicatorColor="primary"
        aria-label="Group the surface area by"
      >
        {DIMENSIONS.map(d => (
          <Tab key={d.value} value={d.value} label={d.label} />
        ))}
      </Tabs>
      {dimension === 'category' && <CategoryChart byCategory={byCategory} />}
      {dimension !== 'category' && surface.monitored === 0 && (
        <Typography variant="body2">
          No monitored resources match the filters.
        </Typography>
      )}
      {dimension !== 'category' && surface.monitored > 0 && (
        <ResourceChart
          rows={rowsOf(surface[dimension], labelOf[dimension])}
          dimension={dimension}
        />
      )}
    </InfoCard>
  );
};
