import { recordAudit } from '../../audit/audit.service.js';
import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead, invalidateTopic } from '../../cached-read.js';
import { PulseError } from '../../errors.js';
import { checkPropertySchema } from './property-schema.js';
import {
  type EventSchemaVersion,
  MAX_SCHEMA_TYPES,
  type SetSchemaInput,
} from './schemas.contract.js';
import {
  countSchemaTypes,
  findSchemaVersion,
  insertSchemaVersion,
  listLatestSchemas,
  type StoredSchemaRow,
} from './schemas.queries.js';

/** Cached answers that depend on registered schemas; a registration makes them stale. */
export const SCHEMA_TOPICS = ['event-schemas', 'data-quality', 'insights'] as const;
const SCHEMAS_TTL_SECONDS = 60;

export async function setEventSchema(
  ctx: WorkspaceContext,
  input: SetSchemaInput,
): Promise<EventSchemaVersion> {
  const issues = checkPropertySchema(input.schema);
  if (issues.length > 0) {
    const first = issues[0];
    throw new PulseError('VALIDATION_FAILED', `${first?.path}: ${first?.message}`, { issues });
  }
  const existing = await findSchemaVersion(ctx.scope, input.type, undefined);
  if (!existing && (await countSchemaTypes(ctx.scope)) >= MAX_SCHEMA_TYPES) {
    throw new PulseError(
      'VALIDATION_FAILED',
      `A workspace can register schemas for at most ${MAX_SCHEMA_TYPES} event types`,
      { field: 'type' },
    );
  }
  const row = {
    type: input.type,
    schema: input.schema,
    description: input.description ?? null,
    createdBy: ctx.caller.kind === 'user' ? ctx.caller.userId : null,
  };
  const register = () =>
    ctx.scope.transaction(async (scope) => {
      const stored = await insertSchemaVersion(scope, row);
      await recordAudit(ctx, scope, {
        actorUserId: row.createdBy,
        action: 'analytics.schema.registered',
        targetType: 'event_schema',
        targetId: `${stored.type}@${stored.version}`,
        metadata: { type: stored.type, version: stored.version },
      });
      return stored;
    });
  // A concurrent registration of the same type may take the version first: once more.
  const stored = await register().catch(register);
  await Promise.all(
    SCHEMA_TOPICS.map((topic) => invalidateTopic(ctx, ctx.scope.workspaceId, topic)),
  );
  return toDto(stored);
}

export function getEventSchema(
  ctx: WorkspaceContext,
  type: string,
  version: number | undefined,
): Promise<EventSchemaVersion> {
  return cachedRead(ctx, {
    topic: 'event-schemas',
    parts: ['get', type, version],
    ttlSeconds: SCHEMAS_TTL_SECONDS,
    compute: async () => {
      const row = await findSchemaVersion(ctx.scope, type, version);
      if (!row) {
        const what = version === undefined ? 'No schema is registered' : `No version ${version}`;
        throw new PulseError('NOT_FOUND', `${what} for event type "${type}"`, {
          field: version === undefined ? 'type' : 'version',
        });
      }
      return toDto(row);
    },
  });
}

export function listEventSchemas(ctx: WorkspaceContext) {
  return cachedRead(ctx, {
    topic: 'event-schemas',
    parts: ['list'],
    ttlSeconds: SCHEMAS_TTL_SECONDS,
    compute: async () => {
      const rows = await listLatestSchemas(ctx.scope, MAX_SCHEMA_TYPES);
      return { items: rows.map((row) => ({ ...toDto(row), versions: row.versions })) };
    },
  });
}

function toDto(row: StoredSchemaRow): EventSchemaVersion {
  return {
    type: row.type,
    version: row.version,
    schema: row.schema as Record<string, unknown>,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}
