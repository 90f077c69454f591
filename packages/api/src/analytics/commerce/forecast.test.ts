import { describe, expect, it } from 'vitest';
import { backtest, fitModel, predict } from './forecast.js';

describe('forecast model', () => {
  it('fits a line exactly, with a zero-width interval on exact data', () => {
    const values = Array.from({ length: 10 }, (_, x) => 3 + 2 * x);
    const model = fitModel(values, null);
    expect(model).toMatchObject({ kind: 'linear', period: null, seasonal: null });
    expect(model.slope).toBeCloseTo(2, 12);
    expect(model.intercept).toBeCloseTo(3, 12);
    const next = predict(model, 10, 0.95);
    expect(next.value).toBeCloseTo(23, 9);
    expect(next.upper - next.lower).toBeCloseTo(0, 9);
  });

  it('recovers trend and additive seasonal indices once two seasons are there', () => {
    const pattern = [5, -5, 2, -2];
    const truth = (x: number) => 10 + 0.5 * x + (pattern[x % 4] as number);
    const values = Array.from({ length: 16 }, (_, x) => truth(x));
    const model = fitModel(values, 4);
    expect(model.kind).toBe('linear+seasonal');
    expect(model.slope).toBeCloseTo(0.5, 12);
    expect(model.intercept).toBeCloseTo(10, 12);
    model.seasonal?.forEach((index, phase) => {
      expect(index).toBeCloseTo(pattern[phase] as number, 12);
    });
    // x = 17 is phase 1: 10 + 8.5 − 5 = 13.5
    expect(predict(model, 17, 0.95).value).toBeCloseTo(13.5, 9);
    // 7 values = less than two seasons of 4: a plain line
    expect(fitModel(values.slice(0, 7), 4).kind).toBe('linear');
  });

  it('widens the interval with the residual spread and the distance from the data', () => {
    // Residuals ±1 around y = x: alternating +1, −1 over 8 points.
    const values = Array.from({ length: 8 }, (_, x) => x + (x % 2 === 0 ? 1 : -1));
    const model = fitModel(values, null);
    const near = predict(model, 8, 0.95);
    const far = predict(model, 20, 0.95);
    expect(near.upper - near.lower).toBeGreaterThan(2 * 1.96 * model.residualStddev);
    expect(far.upper - far.lower).toBeGreaterThan(near.upper - near.lower);
    // 95 % → 1.96 σ √leverage; 50 % → 0.674 σ √leverage: ratio 2.906
    const narrow = predict(model, 8, 0.5);
    expect((near.upper - near.lower) / (narrow.upper - narrow.lower)).toBeCloseTo(
      1.959964 / 0.6744898,
      5,
    );
  });

  it('back-tests by holding out the last windows', () => {
    const pattern = [5, -5, 2, -2];
    const values = Array.from({ length: 16 }, (_, x) => 10 + 0.5 * x + (pattern[x % 4] as number));
    // 12 training values (three seasons) reproduce the held-out four exactly.
    expect(backtest(values, 4, 4)).toEqual({
      holdout: 4,
      model: 'linear+seasonal',
      mae: 0,
      mape: 0,
    });
    // Training on a line 0..5 and holding out values 6, 7 that jump to 10, 11:
    // predictions 6 and 7, errors 4 and 4 → MAE 4, MAPE (40 % + 36.36 %) / 2
    const result = backtest([0, 1, 2, 3, 4, 5, 10, 11], 2, null);
    expect(result?.mae).toBeCloseTo(4, 9);
    expect(result?.mape).toBeCloseTo((40 + 400 / 11) / 2, 9);
    expect(backtest([1, 2, 3], 2, null)).toBeNull();
  });
});
