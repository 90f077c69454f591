import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { decodeCursor, toPage } from '../pagination.js';
import {
  type EventDto,
  type EventInput,
  eventInput,
  type IngestBatchInput,
  type IngestBatchResult,
  type ListEventsInput,
} from './events.contract.js';
import { publishStoredEvents } from './events.publish.js';
import {
  type EventFilters,
  findEvent,
  insertEventBatch,
  listEvents,
  type NewEvent,
  type StoredEventRow,
} from './events.queries.js';

// Clocks drift and devices lie; an event stamped more than a day ahead is a bug upstream.
const MAX_FUTURE_MS = 24 * 3_600_000;
const MAX_PROPERTIES_BYTES = 16 * 1024;

type Rejection = IngestBatchResult['rejected'][number];

export async function ingestEvent(
  ctx: WorkspaceContext,
  input: EventInput,
): Promise<{ id: string; duplicate: boolean }> {
  const event = normalize(input, new Date());
  const problem = problemWith(event);
  if (problem) throw new PulseError('VALIDATION_FAILED', problem.message, { field: problem.path });
  const stored = await storeAndPublish(ctx, [event], 0);
  return { id: event.id, duplicate: stored.length === 0 };
}

/**
 * All-or-nothing on the database. Each item is validated on its own so rejections name their
 * index; `partial` decides whether any rejection refuses the batch or only those items.
 */
export async function ingestEventBatch(
  ctx: WorkspaceContext,
  input: IngestBatchInput,
): Promise<IngestBatchResult> {
  const arrivedAt = new Date();
  const valid: NewEvent[] = [];
  const rejected: Rejection[] = [];
  input.events.forEach((raw, index) => {
    const parsed = eventInput.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) rejected.push(rejectionOf(index, issue));
      return;
    }
    const event = normalize(parsed.data, arrivedAt);
    const problem = problemWith(event);
    if (problem) rejected.push({ index, ...problem });
    else valid.push(event);
  });
  const rejectedItems = new Set(rejected.map((r) => r.index)).size;
  if (rejectedItems > 0 && !input.partial) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `${rejectedItems} of ${input.events.length} events are invalid; nothing was stored (send partial: true to store the valid ones)`,
      {
        issues: rejected.map((r) => ({
          path: `events.${r.index}${r.path ? `.${r.path}` : ''}`,
          message: r.message,
        })),
      },
    );
  }
  const stored = valid.length > 0 ? await storeAndPublish(ctx, valid, rejectedItems) : [];
  return { accepted: stored.length, duplicates: valid.length - stored.length, rejected };
}

async function storeAndPublish(ctx: WorkspaceContext, events: NewEvent[], rejected: number) {
  const rows = await insertEventBatch(ctx.scope, events, rejected);
  if (rows.length > 0) {
    const receivedAt = new Map(rows.map((row) => [row.id, row.received_at]));
    const fresh = events.filter((event) => receivedAt.has(event.id));
    await publishStoredEvents(
      ctx,
      fresh.map((event) => toDto(event, receivedAt.get(event.id) as Date)),
    );
  }
  return rows;
}

export async function listWorkspaceEvents(ctx: WorkspaceContext, input: ListEventsInput) {
  const filters: EventFilters = {
    type: input.type,
    userId: input.userId,
    sessionId: input.sessionId,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
    properties: input.property?.map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)] as [string, string];
    }),
  };
  const rows = await listEvents(ctx.scope, filters, {
    limit: input.limit,
    before: decodeCursor(input.cursor),
  });
  return toPage(rows, input.limit, rowToDto, (row) => ({
    at: row.timestamp.toISOString(),
    id: row.id,
  }));
}

export async function getEvent(ctx: WorkspaceContext, id: string): Promise<EventDto> {
  const row = await findEvent(ctx.scope, id);
  if (!row)
    throw new PulseError('NOT_FOUND', 'No event with this id in your workspace', { field: 'id' });
  return rowToDto(row);
}

function normalize(input: EventInput, arrivedAt: Date): NewEvent {
  return {
    id: input.id,
    type: input.type,
    timestamp: input.timestamp ? new Date(input.timestamp) : arrivedAt,
    userId: input.userId ?? null,
    anonymousId: input.anonymousId ?? null,
    sessionId: input.sessionId ?? null,
    properties: input.properties ?? {},
    propertiesJson: toJson(input.properties ?? {}),
    productId: input.productId ?? null,
    price: input.price ?? null,
    quantity: input.quantity ?? null,
    currency: input.currency ?? null,
  };
}

/** '' when the value cannot be JSON (a BigInt or a cycle smuggled through superjson). */
function toJson(properties: Record<string, unknown>): string {
  try {
    return JSON.stringify(properties);
  } catch {
    return '';
  }
}

function problemWith(event: NewEvent): { path: string; message: string } | undefined {
  if (event.timestamp.getTime() - Date.now() > MAX_FUTURE_MS) {
    return { path: 'timestamp', message: 'is more than 24 hours in the future' };
  }
  if (event.propertiesJson === '') return { path: 'properties', message: 'must be plain JSON' };
  if (event.propertiesJson.length > MAX_PROPERTIES_BYTES) {
    return {
      path: 'properties',
      message: `must be at most ${MAX_PROPERTIES_BYTES / 1024} KiB as JSON`,
    };
  }
  return undefined;
}

function rejectionOf(
  index: number,
  issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] },
): Rejection {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return { index, path: issue.keys.join(','), message: 'is not a known field' };
  }
  return { index, path, message: issue.message };
}

function toDto({ propertiesJson: _json, ...event }: NewEvent, receivedAt: Date): EventDto {
  return {
    ...event,
    timestamp: event.timestamp.toISOString(),
    receivedAt: receivedAt.toISOString(),
    properties: event.properties as EventDto['properties'],
  };
}

function rowToDto(row: StoredEventRow): EventDto {
  return {
    id: row.id,
    type: row.type,
    timestamp: row.timestamp.toISOString(),
    receivedAt: row.received_at.toISOString(),
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    sessionId: row.session_id,
    properties: (row.properties ?? {}) as EventDto['properties'],
    productId: row.product_id,
    price: row.price === null ? null : Number(row.price),
    quantity: row.quantity,
    currency: row.currency,
  };
}
