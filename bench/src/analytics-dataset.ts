import { recomputeEventRollups, recomputeMetricRollups } from '@pulse/api';
import { ensureDailyPartitions, type PulseDatabase } from '@pulse/db';
import { sql } from 'kysely';

export interface DatasetOptions {
  workspaceId: string;
  events: number;
  days: number;
  /** Distinct users the events are spread over. */
  users: number;
  log: (message: string) => void;
}

const CHUNK = 1_000_000;
const DAY_MS = 86_400_000;

/**
 * A commerce workspace's history written straight into the tables (as the ingest path would
 * leave them, without going through HTTP: that path has its own benchmark), then rolled up by
 * the same job code the workers run. Deterministic: row g always gets the same values.
 *
 * Mix per 100 events: 62 page_view, 18 add_to_cart, 6 purchase, 8 search, 4 signup, 2 error;
 * time spreads evenly over `days` ending now with a daily rhythm from the row number.
 */
export async function loadAnalyticsDataset(
  database: PulseDatabase,
  options: DatasetOptions,
): Promise<{ loadMs: number; rollupMs: number }> {
  const { db } = database;
  const now = Date.now();
  const from = new Date(now - options.days * DAY_MS);
  await ensureDailyPartitions(db, 'events', from, new Date(now + DAY_MS));
  await ensureDailyPartitions(db, 'metric_points', from, new Date(now + DAY_MS));

  const loadStarted = performance.now();
  for (let offset = 0; offset < options.events; offset += CHUNK) {
    const count = Math.min(CHUNK, options.events - offset);
    await sql`
      insert into events (workspace_id, id, type, timestamp, received_at, user_id, anonymous_id,
                          session_id, properties, product_id, price, quantity, currency)
      select ${options.workspaceId}::uuid, 'e' || g,
             case when g % 100 < 62 then 'page_view' when g % 100 < 80 then 'add_to_cart'
                  when g % 100 < 86 then 'purchase' when g % 100 < 94 then 'search'
                  when g % 100 < 98 then 'signup' else 'error' end,
             ts, ts + make_interval(secs => 0.05 + (g % 37) / 20.0),
             case when g % 23 = 0 then null else 'u' || ((g * 7919) % ${options.users}) end,
             case when g % 23 = 0 then 'anon' || (g % 5000) end,
             's' || ((g * 7919) % ${options.users}) || '-' || (g / 5000),
             jsonb_build_object('plan', case when g % 3 = 0 then 'pro' else 'free' end,
                                'page', '/p/' || (g % 50)),
             'sku-' || (g % 400),
             case when g % 100 between 80 and 85 then 5 + (g % 200) end,
             case when g % 100 between 80 and 85 then 1 + (g % 3) end,
             case when g % 100 between 80 and 85 then 'USD' end
      from generate_series(${offset + 1}::bigint, ${offset + count}::bigint) g,
           lateral (select ${from.toISOString()}::timestamptz
                      + make_interval(secs => ${options.days * 86_400}::double precision * g / ${options.events}) as ts) t
    `.execute(db);
    options.log(`events: ${offset + count} / ${options.events}`);
  }
  // Ingestion's own counters, one row per thousand events with a 1 % duplicate rate.
  await sql`
    insert into ingest_stats (workspace_id, source, recorded_at, accepted, duplicates, rejected)
    select ${options.workspaceId}::uuid, 'events',
           ${from.toISOString()}::timestamptz + make_interval(secs => ${options.days * 86_400}::double precision * g / ${Math.ceil(options.events / 1000)}),
           1000, 10, case when g % 50 = 0 then 1 else 0 end
    from generate_series(1, ${Math.ceil(options.events / 1000)}) g`.execute(db);
  // One checkout latency point per minute over the whole span.
  await sql`
    insert into metric_points (workspace_id, name, value, tags, timestamp)
    select ${options.workspaceId}::uuid, 'checkout_latency_ms',
           120 + 40 * sin(g / 60.0) + (g % 17), jsonb_build_object('region', case when g % 2 = 0 then 'eu' else 'us' end),
           ${from.toISOString()}::timestamptz + make_interval(mins => g)
    from generate_series(0, ${options.days * 1440 - 1}) g`.execute(db);
  await sql`analyze events`.execute(db);
  await sql`analyze metric_points`.execute(db);
  const loadMs = performance.now() - loadStarted;

  const rollupStarted = performance.now();
  for (const source of ['events', 'metrics'] as const) {
    await sql`
      insert into rollup_dirty (workspace_id, source, bucket)
      select ${options.workspaceId}::uuid, ${source}, m
      from generate_series(date_trunc('minute', ${from.toISOString()}::timestamptz),
                           ${new Date(now).toISOString()}::timestamptz, interval '1 minute') m`.execute(
      db,
    );
  }
  for (;;) {
    const events = await recomputeEventRollups(db, { batchSize: 2000, maxBatches: 5 });
    const metrics = await recomputeMetricRollups(db, { batchSize: 2000, maxBatches: 5 });
    if (events.buckets === 0 && metrics.buckets === 0) break;
  }
  await sql`analyze event_rollups`.execute(db);
  options.log('rollups done');
  return { loadMs, rollupMs: performance.now() - rollupStarted };
}
