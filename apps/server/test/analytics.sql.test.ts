import { createPulseClient, isPulseError } from '@pulse/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, registerOwner } from './accounts.js';
import { type AskFixture, ingest, type Shop, seedShop } from './analytics.sql.support.js';
import { rest, useTestServer } from './harness.js';

describe('analytics.query: read-only SQL over the workspace views', () => {
  // A short statement timeout keeps the timeout test quick.
  const server = useTestServer({ SQL_STATEMENT_TIMEOUT_MS: '500' });
  let shop: Shop;
  let other: Account;

  beforeAll(async () => {
    shop = await seedShop(server);
    other = await registerOwner(server, 'other-shop');
    // The other shop: one big purchase today that must never show up in shop's answers.
    await ingest(server, other, [
      { id: 'x1', type: 'purchase', userId: 'u1', productId: 'p1', price: 1000, at: shop.todayAt },
    ]);
  });

  const query = (body: unknown, account: Account = shop.owner) =>
    rest(server, 'POST', '/analytics/query', { token: account.accessToken, body });

  it('answers columns with types, rows as arrays, from this workspace only', async () => {
    const response = await query({
      sql: 'select type, count(*) as n from events group by type order by type',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // 12 events: add_to_cart 1; page_view 4 today + 4 yesterday; purchase 2 today + 1 yesterday.
    expect(response.body).toEqual({
      columns: [
        { name: 'type', type: 'text' },
        { name: 'n', type: 'bigint' },
      ],
      rows: [
        ['add_to_cart', 1],
        ['page_view', 8],
        ['purchase', 3],
      ],
      rowCount: 3,
      truncated: false,
    });
  });

  it('computes revenue and times in UTC, and reports truncation at the limit', async () => {
    // 10 × 2 + 5.5 × 1 (no quantity) today, 10 × 1 yesterday = 35.5.
    const revenue = await query({
      sql: "select sum(price * coalesce(quantity, 1)) as revenue, min(timestamp) as first from events where type = 'purchase'",
    });
    expect(revenue.body.columns).toEqual([
      { name: 'revenue', type: 'numeric' },
      { name: 'first', type: 'timestamp with time zone' },
    ]);
    expect(revenue.body.rows).toEqual([[35.5, shop.yesterdayAt.replace('.000Z', '+00:00')]]);

    const page = await query({ sql: 'select id from events order by id', limit: 2 });
    expect(page.body).toMatchObject({ rows: [['e01'], ['e02']], rowCount: 2, truncated: true });
  });

  it('never shows another workspace, even with its id guessed', async () => {
    const mine = await query({ sql: 'select count(*) as n, sum(price) as spent from events' });
    // Shop's purchases: 10 + 5.5 + 10 = 25.5 in price; the other shop's 1000 is not there.
    expect(mine.body.rows).toEqual([[12, 25.5]]);
    const theirs = await query({ sql: 'select count(*) as n from events' }, other);
    expect(theirs.body.rows).toEqual([[1]]);
    const guessed = await query({
      sql: `select count(*) from events where workspace_id = '${other.workspaceId}'`,
    });
    expect(guessed.status).toBe(400);
    expect(guessed.body.message).toMatch(/column "workspace_id" does not exist/);
  });

  const attacks: Array<[string, string, RegExp]> = [
    ['insert', "insert into events (id, type) values ('z', 'x')", /INSERT is not allowed/],
    ['update', "update events set type = 'x'", /UPDATE is not allowed/],
    ['delete', 'delete from events', /DELETE is not allowed/],
    ['ddl', 'drop table events', /Drop statement is not allowed/],
    ['create', 'create table stolen as select * from events', /not allowed/],
    ['multiple statements', 'select 1; delete from events', /only one statement/],
    ['catalog', 'select relname from pg_catalog.pg_class', /pg_catalog\.pg_class is not one/],
    ['information_schema', 'select * from information_schema.tables', /schema-qualified/],
    ['real table', 'select email, password_hash from users', /relation "users"/],
    ['read a file', "select pg_read_file('/etc/passwd')", /pg_read_file\(\) is not allowed/],
    ['copy', "copy events to '/tmp/events.csv'", /COPY is not allowed/],
    ['large objects', "select lo_import('/etc/passwd')", /lo_import\(\) is not allowed/],
    ['dblink', "select * from dblink('host=x', 'select 1') as t(a int)", /dblink/],
    ['sleep', 'select pg_sleep(60)', /pg_sleep\(\) is not allowed/],
    ['settings', "select set_config('role', 'postgres', false)", /set_config\(\) is not allowed/],
    ['settings read', "select current_setting('search_path')", /current_setting/],
    [
      'writable CTE',
      'with gone as (delete from events returning *) select * from gone',
      /DELETE inside WITH/,
    ],
    ['row locks', 'select * from events for update', /FOR UPDATE/],
    ['select into', 'select * into stolen from events', /INTO/],
    ['set', 'set statement_timeout = 0', /SET is not allowed/],
  ];

  it.each(attacks)('refuses %s with a 400 naming the problem', async (_name, text, message) => {
    const response = await query({ sql: text });
    expect(response.status).toBe(400);
    expect(response.body.data).toMatchObject({
      domainCode: 'VALIDATION_FAILED',
      issues: [{ path: 'sql' }],
    });
    expect(response.body.message).toMatch(message);
  });

  it('changed nothing after all the attempts', async () => {
    const db = server.app.pulse.database.db;
    const count = await db
      .selectFrom('events')
      .where('workspace_id', '=', shop.owner.workspaceId)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(12);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain('stolen');
  });

  it('stops a statement at the time limit with a 400', async () => {
    // Allowed functions only, but far too much work: cancelled by statement_timeout on
    // PostgreSQL, refused from its plan's cost on PGlite (which cannot cancel).
    const response = await query({
      sql: 'select count(*) as n from generate_series(1, 1000000000) as g',
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/longer than (the )?500 ms/);
  });

  it('validates its input by field', async () => {
    const empty = await query({ sql: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.data.issues[0].path).toBe('sql');
    const limit = await query({ sql: 'select 1 as one', limit: 0 });
    expect(limit.status).toBe(400);
    expect(limit.body.data.issues[0].path).toBe('limit');
  });

  it('works through the SDK, with refusals as typed errors', async () => {
    const client = createPulseClient({ url: server.url, accessToken: shop.owner.accessToken });
    const result = await client.api.analytics.query.mutate({
      sql: "select count(distinct coalesce(user_id, anonymous_id)) as people from events where type = 'page_view'",
    });
    // Viewers: u1 u2 u3 a1 today, u4 u5 u6 u7 yesterday.
    expect(result.rows).toEqual([[8]]);
    const refused = await client.api.analytics.query
      .mutate({ sql: 'select pg_sleep(1)' })
      .catch((error: unknown) => error);
    expect(isPulseError(refused, 'VALIDATION_FAILED')).toBe(true);
    await client.close();
  });
});

describe('analytics.ask with the built-in provider (no network)', () => {
  const server = useTestServer();
  let shop: Shop;

  beforeAll(async () => {
    shop = await seedShop(server);
    const other = await registerOwner(server, 'other-shop');
    await ingest(server, other, [
      { id: 'x1', type: 'purchase', userId: 'u1', productId: 'p1', price: 1000, at: shop.todayAt },
      { id: 'x2', type: 'page_view', userId: 'u9', at: shop.todayAt },
    ]);
  });

  const ask = (question: string) =>
    rest(server, 'POST', '/analytics/ask', {
      token: shop.owner.accessToken,
      body: { question },
    });

  const cases: AskFixture[] = [
    // Today: u1 bought 2 × 10, u2 bought 1 × 5.5 (no quantity).
    [
      'What was the revenue today?',
      'Revenue today: 25.50 from 2 orders by 2 buyers.',
      [[25.5, 2, 2]],
    ],
    // Yesterday: u4 bought 1 × 10.
    ['revenue yesterday', 'Revenue yesterday: 10.00 from 1 order by 1 buyer.', [[10, 1, 1]]],
    [
      'What are the top event types today?',
      'Top event types today: page_view (4), purchase (2), add_to_cart (1).',
      [
        ['page_view', 4],
        ['purchase', 2],
        ['add_to_cart', 1],
      ],
    ],
    [
      'top products today',
      'Top products by revenue today: p1 (20.00 from 1 order), p2 (5.50 from 1 order).',
      [
        ['p1', 1, 20],
        ['p2', 1, 5.5],
      ],
    ],
    // Viewers today u1 u2 u3 a1 (4), buyers u1 u2 (2): 2 / 4.
    [
      'What is the conversion rate today?',
      'Conversion rate today: 50.0% (2 of 4 viewing users purchased).',
      [[4, 2, 0.5]],
    ],
    [
      'How many active users today?',
      '4 active users today (distinct user ids, else anonymous ids, with any event).',
      [[4]],
    ],
  ];

  it.each(cases)('%s', async (question, answer, rows) => {
    const response = await ask(question);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ answer, rows, provider: 'builtin' });
    expect(response.body.sql).toMatch(/^(select|with) /);
  });

  it('describes the conversion trend by day', async () => {
    const response = await ask('How is the conversion trend over the last 7 days?');
    // Yesterday 1 of 4 viewers bought (25 %), today 2 of 4 (50 %): slope +25 points a day.
    expect(response.body.answer).toBe(
      `Conversion rate by day in the last 7 days: 25.0% on ${shop.yesterdayAt.slice(0, 10)}, 50.0% on ${shop.todayAt.slice(0, 10)}; rising (+25.0 points per day over 2 days).`,
    );
    expect(response.body.rows.map((row: unknown[]) => row.slice(1))).toEqual([
      [4, 1, 0.25],
      [4, 2, 0.5],
    ]);
  });

  it('counts events per hour', async () => {
    const response = await ask('events per hour today');
    // All 7 of today's events share one hour.
    expect(response.body.answer).toBe(
      `7 events today across 1 hour; the busiest hour was ${shop.todayAt.slice(0, 13)}:00 UTC with 7.`,
    );
  });

  it('counts the event types the workspace configured', async () => {
    const shopOwner = await registerOwner(server, 'custom-types');
    const { todayAt } = shop;
    await ingest(server, shopOwner, [
      { id: 'c1', type: 'view', userId: 'u1', at: todayAt },
      { id: 'c2', type: 'view', userId: 'u2', at: todayAt },
      { id: 'c3', type: "o'rder", userId: 'u1', price: 7, quantity: 3, at: todayAt },
      { id: 'c4', type: 'purchase', userId: 'u2', price: 100, at: todayAt },
    ]);
    const settings = await rest(server, 'PUT', '/analytics/settings', {
      token: shopOwner.accessToken,
      body: { pageViewType: 'view', purchaseType: "o'rder" },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const askAs = (question: string) =>
      rest(server, 'POST', '/analytics/ask', {
        token: shopOwner.accessToken,
        body: { question },
      });
    // Only the o'rder counts as a purchase: 7 × 3; the 'purchase' event is just another type.
    expect((await askAs('revenue today')).body.answer).toBe(
      'Revenue today: 21.00 from 1 order by 1 buyer.',
    );
    // Viewers u1 u2, buyer u1: 1 / 2.
    expect((await askAs('conversion rate today')).body.answer).toBe(
      'Conversion rate today: 50.0% (1 of 2 viewing users purchased).',
    );
  });

  it('reads revenue from the price and quantity fields the workspace configured', async () => {
    const shopOwner = await registerOwner(server, 'custom-fields');
    const { todayAt } = shop;
    await ingest(server, shopOwner, [
      // 12.5 × 2 from the properties; the columns (99 × 1) no longer count.
      {
        id: 'f1',
        type: 'purchase',
        userId: 'u1',
        price: 99,
        at: todayAt,
        properties: { order: { total: 12.5 }, units: 2 },
      },
      // No quantity property: counts once, 4 × 1.
      {
        id: 'f2',
        type: 'purchase',
        userId: 'u2',
        at: todayAt,
        properties: { order: { total: 4 } },
      },
      // A total that is not a number: no revenue, still an order.
      {
        id: 'f3',
        type: 'purchase',
        userId: 'u3',
        at: todayAt,
        properties: { order: { total: 'n/a' } },
      },
    ]);
    const settings = await rest(server, 'PUT', '/analytics/settings', {
      token: shopOwner.accessToken,
      body: { priceField: 'properties.order.total', quantityField: 'properties.units' },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const answer = await rest(server, 'POST', '/analytics/ask', {
      token: shopOwner.accessToken,
      body: { question: 'revenue today' },
    });
    expect(answer.body.answer).toBe('Revenue today: 29.00 from 3 orders by 3 buyers.');
  });

  it('answers an unknown question with what it can answer, not an error', async () => {
    const response = await ask('Why is the sky blue?');
    expect(response.status).toBe(200);
    expect(response.body.provider).toBe('builtin');
    expect(response.body.sql).toBeUndefined();
    expect(response.body.answer).toMatch(/What was the revenue yesterday\?/);
    expect(response.body.answer).toMatch(/analytics\.query/);
  });

  it('works through the SDK', async () => {
    const client = createPulseClient({ url: server.url, accessToken: shop.owner.accessToken });
    const result = await client.api.analytics.ask.mutate({ question: 'orders yesterday?' });
    expect(result.answer).toBe('Revenue yesterday: 10.00 from 1 order by 1 buyer.');
    await client.close();
  });
});
