import type { WorkspaceContext } from '../../auth/caller.js';
import { PulseError } from '../../errors.js';
import { rollingRobustScores, rollingZScores } from './anomalies.js';
import { backtest, fitModel, MIN_HISTORY, predict } from './forecast.js';
import type {
  AnomaliesInput,
  AnomaliesOutput,
  ForecastInput,
  ForecastOutput,
  TrendInput,
  TrendOutput,
} from './series.contract.js';
import { cachedSeriesAnswer, type LoadedSeries } from './series.js';
import { presentPoints, summarizeTrend } from './statistics.js';
import { SEASON_WINDOWS, windowAfter } from './windows.js';

const header = ({ series, kind, window, points }: LoadedSeries) => ({
  series,
  kind,
  window,
  points,
});
const valuesOf = (loaded: LoadedSeries) => loaded.points.map((point) => point.value);

/** Closed windows of a series with mean, least-squares slope per window and direction. */
export function computeTrend(ctx: WorkspaceContext, input: TrendInput): Promise<TrendOutput> {
  return cachedSeriesAnswer(ctx, input, ['trend'], (loaded) => ({
    ...header(loaded),
    summary: summarizeTrend(valuesOf(loaded)),
  }));
}

/** Rolling z-scores and robust scores of a series, and the windows they flag. */
export function detectAnomalies(
  ctx: WorkspaceContext,
  input: AnomaliesInput,
): Promise<AnomaliesOutput> {
  const { lookback, threshold, method } = input;
  return cachedSeriesAnswer(
    ctx,
    input,
    ['anomalies', lookback, threshold, method],
    (loaded): AnomaliesOutput => {
      const values = valuesOf(loaded);
      const options = { lookback, threshold };
      const classic = method === 'robust' ? [] : rollingZScores(values, options);
      const robust = method === 'zscore' ? [] : rollingRobustScores(values, options);
      const scores = loaded.points.map((point, index) => ({
        ...point,
        zscore: classic[index] ?? null,
        robust: robust[index] ?? null,
      }));
      const anomalies = scores.flatMap(({ start, value, zscore, robust }) =>
        value === null
          ? []
          : [
              ...(zscore?.anomaly
                ? [{ start, value, method: 'zscore' as const, score: zscore.score }]
                : []),
              ...(robust?.anomaly
                ? [{ start, value, method: 'robust' as const, score: robust.score }]
                : []),
            ],
      );
      return { ...header(loaded), method, lookback, threshold, scores, anomalies };
    },
  );
}

/**
 * The next `horizon` windows: least-squares trend, plus additive seasonality when the history
 * covers two seasons, with a back-test on the last `holdout` windows.
 */
export function forecastSeries(
  ctx: WorkspaceContext,
  input: ForecastInput,
): Promise<ForecastOutput> {
  const period = input.period ?? SEASON_WINDOWS[input.window];
  const holdout =
    input.holdout ?? Math.max(1, Math.min(input.horizon, Math.floor(input.limit / 4)));
  if (holdout >= input.limit) {
    throw new PulseError('VALIDATION_FAILED', 'holdout must be smaller than limit', {
      field: 'holdout',
    });
  }
  const parts = ['forecast', input.horizon, period, holdout, input.confidence];
  return cachedSeriesAnswer(ctx, input, parts, (loaded): ForecastOutput => {
    const values = valuesOf(loaded);
    const present = presentPoints(values).xs.length;
    if (present < MIN_HISTORY) {
      throw new PulseError(
        'VALIDATION_FAILED',
        `series ${loaded.series} has ${present} windows with data in the last ${input.limit}; a forecast needs at least ${MIN_HISTORY}`,
        { field: 'series' },
      );
    }
    const model = fitModel(values, period);
    const forecast = Array.from({ length: input.horizon }, (_, index) => ({
      start: windowAfter(loaded.range, index),
      ...predict(model, values.length + index, input.confidence),
    }));
    return {
      ...header(loaded),
      model: model.kind,
      period: model.period,
      trend: { intercept: model.intercept, slope: model.slope },
      seasonal: model.seasonal,
      residualStddev: model.residualStddev,
      confidence: input.confidence,
      forecast,
      backtest: backtest(values, holdout, period),
    };
  });
}
