import type { DataQualityOutput } from '../analytics/health/data-quality.contract.js';
import type { LatencyOutput } from '../analytics/health/latency.contract.js';
import { insightId, MIN_CONFIDENCE } from './commerce-findings.js';
import { rateAboveConfidence, round } from './confidence.js';
import type { Insight, Severity } from './insights.contract.js';

/** A rate problem: warning above `warning`, critical above `critical`. */
interface RateRule {
  subject: string;
  title: (rate: number) => string;
  warning: number;
  critical: number;
}

const percent = (rate: number) => `${round(rate * 100, 1)} %`;

function rateFinding(
  rule: RateRule,
  observed: { count: number; n: number },
  evidence: Insight['evidence'],
  impact: Insight['impact'],
): Insight | null {
  if (observed.n === 0) return null;
  const rate = observed.count / observed.n;
  if (rate <= rule.warning) return null;
  const confidence = rateAboveConfidence(rate, rule.warning, observed.n);
  if (confidence < MIN_CONFIDENCE) return null;
  const severity: Severity = rate > rule.critical ? 'critical' : 'warning';
  return {
    id: insightId('data_quality', rule.subject),
    kind: 'data_quality',
    severity,
    title: rule.title(rate),
    evidence: {
      ...evidence,
      rate: round(rate),
      threshold: rule.warning,
      count: observed.count,
      of: observed.n,
    },
    confidence: round(confidence),
    impact,
  };
}

const eventsImpact = (value: number, basis: string): Insight['impact'] => ({
  value: round(value, 2),
  unit: 'events',
  basis,
});

/** Data-quality problems of the report's range, each against a documented threshold. */
export function dataQualityFindings(report: DataQualityOutput): Insight[] {
  const n = report.events;
  const range = { from: report.from, to: report.to };
  const { consistency } = report;
  const sent = consistency.accepted + consistency.duplicates + consistency.rejected;
  const findings: (Insight | null)[] = [
    rateFinding(
      {
        subject: 'missing_identity',
        title: (rate) => `${percent(rate)} of events carry neither a user id nor an anonymous id`,
        warning: 0.05,
        critical: 0.2,
      },
      { count: report.completeness.missingIdentity.count, n },
      range,
      eventsImpact(report.completeness.missingIdentity.count, 'events nobody can be attributed to'),
    ),
    rateFinding(
      {
        subject: 'invalid_values',
        title: (rate) =>
          `${percent(rate)} of events are invalid (bad price or quantity, future timestamp or undeclared type)`,
        warning: 0.01,
        critical: 0.1,
      },
      { count: report.validity.invalidEvents.count, n },
      {
        ...range,
        negativePrice: report.validity.negativePrice,
        absurdPrice: report.validity.absurdPrice,
        negativeQuantity: report.validity.negativeQuantity,
        absurdQuantity: report.validity.absurdQuantity,
        futureTimestamps: report.validity.futureTimestamps,
        unknownTypes: report.validity.unknownTypes.count,
      },
      eventsImpact(report.validity.invalidEvents.count, 'events failing a validity check'),
    ),
    rateFinding(
      {
        subject: 'duplicates',
        title: (rate) => `${percent(rate)} of ingested events were duplicates (clients resending)`,
        warning: 0.05,
        critical: 0.25,
      },
      { count: consistency.duplicates, n: sent },
      range,
      eventsImpact(consistency.duplicates, 'duplicate events dropped by ingestion'),
    ),
    rateFinding(
      {
        subject: 'rejected',
        title: (rate) => `${percent(rate)} of events sent were rejected by validation`,
        warning: 0.02,
        critical: 0.1,
      },
      { count: consistency.rejected, n: sent },
      range,
      eventsImpact(consistency.rejected, 'events lost to validation'),
    ),
    ...report.schemaCompliance.schemas.map((schema) => {
      const top = schema.topViolations[0];
      return rateFinding(
        {
          subject: `schema:${schema.type}`,
          title: (rate) =>
            `${percent(rate)} of checked "${schema.type}" events break schema v${schema.version}${top ? ` (most often ${top.path}: ${top.reason})` : ''}`,
          warning: 0.05,
          critical: 0.2,
        },
        { count: schema.checked - schema.compliant, n: schema.checked },
        {
          ...range,
          type: schema.type,
          version: schema.version,
          events: schema.events,
          checked: schema.checked,
          topViolation: top ? `${top.path}: ${top.reason}` : null,
        },
        eventsImpact(
          ((schema.checked - schema.compliant) / Math.max(1, schema.checked)) * schema.events,
          'non-compliant share of the checked events × events of the type',
        ),
      );
    }),
  ];
  return findings.filter((finding): finding is Insight => finding !== null);
}

/** Ingestion lag of the last hour in the warning or critical band. */
export function slowIngestionFinding(latency: LatencyOutput): Insight | null {
  const { overall } = latency;
  if (overall.status !== 'warning' && overall.status !== 'critical') return null;
  const active = latency.series.filter((minute) => minute.events > 0);
  const slow = active.filter((m) => m.status === 'warning' || m.status === 'critical');
  return {
    id: insightId('slow_ingestion'),
    kind: 'slow_ingestion',
    severity: overall.status,
    title: `Ingestion is slow: p95 lag ${round(overall.p95Seconds ?? 0, 1)} s over the last ${latency.minutes} minutes (${overall.status})`,
    evidence: {
      from: latency.from,
      to: latency.to,
      events: overall.events,
      p50Seconds: overall.p50Seconds,
      p95Seconds: overall.p95Seconds,
      maxSeconds: overall.maxSeconds,
      slowMinutes: slow.length,
      activeMinutes: active.length,
    },
    // Sustained, not a blip: the share of minutes with events that were slow themselves.
    confidence: active.length === 0 ? 0 : round(slow.length / active.length),
    impact: {
      value: slow.length,
      unit: 'minutes',
      basis: 'minutes whose own p95 lag was warning or worse',
    },
  };
}
