import type { ColumnType } from 'kysely';

/**
 * Attendance rows (going RSVPs plus check-ins into a gathering) per member and UTC day of the
 * gatherings' start, kept exact by triggers (migration 0009): read-only.
 */
export interface MemberActivityTable {
  workspace_id: string;
  member_id: string;
  /** The gatherings' start day in UTC; select it as text (`day::text`): drivers differ on dates. */
  day: ColumnType<string, never, never>;
  attendance: ColumnType<number, never, never>;
}

/** Each member's explicit connections, kept by triggers (migration 0009): read-only. */
export interface MemberConnectionCountsTable {
  workspace_id: string;
  member_id: string;
  connections: ColumnType<number, never, never>;
}

export interface MemberActivityTables {
  member_activity: MemberActivityTable;
  member_connection_counts: MemberConnectionCountsTable;
}
