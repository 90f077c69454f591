import { randomBytes } from 'node:crypto';
import { scopeTo } from '@pulse/db';
import { expect } from 'vitest';
import { rest, type TestServer } from './harness.js';

// Hand-built events for the data-health and insights tests.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();

let sequence = 0;
export const eventId = (label = 'e') => {
  sequence += 1;
  return `${label}-${sequence}-${randomBytes(3).toString('hex')}`;
};

/** POST /events/batch as a client would; answers the ingest result. */
export async function ingest(
  server: TestServer,
  token: string,
  events: Record<string, unknown>[],
  partial = false,
) {
  const response = await rest(server, 'POST', '/events/batch', {
    token,
    body: { events, partial },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { accepted: number; duplicates: number };
}

/** Sets an event's arrival time, which ingestion always stamps with its own clock. */
export async function setReceivedAt(
  server: TestServer,
  workspaceId: string,
  id: string,
  receivedAt: number,
) {
  await scopeTo(server.app.pulse.database.db, workspaceId)
    .updateTable('events')
    .set({ received_at: new Date(receivedAt) } as never)
    .where('id', '=', id)
    .execute();
}

/** Every event of the workspace arrived `lagMs` after its timestamp. */
export async function setLag(server: TestServer, workspaceId: string, lagMs: number) {
  const scope = scopeTo(server.app.pulse.database.db, workspaceId);
  const rows = await scope.selectFrom('events').select(['id', 'timestamp']).execute();
  for (const row of rows) {
    await setReceivedAt(server, workspaceId, row.id, row.timestamp.getTime() + lagMs);
  }
}

/** Rows written straight to storage, for figures ingestion cannot produce (exact arrival times). */
export async function insertStored(
  server: TestServer,
  workspaceId: string,
  rows: { type: string; timestamp: number; receivedAt: number; userId?: string }[],
) {
  await scopeTo(server.app.pulse.database.db, workspaceId)
    .insertInto(
      'events',
      rows.map((row) => ({
        id: eventId('stored'),
        type: row.type,
        timestamp: new Date(row.timestamp),
        received_at: new Date(row.receivedAt),
        user_id: row.userId ?? null,
        anonymous_id: null,
        session_id: null,
        properties: '{}',
        product_id: null,
        price: null,
        quantity: null,
        currency: null,
      })) as never,
    )
    .execute();
  // As ingestion does in the same statement: the minutes these events fall in wait for the
  // rollup job, and reads take them from the raw events until then.
  const minutes = [...new Set(rows.map((row) => Math.floor(row.timestamp / 60_000) * 60_000))];
  await server.app.pulse.database.db
    .insertInto('rollup_dirty')
    .values(
      minutes.map((minute) => ({
        workspace_id: workspaceId,
        source: 'events',
        bucket: new Date(minute),
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.append(key, String(value));
  }
  return `?${search}`;
}
