import {
  MAD_TO_STDDEV,
  mean,
  median,
  medianAbsoluteDeviation,
  type SeriesValues,
  sampleStddev,
} from './statistics.js';

export interface RollingOptions {
  /** How many earlier present values form a point's baseline (the point itself excluded). */
  lookback: number;
  /** |score| above this flags the point. */
  threshold: number;
}

/** Fewer earlier values than this give no baseline worth scoring against. */
export const MIN_BASELINE = 3;

/**
 * A point's deviation from its baseline in units of the baseline's spread. With no spread at
 * all the score is undefined (null): any deviation is flagged, none is not.
 */
export interface Scored {
  score: number | null;
  anomaly: boolean;
}

export interface ZScore extends Scored {
  mean: number;
  stddev: number;
}

export interface RobustScore extends Scored {
  median: number;
  /** Unscaled median absolute deviation. */
  mad: number;
  /** What the score divides by: 1.4826 × mad, or 1.2533 × mean absolute deviation when mad is 0. */
  scale: number;
}

/** Makes the mean absolute deviation estimate the standard deviation of normal data. */
const MEAN_AD_TO_STDDEV = 1.253314;

function score(deviation: number, spread: number, threshold: number): Scored {
  if (spread === 0) return { score: deviation === 0 ? 0 : null, anomaly: deviation !== 0 };
  const value = deviation / spread;
  return { score: value, anomaly: Math.abs(value) > threshold };
}

/** The present values before each position, at most `lookback` of them, oldest first. */
function baselines(values: SeriesValues, lookback: number): (number[] | null)[] {
  const seen: number[] = [];
  return values.map((value) => {
    const baseline = seen.length >= MIN_BASELINE ? seen.slice(-lookback) : null;
    if (value !== null) seen.push(value);
    return value === null ? null : baseline;
  });
}

/**
 * Classic rolling z-scores: (x − mean) / sample stddev of the trailing window. One spike
 * inflates the stddev of every window that contains it, which can hide the next spike.
 */
export function rollingZScores(values: SeriesValues, options: RollingOptions): (ZScore | null)[] {
  return baselines(values, options.lookback).map((baseline, index) => {
    if (!baseline) return null;
    const center = mean(baseline);
    const stddev = sampleStddev(baseline);
    const deviation = (values[index] as number) - center;
    return { mean: center, stddev, ...score(deviation, stddev, options.threshold) };
  });
}

/**
 * Robust rolling scores: (x − median) / (1.4826 × MAD) of the trailing window. A spike moves
 * neither the median nor the MAD much, so the next spike still stands out. When more than half
 * the baseline sits on one value the MAD is 0, and the mean absolute deviation from the median
 * (× 1.2533) takes its place, as in the usual modified z-score.
 */
export function rollingRobustScores(
  values: SeriesValues,
  options: RollingOptions,
): (RobustScore | null)[] {
  return baselines(values, options.lookback).map((baseline, index) => {
    if (!baseline) return null;
    const center = median(baseline);
    const mad = medianAbsoluteDeviation(baseline);
    const scale =
      mad > 0
        ? MAD_TO_STDDEV * mad
        : MEAN_AD_TO_STDDEV * mean(baseline.map((value) => Math.abs(value - center)));
    const deviation = (values[index] as number) - center;
    return { median: center, mad, scale, ...score(deviation, scale, options.threshold) };
  });
}
