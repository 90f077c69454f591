import type { BusyPeriod, Period } from './assistant.intents.js';
import type { LocalCalendar } from './assistant.queries.js';

// Local days are taken as 24 h from local midnight: on a daylight-saving change the evening
// and tomorrow are off by that hour.
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
// Evenings start at 17:00 local time.
const EVENING_HOUR = 17;

export function periodWindow(period: Period, calendar: LocalCalendar, at: Date): [Date, Date] {
  const day = calendar.day_start.getTime();
  switch (period) {
    case 'now':
      return [at, new Date(at.getTime() + 1)];
    case 'tonight':
      return [new Date(Math.max(day + EVENING_HOUR * HOUR, at.getTime())), new Date(day + DAY)];
    case 'tomorrow':
      return [new Date(day + DAY), new Date(day + 2 * DAY)];
    case 'this_week':
      return [at, new Date(calendar.week_start.getTime() + 7 * DAY)];
    default:
      return [at, new Date(day + DAY)];
  }
}

export function busyWindow(period: BusyPeriod, calendar: LocalCalendar, at: Date): [Date, Date] {
  const day = calendar.day_start.getTime();
  const week = calendar.week_start.getTime();
  switch (period) {
    case 'yesterday':
      return [new Date(day - DAY), new Date(day)];
    case 'this_week':
      return [new Date(week), at];
    case 'last_week':
      return [new Date(week - 7 * DAY), new Date(week)];
    default:
      return [new Date(day), at];
  }
}

/** Today at hh:mm local time, or tomorrow if that hour is already over. */
export function nextLocalTime(
  calendar: LocalCalendar,
  at: Date,
  hour: number,
  minute: number,
): Date {
  const today = calendar.day_start.getTime() + hour * HOUR + minute * 60_000;
  return new Date(today + HOUR <= at.getTime() ? today + DAY : today);
}
