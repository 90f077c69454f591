/** Window sizes of the commerce analytics, aligned to the Unix epoch (UTC). */
export const WINDOWS = ['1m', '5m', '1h', '1d'] as const;
export type AnalyticsWindow = (typeof WINDOWS)[number];

export const WINDOW_SECONDS: Record<AnalyticsWindow, number> = {
  '1m': 60,
  '5m': 300,
  '1h': 3_600,
  '1d': 86_400,
};

/** Windows per season for forecasts: a day of minutes or hours, a week of days. */
export const SEASON_WINDOWS: Record<AnalyticsWindow, number> = {
  '1m': 1_440,
  '5m': 288,
  '1h': 24,
  '1d': 7,
};

/**
 * Cached answers about closed windows change only through late events, so the TTL grows with
 * the window: a minute's figures settle fast, a day's are not worth recomputing every second.
 */
export const CACHE_TTL_SECONDS: Record<AnalyticsWindow, number> = {
  '1m': 15,
  '5m': 30,
  '1h': 120,
  '1d': 300,
};

/** `count` consecutive closed windows ending at the last window boundary at or before `at`. */
export interface WindowRange {
  window: AnalyticsWindow;
  seconds: number;
  from: Date;
  /** Exclusive: the end of the newest closed window. */
  to: Date;
  count: number;
}

export function closedWindows(window: AnalyticsWindow, count: number, at: Date): WindowRange {
  const seconds = WINDOW_SECONDS[window];
  const size = seconds * 1000;
  const to = Math.floor(at.getTime() / size) * size;
  return { window, seconds, from: new Date(to - count * size), to: new Date(to), count };
}

/** Start of every window of the range, oldest first, as ISO strings. */
export function windowStarts(range: WindowRange): string[] {
  const size = range.seconds * 1000;
  return Array.from({ length: range.count }, (_, index) =>
    new Date(range.from.getTime() + index * size).toISOString(),
  );
}

/** Start of the i-th window after the range (0: the first window not closed yet). */
export function windowAfter(range: WindowRange, index: number): string {
  return new Date(range.to.getTime() + index * range.seconds * 1000).toISOString();
}
