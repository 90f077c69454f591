import { describe, expect, it } from 'vitest';
import { shareAtLeast, shareAtMost } from './purchaser-sketch.js';

describe('purchaser sketch ranks', () => {
  const exact = { exact: true, values: [1, 1, 2, 5], count: 4 };

  it('counts exactly when every value is held', () => {
    expect(shareAtMost(exact, 1)).toBe(0.5); // 1, 1
    expect(shareAtMost(exact, 0)).toBe(0);
    expect(shareAtMost(exact, 5)).toBe(1);
    expect(shareAtLeast(exact, 2)).toBe(0.5); // 2, 5
    expect(shareAtLeast(exact, 1)).toBe(1);
    expect(shareAtLeast(exact, 6)).toBe(0);
  });

  it('stays within one grid step of the truth on a percentile sketch', () => {
    // 10,000 values 1…10,000 sketched at 11 points (percentile_disc at 0, 0.1, …, 1).
    const values = Array.from({ length: 11 }, (_, k) => Math.max(1, k * 1000));
    const sketch = { exact: false, values, count: 10_000 };
    // True share ≤ 2,500 is 0.25; points ≤ 2,500 are 1, 1000, 2000 → 0.2.
    expect(shareAtMost(sketch, 2500)).toBeCloseTo(0.2, 10);
    expect(shareAtMost(sketch, 10_000)).toBe(1);
    expect(shareAtMost(sketch, 0)).toBe(0);
    // True share ≥ 7,500 is 0.25; points < 7,500 are 1…7000 (8 points) → 1 − 0.7.
    expect(shareAtLeast(sketch, 7500)).toBeCloseTo(0.3, 10);
  });

  it('answers 0 for an empty distribution', () => {
    const empty = { exact: true, values: [], count: 0 };
    expect(shareAtMost(empty, 3)).toBe(0);
    expect(shareAtLeast(empty, 3)).toBe(0);
  });
});
