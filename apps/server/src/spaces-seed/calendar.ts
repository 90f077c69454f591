import type { SeedMember, SeedRoom } from './plan.js';
import { presence, WorkRooms } from './presence.js';
import type { SeededRandom } from './random.js';
import type { CheckInSeed, GatheringSeed, SeedSink } from './rows.js';
import { type SeedSize, WEEKDAY_RHYTHM, weekdayOf } from './sizes.js';
import type { Attendance } from './timeline.js';
import { FORMATS, TOPICS, topicLabel } from './vocabulary.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const PRICES = [5, 10, 15, 20, 25, 40];
// Price experiments: a room's bookings in a given week were sold at one of these multiples of
// its list price, which gives revenue analysis observed demand at several prices.
const WEEK_PRICE_MULTIPLIERS = [0.8, 1, 1, 1.25];

export interface Building {
  newId: () => string;
  rooms: readonly SeedRoom[];
  members: readonly SeedMember[];
  byTopic: ReadonlyMap<string, readonly SeedMember[]>;
}

/** Half-open minute ranges already taken in each room today. */
class RoomDay {
  readonly #taken = new Map<string, [number, number][]>();

  claim(roomId: string, from: number, to: number): boolean {
    const taken = this.#taken.get(roomId) ?? [];
    if (taken.some(([start, end]) => start < to && end > from)) return false;
    taken.push([from, to]);
    this.#taken.set(roomId, taken);
    return true;
  }
}

/** Eight weeks of gatherings, RSVPs, bookings and check-ins, one day at a time. */
export async function writeCalendar(
  random: SeededRandom,
  size: SeedSize,
  building: Building,
  now: number,
  sink: SeedSink,
  afterDay: () => Promise<void>,
): Promise<void> {
  const today = Math.floor(now / DAY) * DAY;
  const hosting = building.rooms.filter((r) => r.kind.hostsGatherings);
  const bookable = building.rooms.filter((r) => r.kind.bookable);
  const workRooms = new WorkRooms(building.rooms);
  // A member's stay still going on `now` waits here: a later one (a gathering that began
  // before midnight and one today) closes it, as checking in elsewhere does in the API.
  const openStays = new Map<string, CheckInSeed>();
  for (
    let day = today - size.weeksBack * 7 * DAY + DAY;
    day <= today + size.weeksAhead * 7 * DAY;
    day += DAY
  ) {
    const rhythm = WEEKDAY_RHYTHM[weekdayOf(day)] as number;
    const rooms = new RoomDay();
    const attending = new Map<SeedMember, Attendance[]>();
    const count = Math.round(size.gatheringsPerDay * rhythm * (0.9 + 0.2 * random.next()));
    for (let i = 0; i < count; i += 1) {
      const start = day + startMinute(random, rhythm) * MINUTE;
      placeGathering(random, size, building, hosting, rooms, start, now, sink, attending);
    }
    if (day === today) {
      // Whatever the hour, the demo has something on now.
      for (let i = 0; i < 3; i += 1) {
        const start = Math.floor((now - random.int(15, 60) * MINUTE) / MINUTE) * MINUTE;
        placeGathering(random, size, building, hosting, rooms, start, now, sink, attending);
      }
    }
    for (const room of bookable) {
      writeBookings(
        random,
        size,
        building.members,
        building.newId,
        room,
        day,
        rhythm,
        rooms,
        now,
        sink,
      );
    }
    if (day <= now) {
      for (const stay of presence(random, size, building, workRooms, day, rhythm, attending, now)) {
        if (stay.checkedOutAt !== null) {
          sink.checkIn(stay);
          continue;
        }
        const earlier = openStays.get(stay.memberId);
        if (earlier) {
          earlier.checkedOutAt = Math.max(earlier.checkedInAt, stay.checkedInAt);
          sink.checkIn(earlier);
        }
        openStays.set(stay.memberId, stay);
      }
    }
    await afterDay();
  }
  for (const stay of openStays.values()) sink.checkIn(stay);
  await afterDay();
}

function startMinute(random: SeededRandom, rhythm: number): number {
  const weekend = rhythm < 0.5;
  const roll = random.next();
  if (weekend)
    return (roll < 0.7 ? random.int(11, 16) : random.int(17, 19)) * 60 + random.pick([0, 30]);
  if (roll < 0.6) return random.int(17, 20) * 60 + random.pick([0, 30]);
  if (roll < 0.8) return 12 * 60 + random.pick([0, 30]);
  return random.int(9, 16) * 60 + random.pick([0, 30]);
}

