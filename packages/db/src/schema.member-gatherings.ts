import type { ColumnType } from 'kysely';

/**
 * Each member's distinct gatherings (going RSVP ∪ check-in) with the gathering's start, kept
 * exact by triggers (migration 0011): read-only.
 */
export interface MemberGatheringsTable {
  workspace_id: string;
  gathering_id: string;
  member_id: string;
  starts_at: ColumnType<Date, never, never>;
  /** Attendance rows making it: the going RSVP (0 or 1) plus the check-ins into it. */
  attendance: ColumnType<number, never, never>;
}

/** `member_activity` summed per member and ISO week, kept by triggers (migration 0011): read-only. */
export interface MemberActivityWeeksTable {
  workspace_id: string;
  member_id: string;
  /** The week's Monday (UTC); select it as text (`week::text`): drivers differ on dates. */
  week: ColumnType<string, never, never>;
  attendance: ColumnType<number, never, never>;
}

export interface MemberGatheringsTables {
  member_gatherings: MemberGatheringsTable;
  member_activity_weeks: MemberActivityWeeksTable;
}
