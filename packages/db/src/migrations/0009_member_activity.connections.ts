import { type Kysely, sql } from 'kysely';

/**
 * `member_connection_counts`: each member's explicit connections, kept exact by statement-level
 * triggers on `member_connections` (deltas from the transition tables, as `member_activity`).
 * The network ranks members by activity including every connection made by the window's end:
 * one row per member instead of ~100,000 connection ends to count. A read at an earlier instant
 * takes off the connections made after it (an index on created_at finds them).
 * Part of 0009 (frozen with it).
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen once landed, like every migration.
export async function createMemberConnectionCounts(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_connection_counts (
      workspace_id uuid not null,
      member_id uuid not null,
      connections integer not null,
      primary key (workspace_id, member_id),
      foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
    )`.execute(db);
  await sql`create index member_connections_created_idx on member_connections (workspace_id, created_at)`.execute(
    db,
  );
  await sql`
    insert into member_connection_counts (workspace_id, member_id, connections)
    select workspace_id, member_id, count(*) from (
      select workspace_id, member_a as member_id from member_connections
      union all
      select workspace_id, member_b from member_connections
    ) ends group by 1, 2`.execute(db);

  for (const [event, transitions, changes] of [
    ['insert', sql`new table as new_rows`, sql`select *, 1 as delta from new_rows`],
    ['delete', sql`old table as old_rows`, sql`select *, -1 as delta from old_rows`],
    [
      'update',
      sql`old table as old_rows new table as new_rows`,
      sql`select *, -1 as delta from old_rows union all select *, 1 from new_rows`,
    ],
  ] as const) {
    const name = `member_connections_counts_${event}`;
    // Ends of members deleted in the same statement (a cascade) are skipped: their row goes
    // with them. Rows are written in key order, so concurrent statements lock them alike. The
    // member is looked up by key per row, as in 0009_member_activity (no statistics in a load).
    const keyed = sql`
      select c.workspace_id, e.member_id, sum(c.delta)::int as delta
      from (${changes}) c
      cross join lateral (values (c.member_a), (c.member_b)) as e(member_id)
      where (select true from members m where m.workspace_id = c.workspace_id and m.id = e.member_id)
      group by 1, 2 having sum(c.delta) <> 0`;
    await sql`
      create function ${sql.id(name)}() returns trigger language plpgsql
      set search_path from current as $$
      begin
        insert into member_connection_counts (workspace_id, member_id, connections)
        select workspace_id, member_id, delta from (${keyed}) k
        order by workspace_id, member_id
        on conflict (workspace_id, member_id)
        do update set connections = member_connection_counts.connections + excluded.connections;
        delete from member_connection_counts n using (${keyed}) k
        where n.workspace_id = k.workspace_id and n.member_id = k.member_id
          and n.connections = 0 and k.delta < 0;
        return null;
      end $$`.execute(db);
    await sql`
      create trigger ${sql.id(name)} after ${sql.raw(event)} on member_connections
      referencing ${transitions}
      for each statement execute function ${sql.id(name)}()`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function dropMemberConnectionCounts(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists member_connection_counts`.execute(db);
  await sql`drop index if exists member_connections_created_idx`.execute(db);
  for (const event of ['insert', 'delete', 'update']) {
    const name = `member_connections_counts_${event}`;
    await sql`drop trigger if exists ${sql.id(name)} on member_connections`.execute(db);
    await sql`drop function if exists ${sql.id(name)}()`.execute(db);
  }
}
