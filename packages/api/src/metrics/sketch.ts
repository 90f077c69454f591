/**
 * A mergeable quantile sketch in the style of DDSketch (Masson, Rim & Lee, VLDB 2019).
 *
 * Accuracy: every non-zero value x is counted in the log bucket i = ceil(log_γ |x|), which
 * covers (γ^(i-1), γ^i] with γ = (1 + α) / (1 − α) and α = 1 %. A bucket is read back as
 * 2γ^i / (γ + 1), which is within α of every value it covers, so any order statistic read
 * from the sketch is within 1 % (relative) of the true one. Quantiles interpolate between two
 * order statistics like PostgreSQL's `percentile_cont`, so they stay within 1 % of it when the
 * two neighbours share a sign; across zero the error is at most 1 % of the larger neighbour.
 * Zero has a bucket of its own and negative values mirror positive ones, so the whole double
 * range is covered; the maps are sparse (one key per occupied bucket, ≈ 2,400 keys at most
 * for values spanning 1e-9 … 1e12).
 *
 * Merging is adding counts bucket by bucket, so minute sketches add up to exact hour sketches
 * and the result does not depend on merge order. The SQL in metrics.queries.ts builds the same
 * buckets from `SKETCH_LN_GAMMA`; values exactly on a bucket edge may land one bucket apart
 * between JavaScript's and PostgreSQL's `ln`, which stays inside the same accuracy bound.
 */

export const SKETCH_RELATIVE_ACCURACY = 0.01;
export const SKETCH_GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
export const SKETCH_LN_GAMMA = Math.log(SKETCH_GAMMA);

/** JSON form, stored in `metric_rollups.sketch`: `{[bucketIndex]: count}` per sign. */
export interface Sketch {
  zero: number;
  pos: Record<string, number>;
  neg: Record<string, number>;
}

export function emptySketch(): Sketch {
  return { zero: 0, pos: {}, neg: {} };
}

/** The bucket of a non-zero magnitude. */
export function sketchIndex(magnitude: number): number {
  return Math.ceil(Math.log(magnitude) / SKETCH_LN_GAMMA);
}

/** The value a bucket stands for (positive side). */
export function bucketValue(index: number): number {
  return (2 * SKETCH_GAMMA ** index) / (SKETCH_GAMMA + 1);
}

export function addToSketch(sketch: Sketch, value: number, count = 1): Sketch {
  if (!Number.isFinite(value)) throw new RangeError(`Sketch values must be finite, got ${value}`);
  if (value === 0) {
    sketch.zero += count;
    return sketch;
  }
  const side = value > 0 ? sketch.pos : sketch.neg;
  const key = String(sketchIndex(Math.abs(value)));
  side[key] = (side[key] ?? 0) + count;
  return sketch;
}

export function sketchOf(values: Iterable<number>): Sketch {
  const sketch = emptySketch();
  for (const value of values) addToSketch(sketch, value);
  return sketch;
}

/** Adds `source` into `target` (and returns it). */
export function mergeInto(target: Sketch, source: Sketch): Sketch {
  target.zero += source.zero;
  for (const side of ['pos', 'neg'] as const) {
    for (const [key, count] of Object.entries(source[side])) {
      target[side][key] = (target[side][key] ?? 0) + count;
    }
  }
  return target;
}

export function sketchCount(sketch: Sketch): number {
  let total = sketch.zero;
  for (const count of Object.values(sketch.pos)) total += count;
  for (const count of Object.values(sketch.neg)) total += count;
  return total;
}

/** Reads a sketch from storage (jsonb arrives parsed; counts may arrive as strings). */
export function parseSketch(stored: unknown): Sketch {
  const object = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Partial<Sketch>;
  const side = (map: unknown) =>
    Object.fromEntries(
      Object.entries((map ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Number(v)]),
    );
  return { zero: Number(object?.zero ?? 0), pos: side(object?.pos), neg: side(object?.neg) };
}

/**
 * The q-quantile (0 ≤ q ≤ 1) with `percentile_cont`'s definition: rank q·(n − 1), linear
 * interpolation between the neighbouring order statistics. Undefined for an empty sketch.
 */
export function sketchQuantile(sketch: Sketch, q: number): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`Quantile must be within [0, 1], got ${q}`);
  const ordered = orderedBuckets(sketch);
  const n = ordered.reduce((sum, bucket) => sum + bucket.count, 0);
  if (n === 0) return undefined;
  const rank = q * (n - 1);
  const below = Math.floor(rank);
  const fraction = rank - below;
  const low = valueAtRank(ordered, below);
  if (fraction === 0) return low;
  return low + fraction * (valueAtRank(ordered, below + 1) - low);
}

interface OrderedBucket {
  value: number;
  count: number;
}

/** Smallest value first: large negative magnitudes, then zero, then positives. */
function orderedBuckets(sketch: Sketch): OrderedBucket[] {
  const side = (map: Record<string, number>, sign: 1 | -1) =>
    Object.entries(map)
      .filter(([, count]) => count > 0)
      .map(([key, count]) => ({ index: Number(key), count }))
      .sort((a, b) => sign * (a.index - b.index))
      .map(({ index, count }) => ({ value: sign * bucketValue(index), count }));
  return [
    ...side(sketch.neg, -1),
    ...(sketch.zero > 0 ? [{ value: 0, count: sketch.zero }] : []),
    ...side(sketch.pos, 1),
  ];
}

function valueAtRank(ordered: readonly OrderedBucket[], rank: number): number {
  let seen = 0;
  for (const bucket of ordered) {
    seen += bucket.count;
    if (rank < seen) return bucket.value;
  }
  // Only reachable through rounding of q·(n − 1) at q = 1: the largest bucket.
  return ordered.at(-1)?.value ?? 0;
}
