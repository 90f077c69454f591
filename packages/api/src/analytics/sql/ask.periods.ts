/**
 * Time ranges a question can name, as SQL over `now()` (the sandbox runs in UTC), so the
 * statement shown to the user says exactly which rows were counted.
 */
export interface Period {
  /** How the answer names it: "today", "in the last 7 days"… */
  label: string;
  /** A condition on `timestamp`, for the events view. */
  where: string;
}

const DAY = "date_trunc('day', now())";

const PERIODS: Array<{ pattern: RegExp; period: Period }> = [
  {
    pattern: /\byesterday\b/,
    period: {
      label: 'yesterday',
      where: `timestamp >= ${DAY} - interval '1 day' and timestamp < ${DAY}`,
    },
  },
  {
    pattern: /\blast week\b/,
    period: {
      label: 'last week',
      where: `timestamp >= date_trunc('week', now()) - interval '1 week' and timestamp < date_trunc('week', now())`,
    },
  },
  {
    pattern: /\bthis week\b|\bweek to date\b/,
    period: { label: 'this week', where: "timestamp >= date_trunc('week', now())" },
  },
  {
    pattern: /\bthis month\b|\bmonth to date\b/,
    period: { label: 'this month', where: "timestamp >= date_trunc('month', now())" },
  },
  {
    pattern: /\b(last|past) 7 days\b|\b(last|past) seven days\b/,
    period: { label: 'in the last 7 days', where: "timestamp >= now() - interval '7 days'" },
  },
  {
    pattern: /\b(last|past) 30 days\b/,
    period: { label: 'in the last 30 days', where: "timestamp >= now() - interval '30 days'" },
  },
  {
    pattern: /\b(last|past) (24 hours|day)\b/,
    period: { label: 'in the last 24 hours', where: "timestamp >= now() - interval '24 hours'" },
  },
  {
    pattern: /\b(last|past) hour\b/,
    period: { label: 'in the last hour', where: "timestamp >= now() - interval '1 hour'" },
  },
  {
    pattern: /\btoday\b/,
    period: { label: 'today', where: `timestamp >= ${DAY}` },
  },
];

export const TODAY = PERIODS.find((p) => p.period.label === 'today')?.period as Period;
export const LAST_24_HOURS = PERIODS.find((p) => p.period.label === 'in the last 24 hours')
  ?.period as Period;

/** The period a question names, else `fallback`. */
export function periodIn(question: string, fallback: Period): Period {
  return PERIODS.find((p) => p.pattern.test(question))?.period ?? fallback;
}
