import type { WorkspaceContext } from '../auth/caller.js';
import { PulseError } from '../errors.js';
import { decodeCursor, toPage } from '../pagination.js';
import type {
  EventDto,
  EventInput,
  IngestBatchInput,
  IngestBatchResult,
  ListEventsInput,
} from './events.contract.js';
import { publishStoredEvents } from './events.publish.js';
import {
  type EventFilters,
  findEvent,
  listEvents,
  type StoredEventRow,
  storeEventBatch,
} from './events.queries.js';
import {
  type AcceptedEvent,
  type Arrival,
  acceptEvent,
  arrival,
  normalize,
  problemWith,
  type Rejection,
} from './events.validate.js';

export async function ingestEvent(
  ctx: WorkspaceContext,
  input: EventInput,
): Promise<{ id: string; duplicate: boolean }> {
  const arrived = arrival();
  const accepted = normalize(input, arrived);
  const problem = problemWith(accepted.event);
  if (problem) throw new PulseError('VALIDATION_FAILED', problem.message, { field: problem.path });
  const stored = await storeAndPublish(ctx, [accepted], { rejected: 0, arrived });
  return { id: input.id, duplicate: stored === 0 };
}

/**
 * All-or-nothing on the database. Each item is validated on its own so rejections name their
 * index; `partial` decides whether any rejection refuses the batch or only those items.
 */
export async function ingestEventBatch(
  ctx: WorkspaceContext,
  input: IngestBatchInput,
): Promise<IngestBatchResult> {
  const arrived = arrival();
  const valid: AcceptedEvent[] = [];
  const rejected: Rejection[] = [];
  let rejectedItems = 0;
  for (let index = 0; index < input.events.length; index += 1) {
    const outcome = acceptEvent(input.events[index], index, arrived);
    if (Array.isArray(outcome)) {
      rejected.push(...outcome);
      rejectedItems += 1;
    } else {
      valid.push(outcome);
    }
  }
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
  const stored =
    valid.length > 0 ? await storeAndPublish(ctx, valid, { rejected: rejectedItems, arrived }) : 0;
  return { accepted: stored, duplicates: valid.length - stored, rejected };
}

/** Answers how many events were new; only those reach the live feed. */
async function storeAndPublish(
  ctx: WorkspaceContext,
  accepted: AcceptedEvent[],
  options: { rejected: number; arrived: Arrival },
): Promise<number> {
  const { stored, storedIds } = await storeEventBatch(
    ctx.scope,
    accepted.map((a) => a.event),
    { rejected: options.rejected, receivedAt: options.arrived.at },
  );
  if (stored > 0) {
    await publishStoredEvents(
      ctx,
      storedIds ? firstOf(accepted, storedIds) : accepted.map((a) => a.dto),
    );
  }
  return stored;
}

/** The stored events, each once: a repeat inside the batch was stored as its first copy. */
function firstOf(accepted: AcceptedEvent[], storedIds: ReadonlySet<string>): EventDto[] {
  const pending = new Set(storedIds);
  return accepted.flatMap(({ dto }) => (pending.delete(dto.id) ? [dto] : []));
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
