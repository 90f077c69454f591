import type { SeedFloor, SeedMember, SeedRoom } from './plan.js';
import type { SeededRandom } from './random.js';
import type { CheckInSeed } from './rows.js';
import type { SeedSize } from './sizes.js';
import { type Attendance, memberDay } from './timeline.js';

export interface Crowd {
  members: readonly SeedMember[];
}

/** Where people work between gatherings: desks on their floor, its other rooms, lounges. */
export class WorkRooms {
  readonly #byFloor = new Map<SeedFloor, SeedRoom[]>();
  readonly #desks = new Map<SeedFloor, SeedRoom[]>();
  readonly #lounges: SeedRoom[];

  constructor(rooms: readonly SeedRoom[]) {
    for (const room of rooms) {
      this.#byFloor.set(room.floor, [...(this.#byFloor.get(room.floor) ?? []), room]);
      if (room.kind.kind === 'desk') {
        this.#desks.set(room.floor, [...(this.#desks.get(room.floor) ?? []), room]);
      }
    }
    this.#lounges = rooms.filter((r) => r.kind.kind === 'lounge');
  }

  pick(random: SeededRandom, floor: SeedFloor): SeedRoom | null {
    const roll = random.next();
    // One stay in ten is in the building's open areas, which have no room.
    if (roll < 0.1) return null;
    if (roll < 0.25 && this.#lounges.length > 0) return random.pick(this.#lounges);
    const desks = this.#desks.get(floor) ?? [];
    if (roll < 0.8 && desks.length > 0) return random.pick(desks);
    return random.pick(this.#byFloor.get(floor) ?? []);
  }
}

/** Everyone's stays of one day: those who came to work, and those who came for gatherings. */
export function presence(
  random: SeededRandom,
  size: SeedSize,
  building: Crowd,
  workRooms: WorkRooms,
  day: number,
  rhythm: number,
  attending: ReadonlyMap<SeedMember, Attendance[]>,
  now: number,
): CheckInSeed[] {
  const stays: CheckInSeed[] = [];
  for (const member of building.members) {
    const working = random.chance(size.presence * rhythm);
    const gatherings = attending.get(member) ?? [];
    if (!working && gatherings.length === 0) continue;
    const plan = {
      working,
      arriveMinute: random.int(8 * 60, 11 * 60),
      leaveMinute: random.int(16 * 60, 20 * 60),
      stayMinutes: size.stayMinutes,
    };
    const workRoom = () => workRooms.pick(random, member.homeFloor);
    stays.push(...memberDay(random, member, day, gatherings, plan, workRoom, now));
  }
  return stays;
}
