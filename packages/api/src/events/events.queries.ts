import type { WorkspaceScope } from '@pulse/db';
import { sql } from 'kysely';
import type { PageCursor } from '../pagination.js';

/** An event after validation and defaulting, ready for storage. */
export interface NewEvent {
  id: string;
  type: string;
  timestamp: Date;
  /** `timestamp.toISOString()`, when validation already has it (it costs ~1 µs per call). */
  timestampIso?: string;
  userId: string | null;
  anonymousId: string | null;
  sessionId: string | null;
  properties: Record<string, unknown>;
  /** `properties` as JSON text, made once during validation. */
  propertiesJson: string;
  productId: string | null;
  price: number | null;
  quantity: number | null;
  currency: string | null;
}

/** What storing a batch did: how many events were new, and which (null: every distinct id). */
export interface StoredBatch {
  stored: number;
  storedIds: ReadonlySet<string> | null;
}

/**
 * Stores a batch in ONE statement (one round trip, one transaction): ids are claimed in
 * `event_ids` first, so an id seen before — in an earlier request, a concurrent retry, or
 * twice in this batch — is stored once; only newly claimed events are inserted, the minutes
 * they touch are marked for re-rolling, and the batch's counters are appended.
 *
 * Built for 1,000-event batches on a busy server: `received_at` is the server's arrival time
 * (sent, not read back), properties travel as one JSON array (their JSON text was made during
 * validation; a text[] literal would escape every quote in it again), and the answer is two
 * numbers unless some events were duplicates, when it also lists the ids stored.
 */
export async function storeEventBatch(
  scope: WorkspaceScope,
  events: readonly NewEvent[],
  options: { rejected: number; receivedAt: Date },
): Promise<StoredBatch> {
  const column = <T>(pick: (event: NewEvent) => T) => events.map(pick);
  const properties = `[${column((e) => e.propertiesJson).join(',')}]`;
  const { rows } = await scope.executeRaw(sql<{ stored: number; ids: string[] | null }>`
    with input as (
      select distinct on (id) *
      from rows from (
        unnest(${column((e) => e.id)}::text[]),
        unnest(${column((e) => e.type)}::text[]),
        unnest(${column((e) => e.timestampIso ?? e.timestamp.toISOString())}::timestamptz[]),
        unnest(${column((e) => e.userId)}::text[]),
        unnest(${column((e) => e.anonymousId)}::text[]),
        unnest(${column((e) => e.sessionId)}::text[]),
        jsonb_array_elements(${properties}::jsonb),
        unnest(${column((e) => e.productId)}::text[]),
        unnest(${column((e) => (e.price === null ? null : String(e.price)))}::numeric[]),
        unnest(${column((e) => e.quantity)}::int4[]),
        unnest(${column((e) => e.currency)}::text[])
      ) with ordinality as t(id, type, timestamp, user_id, anonymous_id, session_id, properties,
                             product_id, price, quantity, currency, position)
      order by id, position
    ),
    claimed as (
      insert into event_ids (workspace_id, id, timestamp)
      select ${scope.workspaceId}::uuid, id, timestamp from input
      on conflict do nothing
      returning id
    ),
    stored as (
      insert into events (workspace_id, id, type, timestamp, received_at, user_id, anonymous_id,
                          session_id, properties, product_id, price, quantity, currency)
      select ${scope.workspaceId}::uuid, i.id, i.type, i.timestamp, ${options.receivedAt}::timestamptz,
             i.user_id, i.anonymous_id, i.session_id, i.properties, i.product_id, i.price,
             i.quantity, i.currency
      from input i join claimed c on c.id = i.id
      returning id, timestamp
    ),
    marked as (
      insert into rollup_dirty (workspace_id, source, bucket)
      select distinct ${scope.workspaceId}::uuid, 'events', date_trunc('minute', timestamp) from stored
    ),
    counted as (
      insert into ingest_stats (workspace_id, source, accepted, duplicates, rejected)
      select ${scope.workspaceId}::uuid, 'events', count(*), ${events.length} - count(*), ${options.rejected}
      from stored
    )
    select count(*)::int as stored,
           case when count(*) < ${events.length} then coalesce(array_agg(id), '{}') end as ids
    from stored`);
  const row = rows[0] ?? { stored: 0, ids: [] };
  return { stored: row.stored, storedIds: row.ids ? new Set(row.ids) : null };
}

/** storeEventBatch answering rows, for callers that want each stored id with its time. */
export async function insertEventBatch(
  scope: WorkspaceScope,
  events: readonly NewEvent[],
  rejected: number,
): Promise<Array<{ id: string; received_at: Date }>> {
  const receivedAt = new Date();
  const { storedIds } = await storeEventBatch(scope, events, { rejected, receivedAt });
  const ids = storedIds ?? new Set(events.map((event) => event.id));
  return [...ids].map((id) => ({ id, received_at: receivedAt }));
}

export interface EventFilters {
  type?: string;
  userId?: string;
  sessionId?: string;
  from?: Date;
  to?: Date;
  properties?: Array<[key: string, value: string]>;
}

/** Newest first; ties on timestamp broken by id so pages never overlap or skip. */
export function listEvents(
  scope: WorkspaceScope,
  filters: EventFilters,
  page: { limit: number; before?: PageCursor },
) {
  let query = scope
    .selectFrom('events')
    .selectAll()
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (filters.type) query = query.where('type', '=', filters.type);
  if (filters.userId) query = query.where('user_id', '=', filters.userId);
  if (filters.sessionId) query = query.where('session_id', '=', filters.sessionId);
  if (filters.from) query = query.where('timestamp', '>=', filters.from);
  if (filters.to) query = query.where('timestamp', '<', filters.to);
  for (const [key, value] of filters.properties ?? []) {
    query = query.where(sql<boolean>`properties ->> ${key} = ${value}`);
  }
  const before = page.before;
  if (before) {
    query = query.where((eb) =>
      eb(eb.refTuple('timestamp', 'id'), '<', eb.tuple(new Date(before.at), before.id)),
    );
  }
  return query.execute();
}

/** By id: the dedupe table knows the timestamp, which lets the lookup hit one partition. */
export async function findEvent(scope: WorkspaceScope, id: string) {
  const claimed = await scope
    .selectFrom('event_ids')
    .select('timestamp')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!claimed) return undefined;
  return scope
    .selectFrom('events')
    .selectAll()
    .where('id', '=', id)
    .where('timestamp', '=', claimed.timestamp)
    .executeTakeFirst();
}

export type StoredEventRow = Awaited<ReturnType<typeof listEvents>>[number];
