import { describe, expect, it } from 'vitest';
import { rollingRobustScores, rollingZScores } from './anomalies.js';
import {
  linearFit,
  mean,
  median,
  medianAbsoluteDeviation,
  normalQuantile,
  sampleStddev,
  summarizeTrend,
} from './statistics.js';

describe('descriptive statistics', () => {
  it('computes mean, sample stddev, median and MAD by the book', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    // mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32 / 7 → √4.571…
    expect(sampleStddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // median 2; |deviations| 1,1,0,0,2,4,7 → sorted 0,0,1,1,2,4,7 → 1
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('fits least-squares lines', () => {
    expect(linearFit([0, 1, 2, 3], [1, 3, 5, 7])).toMatchObject({ slope: 2, intercept: 1 });
    // x̄ = 2, ȳ = 4; Sxy = (−2)(−2) + (−1)(0) + 0·1 + 1·0 + 2·1 = 6; Sxx = 10
    const fit = linearFit([0, 1, 2, 3, 4], [2, 4, 5, 4, 5]);
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(2.8, 12);
  });

  it('calls a trend flat below 5 % of the mean over the series', () => {
    // slope 1 over 4 steps = 4, mean 102: 3.9 % → flat
    expect(summarizeTrend([100, 101, 102, 103, 104])).toMatchObject({
      slope: 1,
      mean: 102,
      direction: 'flat',
    });
    // slope 2 over 4 steps = 8, mean 104: 7.7 % → up
    const up = summarizeTrend([100, 102, 104, 106, 108]);
    expect(up).toMatchObject({ slope: 2, direction: 'up' });
    expect(up.change).toBeCloseTo(8 / 104, 12);
    expect(summarizeTrend([10, 8, 6, 4])).toMatchObject({ slope: -2, direction: 'down' });
    // Missing windows keep their place: points (1, 2) and (3, 6) → slope 2
    expect(summarizeTrend([null, 2, null, 6])).toMatchObject({ slope: 2, mean: 4, change: 1 });
    expect(summarizeTrend([0, 0, 0])).toMatchObject({ direction: 'flat', change: null });
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 6);
  });
});

describe('rolling anomaly scores', () => {
  // Alternating 10/12, a spike of 100, one normal window (11), then a second spike of 100.
  const series = [10, 12, 10, 12, 10, 12, 10, 12, 100, 11, 100];
  const options = { lookback: 8, threshold: 3 };

  it('misses the second of two close spikes with z-scores, flags both with median/MAD', () => {
    const classic = rollingZScores(series, options);
    const robust = rollingRobustScores(series, options);

    // First spike, baseline 10/12 × 4: mean 11, stddev √(8/7); z = 89 / 1.069 = 83.3
    expect(classic[8]?.mean).toBe(11);
    expect(classic[8]?.score).toBeCloseTo(89 / Math.sqrt(8 / 7), 9);
    expect(classic[8]?.anomaly).toBe(true);
    // Second spike, baseline [10,12,10,12,10,12,100,11]: mean 177/8 = 22.125,
    // Σ squared deviations 6936.875, stddev √(6936.875/7) = 31.48, z = 77.875/31.48 = 2.47
    expect(classic[10]?.mean).toBe(22.125);
    expect(classic[10]?.stddev).toBeCloseTo(Math.sqrt(6936.875 / 7), 9);
    expect(classic[10]?.score).toBeCloseTo(77.875 / Math.sqrt(6936.875 / 7), 9);
    expect(classic[10]?.anomaly).toBe(false);

    // First spike: median 11, MAD 1 → 89 / 1.4826 = 60.0
    expect(robust[8]).toMatchObject({ median: 11, mad: 1, anomaly: true });
    expect(robust[8]?.score).toBeCloseTo(89 / 1.4826, 9);
    // Second spike: sorted baseline 10,10,10,11,12,12,12,100 → median 11.5; deviations
    // 0.5×4, 1.5×3, 88.5 → MAD (0.5 + 1.5) / 2 = 1; score 88.5 / 1.4826 = 59.7
    expect(robust[10]).toMatchObject({ median: 11.5, mad: 1, anomaly: true });
    expect(robust[10]?.score).toBeCloseTo(88.5 / 1.4826, 9);
    // The normal window between them: median 12, MAD 1 → (11 − 12) / 1.4826 = −0.67
    expect(robust[9]?.anomaly).toBe(false);
    expect(robust[9]?.score).toBeCloseTo(-1 / 1.4826, 9);

    const flagged = (scores: ({ anomaly: boolean } | null)[]) =>
      scores.flatMap((s, i) => (s?.anomaly ? [i] : []));
    expect(flagged(classic)).toEqual([8]);
    expect(flagged(robust)).toEqual([8, 10]);
  });

  it('needs three earlier values, skips missing ones and treats zero spread as exact', () => {
    const scores = rollingZScores([5, null, 5, 5, 5, 6], { lookback: 10, threshold: 3 });
    expect(scores.slice(0, 4)).toEqual([null, null, null, null]);
    expect(scores[4]).toEqual({ mean: 5, stddev: 0, score: 0, anomaly: false });
    // No spread at all: the score is undefined, any deviation is flagged.
    expect(scores[5]).toEqual({ mean: 5, stddev: 0, score: null, anomaly: true });
  });

  it('falls back to the mean absolute deviation when most of the baseline is one value', () => {
    const [, , , fourth] = rollingRobustScores([10, 12, 10, 14], { lookback: 3, threshold: 3 });
    // Baseline 10, 12, 10: median 10, MAD 0; mean |deviation| 2/3 × 1.253314 = 0.835543
    expect(fourth).toMatchObject({ median: 10, mad: 0, anomaly: true });
    expect(fourth?.scale).toBeCloseTo((2 / 3) * 1.253314, 9);
    expect(fourth?.score).toBeCloseTo(4 / ((2 / 3) * 1.253314), 9);
  });
});
