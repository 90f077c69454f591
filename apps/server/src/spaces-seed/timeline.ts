import type { SeedMember, SeedRoom } from './plan.js';
import type { SeededRandom } from './random.js';
import type { CheckInSeed, GatheringSeed } from './rows.js';

const MINUTE = 60_000;

export interface Attendance {
  gathering: GatheringSeed;
  from: number;
  to: number;
}

export interface DayPlan {
  /** The member works in the building today (not only for gatherings). */
  working: boolean;
  arriveMinute: number;
  leaveMinute: number;
  stayMinutes: readonly [number, number];
}

/**
 * One member's day as consecutive stays: work in rooms between the gatherings they attend,
 * each move a check-in that closes the previous one. Stays starting after `now` are not
 * there yet; the stay around `now` is still open.
 */
export function memberDay(
  random: SeededRandom,
  member: SeedMember,
  dayStart: number,
  attending: readonly Attendance[],
  plan: DayPlan,
  workRoom: () => SeedRoom | null,
  now: number,
): CheckInSeed[] {
  const sorted = [...attending].sort((a, b) => a.from - b.from);
  const first = sorted[0];
  const last = sorted.at(-1);
  let t = plan.working ? dayStart + plan.arriveMinute * MINUTE : (first?.from ?? 0);
  const leave = Math.max(
    plan.working ? dayStart + plan.leaveMinute * MINUTE : 0,
    last ? last.to : 0,
  );
  const stays: CheckInSeed[] = [];
  const stay = (room: SeedRoom | null, gathering: GatheringSeed | null, from: number, to: number) =>
    stays.push({ memberId: member.id, room, gathering, checkedInAt: from, checkedOutAt: to });
  const workUntil = (until: number) => {
    while (t + 20 * MINUTE < until) {
      const end = Math.min(
        until,
        t + random.int(plan.stayMinutes[0], plan.stayMinutes[1]) * MINUTE,
      );
      stay(workRoom(), null, t, end);
      t = end;
    }
  };
  for (const attendance of sorted) {
    // Two gatherings at once: the member went to the one that started first.
    if (attendance.from < t) continue;
    workUntil(attendance.from);
    stay(attendance.gathering.room, attendance.gathering, attendance.from, attendance.to);
    t = attendance.to;
  }
  workUntil(leave);
  return untilNow(stays, now);
}

function untilNow(stays: CheckInSeed[], now: number): CheckInSeed[] {
  const started = stays.filter((s) => s.checkedInAt < now);
  const current = started.at(-1);
  if (current && current.checkedOutAt !== null && current.checkedOutAt > now) {
    current.checkedOutAt = null;
  }
  return started;
}
