import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { useEffect, useId, useState } from 'react';
import {
  type ResolvedTimeRange,
  TIME_RANGE_PRESETS,
  type TimeRangePreset,
} from '../../hooks/useTimeRange';
import { LABEL_STYLE } from '../../utils/styles';

const CUSTOM = 'custom';

/**
 * Picks the window a page reports on: a preset ("Last 14 days") or a custom range of days.
 */
export const TimeRangePicker = (props: {
  range: ResolvedTimeRange;
  onPreset: (preset: TimeRangePreset) => void;
  onCustom: (fromDay: string, toDay: string) => void;
}) => {
  const { range, onPreset, onCustom } = props;
  const id = useId();
  const [custom, setCustom] = useState(!range.preset);
  const [fromDay, setFromDay] = useState(
    range.fromDay ?? range.from.slice(0, 10),
  );
  const [toDay, setToDay] = useState(range.toDay ?? range.to.slice(0, 10));

  useEffect(() => setCustom(!range.preset), [range.preset]);

  const applyDays = (from: string, to: string) => {
    setFromDay(from);
    setToDay(to);
    if (from && to && from <= to) onCustom(from, to);
  };

  return (
    <Box display="flex" style={{ gap: 8 }} flexWrap="wrap">
      <TextField
        id={`${id}-range`}
        select
        label="Time range"
        value={custom ? CUSTOM : range.preset}
        onChange={event => {
          const value = event.target.value;
          if (value === CUSTOM) {
            setCustom(true);
            applyDays(range.from.slice(0, 10), range.to.slice(0, 10));
          } else {
            setCustom(false);
            onPreset(value as TimeRangePreset);
          }
        }}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true, style: LABEL_STYLE }}
        variant="outlined"
        size="small"
      >
        {TIME_RANGE_PRESETS.map(preset => (
          <option key={preset.value} value={preset.value}>
            {preset.label}
          </option>
        ))}
        <option value={CUSTOM}>Custom range</option>
      </TextField>
      {custom && (
        <>
          <TextField
            id={`${id}-from`}
            type="date"
            label="From"
            value={fromDay}
            onChange={event => applyDays(event.target.value, toDay)}
            InputLabelProps={{ shrink: true, style: LABEL_STYLE }}
            variant="outlined"
            size="small"
          />
          <TextField
            id={`${id}-to`}
            type="date"
            label="To"
            value={toDay}
            error={Boolean(fromDay && toDay && fromDay > toDay)}
            helperText={
              fromDay && toDay && fromDay > toDay
                ? 'Ends before it starts'
                : undefined
            }
            onChange={event => applyDays(fromDay, event.target.value)}
            InputLabelProps={{ shrink: true, style: LABEL_STYLE }}
            variant="outlined"
            size="small"
          />
        </>
      )}
    </Box>
  );
};
