import type { RsvpStatus } from '@pulse/db';
import type { SeedRoom } from './plan.js';

// What the calendar produces, as the loader stores it (times in epoch milliseconds).

export interface GatheringSeed {
  id: string;
  room: SeedRoom;
  hostId: string | null;
  title: string;
  description: string;
  tags: string[];
  startsAt: number;
  endsAt: number;
  capacity: number | null;
  price: number;
}

export interface RsvpSeed {
  gatheringId: string;
  memberId: string;
  status: RsvpStatus;
  at: number;
}

export interface BookingSeed {
  id: string;
  roomId: string;
  memberId: string | null;
  startsAt: number;
  endsAt: number;
  pricePaid: number;
  createdAt: number;
  cancelledAt: number | null;
}

export interface CheckInSeed {
  memberId: string;
  room: SeedRoom | null;
  gathering: GatheringSeed | null;
  checkedInAt: number;
  checkedOutAt: number | null;
}

/** Where the calendar puts its rows; the loader flushes them in foreign-key order. */
export interface SeedSink {
  gathering(row: GatheringSeed): void;
  rsvp(row: RsvpSeed): void;
  booking(row: BookingSeed): void;
  checkIn(row: CheckInSeed): void;
}
