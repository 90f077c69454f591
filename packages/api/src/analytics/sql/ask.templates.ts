import type { ResultTable } from '../../language-model/language-model.js';
import { LAST_24_HOURS, type Period, periodIn, TODAY } from './ask.periods.js';
import { amount, describeTrend, num, percent, plural, records } from './ask.phrasing.js';

export interface TemplateAnswer {
  sql: string;
  phrase(result: ResultTable): string;
}

interface Template {
  example: string;
  matches: RegExp;
  build(question: string, terms: CommerceTerms): TemplateAnswer;
}

/**
 * The workspace's commerce settings as analyst SQL: its page-view and purchase event types as
 * literals, and one event's revenue as an expression over the `events` view.
 */
export interface CommerceTerms {
  pageView: string;
  purchase: string;
  revenue: string;
}

/** A string as an SQL literal; the statement is checked by the parser like any other. */
export const sqlString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * `price` / `quantity`, or a JSON number at `properties.<path>` (anything else is null): the
 * analyst-SQL twin of the KPIs' `numericField`. Path keys are `[A-Za-z0-9_$-]` (the settings'
 * contract), so they sit in an array literal as they are.
 */
function analystNumericField(field: string): string {
  if (field === 'price' || field === 'quantity') return field;
  const path = `'{${field.split('.').slice(1).join(',')}}'`;
  return `(case when jsonb_typeof(properties #> ${path}) = 'number' then (properties #>> ${path})::numeric end)`;
}

export function commerceTerms(settings: {
  pageViewType: string;
  purchaseType: string;
  priceField: string;
  quantityField: string;
}): CommerceTerms {
  return {
    pageView: sqlString(settings.pageViewType),
    purchase: sqlString(settings.purchaseType),
    // Quantity 1 when absent, as the KPIs count it.
    revenue: `${analystNumericField(settings.priceField)} * coalesce(${analystNumericField(settings.quantityField)}, 1)`,
  };
}

// Commerce questions use the workspace's event types and revenue fields, and people are
// counted by user id, else anonymous id, as KPIs count them.
const PERSON = 'coalesce(user_id, anonymous_id)';
const LAST_7_DAYS: Period = {
  label: 'in the last 7 days',
  where: "timestamp >= now() - interval '7 days'",
};

