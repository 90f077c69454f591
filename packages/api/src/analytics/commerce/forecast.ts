import { mean, normalQuantile, presentPoints, type SeriesValues } from './statistics.js';

export type ForecastModelKind = 'linear' | 'linear+seasonal';

export interface FittedModel {
  kind: ForecastModelKind;
  /** Windows per season when seasonal, else null. */
  period: number | null;
  /** Mean level at position 0 (the average over phases when seasonal). */
  intercept: number;
  /** Change per window. */
  slope: number;
  /** Additive index per phase (position mod period), summing to 0; null when not seasonal. */
  seasonal: number[] | null;
  /** Standard deviation of the residuals, corrected for the parameters fitted. */
  residualStddev: number;
  phases: PhaseFit[];
  /** Σ (x − phase mean of x)²: how well the slope is pinned down. */
  sxx: number;
}

interface PhaseFit {
  count: number;
  xMean: number;
  /** The fitted value at x = 0 for this phase. */
  level: number;
}

export interface Prediction {
  value: number;
  lower: number;
  upper: number;
}

/** Seasonality is fitted only when the history covers at least this many whole seasons. */
export const MIN_SEASONS = 2;
/** Fewer present values than this cannot carry a trend and an error estimate. */
export const MIN_HISTORY = 3;

export function usesSeasonality(length: number, period: number | null): period is number {
  return period !== null && period >= 2 && length >= MIN_SEASONS * period;
}

/**
 * Ordinary least squares of y = slope·x + level[x mod period]: one common slope and one level
 * per phase, i.e. a linear trend plus additive seasonal indices, solved exactly (the slope
 * from the within-phase deviations, each level from its phase's means). Without seasonality
 * there is one phase and this is the plain least-squares line.
 */
export function fitModel(values: SeriesValues, period: number | null): FittedModel {
  const { xs, ys } = presentPoints(values);
  const phaseCount = usesSeasonality(values.length, period) ? period : 1;
  const groups = Array.from({ length: phaseCount }, () => ({
    xs: [] as number[],
    ys: [] as number[],
  }));
  xs.forEach((x, i) => {
    const group = groups[x % phaseCount] as { xs: number[]; ys: number[] };
    group.xs.push(x);
    group.ys.push(ys[i] as number);
  });
  let sxx = 0;
  let sxy = 0;
  const means = groups.map((group) => ({
    x: mean(group.xs),
    y: mean(group.ys),
    n: group.xs.length,
  }));
  groups.forEach((group, phase) => {
    const { x: xMean, y: yMean } = means[phase] as { x: number; y: number };
    group.xs.forEach((x, i) => {
      sxx += (x - xMean) ** 2;
      sxy += (x - xMean) * ((group.ys[i] as number) - yMean);
    });
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const fitted = means.filter((m) => m.n > 0).map((m) => m.y - slope * m.x);
  const intercept = mean(fitted);
  // A phase without data (gaps in a metric) takes the average level.
  const phases = means.map((m) => ({
    count: m.n,
    xMean: m.x,
    level: m.n > 0 ? m.y - slope * m.x : intercept,
  }));
  const seasonal = phaseCount > 1 ? phases.map((p) => p.level - intercept) : null;
  let squares = 0;
  xs.forEach((x, i) => {
    const level = (phases[x % phaseCount] as PhaseFit).level;
    squares += ((ys[i] as number) - (level + slope * x)) ** 2;
  });
  const freedom = Math.max(1, xs.length - 1 - fitted.length);
  return {
    kind: seasonal ? 'linear+seasonal' : 'linear',
    period: seasonal ? phaseCount : null,
    intercept,
    slope,
    seasonal,
    residualStddev: Math.sqrt(squares / freedom),
    phases,
    sxx,
  };
}

function phaseOf(model: FittedModel, x: number): PhaseFit {
  return model.phases[x % model.phases.length] as PhaseFit;
}

function pointEstimate(model: FittedModel, x: number): number {
  return phaseOf(model, x).level + model.slope * x;
}

/**
 * The estimate at position x with a normal prediction interval: the residual spread widened
 * for the uncertainty of the fitted level and slope at x (1 + 1/nₚ + (x − x̄ₚ)² / Sxx, the
 * exact OLS leverage for this model).
 */
export function predict(model: FittedModel, x: number, confidence: number): Prediction {
  const value = pointEstimate(model, x);
  const phase = phaseOf(model, x);
  const leverage =
    1 + 1 / Math.max(1, phase.count) + (model.sxx === 0 ? 0 : (x - phase.xMean) ** 2 / model.sxx);
  const half = normalQuantile(0.5 + confidence / 2) * model.residualStddev * Math.sqrt(leverage);
  return { value, lower: value - half, upper: value + half };
}

export interface Backtest {
  holdout: number;
  model: ForecastModelKind;
  /** Mean absolute error over the held-out windows. */
  mae: number;
  /** Mean absolute percentage error in percent, over held-out windows with a non-zero value. */
  mape: number | null;
}

/**
 * Holds out the last `holdout` windows, fits the same kind of model on the rest and compares
 * its predictions with what happened. Null when the rest is too short to fit.
 */
export function backtest(
  values: SeriesValues,
  holdout: number,
  period: number | null,
): Backtest | null {
  const train = values.slice(0, values.length - holdout);
  if (holdout < 1 || presentPoints(train).xs.length < MIN_HISTORY) return null;
  const model = fitModel(train, period);
  const errors: number[] = [];
  const percentages: number[] = [];
  for (let x = train.length; x < values.length; x += 1) {
    const actual = values[x];
    if (actual === null || actual === undefined) continue;
    const error = Math.abs(actual - pointEstimate(model, x));
    errors.push(error);
    if (actual !== 0) percentages.push((100 * error) / Math.abs(actual));
  }
  if (errors.length === 0) return null;
  return {
    holdout,
    model: model.kind,
    mae: mean(errors),
    mape: percentages.length > 0 ? mean(percentages) : null,
  };
}
