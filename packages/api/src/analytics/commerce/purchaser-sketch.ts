/**
 * Where one value stands in a purchaser distribution. An exact sketch holds every value sorted;
 * otherwise point k of n + 1 is percentile_disc(k / n), so the share of values ≤ x is at least
 * k / n for the largest such point: never more than 1 / n below the truth.
 */
export interface Sketch {
  exact: boolean;
  values: readonly number[];
  /** Purchasers the sketch describes. */
  count: number;
}

/** Share (0–1) of purchasers whose value is ≤ x. */
export function shareAtMost(sketch: Sketch, x: number): number {
  return shareBelow(sketch, x, (value) => value <= x);
}

/** Share (0–1) of purchasers whose value is ≥ x. */
export function shareAtLeast(sketch: Sketch, x: number): number {
  if (sketch.count === 0) return 0;
  return 1 - shareBelow(sketch, x, (value) => value < x);
}

function shareBelow(sketch: Sketch, x: number, inside: (value: number) => boolean): number {
  const { values, count } = sketch;
  if (count === 0 || values.length === 0 || Number.isNaN(x)) return 0;
  // values are sorted: find how many lie inside (≤ x or < x) by binary search.
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (inside(values[middle] as number)) low = middle + 1;
    else high = middle;
  }
  if (sketch.exact) return low / count;
  // Points 0…low−1 are inside; point k stands for the share k / (points − 1).
  return low === 0 ? 0 : (low - 1) / (values.length - 1);
}