function placeGathering(
  random: SeededRandom,
  size: SeedSize,
  building: Building,
  hosting: readonly SeedRoom[],
  rooms: RoomDay,
  start: number,
  now: number,
  sink: SeedSink,
  attending: Map<SeedMember, Attendance[]>,
): void {
  const end = start + random.pick([60, 90, 120, 120, 180]) * MINUTE;
  const anchor = random.pick(hosting);
  const topic = random.chance(0.7) ? anchor.floor.topic : random.pick(TOPICS);
  const candidates = [
    anchor,
    ...random.sample(
      hosting.filter((r) => r.floor === anchor.floor),
      3,
    ),
  ];
  const room = candidates.find((r) => rooms.claim(r.id, start, end));
  if (!room) return;
  const format = random.pick(FORMATS);
  const pool = building.byTopic.get(topic) ?? building.members;
  const capacity = random.chance(0.5)
    ? null
    : random.int(Math.ceil(room.capacity / 2), room.capacity);
  const gathering: GatheringSeed = {
    id: building.newId(),
    room,
    hostId: random.chance(0.9) ? random.pick(pool).id : null,
    title: `${topicLabel(topic)} ${format}`,
    description: `A ${format.toLowerCase()} about ${topic} on ${room.floor.name}.`,
    tags: [
      topic,
      ...random.sample(
        TOPICS.filter((t) => t !== topic),
        random.int(0, 2),
      ),
    ],
    startsAt: start,
    endsAt: end,
    capacity,
    price: random.chance(0.6) ? 0 : random.pick(PRICES),
  };
  sink.gathering(gathering);
  const seats = capacity ?? room.capacity;
  const wanted = Math.min(seats, random.int(size.attendees[0], size.attendees[1]));
  const people = new Set<SeedMember>();
  for (
    let tries = 0;
    people.size < wanted + Math.ceil(wanted * 0.4) && tries < wanted * 3;
    tries += 1
  ) {
    people.add(random.chance(0.7) ? random.pick(pool) : random.pick(building.members));
  }
  let going = 0;
  for (const member of people) {
    const status = going < wanted ? (random.chance(0.05) ? 'cancelled' : 'going') : 'interested';
    if (status === 'going') going += 1;
    const at = Math.min(now, start - random.int(1, 14 * 24) * HOUR);
    sink.rsvp({ gatheringId: gathering.id, memberId: member.id, status, at });
    if (status !== 'going' || start >= now || !random.chance(0.85)) continue;
    const from = start + random.int(-10, 10) * MINUTE;
    const to = end + random.int(-15, 5) * MINUTE;
    const list = attending.get(member) ?? [];
    list.push({ gathering, from, to });
    attending.set(member, list);
  }
}

function writeBookings(
  random: SeededRandom,
  size: SeedSize,
  members: readonly SeedMember[],
  newId: () => string,
  room: SeedRoom,
  day: number,
  rhythm: number,
  rooms: RoomDay,
  now: number,
  sink: SeedSink,
): void {
  const count = Math.floor(size.bookingsPerRoomPerDay * rhythm * 2 * random.next() + 0.5);
  const week = Math.floor(day / (7 * DAY));
  const multiplier = WEEK_PRICE_MULTIPLIERS[
    (week + room.capacity) % WEEK_PRICE_MULTIPLIERS.length
  ] as number;
  const booth = room.kind.kind === 'phone_booth';
  for (let i = 0; i < count; i += 1) {
    const start = day + (8 * 60 + random.int(0, 22) * 30) * MINUTE;
    const minutes = booth ? random.pick([30, 60]) : random.pick([60, 90, 120, 180]);
    const end = start + minutes * MINUTE;
    if (!rooms.claim(room.id, start, end)) continue;
    const createdAt = Math.min(now, start - random.int(1, 72) * HOUR);
    const cancelled = random.chance(0.05);
    sink.booking({
      id: newId(),
      roomId: room.id,
      memberId: random.chance(0.85) ? random.pick(members).id : null,
      startsAt: start,
      endsAt: end,
      pricePaid: Math.round(room.hourlyPrice * (minutes / 60) * multiplier * 100) / 100,
      createdAt,
      cancelledAt: cancelled ? Math.min(now, createdAt + HOUR) : null,
    });
  }
}
