/**
 * Small pure statistics over numeric series. Positions in a series are window indices, so a
 * missing value (null: a metric without points in that window) keeps the others in place.
 */

export type SeriesValues = readonly (number | null)[];

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample standard deviation (n − 1); 0 below two values. */
export function sampleStddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const center = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - center) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const center = median(values);
  return median(values.map((value) => Math.abs(value - center)));
}

/** Makes the MAD estimate the standard deviation of normally distributed data. */
export const MAD_TO_STDDEV = 1.4826;

export interface LinearFit {
  intercept: number;
  /** Change per step of x (per window). */
  slope: number;
  n: number;
  xMean: number;
  /** Σ (x − x̄)², needed for prediction intervals. */
  sxx: number;
}

/** Ordinary least squares y = intercept + slope·x; slope 0 when x does not vary. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  const xMean = mean(xs);
  const yMean = mean(ys);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - xMean;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - yMean);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: yMean - slope * xMean, slope, n, xMean, sxx };
}

/** The present values with their positions. */
export function presentPoints(values: SeriesValues): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  values.forEach((value, index) => {
    if (value === null) return;
    xs.push(index);
    ys.push(value);
  });
  return { xs, ys };
}

/**
 * A trend is flat unless the fitted line moves by at least this share of the mean over the
 * series (|slope| × (n − 1) ≥ 5 % of |mean|).
 */
export const FLAT_TREND_THRESHOLD = 0.05;

export interface TrendSummary {
  mean: number;
  slope: number;
  /** slope × (n − 1) / |mean|: the fitted change over the series relative to its mean. */
  change: number | null;
  direction: 'up' | 'down' | 'flat';
  threshold: number;
}

export function summarizeTrend(values: SeriesValues): TrendSummary {
  const { xs, ys } = presentPoints(values);
  const fit = linearFit(xs, ys);
  const center = mean(ys);
  const span = xs.length > 1 ? (xs.at(-1) as number) - (xs[0] as number) : 0;
  const moved = fit.slope * span;
  const change = center === 0 ? null : moved / Math.abs(center);
  // With a zero mean any movement at all counts as a direction.
  const significant = change === null ? moved !== 0 : Math.abs(change) >= FLAT_TREND_THRESHOLD;
  const direction = !significant ? 'flat' : fit.slope > 0 ? 'up' : 'down';
  return { mean: center, slope: fit.slope, change, direction, threshold: FLAT_TREND_THRESHOLD };
}

const horner = (coefficients: readonly number[], x: number) =>
  coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);

// Acklam's coefficients, highest power first.
const CENTRAL_NUM = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const CENTRAL_DEN = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  1,
];
const TAIL_NUM = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const TAIL_DEN = [
  0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1,
];
const TAIL_BELOW = 0.02425;

/**
 * The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9),
 * for prediction intervals at any confidence.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  if (p < TAIL_BELOW || p > 1 - TAIL_BELOW) {
    const q = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
    const x = horner(TAIL_NUM, q) / horner(TAIL_DEN, q);
    return p < TAIL_BELOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(CENTRAL_NUM, r) * q) / horner(CENTRAL_DEN, r);
}
