import type { WorkspaceContext } from '../auth/caller.js';
import { type FieldIssue, PulseError } from '../errors.js';
import { publishMetricPoints } from '../live/live.publisher.js';
import { decodeCursor, toPage } from '../pagination.js';
import type {
  ListMetricsInput,
  MetricPointDto,
  MetricPointInput,
  RecordMetricsInput,
} from './metrics.contract.js';
import { parseTagFilters } from './metrics.filters.js';
import { rememberLatest } from './metrics.latest.js';
import {
  findMetricPoint,
  insertMetricPoints,
  listMetricPoints,
  type NewMetricPoint,
  type StoredMetricPoint,
} from './metrics.queries.js';

// Clocks drift and devices lie; a point stamped more than a day ahead is a bug upstream, and
// it would sit in the future as the metric's "latest" value until its time came.
const MAX_FUTURE_MS = 24 * 3_600_000;

/** One point answers `{id, accepted: 1}`; `{points}` answers `{accepted}`. */
export async function recordMetrics(
  ctx: WorkspaceContext,
  input: RecordMetricsInput,
): Promise<{ accepted: number; id?: string }> {
  if (input.points) return recordMetricBatch(ctx, input.points);
  const { name, value } = input;
  // The contract's refinement already demands both; this narrows the types.
  if (name === undefined || value === undefined) {
    throw new PulseError('VALIDATION_FAILED', 'name and value are required', { field: 'name' });
  }
  const point = normalize({ name, value, tags: input.tags, timestamp: input.timestamp });
  if (tooFarAhead(point)) {
    throw new PulseError('VALIDATION_FAILED', 'timestamp is more than 24 hours in the future', {
      field: 'timestamp',
    });
  }
  const [stored] = await storePoints(ctx, [point]);
  if (!stored) throw new PulseError('INTERNAL', 'The point was not stored');
  return { id: stored.id, accepted: 1 };
}

/** All or nothing: any invalid point refuses the batch, each named by its index. */
export async function recordMetricBatch(
  ctx: WorkspaceContext,
  points: readonly MetricPointInput[],
): Promise<{ accepted: number }> {
  const arrivedAt = new Date();
  const normalized = points.map((point) => normalize(point, arrivedAt));
  const issues: FieldIssue[] = [];
  normalized.forEach((point, index) => {
    if (tooFarAhead(point)) {
      issues.push({ path: `points.${index}.timestamp`, message: 'is more than 24 hours ahead' });
    }
  });
  if (issues.length > 0) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `${issues.length} of ${points.length} points are invalid; nothing was stored`,
      { issues },
    );
  }
  const stored = await storePoints(ctx, normalized);
  return { accepted: stored.length };
}

/** After the commit: the latest-value cache and the live feed (neither can fail the ingest). */
async function storePoints(ctx: WorkspaceContext, points: readonly NewMetricPoint[]) {
  const stored = await insertMetricPoints(ctx.scope, points);
  await rememberLatest(ctx, stored);
  await publishMetricPoints(
    ctx,
    ctx.scope.workspaceId,
    stored.map((row) => ({
      id: row.id,
      name: row.name,
      value: row.value,
      tags: row.tags,
      timestamp: row.timestamp.toISOString(),
    })),
  );
  return stored;
}

export async function listMetrics(ctx: WorkspaceContext, input: ListMetricsInput) {
  const before = decodeCursor(input.cursor);
  if (before && !/^\d{1,19}$/.test(before.id)) {
    throw new PulseError('VALIDATION_FAILED', 'cursor is not one this API issued', {
      field: 'cursor',
    });
  }
  const rows = await listMetricPoints(
    ctx.scope,
    {
      name: input.name,
      from: input.from ? new Date(input.from) : undefined,
      to: input.to ? new Date(input.to) : undefined,
      tags: parseTagFilters(input.tag, 'tag'),
    },
    { limit: input.limit, before },
  );
  return toPage(rows, input.limit, toDto, (row) => ({
    at: row.timestamp.toISOString(),
    id: row.id,
  }));
}

export async function getMetric(ctx: WorkspaceContext, id: string): Promise<MetricPointDto> {
  const row = await findMetricPoint(ctx.scope, id);
  if (!row) {
    throw new PulseError('NOT_FOUND', 'No metric point with this id in your workspace', {
      field: 'id',
    });
  }
  return toDto(row);
}

function normalize(input: MetricPointInput, arrivedAt = new Date()): NewMetricPoint {
  return {
    name: input.name,
    value: input.value,
    tags: input.tags ?? {},
    timestamp: input.timestamp ? new Date(input.timestamp) : arrivedAt,
  };
}

function tooFarAhead(point: NewMetricPoint): boolean {
  return point.timestamp.getTime() - Date.now() > MAX_FUTURE_MS;
}

export function toDto(row: StoredMetricPoint): MetricPointDto {
  return {
    id: row.id,
    name: row.name,
    value: row.value,
    tags: row.tags,
    timestamp: row.timestamp.toISOString(),
    receivedAt: row.received_at.toISOString(),
  };
}
