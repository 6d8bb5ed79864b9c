import type {
  DriftTrendRow,
  Severity,
  StatisticsGroup,
} from '@driftwatch/plugin-drift-common';
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
import { SECURITY_CATEGORIES, SEVERITY_COLORS } from '../../utils/severity';
import { formatDay } from '../../utils/time';
import { useLegendFormatter } from '../../utils/chartLegend';
import { ChartFigure } from '../ChartFigure';

const CATEGORY_COLORS: Record<string, string> = {
  SecurityChange: '#b71c1c',
  SecretChange: '#6a1b9a',
};

/** Daily detections per security category, every day of the window present. */
export function securityDays(days: string[], rows: DriftTrendRow[]) {
  const byDay = new Map(
    days.map(day => [
      day,
      Object.fromEntries(SECURITY_CATEGORIES.map(c => [c, 0])),
    ]),
  );
  for (const row of rows) {
    const counts = byDay.get(row.day);
    if (counts && row.category in counts) counts[row.category] += row.detected;
  }
  return days.map(day => ({ day, ...byDay.get(day)! }));
}

const total = (rows: Array<Record<string, unknown>>, key: string) =>
  rows.reduce((sum, r) => sum + (Number(r[key]) || 0), 0);

/** A per-day bar chart with one stacked bar series per key. */
const StackedDailyBars = (props: {
  summary: string;
  data: Array<Record<string, string | number>>;
  series: Array<{ key: string; color: string }>;
}) => {
  const legendFormatter = useLegendFormatter();
  return (
    <ChartFigure summary={props.summary}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={props.data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" minTickGap={16} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend formatter={legendFormatter} />
          {props.series.map(({ key, color }) => (
            <Bar
              key={key}
              dataKey={key}
              stackId="stack"
              fill={color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
};

/** Security-category drift detected per day. */
export const SecurityCategoryChart = (props: {
  days: string[];
  rows: DriftTrendRow[];
}) => {
  const data = securityDays(props.days, props.rows).map(d => ({
    ...d,
    label: formatDay(d.day),
  }));
  const summary = `Security-relevant drift detected per day over ${
    props.days.length
  } days: ${SECURITY_CATEGORIES.map(c => `${total(data, c)} ${c}`).join(
    ', ',
  )}.`;
  return (
    <StackedDailyBars
      summary={summary}
      data={data}
      series={SECURITY_CATEGORIES.map(key => ({ key, color: CATEGORY_COLORS[key] }))}
    />
  );
};

const SEVERE: Severity[] = ['high', 'critical'];

/** High and critical drift (any category) detected per day. */
export const SevereDriftChart = (props: { groups: StatisticsGroup[] }) => {
  const data = props.groups.map(g => ({
    label: formatDay(g.key),
    high: g.bySeverity?.high ?? 0,
    critical: g.bySeverity?.critical ?? 0,
  }));
  const summary = `High and critical drift detected per day over ${
    data.length
  } days: ${SEVERE.map(s => `${total(data, s)} ${s}`).join(', ')}.`;
  return (
    <StackedDailyBars
      summary={summary}
      data={data}
      series={SEVERE.map(key => ({ key, color: SEVERITY_COLORS[key] }))}
    />
  );
};
