/** Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** How sure a deviation of `z` standard errors is not noise: the two-sided 1 − p. */
export function twoSidedConfidence(z: number): number {
  return 2 * normalCdf(Math.abs(z)) - 1;
}

/**
 * Confidence that a true rate exceeds `threshold`, having seen `rate` over `n` trials: the
 * one-sided normal test of a proportion against the threshold.
 */
export function rateAboveConfidence(rate: number, threshold: number, n: number): number {
  if (n === 0) return 0;
  const standardError = Math.sqrt((threshold * (1 - threshold)) / n);
  return normalCdf((rate - threshold) / standardError);
}

/** One-sided two-proportion z-test that rate `before` (of nBefore) is above `after` (of nAfter). */
export function dropConfidence(
  before: { hits: number; n: number },
  after: { hits: number; n: number },
): number {
  if (before.n === 0 || after.n === 0) return 0;
  const pooled = (before.hits + after.hits) / (before.n + after.n);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n));
  if (standardError === 0) return 0;
  return normalCdf((before.hits / before.n - after.hits / after.n) / standardError);
}

export const round = (value: number, digits = 4) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
