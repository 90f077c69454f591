import { createHash } from 'node:crypto';
import type { AnomaliesOutput, KpisOutput, TrendOutput } from '../analytics/commerce/index.js';
import { linearFit, presentPoints } from '../analytics/commerce/index.js';
import { dropConfidence, round, twoSidedConfidence } from './confidence.js';
import type { Insight, Severity } from './insights.contract.js';

/** The same finding (kind, subject, window) keeps its id across computations. */
export function insightId(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 16);
}

/** A relative conversion drop below this is noise, not a finding. */
export const CONVERSION_DROP_MIN = 0.1;
const CONVERSION_DROP_CRITICAL = 0.3;
/** Findings also need the difference to be this likely real (one-sided test). */
export const MIN_CONFIDENCE = 0.8;

/** Average order value of the current window, else the previous one (0 without orders). */
export function averageOrderValue(kpis: KpisOutput): number {
  const window = kpis.current.orders > 0 ? kpis.current : kpis.previous;
  return window.orders > 0 ? window.gmv / window.orders : 0;
}

/**
 * The latest closed window's conversion against the one before. Revenue at risk = (previous −
 * current rate) × current page-view users × average order value: the purchases the drop cost
 * if every lost purchaser would have bought one average order.
 */
export function conversionDrop(kpis: KpisOutput): Insight | null {
  const { current, previous } = kpis;
  if (previous.conversionRate === 0) return null;
  const drop = (previous.conversionRate - current.conversionRate) / previous.conversionRate;
  if (drop < CONVERSION_DROP_MIN) return null;
  const confidence = dropConfidence(
    { hits: previous.purchaseUsers, n: previous.viewUsers },
    { hits: current.purchaseUsers, n: current.viewUsers },
  );
  if (confidence < MIN_CONFIDENCE) return null;
  const aov = averageOrderValue(kpis);
  const atRisk = (previous.conversionRate - current.conversionRate) * current.viewUsers * aov;
  const severity: Severity = drop >= CONVERSION_DROP_CRITICAL ? 'critical' : 'warning';
  return {
    id: insightId('conversion_drop', kpis.window, current.from),
    kind: 'conversion_drop',
    severity,
    title: `Conversion fell ${Math.round(drop * 100)} % (${pct(previous.conversionRate)} → ${pct(current.conversionRate)}) in the ${kpis.window} window from ${current.from}`,
    evidence: {
      window: kpis.window,
      from: current.from,
      previousConversion: round(previous.conversionRate),
      currentConversion: round(current.conversionRate),
      relativeDrop: round(drop),
      previousViewUsers: previous.viewUsers,
      previousPurchaseUsers: previous.purchaseUsers,
      viewUsers: current.viewUsers,
      purchaseUsers: current.purchaseUsers,
      averageOrderValue: round(aov, 2),
    },
    confidence: round(confidence),
    impact: {
      value: round(atRisk, 2),
      unit: 'revenue',
      basis: '(previous − current conversion) × page-view users × average order value',
    },
  };
}

const TREND_MIN_CHANGE = 0.1;
const TREND_CRITICAL_CHANGE = 0.25;

/**
 * Revenue moving by at least 10 % of its mean over the series. Confidence from the slope's
 * t statistic (normal approximation); impact = the fitted change over the next as many windows.
 */
export function revenueTrend(trend: TrendOutput): Insight | null {
  const { change, direction, slope, mean } = trend.summary;
  if (direction === 'flat' || change === null || Math.abs(change) < TREND_MIN_CHANGE) return null;
  const { xs, ys } = presentPoints(trend.points.map((point) => point.value));
  if (xs.length < 3) return null;
  const fit = linearFit(xs, ys);
  const residuals = xs.reduce(
    (sum, x, i) => sum + ((ys[i] as number) - fit.intercept - fit.slope * x) ** 2,
    0,
  );
  const standardError = Math.sqrt(residuals / (xs.length - 2) / fit.sxx);
  const confidence = standardError === 0 ? 1 : twoSidedConfidence(fit.slope / standardError);
  if (confidence < MIN_CONFIDENCE) return null;
  const severity: Severity =
    direction === 'up'
      ? 'info'
      : Math.abs(change) >= TREND_CRITICAL_CHANGE
        ? 'critical'
        : 'warning';
  const first = trend.points[0]?.start ?? '';
  return {
    id: insightId('revenue_trend', trend.window, direction, first),
    kind: 'revenue_trend',
    severity,
    title: `Revenue is trending ${direction}: ${change > 0 ? '+' : ''}${Math.round(change * 100)} % of its mean over the last ${trend.points.length} ${trend.window} windows`,
    evidence: {
      window: trend.window,
      windows: trend.points.length,
      from: first,
      mean: round(mean, 2),
      slopePerWindow: round(slope, 2),
      relativeChange: round(change),
      slopeStandardError: round(standardError, 2),
    },
    confidence: round(confidence),
    impact: {
      value: round(slope * trend.points.length, 2),
      unit: 'revenue',
      basis: 'fitted slope × windows in the series: the change per window over as long again',
    },
  };
}

const ANOMALY_CRITICAL_SCORE = 6;
/** Only anomalies in the newest windows are news. */
export const RECENT_ANOMALY_WINDOWS = 3;

/** Flagged points of the newest windows, by the robust (median/MAD) score. */
export function anomalyFindings(anomalies: AnomaliesOutput, averageOrder: number): Insight[] {
  const recent = new Set(anomalies.scores.slice(-RECENT_ANOMALY_WINDOWS).map((s) => s.start));
  return anomalies.scores.flatMap((point) => {
    const robust = point.robust;
    if (!recent.has(point.start) || !robust?.anomaly || point.value === null) return [];
    const delta = point.value - robust.median;
    const below = delta < 0;
    const score = robust.score;
    const severity: Severity = !below
      ? 'info'
      : score === null || Math.abs(score) >= ANOMALY_CRITICAL_SCORE
        ? 'critical'
        : 'warning';
    const impact = anomalyImpact(anomalies.series, delta, averageOrder);
    return [
      {
        id: insightId('anomaly', anomalies.series, anomalies.window, point.start),
        kind: 'anomaly' as const,
        severity,
        title: `${anomalies.series} ${below ? 'dropped' : 'spiked'} to ${round(point.value, 2)} in the ${anomalies.window} window from ${point.start} (typical ${round(robust.median, 2)})`,
        evidence: {
          series: anomalies.series,
          window: anomalies.window,
          start: point.start,
          value: round(point.value, 4),
          baselineMedian: round(robust.median, 4),
          baselineMad: round(robust.mad, 4),
          robustScore: score === null ? null : round(score, 2),
        },
        // A flat baseline (MAD 0) makes any deviation certain by this test.
        confidence: score === null ? 1 : round(twoSidedConfidence(score)),
        impact,
      },
    ];
  });
}

function anomalyImpact(series: string, delta: number, averageOrder: number): Insight['impact'] {
  if (series === 'revenue') {
    return { value: round(delta, 2), unit: 'revenue', basis: 'value − baseline median' };
  }
  if (series === 'orders') {
    return {
      value: round(delta * averageOrder, 2),
      unit: 'revenue',
      basis: '(orders − baseline median) × average order value',
    };
  }
  if (series === 'active_users') {
    return { value: round(delta, 2), unit: 'users', basis: 'value − baseline median' };
  }
  return null;
}

const pct = (rate: number) => `${round(rate * 100, 1)} %`;
