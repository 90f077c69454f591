import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  invites: InvitesTable;
  audit_log: AuditLogTable;
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
