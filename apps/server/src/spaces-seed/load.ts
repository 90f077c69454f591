import {
  bulkInsertBookings,
  bulkInsertCheckIns,
  bulkInsertGatherings,
  bulkInsertRsvps,
  insertEventBatch,
  type NewEvent,
  spaceEvent,
} from '@pulse/api';
import type { WorkspaceScope } from '@pulse/db';
import type { BookingSeed, CheckInSeed, GatheringSeed, RsvpSeed, SeedSink } from './rows.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export interface LoadCounts {
  gatherings: number;
  rsvps: number;
  bookings: number;
  checkIns: number;
  openCheckIns: number;
  events: number;
}

export function noRows(): LoadCounts {
  return { gatherings: 0, rsvps: 0, bookings: 0, checkIns: 0, openCheckIns: 0, events: 0 };
}

/**
 * Buffers the calendar's rows and writes them in large multi-row statements (one
 * `insert … select from unnest(…)` per table and chunk), parents before children. Check-ins
 * since `eventsSince` also become space.check_in / space.check_out events.
 */
export class SpacesLoader implements SeedSink {
  readonly counts: LoadCounts = noRows();
  #gatherings: GatheringSeed[] = [];
  #rsvps: RsvpSeed[] = [];
  #bookings: BookingSeed[] = [];
  #checkIns: CheckInSeed[] = [];
  #events: NewEvent[] = [];

  constructor(
    private readonly scope: WorkspaceScope,
    private readonly options: { chunkRows: number; eventsSince: number },
  ) {}

  gathering(row: GatheringSeed): void {
    this.#gatherings.push(row);
  }

  rsvp(row: RsvpSeed): void {
    this.#rsvps.push(row);
  }

  booking(row: BookingSeed): void {
    this.#bookings.push(row);
  }

  checkIn(row: CheckInSeed): void {
    this.#checkIns.push(row);
    const since = this.options.eventsSince;
    if (row.checkedInAt >= since)
      this.#events.push(this.#event('space.check_in', row, row.checkedInAt));
    if (row.checkedOutAt !== null && row.checkedOutAt >= since) {
      this.#events.push(this.#event('space.check_out', row, row.checkedOutAt));
    }
  }

  async flushIfFull(): Promise<void> {
    const buffered =
      this.#gatherings.length + this.#rsvps.length + this.#bookings.length + this.#checkIns.length;
    if (buffered >= this.options.chunkRows) await this.flush();
  }

  async flush(): Promise<void> {
    const [gatherings, rsvps, bookings, checkIns, events] = [
      this.#gatherings,
      this.#rsvps,
      this.#bookings,
      this.#checkIns,
      this.#events,
    ];
    this.#gatherings = [];
    this.#rsvps = [];
    this.#bookings = [];
    this.#checkIns = [];
    this.#events = [];
    if (gatherings.length) await this.#insertGatherings(gatherings);
    if (rsvps.length) await this.#insertRsvps(rsvps);
    if (bookings.length) await this.#insertBookings(bookings);
    if (checkIns.length) await this.#insertCheckIns(checkIns);
    if (events.length) await insertEventBatch(this.scope, events, 0);
    this.counts.gatherings += gatherings.length;
    this.counts.rsvps += rsvps.length;
    this.counts.bookings += bookings.length;
    this.counts.checkIns += checkIns.length;
    this.counts.openCheckIns += checkIns.filter((c) => c.checkedOutAt === null).length;
    this.counts.events += events.length;
  }

  #event(type: 'space.check_in' | 'space.check_out', row: CheckInSeed, at: number): NewEvent {
    return spaceEvent({
      type,
      // Seeded check-ins get their database ids on insert; the seed numbers its events.
      key: `seed:${row.memberId}:${row.checkedInAt}`,
      at: new Date(at),
      memberId: row.memberId,
      place: {
        roomId: row.room?.id ?? null,
        floorId: row.room?.floor.id ?? null,
        floorNumber: row.room?.floor.number ?? null,
        gatheringId: row.gathering?.id ?? null,
        tags: row.gathering?.tags ?? [],
      },
    });
  }

  async #insertGatherings(rows: GatheringSeed[]): Promise<void> {
    await bulkInsertGatherings(this.scope, {
      id: rows.map((r) => r.id),
      roomId: rows.map((r) => r.room.id),
      hostMemberId: rows.map((r) => r.hostId),
      title: rows.map((r) => r.title),
      description: rows.map((r) => r.description),
      tags: rows.map((r) => r.tags.join(',')),
      startsAt: rows.map((r) => iso(r.startsAt)),
      endsAt: rows.map((r) => iso(r.endsAt)),
      capacity: rows.map((r) => r.capacity),
      price: rows.map((r) => r.price),
    });
  }

  async #insertRsvps(rows: RsvpSeed[]): Promise<void> {
    await bulkInsertRsvps(this.scope, {
      gatheringId: rows.map((r) => r.gatheringId),
      memberId: rows.map((r) => r.memberId),
      status: rows.map((r) => r.status),
      at: rows.map((r) => iso(r.at)),
    });
  }

  async #insertBookings(rows: BookingSeed[]): Promise<void> {
    await bulkInsertBookings(this.scope, {
      id: rows.map((r) => r.id),
      roomId: rows.map((r) => r.roomId),
      memberId: rows.map((r) => r.memberId),
      startsAt: rows.map((r) => iso(r.startsAt)),
      endsAt: rows.map((r) => iso(r.endsAt)),
      pricePaid: rows.map((r) => r.pricePaid),
      createdAt: rows.map((r) => iso(r.createdAt)),
      cancelledAt: rows.map((r) => isoOrNull(r.cancelledAt)),
    });
  }

  async #insertCheckIns(rows: CheckInSeed[]): Promise<void> {
    await bulkInsertCheckIns(this.scope, {
      memberId: rows.map((r) => r.memberId),
      roomId: rows.map((r) => r.room?.id ?? null),
      gatheringId: rows.map((r) => r.gathering?.id ?? null),
      checkedInAt: rows.map((r) => iso(r.checkedInAt)),
      checkedOutAt: rows.map((r) => isoOrNull(r.checkedOutAt)),
    });
  }
}
