import { describe, expect, it } from 'vitest';
import {
  dropConfidence,
  normalCdf,
  rateAboveConfidence,
  twoSidedConfidence,
} from './confidence.js';
import { addPeriods, periodStart } from './periods.js';

describe('confidence', () => {
  it('matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
    expect(twoSidedConfidence(-1.96)).toBeCloseTo(0.95, 3);
  });

  it('tests a rate against a threshold and a drop between two proportions', () => {
    // 2 of 20 against 5 %: z = 0.05 / √(0.05 × 0.95 / 20) = 1.02598.
    expect(rateAboveConfidence(0.1, 0.05, 20)).toBeCloseTo(0.84755, 4);
    expect(rateAboveConfidence(0.1, 0.05, 0)).toBe(0);
    // 5/10 → 1/10: pooled 0.3, SE √(0.3 × 0.7 × 0.2) = 0.20494, z = 1.95180.
    expect(dropConfidence({ hits: 5, n: 10 }, { hits: 1, n: 10 })).toBeCloseTo(0.97452, 4);
    expect(dropConfidence({ hits: 0, n: 10 }, { hits: 0, n: 10 })).toBe(0);
  });
});

describe('calendar periods (UTC)', () => {
  const at = new Date('2026-11-19T15:30:00Z'); // a Thursday
  it('starts days at midnight, weeks on Monday, months on the 1st', () => {
    expect(periodStart(at, 'day').toISOString()).toBe('2026-11-19T00:00:00.000Z');
    expect(periodStart(at, 'week').toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(periodStart(new Date('2026-11-22T23:59:59Z'), 'week').toISOString()).toBe(
      '2026-11-16T00:00:00.000Z',
    );
    expect(periodStart(at, 'month').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('moves by whole periods, months of any length', () => {
    const month = periodStart(at, 'month');
    expect(addPeriods(month, 'month', -9).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(addPeriods(month, 'month', 2).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(addPeriods(periodStart(at, 'week'), 'week', -1).toISOString()).toBe(
      '2026-11-09T00:00:00.000Z',
    );
  });
});
