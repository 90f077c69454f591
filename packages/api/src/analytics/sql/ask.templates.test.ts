import { describe, expect, it } from 'vitest';
import { leastSquaresSlope } from './ask.phrasing.js';
import { commerceTerms, matchTemplate } from './ask.templates.js';

const DEFAULTS = {
  pageViewType: 'page_view',
  purchaseType: 'purchase',
  priceField: 'price',
  quantityField: 'quantity',
};
const TYPES = commerceTerms(DEFAULTS);

describe('matchTemplate', () => {
  it.each([
    [
      'Top selling products last week?',
      /product_id.*date_trunc\('week', now\(\)\) - interval '1 week'/s,
    ],
    ['hourly events in the last hour', /date_trunc\('hour', timestamp\).*interval '1 hour'/s],
    ['Is conversion trending up this month?', /with daily as.*date_trunc\('month', now\(\)\)/s],
    ['conversion rate yesterday', /with people as.*interval '1 day'/s],
    ['How much GMV this week?', /sum\(price \* coalesce\(quantity, 1\)\).*date_trunc\('week'/s],
    ['most common events today', /select type, count\(\*\) as events/],
    [
      'visitors in the past 30 days',
      /count\(distinct coalesce\(user_id, anonymous_id\)\).*'30 days'/s,
    ],
  ])('%s', (question, sql) => {
    expect(matchTemplate(question, TYPES)?.sql).toMatch(sql);
  });

  it('uses the workspace’s event types, quoted', () => {
    const types = commerceTerms({ ...DEFAULTS, pageViewType: 'view', purchaseType: "o'rder" });
    expect(matchTemplate('revenue today', types)?.sql).toContain("where type = 'o''rder' and");
    expect(matchTemplate('conversion rate', types)?.sql).toContain("filter (where type = 'view')");
  });

  it('reads revenue from the fields the workspace configured', () => {
    const terms = commerceTerms({
      ...DEFAULTS,
      priceField: 'properties.order.total',
      quantityField: 'properties.units',
    });
    expect(matchTemplate('revenue today', terms)?.sql).toContain(
      "sum((case when jsonb_typeof(properties #> '{order,total}') = 'number' then (properties #>> '{order,total}')::numeric end) * coalesce((case when jsonb_typeof(properties #> '{units}') = 'number' then (properties #>> '{units}')::numeric end), 1))",
    );
  });

  it('knows nothing of unrelated questions', () => {
    expect(matchTemplate('What is the meaning of life?', TYPES)).toBeUndefined();
  });
});

describe('leastSquaresSlope', () => {
  it('fits a line through evenly spaced points', () => {
    expect(leastSquaresSlope([0.25, 0.5])).toBeCloseTo(0.25);
    // x̄ = 1, ȳ = 2: Σ(x−x̄)(y−ȳ) = (−1)(−1) + 0·1 + 1·0 = 1 and Σ(x−x̄)² = 2, so 1 / 2.
    expect(leastSquaresSlope([1, 3, 2])).toBeCloseTo(0.5);
    expect(leastSquaresSlope([7])).toBe(0);
  });
});
