import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** Tables partitioned by day on `timestamp`, each with a `<table>_default` catch-all. */
export const PARTITIONED_TABLES = ['events', 'metric_points'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

const DAY_MS = 86_400_000;

function dayStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

export function partitionName(table: PartitionedTable, day: Date): string {
  return `${table}_p${dayStart(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Creates the daily partitions covering [from, to] that do not exist yet. Rows that landed in
 * the default partition for such a day are moved into the new partition in the same
 * transaction. Safe to run from several workers at once (an advisory lock serialises them).
 */
export async function ensureDailyPartitions(
  db: Kysely<Database>,
  table: PartitionedTable,
  from: Date,
  to: Date,
): Promise<string[]> {
  const created: string[] = [];
  for (let day = dayStart(from); day <= to; day = new Date(day.getTime() + DAY_MS)) {
    const name = partitionName(table, day);
    const next = new Date(day.getTime() + DAY_MS);
    const made = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`pulse:partition:${table}`}))`.execute(trx);
      const { rows } = await sql<{
        exists: boolean;
      }>`select to_regclass(${name}) is not null as exists`.execute(trx);
      if (rows[0]?.exists) return false;
      const stray = await sql<{ found: boolean }>`
        select exists (select 1 from ${sql.table(`${table}_default`)}
                       where timestamp >= ${day} and timestamp < ${next}) as found`.execute(trx);
      if (!stray.rows[0]?.found) {
        await sql`create table ${sql.table(name)} partition of ${sql.table(table)}
                  for values from (${sql.lit(day.toISOString())}) to (${sql.lit(next.toISOString())})`.execute(
          trx,
        );
        return true;
      }
      await sql`create table ${sql.table(name)} (like ${sql.table(table)} including defaults including constraints)`.execute(
        trx,
      );
      await sql`
        with moved as (
          delete from ${sql.table(`${table}_default`)}
          where timestamp >= ${day} and timestamp < ${next}
          returning *
        )
        insert into ${sql.table(name)} select * from moved`.execute(trx);
      await sql`alter table ${sql.table(table)} attach partition ${sql.table(name)}
                for values from (${sql.lit(day.toISOString())}) to (${sql.lit(next.toISOString())})`.execute(
        trx,
      );
      return true;
    });
    if (made) created.push(name);
  }
  return created;
}

/** Drops whole days older than `cutoff` and deletes older rows left in the default partition. */
export async function dropPartitionsBefore(
  db: Kysely<Database>,
  table: PartitionedTable,
  cutoff: Date,
): Promise<{ dropped: string[]; deletedFromDefault: number }> {
  // to_regclass follows search_path, so a deployment in its own schema sees only its tables.
  const { rows } = await sql<{ name: string }>`
    select c.relname as name
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${table})`.execute(db);
  const dropped: string[] = [];
  const pattern = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`);
  for (const { name } of rows) {
    const match = pattern.exec(name);
    if (!match) continue;
    const dayEnd = new Date(
      Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS,
    );
    if (dayEnd <= cutoff) {
      await sql`drop table if exists ${sql.table(name)}`.execute(db);
      dropped.push(name);
    }
  }
  const deleted =
    await sql`delete from ${sql.table(`${table}_default`)} where timestamp < ${cutoff}`.execute(db);
  return { dropped, deletedFromDefault: Number(deleted.numAffectedRows ?? 0) };
}