/** Tried in order: the first whose pattern matches answers. */
const TEMPLATES: Template[] = [
  {
    example: 'What are the top products this week?',
    matches: /\bproducts?\b/,
    build: (question, terms) => {
      const period = periodIn(question, LAST_7_DAYS);
      return {
        sql: `select product_id, count(*) as orders, sum(${terms.revenue}) as revenue
from events
where type = ${terms.purchase} and product_id is not null and ${period.where}
group by product_id
order by revenue desc nulls last, product_id
limit 5`,
        phrase: (result) =>
          result.rows.length === 0
            ? `No purchases of identified products ${period.label}.`
            : `Top products by revenue ${period.label}: ${records(result)
                .map(
                  (r) =>
                    `${r.product_id} (${amount(r.revenue)} from ${r.orders} ${plural(r.orders, 'order')})`,
                )
                .join(', ')}.`,
      };
    },
  },
  {
    example: 'How many events per hour in the last 24 hours?',
    matches: /\b(per|by|each|every) hour\b|\bhourly\b/,
    build: (question) => {
      const period = periodIn(question, LAST_24_HOURS);
      return {
        sql: `select date_trunc('hour', timestamp) as hour, count(*) as events
from events
where ${period.where}
group by 1
order by 1`,
        phrase: (result) => {
          const hours = records(result);
          const busiest = [...hours].sort((a, b) => num(b.events) - num(a.events))[0];
          if (!busiest) return `No events ${period.label}.`;
          const total = hours.reduce((sum, h) => sum + num(h.events), 0);
          return `${total} ${plural(total, 'event')} ${period.label} across ${hours.length} ${plural(hours.length, 'hour')}; the busiest hour was ${String(busiest.hour).slice(0, 13)}:00 UTC with ${busiest.events}.`;
        },
      };
    },
  },
  {
    example: 'How is the conversion rate trending?',
    matches:
      /\bconver\w*\b.*\b(trend\w*|over time|daily|per day|by day|chang\w*|going)\b|\b(trend\w*)\b.*\bconver/,
    build: (question, terms) => {
      const period = periodIn(question, LAST_7_DAYS);
      return {
        sql: `with daily as (
  select date_trunc('day', timestamp) as day,
         count(distinct ${PERSON}) filter (where type = ${terms.pageView}) as viewers,
         count(distinct ${PERSON}) filter (where type = ${terms.purchase}) as buyers
  from events
  where ${period.where}
  group by 1
)
select day, viewers, buyers,
       coalesce(round(buyers::numeric / nullif(viewers, 0), 4), 0) as conversion_rate
from daily
order by day`,
        phrase: (result) => describeTrend(records(result), period),
      };
    },
  },
  {
    example: 'What is the conversion rate today?',
    matches: /\bconver\w*\b/,
    build: (question, terms) => {
      const period = periodIn(question, TODAY);
      return {
        sql: `with people as (
  select count(distinct ${PERSON}) filter (where type = ${terms.pageView}) as viewers,
         count(distinct ${PERSON}) filter (where type = ${terms.purchase}) as buyers
  from events
  where ${period.where}
)
select viewers, buyers,
       coalesce(round(buyers::numeric / nullif(viewers, 0), 4), 0) as conversion_rate
from people`,
        phrase: (result) => {
          const [row] = records(result);
          if (!row || num(row.viewers) === 0) return `Nobody viewed a page ${period.label}.`;
          return `Conversion rate ${period.label}: ${percent(row.conversion_rate)} (${row.buyers} of ${row.viewers} viewing ${plural(row.viewers, 'user')} purchased).`;
        },
      };
    },
  },
  {
    example: 'What was the revenue yesterday?',
    matches: /\b(revenue|sales|gmv|earn\w*|made|income|orders?|purchases?|sold)\b/,
    build: (question, terms) => {
      const period = periodIn(question, TODAY);
      return {
        sql: `select coalesce(sum(${terms.revenue}), 0) as revenue, count(*) as orders,
       count(distinct ${PERSON}) as buyers
from events
where type = ${terms.purchase} and ${period.where}`,
        phrase: (result) => {
          const [row = {}] = records(result);
          return `Revenue ${period.label}: ${amount(row.revenue)} from ${row.orders ?? 0} ${plural(row.orders, 'order')} by ${row.buyers ?? 0} ${plural(row.buyers, 'buyer')}.`;
        },
      };
    },
  },
  {
    example: 'What are the top event types?',
    matches:
      /\b(event types?|types? of events?|kinds? of events?|events? by type|(top|common|popular|frequent) events?)\b/,
    build: (question) => {
      const period = periodIn(question, LAST_24_HOURS);
      return {
        sql: `select type, count(*) as events
from events
where ${period.where}
group by type
order by events desc, type
limit 10`,
        phrase: (result) =>
          result.rows.length === 0
            ? `No events ${period.label}.`
            : `Top event types ${period.label}: ${records(result)
                .map((r) => `${r.type} (${r.events})`)
                .join(', ')}.`,
      };
    },
  },
  {
    example: 'How many active users today?',
    matches: /\b(active users?|users?|visitors?|people|customers?)\b/,
    build: (question) => {
      const period = periodIn(question, LAST_24_HOURS);
      return {
        sql: `select count(distinct ${PERSON}) as active_users
from events
where ${period.where}`,
        phrase: (result) => {
          const [row = {}] = records(result);
          return `${row.active_users ?? 0} active ${plural(row.active_users, 'user')} ${period.label} (distinct user ids, else anonymous ids, with any event).`;
        },
      };
    },
  },
  {
    example: 'How many events were there in the last hour?',
    matches: /\bevents?\b/,
    build: (question) => {
      const period = periodIn(question, LAST_24_HOURS);
      return {
        sql: `select count(*) as events
from events
where ${period.where}`,
        phrase: (result) => {
          const [row = {}] = records(result);
          return `${row.events ?? 0} ${plural(row.events, 'event')} ${period.label}.`;
        },
      };
    },
  },
];

export const TEMPLATE_EXAMPLES = TEMPLATES.map((t) => t.example);

export function matchTemplate(question: string, terms: CommerceTerms): TemplateAnswer | undefined {
  const normalized = question.toLowerCase().replace(/\s+/g, ' ');
  return TEMPLATES.find((t) => t.matches.test(normalized))?.build(normalized, terms);
}
