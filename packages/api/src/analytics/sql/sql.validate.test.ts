import { describe, expect, it } from 'vitest';
import { validateAnalystSql } from './sql.validate.js';

const views = new Set(['events', 'metric_points', 'event_rollups']);
const check = (text: string) => validateAnalystSql(text, views);
const refused = async (text: string, message: RegExp) => {
  await expect(check(text)).rejects.toMatchObject({
    domainCode: 'VALIDATION_FAILED',
    issues: [{ path: 'sql', message: expect.stringMatching(message) }],
  });
};

describe('validateAnalystSql accepts analysts’ reads', () => {
  it.each([
    'select type, count(*) from events group by type order by 2 desc',
    "select date_trunc('hour', timestamp) as hour, sum(price * coalesce(quantity, 1)) from events where type = 'purchase' group by 1",
    'with daily as (select timestamp::date as day, count(*) as n from events group by 1) select day, n, avg(n) over (order by day rows 6 preceding) from daily',
    "select extract(hour from timestamp at time zone 'UTC') as h, count(distinct user_id) filter (where type = 'page_view') from events group by 1",
    "select properties ->> 'plan' as plan, count(*) from events where properties ? 'plan' group by 1",
    'select e.type from events e join event_rollups r on r.type = e.type where exists (select 1 from metric_points m where m.name = e.type) union all select type from event_rollups',
    "select g.minute, count(e.id) from generate_series(now() - interval '1 hour', now(), interval '1 minute') as g(minute) left join events e on date_trunc('minute', e.timestamp) = g.minute group by 1",
    'select x.a from jsonb_to_record(\'{"a": 1}\'::jsonb) as x(a int)',
    'select current_date, now(), percentile_cont(0.5) within group (order by price) from events',
    'select 1;',
  ])('%s', async (text) => {
    await expect(check(text)).resolves.toBe(text.replace(/;$/, ''));
  });

  it('answers only the statement, without the trailing semicolon and comment', async () => {
    await expect(check('select 1 ; -- done')).resolves.toBe('select 1');
  });
});

describe('validateAnalystSql refuses', () => {
  it.each([
    ['insert into events (id) values (1)', /INSERT is not allowed/],
    ["update events set type = 'x'", /UPDATE is not allowed/],
    ['delete from events', /DELETE is not allowed/],
    ['drop table events', /a Drop statement is not allowed/],
    ['create table t (a int)', /a Create statement is not allowed/],
    ['truncate events', /a Truncate statement is not allowed/],
    ['select 1; select 2', /only one statement is allowed; found 2/],
    ['select 1; delete from events', /only one statement/],
    [';', /no statement found/],
    ['  ', /cannot be empty/],
    ['selec 1', /syntax error/],
    [
      'select * from pg_catalog.pg_class',
      /pg_catalog\.pg_class is not one of the documented views/,
    ],
    ['select * from pg_class', /relation "pg_class" is not one of the documented views/],
    ['select * from information_schema.tables', /schema-qualified names are not allowed/],
    ['select * from public.events', /schema-qualified/],
    ['select * from users', /relation "users"/],
    ['select (select count(*) from api_keys)', /relation "api_keys"/],
    ['select pg_sleep(60)', /function pg_sleep\(\) is not allowed/],
    ["select pg_read_file('/etc/passwd')", /pg_read_file/],
    ["select lo_import('/etc/passwd')", /lo_import/],
    ["select * from dblink('host=x', 'select 1') as t(a int)", /dblink/],
    ["select set_config('role', 'postgres', false)", /set_config/],
    ["select current_setting('search_path')", /current_setting/],
    ['select pg_catalog.pg_sleep(1)', /pg_catalog\.pg_sleep/],
    ['select public.count(*) from events', /public\.count/],
    ["copy events to '/tmp/x'", /COPY is not allowed/],
    ["copy (select 1) to program 'id'", /COPY/],
    ['select * from events for update', /FOR UPDATE/],
    ['select * from events for share', /FOR UPDATE/],
    ['select * into stolen from events', /INTO/],
    ['with gone as (delete from events returning *) select * from gone', /DELETE inside WITH/],
    [
      'with recursive t(n) as (select 1 union all select n + 1 from t) select * from t',
      /RECURSIVE/,
    ],
    ["select 'pg_class'::regclass", /type regclass is not allowed/],
    ['select current_user', /CURRENT_USER is not allowed/],
    ['select $1', /parameter placeholder/],
    ['set role postgres', /SET is not allowed/],
    ['begin', /transaction command/],
    ['explain select 1', /EXPLAIN/],
    ['do $$ begin perform 1; end $$', /DO is not allowed/],
    ['select * from events tablesample system (10)', /TABLESAMPLE/],
    ['select 1 operator(public.+) 2', /schema-qualified operators/],
    // A CTE is visible after its definition, not before: `users` here would be the real table.
    ['with a as (select * from users), users as (select 1) select * from a', /relation "users"/],
    // …and not outside the subquery that defines it.
    ['select * from (with users as (select 1) select * from users) s, users', /relation "users"/],
    ['select 1 union select * from (select 1 from pg_authid) x', /pg_authid/],
  ])('%s', async (text, message) => {
    await refused(text, message);
  });
});
