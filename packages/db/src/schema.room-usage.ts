import type { ColumnType } from 'kysely';

type ReadOnly<T> = ColumnType<T, never, never>;

/**
 * Per room and UTC hour, the bookings (not cancelled) and gatherings of at most 48 hours
 * overlapping it, kept exact by triggers (migration 0008): read-only. Revenue shares are each
 * interval's price (a gathering's × its attendees) over its span in whole hours.
 */
export interface RoomHourUsageTable {
  workspace_id: ReadOnly<string>;
  room_id: ReadOnly<string>;
  /** The UTC hour's first instant. */
  hour: ReadOnly<Date>;
  bookings: ReadOnly<number>;
  booking_revenue: ReadOnly<number>;
  gatherings: ReadOnly<number>;
  gathering_revenue: ReadOnly<number>;
  /** Sum of attendees / capacity over the gatherings counted. */
  attendance_rate_sum: ReadOnly<number>;
}
