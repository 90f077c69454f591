/** How big a demo building is. Counts are targets; the calendar decides the exact figures. */
export interface SeedSize {
  roomsPerFloor: number;
  members: number;
  /** Gatherings on a Monday; other days scale by WEEKDAY_RHYTHM. */
  gatheringsPerDay: number;
  /** Bookings of each bookable room on a Monday (mean). */
  bookingsPerRoomPerDay: number;
  /** Share of members who come in on a Monday. */
  presence: number;
  /** Length of one stay in a room before moving on: each move is a check-in. */
  stayMinutes: [number, number];
  /** Explicit connections each member starts (pairs are stored once). */
  connectionsPerMember: [number, number];
  /** People going to a gathering, before capacity caps it. */
  attendees: [number, number];
  weeksBack: number;
  weeksAhead: number;
}

export const SEED_SIZES = {
  /** For tests: a whole tower, a fortnight of calendar, a handful of people. */
  tiny: {
    roomsPerFloor: 3,
    members: 30,
    gatheringsPerDay: 4,
    bookingsPerRoomPerDay: 0.5,
    presence: 0.4,
    stayMinutes: [45, 150],
    connectionsPerMember: [1, 3],
    attendees: [2, 8],
    weeksBack: 1,
    weeksAhead: 1,
  },
  /** The quick start's building: ~200 members, ~1,000 gatherings over eight weeks. */
  small: {
    roomsPerFloor: 6,
    members: 200,
    gatheringsPerDay: 21.5,
    bookingsPerRoomPerDay: 1.5,
    presence: 0.4,
    stayMinutes: [60, 180],
    connectionsPerMember: [1, 6],
    attendees: [4, 24],
    weeksBack: 7,
    weeksAhead: 1,
  },
  /** The benchmark building: ≥ 10,000 members, ≥ 100,000 gatherings + bookings, ≥ 2 M check-ins. */
  large: {
    roomsPerFloor: 40,
    members: 10_000,
    gatheringsPerDay: 1_300,
    bookingsPerRoomPerDay: 5,
    presence: 0.65,
    stayMinutes: [25, 95],
    connectionsPerMember: [2, 8],
    attendees: [3, 24],
    weeksBack: 7,
    weeksAhead: 1,
  },
} as const satisfies Record<string, SeedSize>;

export type SeedSizeName = keyof typeof SEED_SIZES;

export const isSeedSize = (name: string): name is SeedSizeName => name in SEED_SIZES;

/** Monday first: busiest mid-week, fewer on Fridays, quiet weekends, quietest Sundays. */
export const WEEKDAY_RHYTHM = [1, 1.1, 1.1, 1.15, 0.8, 0.45, 0.25] as const;

/** Monday = 0 … Sunday = 6, for a UTC day start. */
export const weekdayOf = (dayStartMs: number) => (new Date(dayStartMs).getUTCDay() + 6) % 7;
