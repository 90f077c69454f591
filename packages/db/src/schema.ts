import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AnalyticsTables } from './schema.analytics.js';
import type { CommerceTables } from './schema.commerce.js';
import type { DataHealthTables } from './schema.data-health.js';
import type { HistoryTables } from './schema.history.js';
import type { MemberActivityTables } from './schema.member-activity.js';
import type { MemberGatheringsTables } from './schema.member-gatherings.js';
import type { RoomHourUsageTable } from './schema.room-usage.js';
import type { SpacesTables } from './schema.spaces.js';

export * from './schema.analytics.js';
export * from './schema.commerce.js';
export * from './schema.data-health.js';
export * from './schema.history.js';
export * from './schema.member-activity.js';
export * from './schema.member-gatherings.js';
export * from './schema.spaces.js';

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
export type Json = ColumnType<unknown, string, string>;

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  workspace_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RefreshTokensTable {
  id: string;
  workspace_id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  rotated_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface InvitesTable {
  id: Generated<string>;
  workspace_id: string;
  code_hash: string;
  role: Role;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  max_uses: number;
  use_count: Generated<number>;
}

export interface AuditLogTable {
  /** bigint identity, read as a decimal string so ordering survives JSON. */
  id: Generated<string>;
  workspace_id: string;
  actor_user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: Json;
  ip: string | null;
  request_id: string | null;
  created_at: CreatedAt;
}

export const API_KEY_SCOPES = ['ingest', 'read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeysTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Numeric columns arrive as strings (exact); inserts take numbers or strings. */
type Decimal = ColumnType<string, number | string, number | string>;

export interface EventsTable {
  workspace_id: string;
  id: string;
  type: string;
  timestamp: Timestamp;
  received_at: CreatedAt;
  user_id: string | null;
  anonymous_id: string | null;
  session_id: string | null;
  properties: Json;
  product_id: string | null;
  price: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  quantity: number | null;
  currency: string | null;
}

export interface EventIdsTable {
  workspace_id: string;
  id: string;
  timestamp: Timestamp;
}

export interface MetricPointsTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  value: number;
  tags: Json;
  timestamp: Timestamp;
  received_at: CreatedAt;
}

export type RollupSource = 'events' | 'metrics';
export type RollupResolution = '1m' | '1h';

export interface RollupDirtyTable {
  workspace_id: string;
  source: RollupSource;
  bucket: Timestamp;
  marked_at: CreatedAt;
}

export interface EventRollupsTable {
  workspace_id: string;
  resolution: RollupResolution;
  bucket: Timestamp;
  type: string;
  count: ColumnType<string, number | string, number | string>;
  users: ColumnType<string, number | string, number | string>;
  revenue: Decimal;
  updated_at: UpdatedAt;
}

export interface MetricRollupsTable {
  workspace_id: string;
  resolution: RollupResolution;
  bucket: Timestamp;
  name: string;
  tags: Json;
  count: ColumnType<string, number | string, number | string>;
  sum: number;
  min: number;
  max: number;
  sketch: Json;
  updated_at: UpdatedAt;
}

export interface IngestStatsTable {
  workspace_id: string;
  source: RollupSource;
  recorded_at: CreatedAt;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface Database
  extends AnalyticsTables,
    DataHealthTables,
    HistoryTables,
    MemberActivityTables,
    MemberGatheringsTables,
    SpacesTables,
    CommerceTables {
  workspaces: WorkspacesTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  invites: InvitesTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  event_ids: EventIdsTable;
  metric_points: MetricPointsTable;
  rollup_dirty: RollupDirtyTable;
  event_rollups: EventRollupsTable;
  metric_rollups: MetricRollupsTable;
  ingest_stats: IngestStatsTable;
  room_hour_usage: RoomHourUsageTable;
}

/** Tables whose rows belong to one workspace: only reachable through a WorkspaceScope. */
export type ScopedTable = {
  [K in keyof Database]: Database[K] extends { workspace_id: string } ? K : never;
}[keyof Database];

export type Workspace = Selectable<WorkspacesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type RefreshToken = Selectable<RefreshTokensTable>;
export type Invite = Selectable<InvitesTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type StoredEvent = Selectable<EventsTable>;
export type MetricPoint = Selectable<MetricPointsTable>;
