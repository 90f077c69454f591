import type { ResultTable } from '../../language-model/language-model.js';
import type { Period } from './ask.periods.js';

// How the built-in templates put rows into words.

export function describeTrend(days: Array<Record<string, unknown>>, period: Period): string {
  const measured = days.filter((d) => num(d.viewers) > 0);
  const first = measured[0];
  const last = measured.at(-1);
  if (!first || !last) return `Nobody viewed a page ${period.label}.`;
  const slope = leastSquaresSlope(measured.map((d) => num(d.conversion_rate)));
  // Under 0.1 percentage point per day is noise for a daily rate.
  const direction = Math.abs(slope) < 0.001 ? 'flat' : slope > 0 ? 'rising' : 'falling';
  const perDay = `${slope >= 0 ? '+' : ''}${(slope * 100).toFixed(1)} points per day`;
  const day = (d: Record<string, unknown>) => String(d.day).slice(0, 10);
  return `Conversion rate by day ${period.label}: ${percent(first.conversion_rate)} on ${day(first)}, ${percent(last.conversion_rate)} on ${day(last)}; ${direction} (${perDay} over ${measured.length} ${plural(measured.length, 'day')}).`;
}

/** Slope of y against 0, 1, 2, … by least squares; 0 for fewer than two points. */
export function leastSquaresSlope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, v) => sum + v, 0) / n;
  let covariance = 0;
  let variance = 0;
  values.forEach((y, x) => {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  });
  return covariance / variance;
}

export function records(result: ResultTable): Array<Record<string, unknown>> {
  return result.rows.map((row) =>
    Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])),
  );
}

export const num = (value: unknown): number => Number(value ?? 0);
export const plural = (count: unknown, word: string) => (num(count) === 1 ? word : `${word}s`);
export const amount = (value: unknown) =>
  num(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const percent = (value: unknown) => `${(num(value) * 100).toFixed(1)}%`;
