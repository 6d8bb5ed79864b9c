import { DateTime } from 'luxon';
import { useCallback, useMemo } from 'react';
import { useUrlParams } from './useUrlParams';

/** The windows offered in time-range pickers. */
export const TIME_RANGE_PRESETS = [
  { value: '7d', days: 7, label: 'Last 7 days' },
  { value: '14d', days: 14, label: 'Last 14 days' },
  { value: '30d', days: 30, label: 'Last 30 days' },
  { value: '90d', days: 90, label: 'Last 90 days' },
] as const;

export type TimeRangePreset = (typeof TIME_RANGE_PRESETS)[number]['value'];

/** A window with both ends as ISO timestamps, and how the URL described it. */
export interface ResolvedTimeRange {
  from: string;
  to: string;
  label: string;
  /** Set for a preset window. */
  preset?: TimeRangePreset;
  /** Set for a custom window: UTC days (YYYY-MM-DD), both included. */
  fromDay?: string;
  toDay?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads `?range=14d` or `?from=2026-11-01&to=2026-11-14` (UTC days, both included, as the
 * backend groups days in UTC). Anything else falls back to the default preset.
 */
export function resolveTimeRange(
  params: { range?: string; from?: string; to?: string },
  defaultPreset: TimeRangePreset,
  now: DateTime = DateTime.utc(),
): ResolvedTimeRange {
  if (
    params.from &&
    params.to &&
    DAY.test(params.from) &&
    DAY.test(params.to)
  ) {
    const start = DateTime.fromISO(params.from, { zone: 'utc' }).startOf('day');
    const endOfDay = DateTime.fromISO(params.to, { zone: 'utc' }).endOf('day');
    const end = endOfDay < now ? endOfDay : now;
    if (start.isValid && end.isValid && start <= end) {
      return {
        from: start.toISO()!,
        to: end.toISO()!,
        label: `${start.toFormat('d LLL yyyy')} – ${endOfDay.toFormat(
          'd LLL yyyy',
        )}`,
        fromDay: params.from,
        toDay: params.to,
      };
    }
  }
  const preset =
    TIME_RANGE_PRESETS.find(p => p.value === params.range) ??
    TIME_RANGE_PRESETS.find(p => p.value === defaultPreset)!;
  return {
    from: now.minus({ days: preset.days }).toISO()!,
    to: now.toISO()!,
    label: preset.label,
    preset: preset.value,
  };
}

/** The page's time window, kept in the URL. */
export function useTimeRange(defaultPreset: TimeRangePreset) {
  const url = useUrlParams();
  const range = url.get('range');
  const from = url.get('from');
  const to = url.get('to');
  const { set } = url;

  // Presets are relative to now: recomputed when the URL changes, not on every render.
  // A preset ends at the next whole minute, as the backend's open windows do: readers within a
  // minute ask the backend the same question and get its cached answer.
  const resolved = useMemo(
    () =>
      resolveTimeRange(
        { range, from, to },
        defaultPreset,
        DateTime.utc().startOf('minute').plus({ minutes: 1 }),
      ),
    [range, from, to, defaultPreset],
  );
  const setPreset = useCallback(
    (preset: TimeRangePreset) =>
      set({ range: preset, from: undefined, to: undefined }),
    [set],
  );
  const setCustom = useCallback(
    (fromDay: string, toDay: string) =>
      set({ range: undefined, from: fromDay, to: toDay }),
    [set],
  );
  return { range: resolved, setPreset, setCustom };
}
