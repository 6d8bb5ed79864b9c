import type {
  Severity,
  StatisticsGroup,
} from '@driftwatch/plugin-drift-common';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { SEVERITIES_DESC, SEVERITY_COLORS } from '../../utils/severity';
import { formatDay } from '../../utils/time';
import { useLegendFormatter } from '../../utils/chartLegend';
import { ChartFigure } from '../ChartFigure';

/** What the chart says, for people who cannot see it. */
export function summarizeFrequency(days: StatisticsGroup[]): string {
  if (days.length === 0)
    return 'Drift detected per day: no days in the window.';
  const total = days.reduce((sum, d) => sum + d.detected, 0);
  const peak = days.reduce(
    (best, d) => (d.detected > best.detected ? d : best),
    days[0],
  );
  const bySeverity = SEVERITIES_DESC.map(
    s => `${days.reduce((sum, d) => sum + (d.bySeverity?.[s] ?? 0), 0)} ${s}`,
  ).join(', ');
  const last = days[days.length - 1];
  const peakText = total
    ? `, at most ${peak.detected} on ${formatDay(peak.key)}`
    : '';
  return `Drift detected per day from ${formatDay(days[0].key)} to ${formatDay(
    last.key,
  )}, stacked by severity: ${total} detected (${bySeverity})${peakText}; ${
    last.active
  } unresolved at the end of ${formatDay(last.key)}.`;
}

/** New drift per day stacked by severity, with the unresolved backlog at each day's end. */
export const DriftFrequencyChart = (props: { days: StatisticsGroup[] }) => {
  const legendFormatter = useLegendFormatter();
  const rows = props.days.map(d => ({
    day: formatDay(d.key),
    unresolved: d.active,
    ...Object.fromEntries(
      SEVERITIES_DESC.map(s => [s, d.bySeverity?.[s] ?? 0]),
    ),
  }));
  // Least severe at the bottom of each stack, so the worst sits on top where it is seen.
  const stackOrder: Severity[] = [...SEVERITIES_DESC].reverse();
  return (
    <ChartFigure summary={summarizeFrequency(props.days)} height={300}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend formatter={legendFormatter} />
          {stackOrder.map(severity => (
            <Bar
              key={severity}
              dataKey={severity}
              name={`detected: ${severity}`}
              stackId="detected"
              fill={SEVERITY_COLORS[severity]}
              isAnimationActive={false}
            />
          ))}
          <Line
            type="linear"
            dataKey="unresolved"
            name="unresolved at day end"
            stroke="#1565c0"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
};
