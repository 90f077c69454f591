import { describe, expect, it } from 'vitest';
import {
  addToSketch,
  bucketValue,
  emptySketch,
  mergeInto,
  parseSketch,
  SKETCH_RELATIVE_ACCURACY,
  sketchCount,
  sketchIndex,
  sketchOf,
  sketchQuantile,
} from './sketch.js';

/** Deterministic values (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** PostgreSQL's percentile_cont. */
function percentileCont(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[Math.ceil(rank)] as number;
  return lowValue + (rank - low) * (highValue - lowValue);
}

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

describe('sketch', () => {
  it('reads every bucket back within 1% of the values it holds', () => {
    const next = random(1);
    let worst = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const value = 10 ** (next() * 24 - 12);
      const estimate = bucketValue(sketchIndex(value));
      worst = Math.max(worst, Math.abs(estimate - value) / value);
    }
    expect(worst).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-12);
    expect(worst).toBeGreaterThan(SKETCH_RELATIVE_ACCURACY * 0.9);
  });

  it.each([
    ['latencies spread over 6 orders of magnitude', (r: () => number) => 10 ** (r() * 6 - 3)],
    ['negative values', (r: () => number) => -(1 + r() * 1_000)],
    ['integers with repeats', (r: () => number) => Math.floor(r() * 20) + 1],
  ])('answers quantiles within 1%% of percentile_cont for %s', (_label, draw) => {
    const next = random(7);
    const values = Array.from({ length: 5_000 }, () => draw(next));
    const sketch = sketchOf(values);
    expect(sketchCount(sketch)).toBe(values.length);
    for (const q of QUANTILES) {
      const exact = percentileCont(values, q);
      const estimate = sketchQuantile(sketch, q) as number;
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(
        Math.abs(exact) * SKETCH_RELATIVE_ACCURACY + 1e-12,
      );
    }
  });

  it('keeps zero and signs apart and orders negatives before zero before positives', () => {
    const sketch = sketchOf([-5, -5, 0, 0, 0, 3]);
    expect(sketch.zero).toBe(3);
    expect(sketchQuantile(sketch, 0)).toBeCloseTo(-5, 1);
    expect(sketchQuantile(sketch, 0.5)).toBe(0);
    expect(sketchQuantile(sketch, 1)).toBeCloseTo(3, 1);
    // Across zero the bound is relative to the larger neighbour (here |−5|).
    const across = sketchQuantile(sketchOf([-5, 3]), 0.5) as number;
    expect(Math.abs(across - -1)).toBeLessThanOrEqual(5 * SKETCH_RELATIVE_ACCURACY);
  });

  it('merges by adding counts: the merge of parts equals the sketch of the whole, in any order', () => {
    const next = random(3);
    const values = Array.from({ length: 3_000 }, () => (next() - 0.3) * 1_000);
    const parts = [values.slice(0, 1_000), values.slice(1_000, 1_700), values.slice(1_700)];
    const forward = parts.reduce((acc, part) => mergeInto(acc, sketchOf(part)), emptySketch());
    const backward = [...parts]
      .reverse()
      .reduce((acc, part) => mergeInto(acc, sketchOf(part)), emptySketch());
    const whole = sketchOf(values);
    expect(forward).toEqual(whole);
    expect(backward).toEqual(whole);
  });

  it('survives JSON (stored as jsonb), including counts that arrive as strings', () => {
    const sketch = sketchOf([1, 2, 2, -4, 0]);
    expect(parseSketch(JSON.parse(JSON.stringify(sketch)))).toEqual(sketch);
    expect(parseSketch({ zero: '2', pos: { '3': '4' }, neg: {} })).toEqual({
      zero: 2,
      pos: { '3': 4 },
      neg: {},
    });
  });

  it('has no quantile when empty and refuses non-finite values and bad quantiles', () => {
    expect(sketchQuantile(emptySketch(), 0.5)).toBeUndefined();
    expect(() => addToSketch(emptySketch(), Number.NaN)).toThrow(RangeError);
    expect(() => sketchQuantile(sketchOf([1]), 1.5)).toThrow(RangeError);
  });
});
