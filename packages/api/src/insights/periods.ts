/** Calendar periods in UTC: days from midnight, ISO weeks from Monday, months from the 1st. */
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

const DAY_MS = 86_400_000;

export function periodStart(at: Date, period: Period): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (period === 'day') return new Date(day);
  if (period === 'week') {
    const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
    return new Date(day - sinceMonday * DAY_MS);
  }
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** `start` moved by `count` periods (negative: back); `start` must be a period start. */
export function addPeriods(start: Date, period: Period, count: number): Date {
  if (period === 'day') return new Date(start.getTime() + count * DAY_MS);
  if (period === 'week') return new Date(start.getTime() + count * 7 * DAY_MS);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
}
