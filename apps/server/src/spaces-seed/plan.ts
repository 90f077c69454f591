import type { SeededRandom } from './random.js';
import type { SeedSize } from './sizes.js';
import {
  FIRST_NAMES,
  FLOOR_THEMES,
  LAST_NAMES,
  ROLES,
  ROOM_KINDS,
  type RoomKind,
  TOPICS,
  topicLabel,
} from './vocabulary.js';

export interface SeedFloor {
  id: string;
  number: number;
  name: string;
  topic: string;
}

export interface SeedRoom {
  id: string;
  floor: SeedFloor;
  name: string;
  kind: RoomKind;
  capacity: number;
  x: number;
  y: number;
  hourlyPrice: number;
}

export interface SeedMember {
  id: string;
  userId: string | null;
  name: string;
  headline: string;
  interests: string[];
  homeFloor: SeedFloor;
  joinedAt: Date;
}

/** The order kinds repeat in along a floor: mostly meeting rooms, one hall, desks, booths. */
const KIND_CYCLE = [
  'meeting',
  'event',
  'desk',
  'studio',
  'phone_booth',
  'meeting',
  'lounge',
  'phone_booth',
];
const FLOOR_WIDTH = 100;

export function planTower(random: SeededRandom, newId: () => string, size: SeedSize) {
  const floors: SeedFloor[] = FLOOR_THEMES.map((theme, index) => ({
    id: newId(),
    number: index + 1,
    name: theme.name,
    topic: theme.topic,
  }));
  const rooms: SeedRoom[] = [];
  for (const floor of floors) {
    // Rooms fill the floor plan left to right in rows; a row is as tall as its tallest room.
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    const perKind = new Map<string, number>();
    for (let index = 0; index < size.roomsPerFloor; index += 1) {
      const kindName = KIND_CYCLE[index % KIND_CYCLE.length] as string;
      const kind = ROOM_KINDS.find((k) => k.kind === kindName) as RoomKind;
      if (x + kind.width > FLOOR_WIDTH) {
        x = 0;
        y += rowHeight + 1;
        rowHeight = 0;
      }
      const ordinal = (perKind.get(kind.kind) ?? 0) + 1;
      perKind.set(kind.kind, ordinal);
      rooms.push({
        id: newId(),
        floor,
        name: `${floor.number}${String.fromCharCode(64 + ((index % 26) + 1))} ${kind.label} ${ordinal}`,
        kind,
        capacity: random.int(kind.capacity[0], kind.capacity[1]),
        x,
        y,
        hourlyPrice: random.int(kind.hourlyPrice[0], kind.hourlyPrice[1]),
      });
      x += kind.width + 1;
      rowHeight = Math.max(rowHeight, kind.height);
    }
  }
  return { floors, rooms };
}

export interface SeedAccount {
  userId: string;
  name: string;
}

/** People of the building; the first profiles belong to the given accounts. */
export function planMembers(
  random: SeededRandom,
  newId: () => string,
  size: SeedSize,
  floors: readonly SeedFloor[],
  now: number,
  accounts: readonly SeedAccount[],
): SeedMember[] {
  const members: SeedMember[] = [];
  for (let index = 0; index < size.members; index += 1) {
    const homeFloor = random.pick(floors);
    // Most people share their floor's topic; everyone has two to five interests.
    const interests = new Set<string>(random.chance(0.8) ? [homeFloor.topic] : []);
    const wanted = random.int(2, 5);
    while (interests.size < wanted) interests.add(random.pick(TOPICS));
    const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    const role = random.pick(ROLES);
    const focus = topicLabel([...interests][0] as string);
    const account = accounts[index];
    members.push({
      id: newId(),
      userId: account?.userId ?? null,
      name: account?.name ?? name,
      headline: `${role}, ${focus}`,
      interests: [...interests],
      homeFloor,
      joinedAt: new Date(now - random.int(1, 720) * 86_400_000),
    });
  }
  return members;
}

/** Pairs (smaller id first, once each), mostly between people sharing a topic. */
export function planConnections(
  random: SeededRandom,
  size: SeedSize,
  members: readonly SeedMember[],
  byTopic: ReadonlyMap<string, readonly SeedMember[]>,
): [string, string][] {
  const seen = new Set<string>();
  const pairs: [string, string][] = [];
  for (const member of members) {
    const count = random.int(size.connectionsPerMember[0], size.connectionsPerMember[1]);
    for (let i = 0; i < count; i += 1) {
      const pool = random.chance(0.75)
        ? (byTopic.get(random.pick(member.interests)) ?? members)
        : members;
      const other = random.pick(pool);
      if (other.id === member.id) continue;
      const pair: [string, string] =
        member.id < other.id ? [member.id, other.id] : [other.id, member.id];
      const key = pair.join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push(pair);
    }
  }
  return pairs;
}

export function membersByTopic(members: readonly SeedMember[]): Map<string, SeedMember[]> {
  const byTopic = new Map<string, SeedMember[]>();
  for (const member of members) {
    for (const topic of member.interests) {
      const list = byTopic.get(topic) ?? [];
      list.push(member);
      byTopic.set(topic, list);
    }
  }
  return byTopic;
}
