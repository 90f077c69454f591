import type { UserContext } from '../auth/caller.js';
import { findMemberByUser } from '../community/members.queries.js';
import { memberDto } from '../community/members.service.js';
import { findOpenCheckIn } from './check-ins.queries.js';
import { checkInDto } from './check-ins.service.js';
import { listGatherings } from './gatherings.queries.js';
import { gatheringDto } from './gatherings.service.js';
import { MY_UPCOMING_LIMIT } from './me.contract.js';

export async function spacesMe(ctx: UserContext) {
  const member = await findMemberByUser(ctx.scope, ctx.caller.userId);
  if (!member) return { member: null, openCheckIn: null, upcoming: [] };
  const [open, upcoming] = await Promise.all([
    findOpenCheckIn(ctx.scope, member.id),
    listGatherings(
      ctx.scope,
      { attendeeId: member.id, from: new Date() },
      { limit: MY_UPCOMING_LIMIT },
    ),
  ]);
  return {
    member: memberDto(member),
    openCheckIn: open ? checkInDto(open) : null,
    upcoming: upcoming.slice(0, MY_UPCOMING_LIMIT).map(gatheringDto),
  };
}
