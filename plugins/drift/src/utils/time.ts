import { DateTime, Duration } from 'luxon';

/** "3 days ago", "in 2 hours". */
export function formatRelative(
  iso: string,
  now: DateTime = DateTime.now(),
): string {
  const value = DateTime.fromISO(iso);
  if (!value.isValid) return iso;
  return value.toRelative({ base: now }) ?? value.toISO() ?? iso;
}

/** "Nov 24, 2026, 3:00 AM" in the user's locale and time zone. */
export function formatAbsolute(iso: string): string {
  const value = DateTime.fromISO(iso);
  return value.isValid ? value.toLocaleString(DateTime.DATETIME_MED) : iso;
}

/** "Nov 24, 2026" for a date. */
export function formatDate(iso: string): string {
  const value = DateTime.fromISO(iso);
  return value.isValid ? value.toLocaleString(DateTime.DATE_MED) : iso;
}

/** "24 Nov" for a UTC day key (YYYY-MM-DD) as the backend groups them. */
export function formatDay(day: string): string {
  const value = DateTime.fromISO(day, { zone: 'utc' });
  return value.isValid ? value.toFormat('d LLL') : day;
}

/** A mean time to resolve: "2 d 4 h", "5 h 30 min", "12 min". */
export function formatHours(hours: number): string {
  const duration = Duration.fromObject({
    minutes: Math.round(hours * 60),
  }).shiftTo('days', 'hours', 'minutes');
  const { days, hours: h, minutes } = duration.toObject();
  if (days) return h ? `${days} d ${h} h` : `${days} d`;
  if (h) return minutes ? `${h} h ${minutes} min` : `${h} h`;
  return `${minutes ?? 0} min`;
}

/** "82%" for a ratio in [0, 1]. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}
